#!/usr/bin/python3
"""A scriptable HTTP receiver: the stand-in for webhooks and chat bots in Preflight's tests.

Run with Debian's /usr/bin/python3 (standard library only):

    /usr/bin/python3 tests/peers/http_receiver.py [--host 127.0.0.1] [--port 0]
        [--cert CERT.pem --key KEY.pem]   serve HTTPS with this certificate

It binds (port 0: any free port), then prints "listening on PORT" and flushes, so a test can
start it and wait for that line.

Every request to any path other than the control paths below is recorded (method, path with
query, headers, body) and answered. The answer comes from the script of the longest path prefix
that matches the request's path (query excluded) and still has entries; once a prefix's entries
are used up, or when none matches, the default answer is

    200 {"errcode":0,"code":0,"ok":true}

which is success for WeCom, DingTalk, Feishu and the generic webhook alike.

Control paths:

    POST /_script   {"path_prefix": "/x", "responses": [ENTRY, ...]}
                    appends ENTRYs to the queue of that prefix; they are used in order, one per
                    request. ENTRY members, all optional:
                      "status": int (default 200)
                      "headers": {"Name": "value", ...}
                      "body": str (default: the default answer's body when status is 200,
                              else empty)
                      "hang_seconds": float: wait that long before answering (for client
                              timeouts); the request is recorded before the wait
                      "close": true: drop the connection without any answer
    GET  /_requests lists recorded requests as JSON, oldest first:
                    [{"method", "path", "headers": [[name, value], ...], "body",
                      "idempotency_key": the Idempotency-Key header or null,
                      "received_at": Unix seconds (float)}, ...]
                    optional query "path_prefix=/x" keeps those whose path starts with it
    POST /_reset    forgets recorded requests and every script; wakes hanging requests

The receiver deduplicates nothing: tests count duplicates by idempotency_key.
Stop it with SIGTERM or SIGINT.
"""

import argparse
import json
import signal
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_BODY = '{"errcode":0,"code":0,"ok":true}'
CONTROL_PATHS = ("/_script", "/_requests", "/_reset")


class State:
    """Recorded requests and scripts, shared by the handler threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.scripts = {}  # path prefix -> list of entries still to use
        self.wake = threading.Event()  # set on reset: hanging requests stop waiting

    def add_script(self, prefix, responses):
        with self.lock:
            self.scripts.setdefault(prefix, []).extend(responses)

    def next_response(self, path):
        with self.lock:
            best = None
            for prefix, queue in self.scripts.items():
                if queue and path.startswith(prefix):
                    if best is None or len(prefix) > len(best):
                        best = prefix
            if best is None:
                return {}
            return self.scripts[best].pop(0)

    def record(self, entry):
        with self.lock:
            self.requests.append(entry)

    def list(self, prefix):
        with self.lock:
            return [r for r in self.requests if r["path"].startswith(prefix)]

    def reset(self):
        with self.lock:
            self.requests.clear()
            self.scripts.clear()
            old = self.wake
            self.wake = threading.Event()
        old.set()


STATE = State()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "PreflightHttpReceiver/1"

    def log_message(self, format, *args):  # noqa: A002 - quiet: tests read stdout
        pass

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _answer(self, status, body, headers=None):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        has_type = False
        for name, value in (headers or {}).items():
            has_type = has_type or name.lower() == "content-type"
            self.send_header(name, str(value))
        if not has_type:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _control(self, path, query, body):
        if path == "/_script" and self.command == "POST":
            try:
                spec = json.loads(body.decode("utf-8"))
                prefix = spec["path_prefix"]
                responses = spec["responses"]
                if not isinstance(prefix, str) or not isinstance(responses, list):
                    raise ValueError("path_prefix must be a string and responses a list")
            except (ValueError, KeyError, TypeError) as error:
                self._answer(400, json.dumps({"error": str(error)}))
                return
            STATE.add_script(prefix, responses)
            self._answer(200, json.dumps({"queued": len(responses)}))
        elif path == "/_requests" and self.command == "GET":
            prefix = urllib.parse.parse_qs(query).get("path_prefix", [""])[0]
            self._answer(200, json.dumps(STATE.list(prefix), ensure_ascii=False))
        elif path == "/_reset" and self.command == "POST":
            STATE.reset()
            self._answer(200, "{}")
        else:
            self._answer(405, json.dumps({"error": "unsupported control call"}))

    def _handle(self):
        body = self._read_body()
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path in CONTROL_PATHS:
            self._control(parsed.path, parsed.query, body)
            return
        headers = [[name, value] for name, value in self.headers.items()]
        STATE.record({
            "method": self.command,
            "path": self.path,
            "headers": headers,
            "body": body.decode("utf-8", errors="replace"),
            "idempotency_key": self.headers.get("Idempotency-Key"),
            "received_at": time.time(),
        })
        entry = STATE.next_response(parsed.path)
        hang = float(entry.get("hang_seconds", 0) or 0)
        if hang > 0:
            STATE.wake.wait(hang)
        if entry.get("close"):
            self.close_connection = True
            return
        status = int(entry.get("status", 200))
        default_body = DEFAULT_BODY if status == 200 else ""
        try:
            self._answer(status, entry.get("body", default_body), entry.get("headers"))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle


class QuietServer(ThreadingHTTPServer):
    """Clients that hang up or refuse our certificate are expected in tests: no tracebacks."""

    daemon_threads = True
    # socketserver's default listen backlog is 5: a notifier with several send lanes per
    # endpoint opens more connections at once, and the kernel would drop the rest (connect
    # timeouts that are the receiver's, not the notifier's).
    request_queue_size = 128

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ssl.SSLError, ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")

    server = QuietServer((args.host, args.port), Handler)
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        # The handshake happens in the handler thread, so a failing client blocks nobody.
        server.socket = context.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False)
    # SIGTERM interrupts serve_forever at once; handler threads are daemons and die with us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
