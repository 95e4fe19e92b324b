"""No Telegram update is lost when a replica dies, and none is played twice.

Two kneechat-server replicas on one Redis, each with the Telegram webhook
configured, and a stand-in for Telegram: many chats talk at once, each
update delivered to one replica (alternating), and, as Telegram does, an
update that got no 200 -- the connection broke, timed out, or the answer
was 503 -- is delivered again, to the other replica. Midway through,
replica A is killed with SIGKILL while updates are in flight on it.

Checks:
  - every update was finally answered 200 with its reply: a sendMessage
    call for its chat in the webhook's answer (nothing lost);
  - in each chat's kneechat session (found through the chat's record in
    Redis, read with GetSession from the surviving replica) every message
    appears exactly once, in order (nothing played twice, nothing skipped).
Prints how many updates were in flight at the kill and needed a redelivery.

Usage: telegram_failover_test.py --server build/bin/kneechat-server
"""

import argparse
import http.client
import http.server
import json
import os
import random
import socket
import sys
import threading
import time

import cluster_lib

SECRET = "cluster-telegram-secret"
SCRIPT = ["running makes the front of my knee ache",
          "about three weeks",
          "it came on gradually",
          "none of those",
          "what stretches help?",
          "thanks"]


class FakeBotApi(http.server.BaseHTTPRequestHandler):
    """Stands in for api.telegram.org: counts calls, answers at once."""
    protocol_version = "HTTP/1.1"
    calls = {}
    lock = threading.Lock()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        method = self.path.rsplit("/", 1)[-1]
        with FakeBotApi.lock:
            FakeBotApi.calls[method] = FakeBotApi.calls.get(method, 0) + 1
        body = b'{"ok":true,"result":{}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def update(update_id, chat, text):
    return {"update_id": update_id,
            "message": {"message_id": update_id, "date": 1700000000,
                        "from": {"id": chat, "is_bot": False, "first_name": "P"},
                        "chat": {"id": chat, "type": "private"},
                        "text": text}}


