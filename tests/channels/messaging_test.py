#!/usr/bin/env python3
"""WhatsApp and Twilio SMS end to end: the real kneechat-server with a
deployment config whose Graph API base URL points at a local fake. Signed
webhooks in; Graph API calls (WhatsApp) and TwiML (SMS) out.

  messaging_test.py --server build/bin/kneechat-server

Python standard library only.
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
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
from xml.etree import ElementTree

APP_SECRET = "e2e-app-secret"
VERIFY_TOKEN = "e2e-verify-token"
ACCESS_TOKEN = "e2e-access-token"
NUMBER_ID = "106540352242922"
TWILIO_TOKEN = "e2e-twilio-auth-token"
PUBLIC_URL = "https://clinic.example.com"
SMS_PATH = "/webhooks/twilio/sms"

# What a person answers to each kind of question, found by the question's
# words; the first match wins.
PROFILE = [
    (r"any of these|warning|safety|serious", "none of these"),
    (r"how long|when did", "1 to 6 weeks"),
    (r"how old|your age", "29"),
    (r"sudden|gradual|start|injur", "slowly, no injury"),
    (r"swell|swollen", "no"),
    (r"weight|walk|steps", "yes"),
    (r"where|which part", "at the front"),
    (r"bring|worse|activit", "running"),
]
FIRST_MESSAGE = "sore around my kneecap at the front every time I run"
EMERGENCY_MESSAGE = "my knee is hot, red and swollen and I have a fever"


def answer_for(question):
    lower = question.lower()
    for pattern, answer in PROFILE:
        if re.search(pattern, lower):
            return answer
    return "not sure"


class FakeGraphApi:
    """Stands in for graph.facebook.com: records POST /v21.0/{id}/messages."""

    def __init__(self):
        self.calls = []
        self.lock = threading.Condition()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with outer.lock:
                    outer.calls.append({
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "body": json.loads(body),
                    })
                    outer.lock.notify_all()
                answer = b'{"messages":[{"id":"wamid.out"}]}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, wa_id):
        with self.lock:
            return [c["body"] for c in self.calls if c["body"].get("to") == wa_id]

    def wait_for(self, wa_id, count, timeout=10):
        deadline = time.monotonic() + timeout
        with self.lock:
            while len([c for c in self.calls
                       if c["body"].get("to") == wa_id]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{wa_id}: expected {count} messages, got "
                        f"{len(self.to(wa_id))}")
                self.lock.wait(left)
        return self.to(wa_id)


def start_server(binary, directory, graph_port):
    config = os.path.join(directory, "kneechat.textproto")
    with open(config, "w") as f:
        f.write(f"""
