#!/usr/bin/env python3
"""A soak run: kneechat under a fixed mixed load for MINUTES, printing the
server's memory and each channel's latency every minute, and a verdict on
the last minute against the first.

Load, at --rate requests a second in all (default 20), over --http-clients
keep-alive HTTP connections (default 7) and the CLI:
  connect   50 %  Connect JSON: conversations (CreateSession, SendMessage,
                  GetSession, DeleteSession) and Search, each conversation
                  from its own client address (X-Forwarded-For)
  telegram  20 %  the Telegram webhook with the secret header, many chats
                  (a fake Bot API on loopback takes the replies)
  twilio    20 %  the Twilio voice webhook, signed (HMAC-SHA1) as Twilio
                  signs, whole calls following the TwiML's action URLs
  grpc      10 %  gRPC through the kneechat CLI: a search, or a short chat
                  (latency is the whole CLI run: process start included)

  deploy/probes/soak.py --server build/bin/kneechat-server --minutes 10
  deploy/probes/soak.py --http 127.0.0.1:8080 --grpc 127.0.0.1:50051 \
      --pid PID [--telegram-secret S] [--twilio-token T --public-url URL]

Started by this script, the server runs with webhooks configured and the
shipped fair-use budgets, trusting X-Forwarded-For from loopback. Against a
running server, the webhooks are driven only when their secrets are given,
and memory is read only with --pid. Exit status 1 when the verdict is not
flat (memory grew by more than --max-rss-growth, or p99 by more than
--max-p99-growth and 5 ms) or more than 1 % of requests failed.
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import http.server
import itertools
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CONVERSATIONS = [
    ["running makes the front of my knee ache", "about three weeks",
     "it came on gradually", "none of those", "will stretching help?",
     "how long until I can run again?"],
    ["twisted my knee playing football yesterday", "walking on it is fine",
     "it swelled up the next day", "no", "should I use ice or heat?"],
    ["kneeling hurts round the back of the knee", "a couple of months", "not sure",
     "none of those except the stiffness", "what exercises can I do?"],
    ["my knee is hot and swollen and I feel shivery", "since this morning",
     "yes a temperature of 38.5", "what should I do?"],
    ["knee aches going downstairs", "over 6 weeks", "gradually",
     "no fever or calf pain", "does losing weight help?", "thanks, bye"],
]
QUERIES = ["knee brace", "runner's knee exercises", "ice or heat",
           "patellar tendon pain", "when to see a doctor about knee pain"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stats:
    """Latencies and failures per channel for the current minute."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = {}
        self.failures = {}

    def add(self, channel, seconds, ok):
        with self.lock:
            self.samples.setdefault(channel, []).append(seconds * 1000)
            if not ok:
                self.failures[channel] = self.failures.get(channel, 0) + 1

    def take(self):
        with self.lock:
            samples, failures = self.samples, self.failures
            self.samples, self.failures = {}, {}
        return samples, failures


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class BotApi(http.server.BaseHTTPRequestHandler):
    """A fake Telegram Bot API that answers every call at once."""
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b'{"ok":true,"result":{"message_id":1}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Http:
    """One keep-alive connection per thread, reopened after any error."""

    def __init__(self, hostport):
        self.host, port = hostport.rsplit(":", 1)
        self.port = int(port)
        self.local = threading.local()

    def request(self, method, path, body, headers):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.local.conn = conn
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self.local.conn = None
            return 0, b""


