#!/usr/bin/env bash
# Sets up and runs every kneechat test: installs what is missing (including
# Chromium and Node.js for the browser tests), builds, and runs ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh test
bash deploy/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc 2>/dev/null || echo 2)"
