"""Clinician handoff end to end: the real kneechat-server with a deployment
config pointing its handoff at a local receiver, which checks every POST's
X-Kneechat-Signature (HMAC-SHA256 over timestamp + "." + body) and
timestamp the way a clinic would, answers the first attempt of each
Idempotency-Key 503, and counts what it processed and what it saw twice.

  1. A conversation reaches an URGENT referral, which asks for consent;
     "yes" with a phone number gives exactly one processed handoff, though
     its first attempt failed (retried, same key, valid signature each
     time), with the number and both forms in it. Replaying the message
     sends nothing more.
  2. Another conversation says "no": nothing is ever sent.
  3. GetHandoff over gRPC (kneechat handoff [--fhir]) and Connect JSON
     returns the summary and the FHIR Bundle; an unknown session is
     NOT_FOUND on both.

Usage: handoff_e2e_test.py --server build/bin/kneechat-server --cli build/bin/kneechat
Python standard library only.
"""

import argparse
import hashlib
import hmac
import http.client
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

API = "/kneechat.v1.KneeChat/"
SECRET = "handoff-secret-for-test"
INJURY = "I fell off a ladder and now I can't put any weight on my leg at all"


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


class Receiver(http.server.BaseHTTPRequestHandler):
    """The clinic's endpoint."""
    lock = threading.Lock()
    attempts = []       # (key, signature valid, timestamp fresh)
    processed = {}      # key -> body
    duplicates = 0
    failed_once = set()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        timestamp = self.headers.get("X-Kneechat-Timestamp", "")
        signature = self.headers.get("X-Kneechat-Signature", "")
        key = self.headers.get("Idempotency-Key", "")
        expected = "sha256=" + hmac.new(
            SECRET.encode(), timestamp.encode() + b"." + body,
            hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(expected, signature)
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
        with Receiver.lock:
            Receiver.attempts.append((key, valid, fresh))
            if not (valid and fresh and key):
                status = 401
            elif key not in Receiver.failed_once:
                Receiver.failed_once.add(key)  # the first attempt fails
                status = 503
            elif key in Receiver.processed:
                Receiver.duplicates += 1
                status = 200
            else:
                Receiver.processed[key] = json.loads(body)
                status = 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

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


class Chat:
    def __init__(self, port):
        self.port = port
        status, created = connect(port, "CreateSession", {"channel": "web"})
        if status != 200:
            fail("CreateSession: %d" % status)
        self.session = created["sessionId"]
        self.n = 0

    def send(self, text, message_id=None):
        self.n += 1
        status, answer = connect(self.port, "SendMessage", {
            "sessionId": self.session, "text": text,
            "messageId": message_id or "m%d" % self.n})
        if status != 200:
            fail("SendMessage %r: %d %r" % (text, status, answer))
        return answer["reply"]


def offers(reply):
    return any(q.get("id") == "handoff_yes" for q in reply.get("quickReplies", []))


def reach_offer(chat):
    reply = chat.send(INJURY)
    for _ in range(3):
        if offers(reply):
            break
        reply = chat.send("no")
    if not offers(reply):
        fail("no consent question after the referral: %r" % reply)
    if reply.get("kind") != "REPLY_KIND_REFERRAL":
        fail("consent asked outside the referral: %r" % reply.get("kind"))
    level = reply.get("triage", {}).get("level")
    if level not in ("TRIAGE_LEVEL_URGENT", "TRIAGE_LEVEL_EMERGENCY"):
        fail("expected an urgent referral, got %r" % level)
    return reply


def wait_for(predicate, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        with Receiver.lock:
            if predicate():
                return True
        time.sleep(0.1)
    return False


def start_server(args, tmp, receiver_port):
    config = os.path.join(tmp, "kneechat.textproto")
    with open(config, "w") as f:
        f.write('clinic { name: "Riverside Physio" phone: "01632 960000" }\n'
                'handoff {\n  url: "http://127.0.0.1:%d/kneechat/handoff"\n'
                '  secret: "env:KNEECHAT_TEST_HANDOFF_SECRET"\n}\n'
                % receiver_port)
    env = dict(os.environ, KNEECHAT_TEST_HANDOFF_SECRET=SECRET)
    stdout_path = os.path.join(tmp, "server.stdout")
    stderr_path = os.path.join(tmp, "server.stderr")
    with open(stdout_path, "w") as out, open(stderr_path, "w") as err:
        server = subprocess.Popen(
            [args.server, "--listen", "127.0.0.1:0", "--http-listen",
             "127.0.0.1:0", "--config", config],
            stdout=out, stderr=err, env=env, cwd=tmp)
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
    return server, grpc_address, http_port, stderr_path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--cli", required=True)
    args = parser.parse_args()
    args.server = os.path.abspath(args.server)
    args.cli = os.path.abspath(args.cli)

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()

    with tempfile.TemporaryDirectory(prefix="kneechat-handoff-") as tmp:
        server, grpc_address, http_port, stderr_path = start_server(
            args, tmp, receiver.server_address[1])
        try:
            # 1. Consent yes, with a phone number.
            yes = Chat(http_port)
            question = reach_offer(yes)
            if "Riverside Physio" not in question["text"]:
                fail("the question names the clinic: %r" % question["text"])
            with Receiver.lock:
                if Receiver.attempts:
                    fail("something was sent before the yes")
            ack = yes.send("yes please, call me on 07700 900123", "consent-yes")
            if "Riverside Physio" not in ack["text"]:
                fail("the thanks names the clinic: %r" % ack["text"])
            if not wait_for(lambda: len(Receiver.processed) == 1, 20):
                fail("no handoff processed; attempts: %r" % Receiver.attempts)
            yes.send("yes please, call me on 07700 900123", "consent-yes")  # replay
            time.sleep(2)
            with Receiver.lock:
                attempts = list(Receiver.attempts)
                processed = dict(Receiver.processed)
                duplicates = Receiver.duplicates
            if len(processed) != 1 or duplicates != 0:
                fail("expected one handoff and no duplicate: %d, %d"
                     % (len(processed), duplicates))
            if len(attempts) < 2:
                fail("the failed first attempt was not retried: %r" % attempts)
            keys = {a[0] for a in attempts}
            if len(keys) != 1 or not all(a[1] and a[2] for a in attempts):
                fail("every attempt: same key, valid signature: %r" % attempts)
            (key, body), = processed.items()
            if body["handoff_id"] != key or body["occasion"] != "consent":
                fail("body names its key and occasion: %r" % body["handoff_id"])
            if body["triage_level"] not in ("URGENT", "EMERGENCY"):
                fail("triage level: %r" % body["triage_level"])
            summary = body["summary_text"]
            for needle in ("S - Situation", "07700 900123", "Consent to share "
                           "with the clinic: yes", INJURY.split(" and ")[0]):
                if needle not in summary:
                    fail("summary lacks %r:\n%s" % (needle, summary))
            bundle = body["fhir_bundle"]
            if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "collection":
                fail("fhir_bundle is not a Bundle collection")
            types = sorted(e["resource"]["resourceType"] for e in bundle["entry"])
            if types != ["Patient", "Questionnaire", "QuestionnaireResponse",
                         "RiskAssessment"]:
                fail("bundle resources: %r" % types)
            if yes.session in json.dumps(body):
                fail("the session id left kneechat")

            # 2. Consent no: nothing is sent, not asked again.
            no = Chat(http_port)
            reach_offer(no)
            reply = no.send("no thanks")
            if offers(reply) or offers(no.send("ok")):
                fail("asked again after a no")
            time.sleep(2)
            with Receiver.lock:
                if len(Receiver.attempts) != len(attempts):
                    fail("something was sent after a no")

            # 3. GetHandoff: Connect JSON and gRPC (the CLI).
            status, handoff = connect(http_port, "GetHandoff",
                                      {"sessionId": no.session})
            if status != 200 or "S - Situation" not in handoff["summaryText"]:
                fail("Connect GetHandoff: %d %r" % (status, handoff))
            if json.loads(handoff["fhirBundleJson"])["resourceType"] != "Bundle":
                fail("Connect GetHandoff: no Bundle")
            if handoff.get("consent") != "HANDOFF_CONSENT_DECLINED":
                fail("consent: %r" % handoff.get("consent"))
            text = subprocess.run([args.cli, "handoff", yes.session, "--server",
                                   grpc_address], capture_output=True, text=True,
                                  timeout=60)
            if text.returncode != 0 or "07700 900123" not in text.stdout:
                fail("kneechat handoff: %s %s" % (text.stdout, text.stderr))
            fhir = subprocess.run([args.cli, "handoff", yes.session, "--fhir",
                                   "--server", grpc_address],
                                  capture_output=True, text=True, timeout=60)
            if fhir.returncode != 0 or json.loads(fhir.stdout)["type"] != "collection":
                fail("kneechat handoff --fhir: %s" % fhir.stderr)
            status, error = connect(http_port, "GetHandoff",
                                    {"sessionId": "0" * 32})
            if status != 404 or error.get("code") != "not_found":
                fail("Connect GetHandoff of an unknown session: %d %r"
                     % (status, error))
            missing = subprocess.run([args.cli, "handoff", "0" * 32, "--server",
                                      grpc_address], capture_output=True,
                                     text=True, timeout=60)
            if missing.returncode == 0 or "NOT_FOUND" not in missing.stderr:
                fail("kneechat handoff of an unknown session: %s"
                     % missing.stderr)
            log = open(stderr_path).read()
            if "07700 900123" in log or "handoff-secret" in log:
                fail("the contact or the secret reached the log")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    receiver.shutdown()
    print("handoff end to end: 1 passed, 0 failed")


if __name__ == "__main__":
    main()
