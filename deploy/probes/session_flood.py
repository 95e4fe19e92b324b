#!/usr/bin/env python3
"""One client floods CreateSession over Connect JSON; then others try.

  deploy/probes/session_flood.py --http 127.0.0.1:PORT [--count 10000]
      [--header X-Forwarded-For]

With --header, the flooder and the others are told apart by that header
(the server must trust it from 127.0.0.1: fair_use.client_address_header and
trusted_proxies); without it every request comes from 127.0.0.1. Prints the
flooder's status counts and whether other clients, and a conversation
started before the flood, still get in."""
import argparse
import collections
import http.client
import json


def call(conn, method, body, headers):
    conn.request("POST", "/kneechat.v1.KneeChat/" + method, json.dumps(body).encode(),
                 dict({"Content-Type": "application/json"}, **headers))
    response = conn.getresponse()
    return response.status, response.read(), response.getheader("Retry-After")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", required=True)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--header", default="")
    args = parser.parse_args()
    host, port = args.http.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)

    def who(address):
        return {args.header: address} if args.header else {}

    status, data, _ = call(conn, "CreateSession", {"channel": "web"}, who("198.51.100.1"))
    earlier = json.loads(data)["sessionId"] if status == 200 else None
    counts = collections.Counter()
    retry = None
    for _ in range(args.count):
        status, _, retry_after = call(conn, "CreateSession", {"channel": "web"},
                                      who("203.0.113.66"))
        counts[status] += 1
        retry = retry_after or retry
    print("flooder: %s, Retry-After %s" % (dict(counts), retry))
    status, _, _ = call(conn, "CreateSession", {"channel": "web"}, who("198.51.100.2"))
    print("another client, new session: HTTP %d" % status)
    if earlier:
        status, _, _ = call(conn, "SendMessage", {"sessionId": earlier, "messageId": "m1",
                                                 "text": "my knee hurts"}, who("198.51.100.1"))
        print("conversation started before the flood: HTTP %d" % status)


if __name__ == "__main__":
    main()