def post_update(port, body, timeout):
    """(status, answer JSON or None); raises OSError/HTTPException."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/webhooks/telegram", body,
                     {"Content-Type": "application/json",
                      "X-Telegram-Bot-Api-Secret-Token": SECRET})
        response = conn.getresponse()
        data = response.read()
        answer = json.loads(data) if data and response.status == 200 else None
        return response.status, answer
    finally:
        conn.close()


def redis_get_bytes(port, key):
    """GET through RESP, binary-safe (the record is a serialised proto)."""
    key = key.encode()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n" % (len(key), key))
        data = b""
        while b"\r\n" not in data:
            data += s.recv(65536)
        header, rest = data.split(b"\r\n", 1)
        length = int(header[1:])
        if length < 0:
            return None
        while len(rest) < length + 2:
            rest += s.recv(65536)
        return rest[:length]


def proto_string_field(data, field):
    """The first length-delimited `field` of a serialised message."""
    i = 0
    while i < len(data):
        key, i = varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, i = varint(data, i)
        elif wire == 2:
            length, i = varint(data, i)
            if number == field:
                return data[i:i + length].decode()
            i += length
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError("unexpected wire type %d" % wire)
    return None


def varint(data, i):
    shift = value = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, i


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--chats", type=int, default=24)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    random.seed(7)

    cluster = cluster_lib.Cluster(args.server, keep_dir=args.keep)
    api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeBotApi)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    try:
        redis_port = cluster.redis("redis")
        config = os.path.join(cluster.dir, "deployment.textproto")
        with open(config, "w") as f:
            f.write('channels { telegram_secret_token: "%s" telegram_bot_token: "123:cluster" '
                    'telegram_bot_api_base_url: "http://127.0.0.1:%d" }\n'
                    'fair_use { web { requests_per_minute: -1 sessions_per_hour: -1 } '
                    'telegram { requests_per_minute: -1 sessions_per_hour: -1 } }\n'
                    % (SECRET, api.server_address[1]))
        store = "redis://127.0.0.1:%d" % redis_port
        for name in ("a", "b"):
            cluster.replica(name, store, ["--config", config])
        ports = {name: cluster.ports[name + ".http"] for name in ("a", "b")}

        lock = threading.Lock()
        state = {"next_id": 1000, "answered": 0, "killed": False}
        results = {}    # update_id -> (chat, answer)
        retried = {}    # update_id -> deliveries beyond the first
        per_chat = {}   # chat -> [update_id, ...] in sending order
        errors = []
        total = args.chats * len(SCRIPT)

        def deliver(update_id, chat, text):
            body = json.dumps(update(update_id, chat, text))
            first = "a" if update_id % 2 else "b"
            order = [first, "b" if first == "a" else "a"]
            attempt = 0
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                target = order[attempt % 2]
                try:
                    status, answer = post_update(ports[target], body, timeout=5)
                except (OSError, http.client.HTTPException):
                    status, answer = None, None
                if status == 200:
                    return answer, attempt
                attempt += 1
                time.sleep(0.1 if status is None else 0.5)
            raise TimeoutError("update %d never answered" % update_id)

        def chat_loop(chat):
            try:
                for text in SCRIPT:
                    with lock:
                        state["next_id"] += 1
                        update_id = state["next_id"]
                        per_chat.setdefault(chat, []).append(update_id)
                    answer, extra = deliver(update_id, chat, text)
                    with lock:
                        results[update_id] = (chat, answer)
                        if extra:
                            retried[update_id] = extra
                        state["answered"] += 1
            except Exception as e:  # reported below
                errors.append("chat %d: %r" % (chat, e))

        threads = [threading.Thread(target=chat_loop, args=(7000 + c,))
                   for c in range(args.chats)]
        start = time.monotonic()
        for t in threads:
            t.start()
        # Kill replica A with updates in flight, once a third are answered.
        while state["answered"] < total // 3 and not errors:
            time.sleep(0.005)
        with lock:
            killed_at = state["answered"]
            in_flight = state["next_id"] - 1000 - killed_at
        cluster.kill9("a")
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        if errors:
            print("FAIL:", errors[:5])
            return 1

        failures = []
        # 1. Every update answered with its chat's reply.
        for update_id, (chat, answer) in results.items():
            if not answer or answer.get("method") != "sendMessage" or \
                    answer.get("chat_id") != chat or not answer.get("text"):
                failures.append("update %d: answer %r" % (update_id, answer))
        if len(results) != total:
            failures.append("%d of %d updates answered" % (len(results), total))

        # 2. Each chat's session holds each message once, in order.
        conn = http.client.HTTPConnection("127.0.0.1", ports["b"], timeout=10)
        for chat, ids in sorted(per_chat.items()):
            record = redis_get_bytes(redis_port, "kneechat:telegram:state:chat:%d" % chat)
            session_id = proto_string_field(record or b"", 1)
            if not session_id:
                failures.append("chat %d: no session in its record" % chat)
                continue
            conn.request("POST", cluster_lib.API + "GetSession",
                         json.dumps({"sessionId": session_id}),
                         {"Content-Type": "application/json"})
            response = conn.getresponse()
            session = json.loads(response.read() or b"{}").get("session", {})
            played = [t.get("messageId") for t in session.get("transcript", [])
                      if t.get("role") == "ROLE_USER"]
            expected = ["telegram:%d" % i for i in ids]
            if played != expected:
                failures.append("chat %d: played %s, sent %s" % (chat, played, expected))

        print("chats %d, updates %d in %.1f s; replica a killed after %d answers with "
              "%d updates in flight; %d updates needed a redelivery (%d deliveries more); "
              "Bot API calls made by kneechat: %s" % (
                  args.chats, total, elapsed, killed_at, in_flight, len(retried),
                  sum(retried.values()), dict(FakeBotApi.calls)))
        if failures:
            failures.sort(key=lambda f: "answer None" in f)
            print("FAIL: %d problems\n  " % len(failures) + "\n  ".join(failures[:20]))
            return 1
        if not retried:
            print("FAIL: the kill caught no update in flight; nothing was proven")
            return 1
        print("PASS: every update answered, every message played exactly once")
        return 0
    finally:
        api.shutdown()
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
