"""User text never reaches logs, metrics or files: a unique canary string is
sent through every entry point — gRPC (the kneechat CLI), Connect JSON,
the Telegram webhook and the Twilio voice webhook, as messages, a search
query, a channel name, unknown session and message ids, and in refused
requests (wrong secret, forged signature) — to a server logging at debug
level. Then the canary must appear in no line the server wrote (stderr,
stdout), not in GET /metrics, and in no file under the server's working,
home and temporary directories.

Also checks the structured log: every stderr line is one JSON object with
time, level and event; there is a start and a stop line, and one request
line per engine call with rpc, status and latency, the Telegram and voice
turns among them, session ids only hashed.

Usage: canary_test.py --server build/bin/kneechat-server --cli build/bin/kneechat
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

API = "/kneechat.v1.KneeChat/"
TELEGRAM_SECRET = "telegram-secret-for-test"
TWILIO_TOKEN = "twilio-token-for-test"
PUBLIC_URL = "https://clinic.example"


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


class FakeBotApi(http.server.BaseHTTPRequestHandler):
    """Accepts the server's sendMessage calls; counts them."""
    calls = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        FakeBotApi.calls.append(self.path)
        body = b'{"ok":true,"result":{"message_id":1}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def post(port, path, body, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body, headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def connect(port, method, message):
    status, data = post(port, API + method, json.dumps(message),
                        {"Content-Type": "application/json"})
    return status, json.loads(data) if data else None