channels {{
  twilio_auth_token: "{TWILIO_TOKEN}"
  whatsapp_app_secret: "env:E2E_WHATSAPP_APP_SECRET"
  whatsapp_verify_token: "{VERIFY_TOKEN}"
  whatsapp_access_token: "{ACCESS_TOKEN}"
  whatsapp_phone_number_id: "{NUMBER_ID}"
  whatsapp_graph_base_url: "http://127.0.0.1:{graph_port}/v21.0"
}}
fair_use {{
  voice {{ requests_per_minute: -1 sessions_per_hour: -1 }}
  whatsapp {{ requests_per_minute: -1 sessions_per_hour: -1 }}
}}
""")
    stderr = open(os.path.join(directory, "stderr"), "w")
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
         "--config", config, "--public_url", PUBLIC_URL, "--log_level",
         "warning"],
        stdout=subprocess.PIPE, stderr=stderr, text=True,
        env=dict(os.environ, E2E_WHATSAPP_APP_SECRET=APP_SECRET))
    ports = {}
    deadline = time.monotonic() + 60
    while len(ports) < 2 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        match = re.search(r"kneechat-server (http )?listening on [\d.]+:(\d+)",
                          line)
        if match:
            ports["http" if match.group(1) else "grpc"] = int(match.group(2))
    if len(ports) < 2:
        process.kill()
        raise SystemExit("server did not start: " +
                         open(os.path.join(directory, "stderr")).read())
    return process, ports["http"]


def request(port, method, path, body=b"", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def metric(port, name, **labels):
    status, text = request(port, "GET", "/metrics")
    assert status == 200
    total = 0.0
    for line in text.decode().splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def units(text):
    """Length in UTF-16 code units, as the platforms count."""
    return len(text.encode("utf-16-le")) // 2


SERVER = {}


class WhatsApp:
    """A WhatsApp user talking to the clinic's number through the webhook."""

    counter = 0

    def __init__(self, port, graph, wa_id):
        self.port, self.graph, self.wa_id = port, graph, wa_id

    @classmethod
    def next_id(cls):
        cls.counter += 1
        return f"wamid.HBgLNDQ3NzAwOTAwMTIzFQIAEhgg{cls.counter:06d}"

    def notification(self, message):
        message = dict(message, **{"from": self.wa_id})
        message.setdefault("id", self.next_id())
        message.setdefault("timestamp", str(int(time.time())))
        return json.dumps({
            "object": "whatsapp_business_account",
            "entry": [{"id": "885", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550001",
                             "phone_number_id": NUMBER_ID},
                "contacts": [{"profile": {"name": "Sam"}, "wa_id": self.wa_id}],
                "messages": [message]}}]}]}).encode()

    def post(self, body, signature=None):
        if signature is None:
            signature = "sha256=" + hmac.new(APP_SECRET.encode(), body,
                                             hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json"}
        if signature:
            headers["X-Hub-Signature-256"] = signature
        return request(self.port, "POST", "/webhooks/whatsapp", body, headers)

    def send(self, message):
        """Posts `message`; returns the replies it brought (waits for one)."""
        before = len(self.graph.to(self.wa_id))
        status, _ = self.post(self.notification(message))
        assert status == 200, status
        replies = self.graph.wait_for(self.wa_id, before + 1)
        time.sleep(0.05)  # a reply may come in several messages
        return self.graph.to(self.wa_id)[before:]

    def text(self, text):
        return self.send({"type": "text", "text": {"body": text}})

    def press(self, option_id, title, kind="button_reply"):
        return self.send({"type": "interactive", "interactive": {
            "type": kind, kind: {"id": option_id, "title": title}}})


def body_of(message):
    if message["type"] == "text":
        return message["text"]["body"]
    return message["interactive"]["body"]["text"]


def options_of(message):
    if message["type"] != "interactive":
        return []
    action = message["interactive"]["action"]
    if message["interactive"]["type"] == "button":
        return [(b["reply"]["id"], b["reply"]["title"]) for b in action["buttons"]]
    return [(r["id"], r["title"]) for s in action["sections"] for r in s["rows"]]


def check_whatsapp_limits(test, message):
    test.assertEqual(message["messaging_product"], "whatsapp")
    body = body_of(message)
    test.assertTrue(body)
    if message["type"] == "text":
        test.assertLessEqual(units(body), 4096)
        return
    test.assertLessEqual(units(body), 1024)
    interactive = message["interactive"]
    options = options_of(message)
    if interactive["type"] == "button":
        test.assertLessEqual(len(options), 3)
        for option_id, title in options:
            test.assertLessEqual(units(title), 20)
            test.assertLessEqual(len(option_id.encode()), 256)
    else:
        test.assertEqual(interactive["type"], "list")
        test.assertLessEqual(units(interactive["action"]["button"]), 20)
        test.assertLessEqual(len(options), 10)
        for option_id, title in options:
            test.assertLessEqual(units(title), 24)
            test.assertLessEqual(len(option_id.encode()), 256)
    test.assertEqual(len({i for i, _ in options}), len(options))


class WhatsAppTest(unittest.TestCase):
    def setUp(self):
        self.port, self.graph = SERVER["port"], SERVER["graph"]

    def turns(self):
        return metric(self.port, "kneechat_turns_total", channel="whatsapp")

    def test_verification(self):
        query = urllib.parse.urlencode({
            "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444"})
        self.assertEqual(request(self.port, "GET", "/webhooks/whatsapp?" + query),
                         (200, b"1158201444"))
        wrong = query.replace(VERIFY_TOKEN, "guess")
        self.assertEqual(
            request(self.port, "GET", "/webhooks/whatsapp?" + wrong)[0], 403)

    def test_conversation_to_a_cited_answer(self):
        user = WhatsApp(self.port, self.graph, "447700900001")
        replies = user.text(FIRST_MESSAGE)
        asked_why, pressed = False, set()
        for _ in range(10):
            for message in replies:
                check_whatsapp_limits(self, message)
            last = replies[-1]
            text = "\n".join(body_of(m) for m in replies)
            if "Sources:" in text:
                break
            options = options_of(last)
            if not asked_why and ("why", "Why do you ask?") in options:
                # The why button gives the reason and the same question.
                asked_why = True
                again = user.press("why", "Why do you ask?")
                self.assertEqual(options_of(again[-1]), options)
                continue
            answer = answer_for(body_of(last))
            chosen = [o for o in options if o[1].lower() == answer.lower()]
            kind = last.get("interactive", {}).get("type")
            if chosen:
                pressed.add(kind)
                replies = user.press(*chosen[0], kind + "_reply" if kind ==
                                     "list" else "button_reply")
            else:
                replies = user.text(answer)
        self.assertIn("*Sources:*", text)
        self.assertRegex(text, r"\[1\] \S")
        self.assertTrue(asked_why, "no question offered Why do you ask?")
        # Both a list row and a reply button were chosen on the way.
        self.assertEqual(pressed, {"list", "button"})

    def test_conversation_to_a_referral(self):
        user = WhatsApp(self.port, self.graph, "447700900002")
        replies = user.text(EMERGENCY_MESSAGE)
        text = "\n".join(body_of(m) for m in replies)
        self.assertRegex(body_of(replies[0]), r"^\*\S* ?(EMERGENCY|URGENT)")
        for message in replies:
            check_whatsapp_limits(self, message)

    def test_forgery_is_refused_without_a_turn(self):
        user = WhatsApp(self.port, self.graph, "447700900003")
        turns = self.turns()
        body = user.notification({"type": "text",
                                  "text": {"body": EMERGENCY_MESSAGE}})
        forged = "sha256=" + hmac.new(b"guessed-secret", body,
                                      hashlib.sha256).hexdigest()
        self.assertEqual(user.post(body, forged)[0], 403)
        self.assertEqual(user.post(body, "")[0], 401)
        signed = "sha256=" + hmac.new(APP_SECRET.encode(), body,
                                      hashlib.sha256).hexdigest()
        self.assertEqual(user.post(body + b" ", signed)[0], 403)
        time.sleep(0.2)
        self.assertEqual(self.turns(), turns)
        self.assertEqual(user.graph.to(user.wa_id), [])
        self.assertGreaterEqual(
            metric(self.port, "kneechat_webhook_rejections_total",
                   channel="whatsapp", reason="bad_signature"), 1)

    def test_duplicate_is_played_once(self):
        user = WhatsApp(self.port, self.graph, "447700900004")
        body = user.notification({"type": "text",
                                  "text": {"body": "my knee hurts"}})
        self.assertEqual(user.post(body)[0], 200)
        replies = self.graph.wait_for(user.wa_id, 1)
        turns = self.turns()
        self.assertEqual(user.post(body)[0], 200)
        time.sleep(0.3)
        self.assertEqual(self.turns(), turns)
        self.assertEqual(len(self.graph.to(user.wa_id)), len(replies))

    def test_oversize_body_is_refused(self):
        # Declared larger than Meta's 3 MB: refused before it is read.
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\n"
                      b"X-Hub-Signature-256: sha256=00\r\n"
                      b"Content-Type: application/json\r\n"
                      b"Content-Length: 4000000\r\n\r\n")
            self.assertIn(b" 413 ", s.recv(4096).split(b"\r\n")[0] + b" ")

    def test_unsupported_type_gets_a_polite_notice(self):
        user = WhatsApp(self.port, self.graph, "447700900005")
        replies = user.send({"type": "image", "image": {"id": "1234"}})
        self.assertIn("text", body_of(replies[-1]))
        status, _ = user.post(user.notification(
            {"type": "reaction",
             "reaction": {"message_id": "wamid.x", "emoji": "+"}}))
        self.assertEqual(status, 200)


