#!/usr/bin/env python3
"""Abusive clients against one kneechat-server on loopback, and how the others fare.

  deploy/probes/front_abuse.py --http 127.0.0.1:PORT [--grpc 127.0.0.1:PORT]
      [--pid PID] [--case headers|slowloris|idle|burst|pipeline|grpc-unread|all]
      [--headers N]

Cases (attackers connect from 127.0.0.3 or 127.0.2.x, the measuring client
from 127.0.0.2; all of 127.0.0.0/8 is loopback on Linux):
  headers     8 clients at once each send one request with 100,000 headers
              (800 KB; --headers N); prints what they got and the server's
              memory.
  slowloris   8 clients send a Connect request body one byte every 0.5 s
              for 12 s; meanwhile another client asks /healthz and
              CreateSession every 0.5 s; prints the slowest answer.
  idle        2,000 idle connections from 40 addresses (50 each); then one
              normal request; prints how long it took.
  burst       1,000 connections opened at once from 50 addresses, each
              asking /healthz as soon as it is open, all kept open until
              every answer is read;
              prints how many were answered and the kernel's listen
              overflows (TcpExt ListenOverflows) meanwhile.
  pipeline    5 requests in one write on one connection; prints the
              statuses received, in order.
  grpc-unread 300 gRPC streams (10 connections of 30, within the server's 32
              concurrent streams a connection) each asking Search for
              50 passages with a flow-control window of 0, never read; then
              a health check on a new connection; prints the server's memory
              during and after.
With --pid, memory is the server's VmRSS (KiB) from /proc. Python standard
library only; the library functions are also used by the robustness tests.
"""
import argparse
import http.client
import json
import os
import resource
import socket
import struct
import threading
import time

OTHER = "127.0.0.2"
ATTACKER = "127.0.0.3"


def rss_kib(pid):
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def connect(port, source=None, timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if source:
        s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


class Responses:
    """HTTP responses read one after another from socket `s` (pipelining)."""

    def __init__(self, s):
        self.s, self.data = s, b""

    def next(self, timeout):
        """(status, body) of the next response; (0, b'') if none."""
        self.s.settimeout(timeout)
        try:
            while b"\r\n\r\n" not in self.data:
                chunk = self.s.recv(65536)
                if not chunk:
                    return 0, b""
                self.data += chunk
            head, _, rest = self.data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(rest) < length:
                chunk = self.s.recv(65536)
                if not chunk:
                    return 0, b""
                rest += chunk
            self.data = rest[length:]
            return int(head.split(b" ")[1]), rest[:length]
        except (OSError, ValueError, IndexError):
            return 0, b""


def read_response(s, timeout):
    """One HTTP response (status, body) from socket `s`; (0, b'') if none."""
    return Responses(s).next(timeout)


def timed_request(port, method="GET", path="/healthz", body=None, timeout=10.0):
    """(status, seconds) of one request from OTHER on a new connection."""
    start = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                          source_address=(OTHER, 0))
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status, time.monotonic() - start
    except OSError:
        return 0, time.monotonic() - start


def create_session(port, timeout=10.0):
    return timed_request(port, "POST", "/kneechat.v1.KneeChat/CreateSession",
                         json.dumps({"channel": "web"}), timeout)


