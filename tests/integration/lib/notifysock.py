# SPDX-License-Identifier: Apache-2.0
"""notifysock.py PATH OUT - stand in for systemd's notification socket:
bind an AF_UNIX datagram socket at PATH and append each datagram that
arrives to OUT as one line (its own newlines written as " | "), until
killed.  The tests point hopcheckd's NOTIFY_SOCKET at PATH.
"""
import os
import socket
import sys


def main():
    path, out = sys.argv[1], sys.argv[2]
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    with open(out, "a", buffering=1) as f:
        while True:
            msg = s.recv(4096).decode("utf-8", "replace")
            f.write(msg.rstrip("\n").replace("\n", " | ") + "\n")


if __name__ == "__main__":
    main()