class Sms:
    """A phone texting the clinic's Twilio number."""

    counter = 0

    def __init__(self, port, number):
        self.port, self.number = port, number

    def params(self, text, **extra):
        Sms.counter += 1
        params = {"MessageSid": f"SM{Sms.counter:032d}", "AccountSid": "AC1",
                  "From": self.number, "To": "+15005550006", "Body": text,
                  "NumMedia": "0", "NumSegments": "1"}
        params.update(extra)
        return params

    @staticmethod
    def signature(params, token=TWILIO_TOKEN):
        data = PUBLIC_URL + SMS_PATH + "".join(
            k + params[k] for k in sorted(params))
        return base64.b64encode(hmac.new(token.encode(), data.encode(),
                                         hashlib.sha1).digest()).decode()

    def post(self, params, signature=None):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature is None:
            signature = self.signature(params)
        if signature:
            headers["X-Twilio-Signature"] = signature
        return request(self.port, "POST", SMS_PATH,
                       urllib.parse.urlencode(params).encode(), headers)

    def text(self, text):
        status, twiml = self.post(self.params(text))
        assert status == 200, status
        return messages_of(twiml)


def messages_of(twiml):
    root = ElementTree.fromstring(twiml)
    assert root.tag == "Response"
    return [m.text or "" for m in root.findall("Message")]