def case_headers(port, pid, clients=8, headers=100_000):
    request = (b"POST /kneechat.v1.KneeChat/CreateSession HTTP/1.1\r\nHost: x\r\n"
               + b"X-a: b\r\n" * headers
               + b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
    before = rss_kib(pid)
    peak = [before or 0]
    results = []
    lock = threading.Lock()

    def attack():
        status = 0
        try:
            s = connect(port, ATTACKER, timeout=30)
            try:
                s.sendall(request)
            except OSError:
                pass
            status, _ = read_response(s, 30)
            s.close()
        except OSError:
            pass
        with lock:
            results.append(status)

    threads = [threading.Thread(target=attack) for _ in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    other = []
    # At least one other request, also when the attackers are turned away
    # before the first one is sent.
    while not other or any(t.is_alive() for t in threads):
        peak[0] = max(peak[0], rss_kib(pid) or 0)
        other.append(timed_request(port, timeout=10))
        time.sleep(0.1)
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    time.sleep(1)
    after = rss_kib(pid)
    return {
        "attackers": sorted(results),
        "seconds": round(elapsed, 2),
        "rss_before_kib": before, "rss_peak_kib": peak[0], "rss_after_kib": after,
        "other_statuses": sorted({s for s, _ in other}),
        "other_slowest_s": round(max((d for _, d in other), default=0), 3),
    }


def case_slowloris(port, pid, clients=8, seconds=12.0):
    stop = threading.Event()
    cut_after = []
    lock = threading.Lock()

    def trickle():
        start = time.monotonic()
        try:
            s = connect(port, ATTACKER)
            s.sendall(b"POST /kneechat.v1.KneeChat/CreateSession HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
            while not stop.is_set():
                s.sendall(b" ")
                time.sleep(0.5)
        except OSError:
            with lock:
                cut_after.append(round(time.monotonic() - start, 1))

    threads = [threading.Thread(target=trickle, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    latencies, statuses = [], set()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for status, took in (timed_request(port, timeout=30), create_session(port, 30)):
            statuses.add(status)
            latencies.append(took)
        time.sleep(0.5)
    stop.set()
    latencies.sort()
    return {
        "other_requests": len(latencies),
        "other_statuses": sorted(statuses),
        "other_median_s": round(latencies[len(latencies) // 2], 3),
        "other_slowest_s": round(latencies[-1], 3),
        "tricklers_cut_after_s": sorted(cut_after),
        "rss_kib": rss_kib(pid),
    }


def case_idle(port, pid, addresses=40, per_address=50):
    raise_fd_limit()
    held, refused = [], 0
    for a in range(addresses):
        for _ in range(per_address):
            try:
                held.append(connect(port, f"127.0.2.{a + 1}", timeout=2))
            except OSError:
                refused += 1
    time.sleep(0.5)
    statuses, slowest = [], 0.0
    for _ in range(3):
        status, took = timed_request(port, timeout=45)
        statuses.append(status)
        slowest = max(slowest, took)
        time.sleep(0.5)
    # Connections the server closed (or never took) by now.
    closed = 0
    for s in held:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    for s in held:
        s.close()
    return {
        "opened": len(held), "refused_at_connect": refused,
        "closed_by_server": closed,
        "other_statuses": statuses, "other_slowest_s": round(slowest, 3),
        "rss_kib": rss_kib(pid),
    }


def listen_overflows():
    with open("/proc/net/netstat") as f:
        lines = f.read().splitlines()
    for names, values in zip(lines[::2], lines[1::2]):
        if names.startswith("TcpExt:"):
            table = dict(zip(names.split()[1:], values.split()[1:]))
            return int(table.get("ListenOverflows", 0))
    return 0


def case_burst(port, pid, connections=1000):
    raise_fd_limit()
    overflows = listen_overflows()
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(50)

    def worker(index, count):
        barrier.wait()
        # Every connection asks at once, and all stay open until every
        # answer is read: a burst of requests, not of idle connections
        # (those the server may shed near its limit; see case_idle).
        socks = []
        for _ in range(count):
            s = socket.socket()
            s.bind((f"127.0.3.{index + 1}", 0))  # 50 clients, 20 each
            s.settimeout(10)
            try:
                s.connect(("127.0.0.1", port))
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            except OSError:
                s.close()
                s = None
            socks.append(s)
        for s in socks:
            ok = 0
            if s is not None:
                try:
                    ok, _ = read_response(s, 10)
                except OSError:
                    pass
                s.close()
            with lock:
                results.append(ok)

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i, connections // 50))
               for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "connections": len(results),
        "answered_200": sum(1 for r in results if r == 200),
        "seconds": round(time.monotonic() - start, 2),
        "listen_overflows": listen_overflows() - overflows,
        "rss_kib": rss_kib(pid),
    }


def case_pipeline(port, pid):
    body = b'{"channel":"web"}'
    requests = (b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                b"POST /kneechat.v1.KneeChat/CreateSession HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body
                + b"GET /widget.js HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    s = connect(port, OTHER)
    s.sendall(requests)
    responses = Responses(s)
    statuses = []
    for _ in range(5):
        status, _ = responses.next(5)
        statuses.append(status)
        if not status:
            break
    s.close()
    return {"statuses": statuses}


# --- HTTP/2 by hand, for gRPC clients that never read -------------------

def _frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + \
        struct.pack(">I", stream) + payload


def _literal(name, value):
    def length(n):
        return bytes([n]) if n < 127 else bytes([127]) + _varint(n - 127)
    return b"\x00" + length(len(name)) + name + length(len(value)) + value


def _varint(n):
    out = b""
    while n >= 128:
        out += bytes([(n & 127) | 128])
        n >>= 7
    return out + bytes([n])


def _grpc_headers(path, authority):
    return b"".join(_literal(k, v) for k, v in [
        (b":method", b"POST"), (b":scheme", b"http"), (b":path", path),
        (b":authority", authority), (b"content-type", b"application/grpc"),
        (b"te", b"trailers")])


def _grpc_message(payload):
    return b"\x00" + struct.pack(">I", len(payload)) + payload


def _search_request(query, page_size):
    q = query.encode()
    return b"\x0a" + _varint(len(q)) + q + b"\x10" + _varint(page_size)


def h2_connection(port, window=0):
    s = connect(port, ATTACKER, timeout=5)
    # SETTINGS: ENABLE_PUSH 0, INITIAL_WINDOW_SIZE `window`.
    settings = struct.pack(">HI", 2, 0) + struct.pack(">HI", 4, window)
    s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + _frame(4, 0, 0, settings))
    # Acknowledge the server's SETTINGS, then never read again.
    s.settimeout(2)
    try:
        s.recv(65536)
    except OSError:
        pass
    s.sendall(_frame(4, 1, 0))
    return s


def grpc_health_check(port, timeout=5.0):
    """(ok, seconds): grpc.health.v1.Health/Check on a fresh connection."""
    start = time.monotonic()
    try:
        s = connect(port, OTHER, timeout=timeout)
        s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + _frame(4, 0, 0) +
                  _frame(1, 4, 1, _grpc_headers(b"/grpc.health.v1.Health/Check",
                                                b"127.0.0.1")) +
                  _frame(0, 1, 1, _grpc_message(b"")))
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            # Walk the frames: the call ends with HEADERS + END_STREAM on 1.
            at, done, serving = 0, False, False
            while at + 9 <= len(data):
                length = int.from_bytes(data[at:at + 3], "big")
                kind, flags = data[at + 3], data[at + 4]
                stream = int.from_bytes(data[at + 5:at + 9], "big") & 0x7FFFFFFF
                if at + 9 + length > len(data):
                    break
                payload = data[at + 9:at + 9 + length]
                if kind == 4 and not flags & 1:
                    s.sendall(_frame(4, 1, 0))
                if kind == 0 and stream == 1 and payload[5:] == b"\x08\x01":
                    serving = True
                if kind == 1 and stream == 1 and flags & 1:
                    done = True
                at += 9 + length
            if done:
                s.close()
                return serving, time.monotonic() - start
        s.close()
    except OSError:
        pass
    return False, time.monotonic() - start


def case_grpc_unread(port, pid, connections=10, streams=30, hold=8.0):
    before = rss_kib(pid)
    socks = []
    body = _grpc_message(_search_request("knee pain swelling exercise running", 50))
    for _ in range(connections):
        try:
            s = h2_connection(port)
        except OSError:
            continue
        out = b""
        for i in range(streams):
            stream = 2 * i + 1
            out += _frame(1, 4, stream, _grpc_headers(
                b"/kneechat.v1.KneeChat/Search", b"127.0.0.1"))
            out += _frame(0, 1, stream, body)
        try:
            s.sendall(out)
        except OSError:
            pass
        socks.append(s)
    peak = before or 0
    checks = []
    end = time.monotonic() + hold
    while time.monotonic() < end:
        peak = max(peak, rss_kib(pid) or 0)
        checks.append(grpc_health_check(port))
        time.sleep(0.5)
    during = rss_kib(pid)
    for s in socks:
        s.close()
    time.sleep(2)
    return {
        "streams": connections * streams, "connections": len(socks),
        "rss_before_kib": before, "rss_peak_kib": peak, "rss_during_kib": during,
        "rss_after_close_kib": rss_kib(pid),
        "health_checks_ok": sum(1 for ok, _ in checks if ok), "health_checks": len(checks),
        "health_slowest_s": round(max((d for _, d in checks), default=0), 3),
    }


CASES = {
    "headers": case_headers, "slowloris": case_slowloris, "idle": case_idle,
    "burst": case_burst, "pipeline": case_pipeline,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--http", help="HOST:PORT of the HTTP side")
    parser.add_argument("--grpc", help="HOST:PORT of the gRPC side")
    parser.add_argument("--pid", type=int, default=0, help="server pid, for memory")
    parser.add_argument("--case", default="all")
    parser.add_argument("--headers", type=int, default=100_000,
                        help="headers per request in the headers case")
    args = parser.parse_args()
    names = list(CASES) + ["grpc-unread"] if args.case == "all" else [args.case]
    for name in names:
        if name == "grpc-unread":
            if not args.grpc:
                continue
            result = case_grpc_unread(int(args.grpc.rsplit(":", 1)[1]), args.pid)
        elif name == "headers":
            result = case_headers(int(args.http.rsplit(":", 1)[1]), args.pid,
                                  headers=args.headers)
        else:
            result = CASES[name](int(args.http.rsplit(":", 1)[1]), args.pid)
        print(json.dumps({"case": name, **result}), flush=True)
        time.sleep(2)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
