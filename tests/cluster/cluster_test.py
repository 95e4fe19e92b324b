"""kneechat as a cluster, with failures.

Redis master + one replica + three sentinels; three kneechat-server replicas
on redis-sentinel://; nginx (deploy/nginx/kneechat.conf) in front with TLS.
Many scripted conversations run at once through nginx (consecutive turns
spread over the replicas; some sessions get two messages at the same moment
from two clients). A third of the way in, one kneechat replica is killed
with SIGKILL; two thirds in, the Redis master. Clients retry a failed turn
with the same message_id, as the web widget does.

Then every conversation is checked with GetSession: each message that was
sent appears exactly once, in order, each followed by a reply; no
conversation was lost; sending every message again (same message_id) gives
back the reply first received and does not advance the dialogue. Prints the
failover time and how many turns needed a retry.

Usage: cluster_test.py --server build/bin/kneechat-server [--keep]
"""

import argparse
import random
import sys
import threading
import time

import cluster_lib

SCRIPTS = [
    ["my knee is sore at the front whenever I run", "about three weeks", "none of those",
     "what exercises help?", "should ice go on it?", "is cycling ok?", "thanks"],
    ["the outer side of my knee gets achy on long runs", "six weeks", "no",
     "does stretching help?", "what about new shoes?", "how long until it gets better?",
     "ok thank you"],
    ["pain behind my kneecap going down stairs", "a couple of months", "none of them",
     "can I keep running?", "should I rest completely?", "what strengthening helps?", "bye"],
    ["my knee is sore below the kneecap when I jump", "two weeks", "no to all",
     "should I stop playing basketball?", "does a strap help?", "what about squats?",
     "thanks a lot"],
]
CONVERSATIONS = 24
PAIRED_EVERY = 3          # every third conversation gets two messages at once
TURN_DEADLINE = 90.0      # seconds a client keeps retrying one turn


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.turns_done = 0
        self.retried_turns = 0
        self.attempts = 0
        self.failures_by_status = {}
        self.successes = []  # monotonic times of successful turns
        self.failure_times = []  # monotonic times of failed attempts

    def failed(self):
        with self.lock:
            self.failure_times.append(time.monotonic())

    def record(self, attempts, statuses):
        with self.lock:
            self.turns_done += 1
            self.attempts += attempts
            if attempts > 1:
                self.retried_turns += 1
            for s in statuses:
                self.failures_by_status[s] = self.failures_by_status.get(s, 0) + 1
            self.successes.append(time.monotonic())


def call_with_retry(port, method, body, stats=None, tag=None):
    """Retries 5xx, 429 and broken connections with the same body (so the same
    message_id) until TURN_DEADLINE; returns (reply JSON, attempts). Each
    call opens its own connection, so nginx spreads the turns."""
    api = cluster_lib.Api(port, tag=tag)
    deadline = time.monotonic() + TURN_DEADLINE
    attempts, failures = 0, []
    try:
        while True:
            attempts += 1
            try:
                status, data = api.call(method, body)
            except Exception as e:  # broken connection: retry
                status, data = "conn:" + type(e).__name__, None
            if status == 200:
                if stats is not None:
                    stats.record(attempts, failures)
                return data, attempts
            if isinstance(status, int) and 400 <= status < 500 and status != 429:
                raise AssertionError("%s got %s: %s" % (method, status, data))
            failures.append(status)
            if stats is not None:
                stats.failed()
            if time.monotonic() > deadline:
                raise AssertionError("%s still failing after %.0fs: %s" %
                                     (method, TURN_DEADLINE, failures[-5:]))
            time.sleep(0.1 + random.random() * 0.2)
    finally:
        api.close()


