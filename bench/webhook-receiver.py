"""A webhook receiver for bench/kill-instance.sh: answers every POST 200 after DELAY_MS (so that
deliveries are in flight when an instance is killed) and appends each message's `webhook-id`
to LOG.

    python3 bench/webhook-receiver.py PORT LOG [DELAY_MS]
"""
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, log = int(sys.argv[1]), sys.argv[2]
delay = int(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0.05
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        time.sleep(delay)
        with lock, open(log, "a") as f:
            f.write(self.headers.get("webhook-id", "-") + "\n")
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
