# SPDX-License-Identifier: Apache-2.0
"""slowloris.py HOST PORT COUNT SECONDS - slow clients, for slow.sh.

Opens COUNT connections to HOST:PORT (loopback only), then sends each
open one the next byte of a request head once a second, never finishing
it, and watches every connection for its end (EOF or an error).  Stops
by itself after SECONDS (at most 20), closes what is left and prints one
JSON object: {"opened": N, "closed": [seconds after its connect, ...],
"open_at_end": N}.
"""
import json
import select
import socket
import sys
import time

host, port, count, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
if host not in ("127.0.0.1", "::1", "localhost"):
    sys.exit("loopback only")
seconds = min(seconds, 20.0)
count = min(count, 1000)
HEAD = b"GET /healthz HTTP/1.1\r\nHost: slow\r\nX-Slow: " + b"a" * 64

conns = []      # [socket, connected_at, bytes sent, closed_after or None]
start = time.monotonic()
for _ in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect((host, port))
    except OSError:
        s.close()
        continue
    s.setblocking(False)
    conns.append([s, time.monotonic(), 0, None])

def close(c, now):
    if c[3] is None:
        c[3] = now - c[1]
        c[0].close()

next_send = start
while time.monotonic() - start < seconds:
    live = [c for c in conns if c[3] is None]
    if not live:
        break
    now = time.monotonic()
    if now >= next_send:
        for c in live:
            try:
                c[0].send(HEAD[c[2] % len(HEAD):c[2] % len(HEAD) + 1])
                c[2] += 1
            except OSError:
                close(c, now)
        next_send = now + 1.0
    live = [c for c in conns if c[3] is None]
    try:
        ready, _, _ = select.select([c[0] for c in live], [], [], 0.05)
    except (OSError, ValueError):
        ready = []
    now = time.monotonic()
    for c in live:
        if c[0] in ready:
            try:
                if c[0].recv(4096) == b"":
                    close(c, now)
            except OSError:
                close(c, now)

left = sum(1 for c in conns if c[3] is None)
for c in conns:
    if c[3] is None:
        c[0].close()
print(json.dumps({"opened": len(conns),
                  "closed": sorted(round(c[3], 2) for c in conns if c[3] is not None),
                  "open_at_end": left}))