class Conversation:
    def __init__(self, index):
        self.index = index
        self.script = SCRIPTS[index % len(SCRIPTS)]
        self.paired_at = 2 if index % PAIRED_EVERY == 0 else None
        self.session_id = None
        self.replies = {}  # message_id -> reply
        self.error = None

    def message_id(self, i):
        return "c%d-m%d" % (self.index, i)

    def expected_order(self):
        return [self.message_id(i) for i in range(len(self.script))]

    def send(self, port, i, stats):
        body = {"sessionId": self.session_id, "text": self.script[i],
                "messageId": self.message_id(i)}
        data, _ = call_with_retry(port, "SendMessage", body, stats, tag=self.tag())
        self.replies[self.message_id(i)] = data["reply"]

    def tag(self):
        return "c%d" % self.index

    def run(self, port, stats):
        try:
            data, _ = call_with_retry(port, "CreateSession", {"channel": "web"})
            self.session_id = data["sessionId"]
            i = 0
            while i < len(self.script):
                if i == self.paired_at:
                    # Two clients send two messages of one session at once.
                    other = threading.Thread(target=self.send, args=(port, i + 1, stats))
                    other.start()
                    self.send(port, i, stats)
                    other.join()
                    i += 2
                else:
                    self.send(port, i, stats)
                    i += 1
                time.sleep(random.random() * 0.05)
        except Exception as e:  # reported by the main thread
            self.error = "conversation %d: %s" % (self.index, e)


def verify(conversation, port):
    """Returns a list of problems with one conversation."""
    problems = []
    name = "conversation %d" % conversation.index
    data, _ = call_with_retry(port, "GetSession", {"sessionId": conversation.session_id})
    turns = data["session"].get("transcript", [])
    user_ids = [t.get("messageId", "") for t in turns if t.get("role") == "ROLE_USER"]
    expected = conversation.expected_order()
    if conversation.paired_at is not None:
        # The two messages sent at once may be applied in either order.
        a, b = conversation.paired_at, conversation.paired_at + 1
        if user_ids[a:b + 1] == [expected[b], expected[a]]:
            expected[a], expected[b] = expected[b], expected[a]
    if user_ids != expected:
        problems.append("%s: messages %s, expected each once in order %s" %
                        (name, user_ids, expected))
    roles = [t.get("role") for t in turns]
    want_roles = ["ROLE_ASSISTANT"] + ["ROLE_USER", "ROLE_ASSISTANT"] * len(expected)
    if roles != want_roles:
        problems.append("%s: turn roles %s" % (name, roles))
    # A retry of any message returns the reply first received and changes
    # nothing.
    for i in range(len(conversation.script)):
        mid = conversation.message_id(i)
        body = {"sessionId": conversation.session_id, "text": conversation.script[i],
                "messageId": mid}
        again, _ = call_with_retry(port, "SendMessage", body)
        if again["reply"] != conversation.replies.get(mid):
            problems.append("%s: %s replayed a different reply" % (name, mid))
    data, _ = call_with_retry(port, "GetSession", {"sessionId": conversation.session_id})
    if len(data["session"].get("transcript", [])) != len(turns):
        problems.append("%s: replays advanced the dialogue" % name)
    return problems


def grpc_health_through_nginx(port):
    """gRPC (HTTP/2 + TLS) through nginx's grpc_pass: grpc.health.v1 Check."""
    try:
        import grpc  # Debian's python3-grpcio
    except ImportError:
        return "skipped (python3-grpcio not installed)"
    credentials = grpc.ssl_channel_credentials(
        root_certificates=open(cluster_lib.os.path.join(CLUSTER.dir, "fullchain.pem"),
                               "rb").read())
    options = (("grpc.ssl_target_name_override", "localhost"),)
    with grpc.secure_channel("127.0.0.1:%d" % port, credentials, options) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                    request_serializer=lambda m: m,
                                    response_deserializer=lambda m: m)
        response = check(b"", timeout=10)  # empty HealthCheckRequest
        if response != b"\x08\x01":  # status: SERVING
            raise AssertionError("gRPC health through nginx: %r" % response)
    return "SERVING"


CLUSTER = None


