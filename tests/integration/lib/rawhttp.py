# SPDX-License-Identifier: Apache-2.0
"""rawhttp.py PORT - send one request, given on standard input with \\r\\n
line ends written as-is, to 127.0.0.1:PORT over a plain socket, and print
the status code of each response that comes back (one per line), then
"closed" if the server closed the connection within 3 seconds.

curl cannot send the malformed framing the tests need (two Content-Length
fields, Content-Length with Transfer-Encoding), so the bytes go raw.
"""
import socket
import sys


def main():
    port = int(sys.argv[1])
    data = sys.stdin.buffer.read()
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    s.sendall(data)
    out = b""
    closed = False
    try:
        while True:
            b = s.recv(4096)
            if not b:
                closed = True
                break
            out += b
    except socket.timeout:
        pass
    s.close()
    for line in out.split(b"\r\n"):
        if line.startswith(b"HTTP/1."):
            print(line.split(b" ")[1].decode())
    if closed:
        print("closed")


if __name__ == "__main__":
    main()