def twilio_signature(url, params):
    data = url + "".join(k + v for k, v in sorted(params.items()))
    digest = hmac.new(TWILIO_TOKEN.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio(port, params, forged=False):
    path = "/webhooks/twilio/voice"
    signature = "forged" if forged else twilio_signature(PUBLIC_URL + path, params)
    return post(port, path, urllib.parse.urlencode(params),
                {"Content-Type": "application/x-www-form-urlencoded",
                 "X-Twilio-Signature": signature})


def telegram(port, update, secret=TELEGRAM_SECRET):
    return post(port, "/webhooks/telegram", json.dumps(update),
                {"Content-Type": "application/json",
                 "X-Telegram-Bot-Api-Secret-Token": secret})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--cli", required=True)
    args = parser.parse_args()
    args.server = os.path.abspath(args.server)
    args.cli = os.path.abspath(args.cli)
    canary = "CANARY%s" % uuid.uuid4().hex
    text = "my knee is swollen and hot %s since Tuesday" % canary

    bot_api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeBotApi)
    threading.Thread(target=bot_api.serve_forever, daemon=True).start()

    with tempfile.TemporaryDirectory(prefix="kneechat-canary-") as tmp:
        work = os.path.join(tmp, "work")
        home = os.path.join(tmp, "home")
        tmpdir = os.path.join(tmp, "tmp")
        for d in (work, home, tmpdir):
            os.makedirs(d)
        config = os.path.join(tmp, "kneechat.textproto")
        with open(config, "w") as f:
            f.write('channels {\n  telegram_secret_token: "%s"\n'
                    '  telegram_bot_token: "123:abc"\n'
                    '  telegram_bot_api_base_url: "http://127.0.0.1:%d"\n'
                    '  twilio_auth_token: "%s"\n}\n'
                    % (TELEGRAM_SECRET, bot_api.server_address[1], TWILIO_TOKEN))
        env = dict(os.environ, HOME=home, TMPDIR=tmpdir)
        stdout_path = os.path.join(tmp, "server.stdout")
        stderr_path = os.path.join(tmp, "server.stderr")
        with open(stdout_path, "w") as out, open(stderr_path, "w") as err:
            server = subprocess.Popen(
                [args.server, "--listen", "127.0.0.1:0",
                 "--http-listen", "127.0.0.1:0", "--config", config,
                 "--public_url", PUBLIC_URL, "--log_level", "debug"],
                stdout=out, stderr=err, env=env, cwd=work)
        grpc_address = http_port = None
        deadline = time.time() + 60
        while time.time() < deadline and grpc_address is None:
            time.sleep(0.1)
            printed = open(stdout_path).read()
            m = re.search(r"http listening on .*:(\d+)", printed)
            if m:
                http_port = int(m.group(1))
            m = re.search(r"^kneechat-server listening on (\S+)$", printed, re.M)
            if m:
                grpc_address = m.group(1)
            if server.poll() is not None:
                fail("server exited: " + open(stderr_path).read())
        if grpc_address is None or http_port is None:
            server.kill()
            fail("server did not start")
        try:
            # gRPC, through the terminal client.
            chat = subprocess.run(
                [args.cli, "chat", "--server", grpc_address],
                input=text + "\n/quit\n", capture_output=True, text=True,
                timeout=60, env=env, cwd=tmpdir)
            if chat.returncode != 0:
                fail("kneechat chat: " + chat.stderr)
            subprocess.run([args.cli, "search", "--server", grpc_address, text],
                           capture_output=True, timeout=60, env=env, cwd=tmpdir)

            # Connect JSON.
            status, created = connect(http_port, "CreateSession", {"channel": "web"})
            if status != 200:
                fail("CreateSession: %d" % status)
            session = created["sessionId"]
            for i in range(2):
                status, _ = connect(http_port, "SendMessage",
                                    {"sessionId": session, "text": text,
                                     "messageId": canary})
                if status != 200:
                    fail("SendMessage: %d" % status)
            connect(http_port, "SendMessage", {"sessionId": session,
                                               "text": "other " + text,
                                               "messageId": canary})  # 409
            connect(http_port, "SendMessage", {"sessionId": canary, "text": text})
            connect(http_port, "CreateSession", {"channel": canary.lower()})
            connect(http_port, "CreateSession", {"channel": canary})  # invalid
            connect(http_port, "Search", {"query": text})
            connect(http_port, "GetSession", {"sessionId": session})
            post(http_port, API + "SendMessage", text, {"Content-Type": "application/json"})

            # Telegram: a real update, a redelivery and a wrong secret.
            update = {"update_id": 700001,
                      "message": {"message_id": 5, "date": 1700000000,
                                  "chat": {"id": 4242, "type": "private",
                                           "first_name": canary},
                                  "from": {"id": 4242, "is_bot": False,
                                           "first_name": canary,
                                           "username": canary},
                                  "text": text}}
            answers = [telegram(http_port, update, secret)
                       for secret in (TELEGRAM_SECRET, TELEGRAM_SECRET, canary)]
            # The reply travels in the webhook's answer (a Bot API method).
            status, body = answers[0]
            if status != 200 or b'"method"' not in body:
                fail("the Telegram update was not answered: %d" % status)

            # Twilio voice: a call, what the caller said, a forgery.
            call = {"CallSid": "CA" + "0" * 32, "From": "+15550001234",
                    "To": "+15550009999", "CallStatus": "in-progress"}
            status, _ = twilio(http_port, call)
            if status != 200:
                fail("voice call start: %d" % status)
            said = dict(call, SpeechResult=text, Confidence="0.9")
            status, _ = twilio(http_port, said)
            if status != 200:
                fail("voice speech: %d" % status)
            twilio(http_port, said, forged=True)

            time.sleep(0.5)

            conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
            conn.request("GET", "/metrics")
            metrics = conn.getresponse().read().decode("utf-8", "replace")
            conn.close()
        finally:
            server.send_signal(signal.SIGTERM)
            code = server.wait(timeout=30)
        bot_api.shutdown()
        if code != 0:
            fail("server exited %d" % code)

        # The canary is nowhere.
        needle = canary.lower()
        leaks = []
        if needle in metrics.lower():
            leaks.append("GET /metrics")
        for root in (tmp,):
            for directory, _, files in os.walk(root):
                for name in files:
                    path = os.path.join(directory, name)
                    if path == config:
                        continue
                    with open(path, "rb") as f:
                        if needle.encode() in f.read().lower():
                            leaks.append(path)
        if leaks:
            fail("canary found in: " + ", ".join(leaks))

        # The log is structured.
        events = []
        for line in open(stderr_path):
            try:
                event = json.loads(line)
            except ValueError:
                fail("not a JSON log line: %r" % line)
            for key in ("time", "level", "event"):
                if key not in event:
                    fail("log line without %s: %r" % (key, line))
            events.append(event)
        names = [e["event"] for e in events]
        for wanted in ("start", "stopping", "stop"):
            if wanted not in names:
                fail("no %s line in the log" % wanted)
        requests = [e for e in events if e["event"] == "request"]
        for e in requests:
            for key in ("rpc", "status", "latency_ms"):
                if key not in e:
                    fail("request line without %s: %r" % (key, e))
        channels = {e.get("channel") for e in requests
                    if e["rpc"] == "SendMessage" and e["status"] == "OK"}
        for wanted in ("cli", "web", "telegram", "voice"):
            if wanted not in channels:
                fail("no SendMessage request line for %s: %r" % (wanted, channels))
        if session in open(stderr_path).read():
            fail("a raw session id is in the log")
        for family in ("kneechat_turns_total", "kneechat_webhook_rejections_total",
                       "kneechat_request_duration_seconds_bucket"):
            if family not in metrics:
                fail("no %s in /metrics" % family)
        if 'kneechat_webhook_rejections_total{channel="telegram",reason="bad_secret"} 1' not in metrics:
            fail("the wrong Telegram secret was not counted")
        if 'kneechat_webhook_rejections_total{channel="voice",reason="bad_signature"} 1' not in metrics:
            fail("the forged Twilio request was not counted")
        print("PASS: %d log lines, %d request lines, canary %s nowhere"
              % (len(events), len(requests), canary))


if __name__ == "__main__":
    main()
