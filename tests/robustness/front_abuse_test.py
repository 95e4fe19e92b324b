#!/usr/bin/env python3
"""One abusive-client case (deploy/probes/front_abuse.py) against a fresh
kneechat-server on loopback; fails if the server stopped answering others,
grew past its memory bound, or mishandled the requests.

  front_abuse_test.py --server build/bin/kneechat-server --case CASE
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "deploy", "probes"))
import front_abuse  # noqa: E402

MIB = 1024

# Web budgets off, so the measuring client is never the one refused.
CONFIG = """
fair_use { web { requests_per_minute: -1 sessions_per_hour: -1 } }
"""


def start_server(binary, directory):
    config = os.path.join(directory, "kneechat.textproto")
    with open(config, "w") as f:
        f.write(CONFIG)
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
         "--config", config],
        stdout=subprocess.PIPE, stderr=open(os.path.join(directory, "stderr"), "w"),
        text=True)
    ports = {}
    deadline = time.monotonic() + 60
    while len(ports) < 2 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        match = re.search(r"kneechat-server (http )?listening on [\d.]+:(\d+)", line)
        if match:
            ports["http" if match.group(1) else "grpc"] = int(match.group(2))
    if len(ports) < 2:
        process.kill()
        raise SystemExit("server did not start: " +
                         open(os.path.join(directory, "stderr")).read())
    return process, ports


def check(condition, message, result):
    if not condition:
        print(f"FAIL: {message}: {result}", flush=True)
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--case", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        process, ports = start_server(args.server, directory)
        try:
            http, pid = ports["http"], process.pid
            # Warm up: the first requests load the index and the engine.
            for _ in range(3):
                front_abuse.create_session(http)
            if args.case == "headers":
                r = front_abuse.case_headers(http, pid)
                print(r, flush=True)
                check(200 not in r["attackers"], "a request with 100k headers was served", r)
                check(r["rss_peak_kib"] - r["rss_before_kib"] < 64 * MIB,
                      "memory grew by 64 MiB or more", r)
                check(r["other_statuses"] == [200], "others were not served", r)
                check(r["other_slowest_s"] < 2, "others waited 2 s or more", r)
            elif args.case == "slowloris":
                r = front_abuse.case_slowloris(http, pid)
                print(r, flush=True)
                check(r["other_statuses"] == [200], "others were not served", r)
                check(r["other_slowest_s"] < 2, "others waited 2 s or more", r)
                check(len(r["tricklers_cut_after_s"]) == 8,
                      "tricklers were not cut off by the request deadline", r)
            elif args.case == "idle":
                r = front_abuse.case_idle(http, pid)
                print(r, flush=True)
                check(r["other_statuses"] == [200, 200, 200], "others were not served", r)
                check(r["other_slowest_s"] < 2, "others waited 2 s or more", r)
            elif args.case == "burst":
                r = front_abuse.case_burst(http, pid)
                print(r, flush=True)
                check(r["answered_200"] == r["connections"], "some were not answered", r)
                check(r["listen_overflows"] == 0, "the listen backlog overflowed", r)
            elif args.case == "pipeline":
                r = front_abuse.case_pipeline(http, pid)
                print(r, flush=True)
                check(r["statuses"] == [200, 200, 200, 404, 200],
                      "pipelined requests were not answered in order", r)
            elif args.case == "grpc-unread":
                r = front_abuse.case_grpc_unread(ports["grpc"], pid)
                print(r, flush=True)
                check(r["health_checks_ok"] == r["health_checks"],
                      "health checks failed while streams were unread", r)
                check(r["health_slowest_s"] < 2, "health checks took 2 s or more", r)
                check(r["rss_peak_kib"] - r["rss_before_kib"] < 128 * MIB,
                      "memory grew by 128 MiB or more", r)
                check(r["rss_after_close_kib"] - r["rss_before_kib"] < 64 * MIB,
                      "64 MiB or more kept after the streams closed", r)
            else:
                raise SystemExit(f"unknown case {args.case}")
            check(process.poll() is None, "the server exited", r)
            # Still healthy afterwards.
            status, _ = front_abuse.timed_request(http)
            check(status == 200, "not healthy afterwards", status)
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    print("PASS", flush=True)


if __name__ == "__main__":
    main()