def check_sms_limits(test, messages):
    test.assertLessEqual(len(messages), 3)
    for m in messages:
        test.assertLessEqual(len(m), 1600)
        test.assertNotIn("**", m)
        for c in m:  # plain GSM text: no emoji or typography
            test.assertTrue(c == "\n" or " " <= c <= "~" or c in "£¥èéùìòÇØøÅåÆæßÉÄÖÑÜ§¿äöñüà¡€", repr(c))


class SmsTest(unittest.TestCase):
    def setUp(self):
        self.port = SERVER["port"]

    def turns(self):
        return metric(self.port, "kneechat_turns_total", channel="sms")

    def test_conversation_to_a_cited_answer(self):
        phone = Sms(self.port, "+447700900101")
        messages = phone.text(FIRST_MESSAGE)
        picked = False
        for _ in range(10):
            check_sms_limits(self, messages)
            text = "\n".join(messages)
            if "Sources:" in text:
                break
            answer = answer_for(text.rsplit("\n\n", 2)[-2] if "Reply 1" in text
                                else text)
            numbered = re.findall(r"(\d) for ([^,.]+)", text)
            chosen = [n for n, title in numbered if title.lower() == answer]
            if chosen:
                picked = True
                messages = phone.text(chosen[0])
            else:
                messages = phone.text(answer)
        self.assertIn("Sources:\n[1] ", text)
        self.assertTrue(picked, "no numbered option was picked")

    def test_conversation_to_a_referral(self):
        messages = Sms(self.port, "+447700900102").text(EMERGENCY_MESSAGE)
        check_sms_limits(self, messages)
        # Care comes first, even before the greeting.
        self.assertRegex(messages[0], r"^(EMERGENCY|URGENT)")

    def test_forgery_is_refused_without_a_turn(self):
        phone = Sms(self.port, "+447700900103")
        turns = self.turns()
        params = phone.params(EMERGENCY_MESSAGE)
        self.assertEqual(phone.post(params, phone.signature(params, "guess"))[0],
                         403)
        self.assertEqual(phone.post(params, "")[0], 403)
        tampered = dict(params, Body="something else")
        self.assertEqual(phone.post(tampered, phone.signature(params))[0], 403)
        self.assertEqual(self.turns(), turns)

    def test_duplicate_message_sid_is_played_once(self):
        phone = Sms(self.port, "+447700900104")
        params = phone.params("my knee hurts")
        first = phone.post(params)
        turns = self.turns()
        again = phone.post(params)
        self.assertEqual(first[0], 200)
        self.assertEqual(again, first)
        self.assertEqual(self.turns(), turns)

    def test_stop_is_left_to_twilio(self):
        phone = Sms(self.port, "+447700900105")
        phone.text("my knee hurts")
        turns = self.turns()
        for word in ("STOP", "stop", "HELP", "START", "unsubscribe"):
            self.assertEqual(phone.text(word), [], word)
        status, twiml = phone.post(phone.params("yes", OptOutType="START"))
        self.assertEqual(messages_of(twiml), [])
        self.assertEqual(self.turns(), turns)
        # "yes" without Twilio's mark is an answer.
        self.assertNotEqual(phone.text("yes"), [])

    def test_oversize_body_is_refused(self):
        phone = Sms(self.port, "+447700900106")
        params = phone.params("x" * 20000)
        self.assertEqual(phone.post(params)[0], 413)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    args, rest = parser.parse_known_args()
    graph = FakeGraphApi()
    with tempfile.TemporaryDirectory() as directory:
        process, port = start_server(args.server, directory, graph.port)
        SERVER.update(port=port, graph=graph)
        try:
            program = unittest.main(argv=[sys.argv[0]] + rest, exit=False,
                                    verbosity=2)
        finally:
            process.terminate()
            process.wait(timeout=20)
        calls = graph.calls
        bad = [c for c in calls if c["authorization"] != "Bearer " + ACCESS_TOKEN
               or c["path"] != f"/v21.0/{NUMBER_ID}/messages"]
        if bad:
            print("FAIL: Graph API calls with a wrong path or token:", bad[:1])
            sys.exit(1)
    sys.exit(0 if program.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
