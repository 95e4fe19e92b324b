#!/usr/bin/env bash
# Sets up and runs kneechat: installs what is missing, builds, starts the
# server (gRPC on 127.0.0.1:50051, HTTP + web widget on 127.0.0.1:8080) and
# opens a terminal chat with it. The server stops when the chat ends.
# Environment: KNEECHAT_GRPC (default 127.0.0.1:50051),
# KNEECHAT_HTTP (default 127.0.0.1:8080), KNEECHAT_CONFIG (deployment file).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh run
bash deploy/build.sh

grpc="${KNEECHAT_GRPC:-127.0.0.1:50051}"
http="${KNEECHAT_HTTP:-127.0.0.1:8080}"
args=(--listen "$grpc" --http-listen "$http")
[ -n "${KNEECHAT_CONFIG:-}" ] && args+=(--config "$KNEECHAT_CONFIG")
log="$(mktemp -t kneechat-server.XXXXXX.log)"
./build/bin/kneechat-server "${args[@]}" >"$log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$log" 2>/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
echo "kneechat is running: gRPC $grpc, web chat http://$http/ (server log: $log)"
echo "Type your message; /quit to leave."
./build/bin/kneechat chat --server "$grpc"
