#!/usr/bin/env python3
"""A TCP proxy on 127.0.0.1 that cuts a connection mid-transfer.

usage: cutproxy.py LISTEN_PORT TARGET_PORT DIRECTION LIMIT MARKER

Forwards one connection at a time. Once LIMIT bytes have gone in
DIRECTION ("up": client to server, "down": server to client), it stops
forwarding, creates MARKER (so the test can kill the server at that very
moment) and closes both sides a moment later. LIMIT 0 forwards everything.
"""
import os, socket, sys, threading, time

listen_port, target_port, direction, limit, marker = (int(sys.argv[1]), int(sys.argv[2]),
                                                      sys.argv[3], int(sys.argv[4]), sys.argv[5])

def pipe(src, dst, counted, state):
    try:
        while not state["cut"]:
            data = src.recv(16384)
            if not data:
                break
            if counted and limit:
                room = limit - state["sent"]
                if len(data) >= room:
                    dst.sendall(data[:max(room, 0)])
                    state["cut"] = True
                    open(marker, "w").close()
                    time.sleep(1.0)  # the test kills the server now
                    break
                state["sent"] += len(data)
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen_port))
srv.listen(8)
deadline = time.time() + 120  # never outlive a test
srv.settimeout(1.0)
while time.time() < deadline:
    try:
        client, _ = srv.accept()
    except socket.timeout:
        continue
    upstream = socket.create_connection(("127.0.0.1", target_port))
    state = {"sent": 0, "cut": False}
    t1 = threading.Thread(target=pipe, args=(client, upstream, direction == "up", state))
    t2 = threading.Thread(target=pipe, args=(upstream, client, direction == "down", state))
    t1.start(); t2.start(); t1.join(); t2.join()
    client.close(); upstream.close()
