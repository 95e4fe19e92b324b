#!/usr/bin/env bash
# A try-out of kneechat as several replicas: installs what is missing,
# builds, then starts a Redis server and two kneechat-server replicas that
# share their sessions in it (gRPC on 127.0.0.1:50051 and :50052, HTTP and
# web chat on http://127.0.0.1:8081/ and :8082/). A conversation started on
# one replica continues on the other. Ctrl-C stops everything; nothing is
# kept (the Redis data lives in a temporary directory).
# Environment: KNEECHAT_REDIS_PORT (default 6390).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh replicas
bash deploy/build.sh

redis_port="${KNEECHAT_REDIS_PORT:-6390}"
dir="$(mktemp -d -t kneechat-replicas.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir" --save "" \
  --appendonly no --logfile "$dir/redis.log" &
pids+=($!)
for _ in $(seq 1 50); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.1
done

for i in 1 2; do
  ./build/bin/kneechat-server --listen "127.0.0.1:5005$i" \
    --http-listen "127.0.0.1:808$i" \
    --session-store "redis://127.0.0.1:$redis_port" >"$dir/kneechat-$i.log" 2>&1 &
  pids+=($!)
done
for i in 1 2; do
  for _ in $(seq 1 100); do
    grep -q "listening on" "$dir/kneechat-$i.log" 2>/dev/null && break
    sleep 0.1
  done
done

cat <<MSG
Redis on 127.0.0.1:$redis_port; kneechat replicas:
  1: gRPC 127.0.0.1:50051, web chat http://127.0.0.1:8081/
  2: gRPC 127.0.0.1:50052, web chat http://127.0.0.1:8082/
A conversation started on replica 1 goes on on replica 2:
  api=/kneechat.v1.KneeChat; json='Content-Type: application/json'
  id=\$(curl -s -H "\$json" -d '{"channel":"web"}' 127.0.0.1:8081\$api/CreateSession |
       sed 's/.*"sessionId":"\([0-9a-f]*\)".*/\1/')
  curl -s -H "\$json" -d "{\"sessionId\":\"\$id\",\"text\":\"my knee hurts when I run\",\"messageId\":\"1\"}" \\
       127.0.0.1:8082\$api/SendMessage
  redis-cli -p $redis_port --scan --pattern 'kneechat:session:*'
Logs: $dir. Ctrl-C stops everything.
MSG
wait
