#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""keyserver.py - a key server whose behaviour a test controls, per path.

tests/test_fetch.c starts it, reads its port, tells it what to answer on
which path, and counts the requests it got.  Standard library only.

    keyserver.py --data DIR [--lifetime SECONDS] [--tls-cert PEM --tls-key PEM]

It listens on 127.0.0.1 on a port the system picks and prints one line,
"port N", on stdout; with --tls-cert and --tls-key it also serves the same
routes over TLS on a second port, and the line is "port N tls M".  It then reads commands, one JSON object per line, on
stdin, and answers each with one JSON line on stdout:

    {"cmd": "set", "path": "/a/jwks", ...route...}   -> {"ok": true}
    {"cmd": "count", "path": "/a/jwks"}  -> {"count": N, "inm": "..." | null}
    {"cmd": "reset"}       forget every route and count -> {"ok": true}

A route (every member optional):

    "status"        HTTP status (default 200)
    "file"          serve DIR/<file> (a plain name, no directory part)
    "body"          serve this text
    "meta_issuer"   serve a metadata document {"issuer": ..., "jwks_uri": ...}
    "jwks_path"     ... whose jwks_uri is http://127.0.0.1:PORT<jwks_path>
    "jwks_uri"      ... or exactly this jwks_uri
    "big"           serve a body of this many bytes
    "no_length"     send no Content-Length (the body ends when the
                    connection closes)
    "cache_control" a Cache-Control header
    "etag"          an ETag header; a request whose If-None-Match equals it
                    gets 304 Not Modified
    "delay_ms"      wait this long (at most 10 s) before answering

A path without a route answers 404.  Requests to every path are counted,
and the last If-None-Match seen is remembered.

The server exits when stdin reaches end of file (the test ended, even by a
crash) or after --lifetime seconds (default 60), whichever comes first.
"""

import argparse
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_DELAY_S = 10.0

LOCK = threading.Lock()
ROUTES = {}
COUNTS = {}
LAST_INM = {}
DATA_DIR = "."


class Handler(BaseHTTPRequestHandler):
    server_version = "keyserver/1"

    def log_message(self, fmt, *args):      # quiet: the test prints
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        inm = self.headers.get("If-None-Match")
        with LOCK:
            COUNTS[path] = COUNTS.get(path, 0) + 1
            LAST_INM[path] = inm
            route = dict(ROUTES.get(path, {"status": 404, "body": ""}))
        delay = min(route.get("delay_ms", 0) / 1000.0, MAX_DELAY_S)
        if delay > 0:
            time.sleep(delay)
        try:
            self.answer(route, inm)
        except (BrokenPipeError, ConnectionResetError):
            pass                    # the client gave up (a timeout test)

    def answer(self, route, inm):
        etag = route.get("etag")
        if etag is not None and inm == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            if "cache_control" in route:
                self.send_header("Cache-Control", route["cache_control"])
            self.end_headers()
            return
        body = self.body_of(route)
        self.send_response(route.get("status", 200))
        self.send_header("Content-Type", "application/json")
        if etag is not None:
            self.send_header("ETag", etag)
        if "cache_control" in route:
            self.send_header("Cache-Control", route["cache_control"])
        if not route.get("no_length"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body_of(self, route):
        if "file" in route:
            name = os.path.basename(route["file"])
            with open(os.path.join(DATA_DIR, name), "rb") as f:
                return f.read()
        if "meta_issuer" in route:
            uri = route.get("jwks_uri")
            if uri is None:
                uri = "http://127.0.0.1:%d%s" % (
                    self.server.server_address[1], route.get("jwks_path", ""))
            return json.dumps({"issuer": route["meta_issuer"],
                               "jwks_uri": uri}).encode()
        if "big" in route:
            n = int(route["big"])
            return (b'{"keys": [], "pad": "' + b"x" * max(n - 23, 0) +
                    b'"}')[:max(n, 0)]
        return route.get("body", "").encode()


class TLSServer(ThreadingHTTPServer):
    """Serves over TLS; the handshake runs in the request's own thread, so
    that a client that gives up mid-handshake holds up nobody else."""

    context = None

    def finish_request(self, request, client_address):
        request.settimeout(5)
        request = self.context.wrap_socket(request, server_side=True)
        super().finish_request(request, client_address)


def command(line):
    try:
        c = json.loads(line)
    except ValueError:
        return {"error": "not JSON"}
    with LOCK:
        if c.get("cmd") == "set":
            path = c.pop("path")
            c.pop("cmd")
            ROUTES[path] = c
            return {"ok": True}
        if c.get("cmd") == "count":
            return {"count": COUNTS.get(c.get("path"), 0),
                    "inm": LAST_INM.get(c.get("path"))}
        if c.get("cmd") == "reset":
            ROUTES.clear()
            COUNTS.clear()
            LAST_INM.clear()
            return {"ok": True}
    return {"error": "unknown command"}


def main():
    global DATA_DIR
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--lifetime", type=float, default=60.0)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    args = ap.parse_args()
    DATA_DIR = args.data

    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Handler)]
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        TLSServer.context = ctx
        servers.append(TLSServer(("127.0.0.1", 0), Handler))
    for srv in servers:
        srv.daemon_threads = True
        srv.handle_error = lambda request, address: None
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    # Bounded life, whatever the test does.
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    line = "port %d" % servers[0].server_address[1]
    if len(servers) > 1:
        line += " tls %d" % servers[1].server_address[1]
    print(line, flush=True)
    for line in sys.stdin:
        print(json.dumps(command(line)), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
