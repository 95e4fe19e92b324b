#!/usr/bin/env python3
"""How fast kneechat's Telegram replies go out: a fake Bot API on loopback
(answering at once, keep-alive), a kneechat-server pointed at it, and N
chats each sending a message through the webhook. Prints how many
sendMessage calls arrived and how long they took.

  deploy/probes/telegram_replies.py --server build/bin/kneechat-server [--chats 200]
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


class BotApi(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sent = 0
    lock = threading.Lock()

    def setup(self):
        super().setup()
        # The fake answers at once: no delay of its own on the wire.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path.endswith("/sendMessage"):
            with BotApi.lock:
                BotApi.sent += 1
        body = b'{"ok":true,"result":{"message_id":1}}'
        self.send_response(200)
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
    parser.add_argument("--wait", type=float, default=60)
    args = parser.parse_args()
    api_port, grpc_port, http_port = free_port(), free_port(), free_port()
    api = http.server.ThreadingHTTPServer(("127.0.0.1", api_port), BotApi)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    config = tempfile.NamedTemporaryFile("w", suffix=".textproto", delete=False)
    config.write('channels { telegram_secret_token: "probe-secret" '
                 'telegram_bot_token: "123:probe" '
                 'telegram_bot_api_base_url: "http://127.0.0.1:%d" }\n' % api_port)
    config.close()
    server = subprocess.Popen([args.server, "--listen", "127.0.0.1:%d" % grpc_port,
                               "--http-listen", "127.0.0.1:%d" % http_port,
                               "--config", config.name],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        while "kneechat-server listening" not in server.stdout.readline():
            pass
        conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        start = time.time()
        for chat in range(args.chats):
            update = {"update_id": chat + 1,
                      "message": {"message_id": 1, "date": 1700000000,
                                  "from": {"id": 1000 + chat, "is_bot": False, "first_name": "P"},
                                  "chat": {"id": 1000 + chat, "type": "private"},
                                  "text": "my knee hurts when I run"}}
            conn.request("POST", "/webhooks/telegram", json.dumps(update),
                         {"Content-Type": "application/json",
                          "X-Telegram-Bot-Api-Secret-Token": "probe-secret"})
            conn.getresponse().read()
        expected = 2 * args.chats  # a greeting and a question per chat
        while BotApi.sent < expected and time.time() - start < args.wait:
            time.sleep(0.05)
        elapsed = time.time() - start
        print("chats %d: %d of %d replies sent in %.1f s (%.1f ms a reply)" % (
            args.chats, BotApi.sent, expected, elapsed, 1000 * elapsed / max(1, BotApi.sent)))
    finally:
        server.terminate()
        server.wait()
        os.unlink(config.name)


if __name__ == "__main__":
    main()
