#!/usr/bin/env python3
"""How fast kneechat's Telegram replies reach people: a fake Bot API on
loopback (keep-alive; optionally slow, or answering some calls 429 with
retry_after), a kneechat-server pointed at it, and N chats each sending a
first message through the webhook, `--concurrency` at a time (Telegram's
max_connections). A chat counts as answered when its first question
reached it -- in the webhook's answer (a sendMessage method) or through a
sendMessage call to the fake API, whichever kneechat uses. Prints chats
answered, replies a second and the time from update to question.

  deploy/probes/telegram_replies.py --server build/bin/kneechat-server \
      [--chats 1000] [--concurrency 8] [--api-delay-ms 0] [--api-429-every 0]
"""
import argparse
import http.client
import http.server
import json
import os
import socket
import subprocess
import tempfile
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Replies:
    lock = threading.Lock()
    sent_at = {}  # chat -> time its question arrived
    api_calls = 0
    rate_limited = 0

    @classmethod
    def arrived(cls, body):
        if "?" in body.get("text", ""):
            with cls.lock:
                cls.sent_at.setdefault(body.get("chat_id"), time.time())


class BotApi(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    delay = 0.0
    every_429 = 0

    def setup(self):
        super().setup()
        # The fake answers at once: no delay of its own on the wire.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):
        data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with Replies.lock:
            Replies.api_calls += 1
            n = Replies.api_calls
        if BotApi.delay:
            time.sleep(BotApi.delay)
        if BotApi.every_429 and n % BotApi.every_429 == 0:
            with Replies.lock:
                Replies.rate_limited += 1
            self.answer(429, b'{"ok":false,"error_code":429,"description":'
                             b'"Too Many Requests: retry after 1","parameters":{"retry_after":1}}')
            return
        if self.path.endswith("/sendMessage"):
            Replies.arrived(json.loads(data or b"{}"))
        self.answer(200, b'{"ok":true,"result":{"message_id":1}}')

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--api-delay-ms", type=float, default=0)
    parser.add_argument("--api-429-every", type=int, default=0,
                        help="answer every Nth Bot API call 429 retry_after 1")
    parser.add_argument("--wait", type=float, default=60)
    args = parser.parse_args()
    BotApi.delay = args.api_delay_ms / 1000.0
    BotApi.every_429 = args.api_429_every
    api_port, grpc_port, http_port = free_port(), free_port(), free_port()
    api = http.server.ThreadingHTTPServer(("127.0.0.1", api_port), BotApi)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    config = tempfile.NamedTemporaryFile("w", suffix=".textproto", delete=False)
    config.write('channels { telegram_secret_token: "probe-secret" '
                 'telegram_bot_token: "123:probe" '
                 'telegram_bot_api_base_url: "http://127.0.0.1:%d" }\n'
                 'fair_use { telegram { requests_per_minute: -1 sessions_per_hour: -1 } }\n'
                 % api_port)
    config.close()
    server = subprocess.Popen([args.server, "--listen", "127.0.0.1:%d" % grpc_port,
                               "--http-listen", "127.0.0.1:%d" % http_port,
                               "--config", config.name],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    posted_at = {}
    acked = [0]
    next_chat = [0]
    lock = threading.Lock()

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
        while True:
            with lock:
                if next_chat[0] >= args.chats:
                    return
                chat = 1000 + next_chat[0]
                next_chat[0] += 1
            update = {"update_id": chat, "message": {
                "message_id": 1, "date": 1700000000,
                "from": {"id": chat, "is_bot": False, "first_name": "P"},
                "chat": {"id": chat, "type": "private"},
                "text": "my knee hurts when I run"}}
            posted_at[chat] = time.time()
            conn.request("POST", "/webhooks/telegram", json.dumps(update),
                         {"Content-Type": "application/json",
                          "X-Telegram-Bot-Api-Secret-Token": "probe-secret"})
            response = conn.getresponse()
            data = response.read()
            if response.status == 200:
                with lock:
                    acked[0] += 1
                if data and response.getheader("Content-Type", "").startswith("application/json"):
                    Replies.arrived(json.loads(data))

    try:
        while "kneechat-server listening" not in server.stdout.readline():
            pass
        start = time.time()
        clients = [threading.Thread(target=client) for _ in range(args.concurrency)]
        for c in clients:
            c.start()
        while len(Replies.sent_at) < args.chats and time.time() - start < args.wait:
            time.sleep(0.02)
        elapsed = time.time() - start
        for c in clients:
            c.join()
        latencies = sorted(Replies.sent_at[c] - posted_at[c] for c in Replies.sent_at)
        def pct(p):
            return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0
        print("chats %d, concurrency %d, api delay %g ms, 429 every %s: %d of %d chats got "
              "their reply in %.1f s (%.0f replies/s); update to reply p50 %.0f ms, p99 %.0f ms; "
              "Bot API calls %d (%d answered 429)" % (
                  args.chats, args.concurrency, args.api_delay_ms, args.api_429_every or "-",
                  len(Replies.sent_at), args.chats, elapsed, len(Replies.sent_at) / elapsed,
                  pct(0.5), pct(0.99), Replies.api_calls, Replies.rate_limited))
    finally:
        server.terminate()
        server.wait()
        os.unlink(config.name)


if __name__ == "__main__":
    main()
