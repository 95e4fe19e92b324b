"""A planned Sentinel failover (SENTINEL FAILOVER) under a kneechat-server on
redis-sentinel://: the old master stays up and becomes a replica, so the
server's open connections to it now get READONLY (or are closed) -- either
way it must ask the sentinel again, find the new master and go on; the
conversation keeps every message once, in order.

Usage: sentinel_switchover_test.py --server build/bin/kneechat-server
"""

import argparse
import http.client
import os
import sys
import time

import cluster_lib


def send(api, body, deadline=30):
    """Retries UNAVAILABLE with the same message_id, as a client does."""
    stop = time.monotonic() + deadline
    while True:
        try:
            status, data = api.call("SendMessage", body)
        except (OSError, http.client.HTTPException):  # an idle keep-alive closed
            status, data = 503, None
        if status == 200:
            return data
        if status != 503 or time.monotonic() > stop:
            raise AssertionError("SendMessage: %s %s" % (status, data))
        time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    args = parser.parse_args()
    cluster = cluster_lib.Cluster(args.server)
    problems = []
    try:
        cluster.redis("redis-a")
        cluster.redis("redis-b", replica_of="redis-a")
        cluster.sentinel("sentinel", "redis-a", quorum=1)
        cluster_lib.wait_for(
            lambda: "master_link_status:up" in cluster_lib.redis_cli(
                cluster.ports["redis-b"], "INFO", "replication")
            and "slaves=1" in cluster_lib.redis_cli(
                cluster.ports["sentinel"], "INFO", "sentinel"),
            20, "the sentinel to see the replica")
        cluster.replica("kneechat", cluster.sentinel_url(["sentinel"]))
        api = cluster_lib.Api(cluster.ports["kneechat.http"], tls=False)
        status, data = api.call("CreateSession", {"channel": "web"})
        session = data["sessionId"]
        texts = ["my knee is sore at the front whenever I run", "about three weeks",
                 "none of those", "what exercises help?"]
        for i in range(2):
            send(api, {"sessionId": session, "text": texts[i], "messageId": "m%d" % i})
        # Let the turn reach the replica before the switch.
        cluster_lib.redis_cli(cluster.ports["redis-a"], "WAIT", "1", "1000")

        out = cluster_lib.redis_cli(cluster.ports["sentinel"], "SENTINEL", "FAILOVER",
                                    "kneechat")
        if out != "OK":
            problems.append("SENTINEL FAILOVER: " + out)
        cluster_lib.wait_for(
            lambda: cluster.sentinel_master_port("sentinel") == cluster.ports["redis-b"]
            and "role:slave" in cluster_lib.redis_cli(cluster.ports["redis-a"], "INFO",
                                                     "replication"),
            30, "the switchover")
        start = time.monotonic()
        for i in range(2, 4):
            send(api, {"sessionId": session, "text": texts[i], "messageId": "m%d" % i})
        print("writes went on %.1fs after the switchover" % (time.monotonic() - start))

        status, data = api.call("GetSession", {"sessionId": session})
        ids = [t.get("messageId") for t in data["session"]["transcript"]
               if t.get("role") == "ROLE_USER"]
        if ids != ["m0", "m1", "m2", "m3"]:
            problems.append("messages after the switchover: %s" % ids)
        if cluster_lib.redis_cli(cluster.ports["redis-b"], "EXISTS",
                                 "kneechat:session:" + session) != "1":
            problems.append("the session is not on the new master")
        log = open(os.path.join(cluster.dir, "kneechat.log")).read()
        print("server log: %s" % ("READONLY seen" if "no longer takes writes" in log
                                  else "connections were closed"))
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
