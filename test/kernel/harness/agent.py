#!/usr/bin/env python3
"""The processes of a kernel-harness World: server, client, envoy and dns, one script.

Every mode prints JSON lines on stdout (flushed): {"event": "ready"} once its listeners are
bound, then one line per connection or datagram, so the harness can see who reached whom.
Every blocking call has a timeout; servers run until the harness kills them.

  agent.py server --listen tcp:0.0.0.0:9080 [--listen udp:...] [--response N]
  agent.py client --proto tcp|udp --to IP:PORT [--bind IP:PORT] [--payload N] [--timeout S]
                 [--stray out-of-window|unseen-ack|old-retransmission]
  agent.py envoy --inbound-port P --outbound-port P --inbound-bind IP [--tproxy-mark M] [--mark M]
                 [--listen tcp:IP:PORT ...] [--ipv6]
  agent.py dns --listen udp:IP:PORT
"""

import argparse
import errno
import json
import os
import select
import socket
import struct
import sys
import threading

SO_ORIGINAL_DST = 80
IP6T_SO_ORIGINAL_DST = 80
IP_TRANSPARENT = 19
IPV6_TRANSPARENT = 75
SO_MARK = 36
TIMEOUT = 5.0

_out_lock = threading.Lock()


def emit(event, **fields):
    fields["event"] = event
    fields["pid"] = os.getpid()
    fields["uid"] = os.getuid()
    fields["gid"] = os.getgid()
    with _out_lock:
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()


def split_hostport(text):
    """'10.0.0.1:80' / '[::1]:80' / '::1:80' -> (host, port)."""
    if text.startswith("["):
        host, _, port = text[1:].partition("]:")
        return host, int(port)
    host, _, port = text.rpartition(":")
    return host, int(port)


def fmt(addr):
    host, port = addr[0], addr[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def parse_listen(spec):
    proto, _, rest = spec.partition(":")
    host, port = split_hostport(rest)
    return proto, host, port


def make_listener(proto, host, port, transparent=False):
    fam = family_of(host)
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(fam, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    if transparent:
        if fam == socket.AF_INET:
            s.setsockopt(socket.SOL_IP, IP_TRANSPARENT, 1)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_TRANSPARENT, 1)
    s.bind((host, port))
    if proto == "tcp":
        s.listen(64)
    return s


def read_all(conn, limit=1 << 24):
    total = 0
    while total < limit:
        data = conn.recv(65536)
        if not data:
            break
        total += len(data)
    return total


def send_n(conn, n):
    chunk = b"x" * 65536
    left = n
    while left > 0:
        conn.sendall(chunk[: min(left, len(chunk))])
        left -= min(left, len(chunk))


def serve_tcp(listener, name, response):
    while True:
        try:
            conn, peer = listener.accept()
        except OSError:
            return
        threading.Thread(target=answer_tcp, args=(conn, peer, name, response), daemon=True).start()


def answer_tcp(conn, peer, name, response):
    try:
        conn.settimeout(TIMEOUT)
        local = conn.getsockname()
        emit("accept", listener=name, peer=fmt(peer), local=fmt(local))
        got = read_all(conn)
        send_n(conn, response)
        emit("served", listener=name, peer=fmt(peer), received=got, sent=response)
    except OSError as e:
        emit("error", listener=name, peer=fmt(peer), error=str(e))
    finally:
        conn.close()


def serve_udp(sock, name, response):
    while True:
        try:
            data, peer = sock.recvfrom(65536)
        except OSError:
            return
        emit("datagram", listener=name, peer=fmt(peer), received=len(data))
        try:
            sock.sendto(b"x" * response if response > 0 else data, peer)
        except OSError as e:
            emit("error", listener=name, peer=fmt(peer), error=str(e))


def start_listeners(specs, response, transparent=False):
    threads = []
    for spec in specs:
        proto, host, port = parse_listen(spec)
        s = make_listener(proto, host, port, transparent)
        target = serve_tcp if proto == "tcp" else serve_udp
        t = threading.Thread(target=target, args=(s, spec, response), daemon=True)
        threads.append(t)
    for t in threads:
        t.start()


def wait_forever():
    threading.Event().wait()


def mode_server(args):
    start_listeners(args.listen, args.response)
    emit("ready")
    wait_forever()


def mode_dns(args):
    start_listeners(args.listen, args.response)
    emit("ready")
    wait_forever()


def mode_client(args):
    host, port = split_hostport(args.to)
    fam = family_of(host)
    kind = socket.SOCK_STREAM if args.proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(fam, kind)
    s.settimeout(args.timeout)
    result = {"to": fmt((host, port)), "proto": args.proto}
    try:
        if args.bind:
            bhost, bport = split_hostport(args.bind)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((bhost or ("::" if fam == socket.AF_INET6 else "0.0.0.0"), bport))
        if args.proto == "tcp":
            s.connect((host, port))
            result["local"] = fmt(s.getsockname())
            send_n(s, args.payload)
            if args.stray:
                send_stray(s, args.stray, args.payload)
            s.shutdown(socket.SHUT_WR)
            result["received"] = read_all(s)
        else:
            s.connect((host, port))
            result["local"] = fmt(s.getsockname())
            s.send(b"q" * max(args.payload, 1))
            data = s.recv(65536)
            result["received"] = len(data)
        emit("client", ok=True, **result)
    except (OSError, socket.timeout) as e:
        emit("client", ok=False, error=str(e) or type(e).__name__, **result)
    finally:
        s.close()


# ---------------------------------------------------------------------------------------- strays
TCP_REPAIR, TCP_REPAIR_QUEUE, TCP_QUEUE_SEQ = 19, 20, 21
TCP_RECV_QUEUE, TCP_SEND_QUEUE, TCP_REPAIR_OFF_NO_WP = 1, 2, -1


def queue_seq(s, queue):
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, queue)
    return struct.unpack("I", s.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ, 4))[0]


