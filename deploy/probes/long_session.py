#!/usr/bin/env python3
"""Feeds one kneechat session many messages over Connect JSON and prints what
a long conversation costs: per-turn latency early and late, the size of
GetSession, and how a reused message id and a long follow-up are handled.

  deploy/probes/long_session.py --http 127.0.0.1:PORT [--messages 2000]

Figures for the README come from this script (the same command before and
after a change), never from timed unit tests."""
import argparse
import http.client
import json
import statistics
import time


class Connect:
    def __init__(self, address):
        host, port = address.rsplit(":", 1)
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)

    def call(self, method, body):
        payload = json.dumps(body).encode()
        self.conn.request("POST", "/kneechat.v1.KneeChat/" + method, payload,
                          {"Content-Type": "application/json"})
        response = self.conn.getresponse()
        data = response.read()
        return response.status, data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", required=True, help="HOST:PORT of --http-listen")
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    c = Connect(args.http)
    status, data = c.call("CreateSession", {"channel": "web"})
    assert status == 200, (status, data)
    sid = json.loads(data)["sessionId"]
    texts = ["my knee is sore at the front whenever I jog", "about three weeks",
             "31", "no swelling", "none of those", "what about a knee brace?",
             "should I ice it?", "can I keep running?"]
    times = []
    failures = 0
    for i in range(args.messages):
        t0 = time.perf_counter()
        status, _ = c.call("SendMessage", {"sessionId": sid, "messageId": "m%d" % i,
                                           "text": texts[i % len(texts)]})
        times.append((time.perf_counter() - t0) * 1000)
        failures += status != 200
    n = min(100, len(times))
    print("turns %d, failed %d" % (len(times), failures))
    print("median turn ms: first %d %.1f, last %d %.1f" % (
        n, statistics.median(times[:n]), n, statistics.median(times[-n:])))
    status, data = c.call("GetSession", {"sessionId": sid})
    print("GetSession: HTTP %d, %d bytes of JSON" % (status, len(data)))
    status, data = c.call("SendMessage", {"sessionId": sid, "messageId": "m0",
                                          "text": "I have crushing chest pain"})
    print("old message_id, other text: HTTP %d %s" % (status, data[:120].decode(errors="replace")))
    status, data = c.call("SendMessage", {"sessionId": sid, "messageId": "m%d" % (args.messages - 1),
                                          "text": texts[(args.messages - 1) % len(texts)]})
    print("latest message_id, same text: HTTP %d" % status)
    # A fresh conversation up to its answer, then a long follow-up.
    profile = {"location": "around the kneecap", "activity": "running",
               "duration": "three weeks", "age": "31",
               "onset": "gradually, no injury", "swelling": "no",
               "weight_bearing": "yes", "red_flags": "none of those"}
    status, data = c.call("CreateSession", {"channel": "web"})
    sid = json.loads(data)["sessionId"]
    reply = {"kind": "REPLY_KIND_QUESTION", "asking": "location"}
    text = "my knee is sore at the front whenever I run"
    for i in range(10):
        status, data = c.call("SendMessage", {"sessionId": sid, "messageId": "a%d" % i,
                                              "text": text})
        reply = json.loads(data).get("reply", {})
        if reply.get("kind") != "REPLY_KIND_QUESTION":
            break
        text = profile.get(reply.get("asking"), "not sure")
    print("conversation reached %s" % reply.get("kind"))
    for size in (900, 1100, 4000):
        question = "how long should I rest before I start running again? "
        long_text = (question * (size // len(question) + 1))[:size]
        status, data = c.call("SendMessage", {"sessionId": sid, "messageId": "long%d" % size,
                                              "text": long_text})
        print("follow-up of %d bytes: HTTP %d %s" % (len(long_text), status,
                                                     data[:100].decode(errors="replace")))


if __name__ == "__main__":
    main()