class Load:
    def __init__(self, args, stats):
        self.args = args
        self.stats = stats
        self.http = Http(args.http)
        self.counter = itertools.count(1)
        self.stop = threading.Event()

    def timed(self, channel, call):
        start = time.monotonic()
        status, body = call()
        ok = 200 <= status < 300
        self.stats.add(channel, time.monotonic() - start, ok)
        return status, body

    # Connect JSON ---------------------------------------------------------
    def connect_rpc(self, method, request, address):
        headers = {"Content-Type": "application/json",
                   "X-Forwarded-For": address}
        status, body = self.timed("connect", lambda: self.http.request(
            "POST", "/kneechat.v1.KneeChat/" + method, json.dumps(request),
            headers))
        try:
            return status, json.loads(body) if body else {}
        except ValueError:
            return status, {}

    def connect_user(self):
        n = next(self.counter)
        address = "10.%d.%d.%d" % (n >> 16 & 255, n >> 8 & 255, n & 255)
        if n % 4 == 0:
            yield self.connect_rpc("Search", {"query": random.choice(QUERIES),
                                              "pageSize": 5}, address)
            return
        status, created = yield self.connect_rpc(
            "CreateSession", {"channel": "web"}, address)
        session = created.get("sessionId")
        if not session:
            return
        for i, text in enumerate(random.choice(CONVERSATIONS)):
            yield self.connect_rpc("SendMessage", {
                "sessionId": session, "text": text,
                "messageId": "m%d" % i}, address)
        yield self.connect_rpc("GetSession", {"sessionId": session}, address)
        yield self.connect_rpc("DeleteSession", {"sessionId": session},
                               address)

    # Telegram -------------------------------------------------------------
    def telegram_user(self):
        chat = 100000 + next(self.counter)
        for text in ["/start"] + random.choice(CONVERSATIONS) + ["/forget"]:
            update = {"update_id": next(self.counter),
                      "message": {"message_id": 1, "date": int(time.time()),
                                  "from": {"id": chat, "is_bot": False,
                                           "first_name": "Soak"},
                                  "chat": {"id": chat, "type": "private"},
                                  "text": text}}
            yield self.timed("telegram", lambda: self.http.request(
                "POST", "/webhooks/telegram", json.dumps(update),
                {"Content-Type": "application/json",
                 "X-Telegram-Bot-Api-Secret-Token": self.args.telegram_secret}))

    # Twilio ---------------------------------------------------------------
    def twilio_post(self, target, params):
        url = self.args.public_url.rstrip("/") + target
        data = url + "".join(k + v for k, v in sorted(params.items()))
        signature = base64.b64encode(hmac.new(
            self.args.twilio_token.encode(), data.encode(),
            hashlib.sha1).digest()).decode()
        return self.timed("twilio", lambda: self.http.request(
            "POST", target, urllib.parse.urlencode(params),
            {"Content-Type": "application/x-www-form-urlencoded",
             "X-Twilio-Signature": signature}))

    def twilio_user(self):
        n = next(self.counter)
        call = {"CallSid": "CA%032x" % n, "From": "+1555%07d" % (n % 10**7),
                "To": "+15550199", "AccountSid": "AC" + "0" * 32}
        target = "/webhooks/twilio/voice"
        status, body = yield self.twilio_post(
            target, dict(call, CallStatus="ringing"))
        for text in random.choice(CONVERSATIONS)[:4]:
            match = re.search(rb'action="([^"]+)"', body)
            if status != 200 or not match:
                break
            action = urllib.parse.urlsplit(
                match.group(1).decode().replace("&amp;", "&"))
            target = action.path + ("?" + action.query if action.query else "")
            status, body = yield self.twilio_post(
                target, dict(call, CallStatus="in-progress", SpeechResult=text,
                             Confidence="0.9"))
        yield self.twilio_post("/webhooks/twilio/voice",
                               dict(call, CallStatus="completed"))

    # gRPC -----------------------------------------------------------------
    def grpc_run(self, argv, stdin):
        def call():
            done = subprocess.run(
                [self.args.cli, "--server", self.args.grpc] + argv,
                input=stdin, capture_output=True, text=True, timeout=60)
            return (200 if done.returncode == 0 else 500), done.stdout
        return self.timed("grpc", call)

    def grpc_user(self):
        if next(self.counter) % 2:
            yield self.grpc_run(["search", random.choice(QUERIES)], "")
        else:
            yield self.grpc_run(["chat"], "\n".join(
                random.choice(CONVERSATIONS)[:3]) + "\n")

    # Scheduling -----------------------------------------------------------
    def drive(self, make_user, rate):
        """One virtual person at a time per thread, each request at a fixed
        interval; a late request is not made up for."""
        interval = 1.0 / rate
        next_at = time.monotonic() + random.random() * interval
        user, reply = make_user(), None
        while not self.stop.is_set():
            delay = next_at - time.monotonic()
            if delay > 0:
                self.stop.wait(delay)
            next_at = max(next_at + interval, time.monotonic())
            for _ in range(2):  # a finished person's slot goes to the next
                try:
                    reply = user.send(reply)
                    break
                except StopIteration:
                    user, reply = make_user(), None

    def start(self):
        rate = self.args.rate
        # Keep-alive HTTP clients: 3/7 Connect, 2/7 each webhook.
        clients = max(3, self.args.http_clients)
        webhook_clients = max(1, round(clients * 2 / 7))
        shares = [(self.connect_user, 0.5, clients - 2 * webhook_clients)]
        if self.args.telegram_secret:
            shares.append((self.telegram_user, 0.2, webhook_clients))
        if self.args.twilio_token and self.args.public_url:
            shares.append((self.twilio_user, 0.2, webhook_clients))
        if self.args.cli and os.path.exists(self.args.cli):
            shares.append((self.grpc_user, 0.1, 2))
        total = sum(share for _, share, _ in shares)
        threads = []
        for make_user, share, count in shares:
            for _ in range(count):
                t = threading.Thread(target=self.drive, args=(
                    make_user, rate * share / total / count), daemon=True)
                t.start()
                threads.append(t)
        return threads