def main():
    global CLUSTER
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()
    random.seed(10)
    started = time.monotonic()
    cluster = CLUSTER = cluster_lib.Cluster(args.server, keep_dir=args.keep)
    problems = []
    try:
        cluster.redis("redis-a")
        cluster.redis("redis-b", replica_of="redis-a")
        sentinels = ["sentinel-1", "sentinel-2", "sentinel-3"]
        for s in sentinels:
            cluster.sentinel(s, "redis-a")
        cluster_lib.wait_for(
            lambda: "slave" in cluster_lib.redis_cli(cluster.ports["redis-b"], "ROLE")
            and cluster_lib.redis_cli(cluster.ports["redis-b"], "INFO", "replication")
            .find("master_link_status:up") >= 0, 20, "the Redis replica to sync")
        cluster_lib.wait_for(
            lambda: cluster_lib.redis_cli(cluster.ports["sentinel-1"], "SENTINEL",
                                          "ckquorum", "kneechat").startswith("OK"),
            20, "the sentinels to agree")
        store = cluster.sentinel_url(sentinels)
        replicas = ["kneechat-1", "kneechat-2", "kneechat-3"]
        for r in replicas:
            cluster.replica(r, store, ["--session-lock-ttl", "3s", "--session-lock-wait", "1s",
                                       "--redis-wait-replicas", "1"])
        port = cluster.nginx(replicas)
        print("cluster up in %.1fs (%s)" % (time.monotonic() - started, cluster.dir))
        print("gRPC health through nginx: %s" % grpc_health_through_nginx(port))

        stats = Stats()
        conversations = [Conversation(i) for i in range(CONVERSATIONS)]
        total_turns = sum(len(c.script) for c in conversations)
        threads = [threading.Thread(target=c.run, args=(port, stats)) for c in conversations]
        traffic_start = time.monotonic()
        for t in threads:
            t.start()

        def wait_progress(fraction):
            cluster_lib.wait_for(lambda: stats.turns_done >= fraction * total_turns, 240,
                                 "%d%% of the turns" % (fraction * 100))

        wait_progress(0.3)
        cluster.kill9("kneechat-1")
        print("kill -9 kneechat-1 after %d/%d turns" % (stats.turns_done, total_turns))
        wait_progress(0.6)
        master_killed = time.monotonic()
        done_at_kill = stats.turns_done
        cluster.kill9("redis-a")
        print("kill -9 Redis master after %d/%d turns" % (done_at_kill, total_turns))
        cluster_lib.wait_for(
            lambda: cluster.sentinel_master_port("sentinel-2") == cluster.ports["redis-b"],
            60, "the sentinels to promote the replica")
        promoted = time.monotonic() - master_killed
        for t in threads:
            t.join()
        traffic = time.monotonic() - traffic_start
        for c in conversations:
            if c.error:
                problems.append(c.error)
        refused = [t for t in stats.failure_times if t > master_killed]
        refused_for = (max(refused) - master_killed) if refused else 0.0

        if not problems:
            for c in conversations:
                problems += verify(c, port)
            # DeleteSession erases the key on the (new) master.
            victim = conversations[0].session_id
            call_with_retry(port, "DeleteSession", {"sessionId": victim})
            if cluster_lib.redis_cli(cluster.ports["redis-b"], "EXISTS",
                                     "kneechat:session:" + victim) != "0":
                problems.append("DeleteSession left the Redis key")

        served, replicas_per_conversation = {}, {}
        with open(cluster_lib.os.path.join(cluster.dir, "nginx-access.log")) as f:
            for line in f:
                # $upstream_addr (", "-separated when nginx moved on to
                # another replica) $status $request_uri $http_x_test_conversation
                parts = line.split()
                if len(parts) < 4:
                    continue
                upstream = " ".join(parts[:-3]).split(",")[-1].strip()
                status, uri, tag = parts[-3], parts[-2], parts[-1]
                if uri.endswith("/SendMessage") and status == "200":
                    served[upstream] = served.get(upstream, 0) + 1
                    replicas_per_conversation.setdefault(tag, set()).add(upstream)
        if len(served) < 2:
            problems.append("turns were not spread over the replicas: %s" % served)
        spread = sum(1 for tag, ups in replicas_per_conversation.items()
                     if tag != "-" and len(ups) >= 2)
        if spread < CONVERSATIONS // 2:
            problems.append("only %d conversations had turns on two replicas or more" % spread)

        print("%d conversations, %d turns in %.1fs; %d turns needed a retry "
              "(%d attempts in all; failures seen: %s)" %
              (CONVERSATIONS, total_turns, traffic, stats.retried_turns, stats.attempts,
               stats.failures_by_status))
        print("Redis failover: replica promoted %.1fs after the master was killed; "
              "turns were refused (and retried) until %.1fs after it" % (promoted, refused_for))
        print("successful SendMessage per replica (nginx upstream): %s; "
              "%d of %d conversations had turns on two replicas or more" %
              (served, spread, CONVERSATIONS))
    finally:
        cluster.stop()
    print("total %.1fs" % (time.monotonic() - started))
    for p in problems:
        print("FAIL: " + p)
    if problems:
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