def sequence_numbers(s):
    """The socket's next SEQ to send and the next it expects (TCP_REPAIR; needs CAP_NET_ADMIN)."""
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
    try:
        return queue_seq(s, TCP_SEND_QUEUE), queue_seq(s, TCP_RECV_QUEUE)
    finally:
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_OFF_NO_WP)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def send_stray(s, kind, payload):
    """One segment on s's 4-tuple, outside its window, from a raw socket (needs CAP_NET_RAW):
    nfdb's stray segment, with the same flags and size (12 bytes of timestamp option)."""
    (src, sport), (dst, dport) = s.getsockname(), s.getpeername()
    seq, ack = sequence_numbers(s)
    if kind == "out-of-window":
        seq, flags, data = (seq + (1 << 30)) & 0xFFFFFFFF, 0x18, b"x" * payload
    elif kind == "unseen-ack":
        ack, flags, data = (ack + (1 << 30)) & 0xFFFFFFFF, 0x10, b""
    else:
        seq, flags, data = (seq - (1 << 29)) & 0xFFFFFFFF, 0x18, b"x" * payload
    options = b"\x01\x01\x08\x0a" + struct.pack("!II", 1, 0)
    header = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 8 << 4, flags, 502, 0, 0) + options
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(header) + len(data))
    tcp = bytearray(header + data)
    struct.pack_into("!H", tcp, 16, checksum(pseudo + bytes(tcp)))
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    try:
        raw.sendto(bytes(tcp), (dst, 0))
    finally:
        raw.close()
    # A RST the stray draws resets s at once; wait for it (or for nothing) a bounded while.
    select.select([s], [], [], 1.0)
    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err:
        raise OSError(err, os.strerror(err))


# ---------------------------------------------------------------------------------------- envoy


def original_dst(conn, transparent):
    """The destination the client meant: SO_ORIGINAL_DST after REDIRECT, local address under TPROXY."""
    local = conn.getsockname()
    if transparent:
        return (local[0], local[1]), "local-address"
    if conn.family == socket.AF_INET:
        raw = conn.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
        port, ip = struct.unpack_from("!2xH4s", raw)
        return (socket.inet_ntop(socket.AF_INET, ip), port), "SO_ORIGINAL_DST"
    raw = conn.getsockopt(socket.IPPROTO_IPV6, IP6T_SO_ORIGINAL_DST, 28)
    port = struct.unpack_from("!H", raw, 2)[0]
    ip = raw[8:24]
    return (socket.inet_ntop(socket.AF_INET6, ip), port), "SO_ORIGINAL_DST"


def pump(src, dst, done):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        done.set()


def relay(a, b):
    d1, d2 = threading.Event(), threading.Event()
    threading.Thread(target=pump, args=(a, b, d1), daemon=True).start()
    threading.Thread(target=pump, args=(b, a, d2), daemon=True).start()
    d1.wait(TIMEOUT * 2)
    d2.wait(TIMEOUT * 2)


