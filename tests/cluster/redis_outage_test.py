"""One kneechat-server on redis:// while Redis goes away and comes back.

While Redis is down: turns fail fast with HTTP 503 (Connect "unavailable"),
GET /healthz answers 503 and gRPC health reports NOT_SERVING. When Redis is
back on the same port, the server reconnects by itself, reports SERVING
again within a few seconds, and the conversation goes on where it was
(Redis is started with appendonly, so the session survives the restart).

Usage: redis_outage_test.py --server build/bin/kneechat-server
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import time

import cluster_lib


def http_call(port, method, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", cluster_lib.API + method, json.dumps(body),
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None
    finally:
        conn.close()


def healthz(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status
    finally:
        conn.close()


def grpc_health(port):
    try:
        import grpc  # Debian's python3-grpcio
    except ImportError:
        return None
    with grpc.insecure_channel("127.0.0.1:%d" % port) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                    request_serializer=lambda m: m,
                                    response_deserializer=lambda m: m)
        response = check(b"", timeout=5)
        return {b"\x08\x01": "SERVING", b"\x08\x02": "NOT_SERVING"}.get(response, repr(response))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    args = parser.parse_args()
    cluster = cluster_lib.Cluster(args.server)
    problems = []

    def expect(condition, what):
        if not condition:
            problems.append(what)

    try:
        redis_port = cluster.redis("redis")
        cluster_lib.redis_cli(redis_port, "CONFIG", "SET", "appendonly", "yes")
        cluster.replica("kneechat", "redis://127.0.0.1:%d" % redis_port,
                        ["--redis-timeout", "300ms"])
        port = cluster.ports["kneechat.http"]
        grpc_port = cluster.ports["kneechat.grpc"]
        status, data = http_call(port, "CreateSession", {"channel": "web"})
        expect(status == 200, "CreateSession: %s" % status)
        session = data["sessionId"]
        first = {"sessionId": session, "text": "my knee is sore at the front whenever I run",
                 "messageId": "m1"}
        status, reply = http_call(port, "SendMessage", first)
        expect(status == 200, "first turn: %s" % status)
        expect(grpc_health(grpc_port) in ("SERVING", None), "health before the outage")
        cluster_lib.wait_for(
            lambda: "aof_rewrite_in_progress:0" in cluster_lib.redis_cli(
                redis_port, "INFO", "persistence")
            and os.path.exists(os.path.join(cluster.dir, "redis", "appendonlydir")),
            10, "the append-only file")
        time.sleep(1.2)  # appendfsync everysec

        cluster.kill9("redis")
        start = time.monotonic()
        second = {"sessionId": session, "text": "about three weeks", "messageId": "m2"}
        status, data = http_call(port, "SendMessage", second)
        took = time.monotonic() - start
        expect(status == 503 and data and data.get("code") == "unavailable",
               "turn while Redis is down: %s %s" % (status, data))
        expect(took < 2.0, "a turn while Redis is down took %.1fs" % took)
        expect("127.0.0.1" not in json.dumps(data), "the error names an address")
        cluster_lib.wait_for(lambda: healthz(port) == 503, 5, "/healthz 503")
        state = grpc_health(grpc_port)
        expect(state in ("NOT_SERVING", None), "gRPC health while down: %s" % state)

        # Redis back on the same port, with its data.
        argv = ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                "--dir", os.path.join(cluster.dir, "redis"), "--save", "",
                "--appendonly", "yes", "--protected-mode", "no"]
        cluster._spawn("redis-again", argv)
        back = time.monotonic()
        cluster_lib.wait_for(lambda: healthz(port) == 200, 10, "/healthz 200 again")
        print("server healthy again %.1fs after Redis came back" % (time.monotonic() - back))
        state = grpc_health(grpc_port)
        expect(state in ("SERVING", None), "gRPC health after: %s" % state)
        status, data = http_call(port, "SendMessage", second)
        expect(status == 200, "turn after the outage: %s %s" % (status, data))
        status, data = http_call(port, "SendMessage", first)
        expect(status == 200 and data["reply"] == reply["reply"],
               "the first message's retry got another reply")
        status, data = http_call(port, "GetSession", {"sessionId": session})
        ids = [t.get("messageId") for t in data["session"]["transcript"]
               if t.get("role") == "ROLE_USER"]
        expect(ids == ["m1", "m2"], "messages after the outage: %s" % ids)
    finally:
        cluster.stop()
    for p in problems:
        print("FAIL: " + p)
    if problems:
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
