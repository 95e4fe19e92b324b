#!/usr/bin/env bash
# Installs what kneechat needs from Debian 12's packages, only what is
# missing, so it is safe to run again. Usage: install-deps.sh [run|test|replicas]
set -euo pipefail

mode="${1:-run}"
packages=(build-essential cmake pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libre2-dev libxapian-dev libabsl-dev nlohmann-json3-dev libcpp-httplib-dev
  libmicrohttpd-dev
  libssl-dev libhiredis-dev libcurl4-openssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  libzstd-dev libjemalloc-dev
  libhunspell-dev hunspell-en-gb)
if [ "$mode" = "replicas" ]; then
  packages+=(redis-server redis-tools)
fi
if [ "$mode" = "test" ]; then
  # redis-server/redis-tools, nginx and openssl: the Redis store and
  # multi-replica (cluster) tests. dpkg-dev and file: the Debian package
  # test (dpkg-shlibdeps; lintian is left out, some 60 Perl packages).
  packages+=(nodejs npm chromium fonts-liberation ca-certificates python3-grpcio python3-protobuf
    redis-server redis-tools nginx-light openssl dpkg-dev file)
  # clang, its sanitizer and libFuzzer runtimes and llvm-symbolizer: the
  # sanitizer build of the unit tests and the fuzz targets (deploy/fuzz.sh).
  packages+=(clang libclang-rt-14-dev llvm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine may already have a newer Node.js from elsewhere.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
want=()
for p in "${missing[@]}"; do [ -n "$p" ] && want+=("$p"); done
[ ${#want[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "kneechat: installing ${want[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
