"""Load for the fault scripts: threads that create agencies (writes) and read public records
(reads) against BASE for SECONDS, recording every answer. Prints one JSON summary: answers by
status, answers that break the rules (anything but 2xx, a 503 problem+json, or a 429 with
Retry-After), the outage as seen by the clients, and the ids of every acknowledged write
(written to ACKED_FILE) so the caller can check that none was lost; every answer's start,
operation, status and duration go to ACKED_FILE.answers.

    python3 bench/fault-load.py BASE TOKEN SECONDS THREADS ACKED_FILE
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

base, token, seconds, threads, acked_file = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
url = urllib.parse.urlsplit(base)
lock = threading.Lock()
answers = []  # (t, op, status, ok_shape, seconds)
acked = []
known = []
deadline = time.monotonic() + seconds
started = time.monotonic()


def agency(n):
    return {
        "legal_name": f"Fault Drill Manpower {n}",
        "licence": {"number": f"FD-{n}", "issuing_authority": "Department of Foreign Employment", "country": "NP"},
        "origin_countries": ["NP"],
        "destination_countries": ["QA"],
        "sectors": ["construction"],
    }


def shape_ok(status, headers):
    if 200 <= status < 300:
        return True
    kind = headers.get("content-type", "")
    if status == 503:
        return kind.startswith("application/problem+json")
    if status == 429:
        return kind.startswith("application/problem+json") and "retry-after" in headers
    return False


def worker(k):
    conn = None
    n = 0
    while time.monotonic() < deadline:
        n += 1
        write = n % 2 == 1 or not known
        try:
            if conn is None:
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            t0 = time.monotonic()
            if write:
                body = json.dumps(agency(f"{k}-{n}-{uuid.uuid4().hex[:8]}"))
                conn.request("POST", "/v1/agencies", body, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            else:
                with lock:
                    pick = known[n % len(known)]
                conn.request("GET", f"/v1/public/agencies/{pick}")
            res = conn.getresponse()
            data = res.read()
            headers = {h.lower(): v for h, v in res.getheaders()}
            elapsed = time.monotonic() - t0
            with lock:
                answers.append((t0 - started, "write" if write else "read", res.status, shape_ok(res.status, headers), elapsed))
                if write and res.status == 201:
                    created = json.loads(data)["id"]
                    acked.append(created)
                    known.append(created)
        except (OSError, http.client.HTTPException) as e:
            # A connection the server closed or refused: the service itself was down, which the
            # drill does not allow (only the database goes away).
            with lock:
                answers.append((time.monotonic() - started, "write" if write else "read", f"connection: {type(e).__name__}", False, 0.0))
            conn = None
            time.sleep(0.05)


pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()

answers.sort(key=lambda a: a[0])
by_status = {}
for _, op, status, _, _ in answers:
    by_status[f"{op} {status}"] = by_status.get(f"{op} {status}", 0) + 1
failed = [a for a in answers if not (isinstance(a[2], int) and 200 <= a[2] < 300)]
bad = [a for a in answers if not a[3]]
slow_503 = max((a[4] for a in failed if a[2] == 503), default=0.0)
open(acked_file, "w").write("\n".join(acked) + "\n")
# Every answer (start, operation, status, seconds), for the drill to read the timeline from.
with open(acked_file + ".answers", "w") as f:
    for t, op, status, _, elapsed in answers:
        f.write(f"{t:.4f} {op} {status} {elapsed:.4f}\n")
print(json.dumps({
    "answers": len(answers),
    "by_status": by_status,
    "rule_breaking": len(bad),
    "rule_breaking_examples": [list(a) for a in bad[:5]],
    "first_failure_s": round(failed[0][0], 2) if failed else None,
    "last_failure_s": round(failed[-1][0], 2) if failed else None,
    "slowest_503_s": round(slow_503, 3),
    "acknowledged_writes": len(acked),
}))
