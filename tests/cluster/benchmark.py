"""Throughput and latency of kneechat turns through nginx, in one run:
the in-memory store on one replica, then the Redis store with 1, 2 and 3
replicas. Also Redis commands, bytes and Redis CPU per turn (from INFO, so they include
CreateSession and the replicas' once-a-second health PING; commands run
inside the commit script count too: a turn sends 3 commands -- SET NX of
the lock, GET, EVAL of the commit -- which Redis counts as 7).

Not a test: figures depend on the machine. Everything (clients, nginx,
Redis, replicas) shares this machine's cores, which the report prints.

Usage: benchmark.py --server build/bin/kneechat-server [--seconds 15]
       [--clients 8]
"""

import argparse
import multiprocessing
import os
import random
import time

import cluster_lib

SCRIPT = ["my knee is sore at the front whenever I run", "about three weeks", "none of those",
          "what exercises help?", "should ice go on it?", "is cycling ok?"]


def client(args):
    """One client process: conversations back to back for `seconds`; returns
    the SendMessage latencies (seconds) and the errors."""
    port, seconds, seed = args
    random.seed(seed)
    api = cluster_lib.Api(port)
    latencies, errors = [], 0
    stop = time.monotonic() + seconds
    n = 0
    while time.monotonic() < stop:
        status, data = api.call("CreateSession", {"channel": "web"})
        if status != 200:
            errors += 1
            continue
        session = data["sessionId"]
        for i, text in enumerate(SCRIPT):
            if time.monotonic() >= stop:
                break
            n += 1
            body = {"sessionId": session, "text": text, "messageId": "b%d-%d" % (seed, n)}
            start = time.monotonic()
            status, _ = api.call("SendMessage", body)
            if status == 200:
                latencies.append(time.monotonic() - start)
            else:
                errors += 1
    api.close()
    return latencies, errors


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def redis_stats(port):
    info = cluster_lib.redis_cli(port, "INFO", "all")
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return (int(fields["total_commands_processed"]), int(fields["total_net_input_bytes"]),
            int(fields["total_net_output_bytes"]),
            float(fields["used_cpu_user"]) + float(fields["used_cpu_sys"]),
            int(fields["cmdstat_eval"].split("calls=")[1].split(",")[0])
            if "cmdstat_eval" in fields else 0)


def run(server, store, replicas, seconds, clients):
    cluster = cluster_lib.Cluster(server)
    try:
        spec = "memory"
        if store == "redis":
            cluster.redis("redis")
            spec = "redis://127.0.0.1:%d" % cluster.ports["redis"]
        names = ["kneechat-%d" % (i + 1) for i in range(replicas)]
        for name in names:
            cluster.replica(name, spec)
        port = cluster.nginx(names)
        before = redis_stats(cluster.ports["redis"]) if store == "redis" else None
        with multiprocessing.Pool(clients) as pool:
            results = pool.map(client, [(port, seconds, i) for i in range(clients)])
        after = redis_stats(cluster.ports["redis"]) if store == "redis" else None
        latencies = [l for r in results for l in r[0]]
        errors = sum(r[1] for r in results)
        row = {"store": store, "replicas": replicas, "turns": len(latencies),
               "turns_per_s": len(latencies) / seconds,
               "p50_ms": 1000 * percentile(latencies, 50),
               "p99_ms": 1000 * percentile(latencies, 99), "errors": errors}
        if before is not None:
            turns = max(1, len(latencies))
            row["cmds_per_turn"] = (after[0] - before[0]) / turns
            row["bytes_in_per_turn"] = (after[1] - before[1]) / turns
            row["bytes_out_per_turn"] = (after[2] - before[2]) / turns
            row["redis_cpu_us_per_turn"] = 1e6 * (after[3] - before[3]) / turns
        return row
    finally:
        cluster.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    print("machine: %d cores; %d client processes; %.0fs per configuration" %
          (os.cpu_count(), args.clients, args.seconds))
    rows = [run(args.server, "memory", 1, args.seconds, args.clients)]
    for replicas in (1, 2, 3):
        rows.append(run(args.server, "redis", replicas, args.seconds, args.clients))
    print("%-7s %8s %8s %9s %8s %8s %7s %10s %10s %10s %12s" %
          ("store", "replicas", "turns", "turns/s", "p50 ms", "p99 ms", "errors",
           "cmds/turn", "B in/turn", "B out/turn", "redis us/turn"))
    for r in rows:
        print("%-7s %8d %8d %9.1f %8.1f %8.1f %7d %10s %10s %10s %12s" %
              (r["store"], r["replicas"], r["turns"], r["turns_per_s"], r["p50_ms"],
               r["p99_ms"], r["errors"],
               "%.1f" % r["cmds_per_turn"] if "cmds_per_turn" in r else "-",
               "%.0f" % r["bytes_in_per_turn"] if "bytes_in_per_turn" in r else "-",
               "%.0f" % r["bytes_out_per_turn"] if "bytes_out_per_turn" in r else "-",
               "%.0f" % r["redis_cpu_us_per_turn"] if "redis_cpu_us_per_turn" in r
               else "-"))


if __name__ == "__main__":
    main()
