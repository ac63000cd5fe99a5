#!/usr/bin/env python3
"""Turns a sample of registry records (JSON Lines on stdin, from /v1/exports/registry.json) into
the search paths bench/search.sh sends: what recruiters type. For each sampled agency, one of:
its name exact, one word misspelt (a letter dropped or two swapped), words reordered with the
legal form dropped, its first two words, or its licence number; some with a corridor filter.
Deterministic for a given input (seeded)."""
import json
import random
import sys
import urllib.parse

LEGAL = {"pvt", "ltd", "pvt.", "ltd.", "pt", "llc", "w.l.l.", "wll", "inc", "inc.", "co.", "co"}


def misspell(word, rng):
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rng = random.Random(2026)
    records = [json.loads(line) for line in sys.stdin if line.strip()]
    sample = rng.sample(records, min(count, len(records)))
    for r in sample:
        words = r["legal_name"].split()
        kind = rng.randrange(5)
        if kind == 0:
            q = r["legal_name"]
        elif kind == 1:
            j = rng.randrange(len(words))
            q = " ".join(misspell(w, rng) if i == j else w for i, w in enumerate(words))
        elif kind == 2:
            kept = [w for w in words if w.lower() not in LEGAL]
            rng.shuffle(kept)
            q = " ".join(kept)
        elif kind == 3:
            q = " ".join([w for w in words if w.lower() not in LEGAL][:2])
        else:
            q = r["licence_number"]
        path = "/v1/public/agencies?limit=20&q=" + urllib.parse.quote(q)
        if rng.random() < 0.3 and r.get("destination_countries"):
            dest = r["destination_countries"].split(";")[0] if isinstance(r["destination_countries"], str) else r["destination_countries"][0]
            path += "&destination=" + dest
        print(path)


if __name__ == "__main__":
    main()