class Envoy:
    def __init__(self, args):
        self.args = args
        self.own_ports = {args.inbound_port, args.outbound_port}
        self.transparent = args.tproxy_mark is not None
        # Local port of each upstream socket we opened -> (bound address, depth). A connection
        # accepted from one of them is our own traffic come back: a loop.
        self.upstreams = {}
        self.lock = threading.Lock()

    def listen(self):
        fams = ["0.0.0.0"] + (["::"] if self.args.ipv6 else [])
        for host in fams:
            for direction, port in (("inbound", self.args.inbound_port), ("outbound", self.args.outbound_port)):
                transparent = self.transparent and direction == "inbound"
                s = make_listener("tcp", host, port, transparent)
                threading.Thread(target=self.accept_loop, args=(s, direction), daemon=True).start()
        start_listeners(self.args.listen, self.args.response)

    def accept_loop(self, listener, direction):
        while True:
            try:
                conn, peer = listener.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn, peer, direction), daemon=True).start()

    def upstream_socket(self, fam, bind_host, depth):
        up = socket.socket(fam, socket.SOCK_STREAM)
        up.settimeout(TIMEOUT)
        if self.transparent:
            if fam == socket.AF_INET:
                up.setsockopt(socket.SOL_IP, IP_TRANSPARENT, 1)
            else:
                up.setsockopt(socket.IPPROTO_IPV6, IPV6_TRANSPARENT, 1)
            up.setsockopt(socket.SOL_SOCKET, SO_MARK, self.args.tproxy_mark)
        if self.args.mark is not None:
            # ztunnel's socket mark (0x539): it wins over the TPROXY mark, as nfdb has it.
            up.setsockopt(socket.SOL_SOCKET, SO_MARK, self.args.mark)
        up.bind((bind_host or ("::" if fam == socket.AF_INET6 else "0.0.0.0"), 0))
        with self.lock:
            self.upstreams[up.getsockname()[1]] = (bind_host, depth)
        return up

    def depth_of(self, peer):
        """How many of our own connections led to this one (0: a real client)."""
        with self.lock:
            known = self.upstreams.get(peer[1])
        if known is None or (known[0] and known[0] != peer[0]):
            return 0
        return known[1]

    def handle(self, conn, peer, direction):
        conn.settimeout(TIMEOUT)
        local = conn.getsockname()
        info = {"listener": direction, "peer": fmt(peer), "local": fmt(local)}
        up = None
        try:
            try:
                dst, how = original_dst(conn, self.transparent and direction == "inbound")
            except OSError as e:
                emit("envoy", **info, ok=False, error=f"no original destination: {e}")
                return
            info["originalDst"] = fmt(dst)
            info["via"] = how
            if dst[1] in self.own_ports and (dst[0] == local[0] or dst[0].startswith("127.")):
                emit("envoy", **info, ok=False, error="loop: original destination is envoy itself")
                return
            depth = self.depth_of(peer) + 1
            if depth > self.args.loop_limit:
                emit("envoy", **info, ok=False, depth=depth, error="loop: the connection is envoy's own upstream come back")
                return
            fam = family_of(dst[0])
            bind_host = None
            if direction == "inbound":
                bind_host = self.args.inbound_bind if fam == socket.AF_INET else self.args.inbound_bind6
            up = self.upstream_socket(fam, bind_host, depth)
            try:
                up.connect(dst)
            except (OSError, socket.timeout) as e:
                emit("envoy", **info, ok=False, error=f"upstream connect: {e}")
                return
            info["upstreamLocal"] = fmt(up.getsockname())
            emit("envoy", **info, ok=True, depth=depth)
            relay(conn, up)
        finally:
            if up is not None:
                up.close()
            conn.close()


def mode_envoy(args):
    Envoy(args).listen()
    emit("ready")
    wait_forever()


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("server")
    s.add_argument("--listen", action="append", default=[])
    s.add_argument("--response", type=int, default=0)
    d = sub.add_parser("dns")
    d.add_argument("--listen", action="append", default=[])
    d.add_argument("--response", type=int, default=0)
    c = sub.add_parser("client")
    c.add_argument("--proto", choices=["tcp", "udp"], default="tcp")
    c.add_argument("--to", required=True)
    c.add_argument("--bind")
    c.add_argument("--payload", type=int, default=0)
    c.add_argument("--timeout", type=float, default=3.0)
    c.add_argument("--stray", choices=["out-of-window", "unseen-ack", "old-retransmission"])
    e = sub.add_parser("envoy")
    e.add_argument("--inbound-port", type=int, required=True)
    e.add_argument("--outbound-port", type=int, required=True)
    e.add_argument("--inbound-bind", default="127.0.0.6")
    e.add_argument("--inbound-bind6", default="::6")
    e.add_argument("--tproxy-mark", type=lambda v: int(v, 0))
    e.add_argument("--mark", type=lambda v: int(v, 0))
    e.add_argument("--listen", action="append", default=[])
    e.add_argument("--response", type=int, default=0)
    e.add_argument("--ipv6", action="store_true")
    e.add_argument("--loop-limit", type=int, default=1)
    args = p.parse_args()
    try:
        {"server": mode_server, "dns": mode_dns, "client": mode_client, "envoy": mode_envoy}[args.mode](args)
    except OSError as err:
        emit("fatal", error=str(err), errno=errno.errorcode.get(err.errno or 0, ""))
        sys.exit(1)


if __name__ == "__main__":
    main()