def read_proc(pid):
    """RSS in MB, open descriptors and threads of `pid`."""
    rss = threads = None
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        fds = len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return None, None, None
    return rss, fds, threads


def start_server(args):
    api_port, grpc_port, http_port = free_port(), free_port(), free_port()
    api = http.server.ThreadingHTTPServer(("127.0.0.1", api_port), BotApi)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    args.telegram_secret = args.telegram_secret or "soak-secret"
    args.twilio_token = args.twilio_token or "soak-twilio-token"
    args.http = "127.0.0.1:%d" % http_port
    args.grpc = "127.0.0.1:%d" % grpc_port
    args.public_url = "http://" + args.http
    config = tempfile.NamedTemporaryFile("w", suffix=".textproto", delete=False)
    config.write(
        'channels { telegram_secret_token: "%s" telegram_bot_token: "1:soak" '
        'telegram_bot_api_base_url: "http://127.0.0.1:%d" '
        'twilio_auth_token: "%s" }\n'
        'fair_use { client_address_header: "X-Forwarded-For" '
        'trusted_proxies: "127.0.0.1" }\n'
        % (args.telegram_secret, api_port, args.twilio_token))
    config.close()
    server = subprocess.Popen(
        [args.server, "--listen", args.grpc, "--http-listen", args.http,
         "--config", config.name, "--public_url", args.public_url],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        line = server.stdout.readline()
        if not line:
            break
        if "kneechat-server listening" in line:
            threading.Thread(target=lambda: [None for _ in server.stdout],
                             daemon=True).start()
            os.unlink(config.name)
            return server
    server.kill()
    os.unlink(config.name)
    sys.exit("soak: kneechat-server did not start")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=20,
                        help="requests a second, all channels together")
    parser.add_argument("--http-clients", type=int, default=7,
                        help="keep-alive HTTP connections driving the load")
    parser.add_argument("--server",
                        default=os.path.join(root, "build/bin/kneechat-server"))
    parser.add_argument("--cli", default=os.path.join(root, "build/bin/kneechat"))
    parser.add_argument("--http", help="a running server's HTTP HOST:PORT")
    parser.add_argument("--grpc", help="a running server's gRPC HOST:PORT")
    parser.add_argument("--pid", type=int, help="a running server's process")
    parser.add_argument("--telegram-secret", default="")
    parser.add_argument("--twilio-token", default="")
    parser.add_argument("--public-url", default="")
    parser.add_argument("--max-rss-growth", type=float, default=10,
                        help="per cent, last minute against the first")
    parser.add_argument("--max-p99-growth", type=float, default=50,
                        help="per cent, last minute against the first")
    args = parser.parse_args()

    server = None
    if args.http:
        if not args.grpc:
            args.cli = ""
        pid = args.pid
    else:
        server = start_server(args)
        pid = server.pid
    print("soak: %.0f min at %.0f requests/s against http %s, grpc %s%s" % (
        args.minutes, args.rate, args.http, args.grpc or "-",
        "" if pid is None else ", server pid %d" % pid), flush=True)

    stats = Stats()
    load = Load(args, stats)
    rows = []
    try:
        load.start()
        channels = ["connect", "telegram", "twilio", "grpc"]
        print("%-6s %8s %5s %7s %9s  %s" % (
            "minute", "rss_mb", "fds", "threads", "requests",
            "  ".join("%s p50/p99 ms (failed)" % c for c in channels)),
            flush=True)
        started = time.monotonic()
        for minute in range(1, int(round(args.minutes)) + 1):
            wait = started + 60 * minute - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if server is not None and server.poll() is not None:
                sys.exit("soak: kneechat-server exited with %d" %
                         server.returncode)
            samples, failures = stats.take()
            rss, fds, threads = read_proc(pid) if pid else (None, None, None)
            every = [v for c in samples for v in samples[c]]
            # The verdict's p99 is the HTTP requests' (the CLI's includes
            # starting a process); gRPC's own is in its column.
            over_http = [v for c in samples if c != "grpc" for v in samples[c]]
            failed = sum(failures.values())
            row = {"minute": minute, "rss": rss, "requests": len(every),
                   "failed": failed, "p99": percentile(over_http, 99),
                   "channels": {c: (percentile(samples.get(c, []), 50),
                                    percentile(samples.get(c, []), 99),
                                    failures.get(c, 0)) for c in channels}}
            rows.append(row)
            print("%-6d %8s %5s %7s %9d  %s" % (
                minute, "-" if rss is None else "%.1f" % rss,
                "-" if fds is None else fds, "-" if threads is None else threads,
                len(every), "  ".join(
                    "%s %.1f/%.1f (%d)" % ((c,) + row["channels"][c])
                    for c in channels if c in samples)), flush=True)
    finally:
        load.stop.set()
        if server is not None:
            server.terminate()
            server.wait()

    first, last = rows[0], rows[-1]
    requests = sum(r["requests"] for r in rows)
    failed = sum(r["failed"] for r in rows)
    verdict = []
    flat = True
    if first["rss"] and last["rss"]:
        growth = 100 * (last["rss"] - first["rss"]) / first["rss"]
        flat &= growth <= args.max_rss_growth
        verdict.append("RSS %.1f -> %.1f MB (%+.1f %%)" % (
            first["rss"], last["rss"], growth))
    p99_growth = 100 * (last["p99"] - first["p99"]) / first["p99"]
    flat &= (p99_growth <= args.max_p99_growth or
             last["p99"] - first["p99"] <= 5)
    verdict.append("HTTP p99 %.1f -> %.1f ms (%+.1f %%)" % (
        first["p99"], last["p99"], p99_growth))
    verdict.append("%d requests, %d failed (%.2f %%)" % (
        requests, failed, 100 * failed / max(1, requests)))
    flat &= failed <= requests / 100
    grpc = [r["channels"]["grpc"][1] for r in (first, last)]
    if grpc[0] == grpc[0]:  # not NaN: the CLI ran
        verdict.append("gRPC (CLI) p99 %.1f -> %.1f ms" % tuple(grpc))
    print("soak verdict, first minute -> last: %s: %s" % (
        "; ".join(verdict), "FLAT" if flat else "NOT FLAT"))
    sys.exit(0 if flat else 1)


if __name__ == "__main__":
    main()
