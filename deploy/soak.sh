#!/usr/bin/env bash
# Soaks kneechat: a fixed mixed load (Connect JSON, gRPC, Telegram and
# Twilio webhooks) for MINUTES (default 10), printing the server's RSS and
# each channel's p50/p99 every minute and a verdict, first minute against
# the last. Builds first if needed, then starts its own server on loopback.
#   deploy/soak.sh [MINUTES] [more options of deploy/probes/soak.py]
# Against a running server: deploy/probes/soak.py --http HOST:PORT ...
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=10
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then minutes="$1"; shift; fi
if [ ! -x build/bin/kneechat-server ] || [ ! -x build/bin/kneechat ]; then
  bash deploy/build.sh
fi
exec python3 deploy/probes/soak.py --minutes "$minutes" "$@"
