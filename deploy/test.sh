#!/usr/bin/env bash
# Sets up and runs every kneechat test: installs what is missing (including
# Chromium and Node.js for the browser tests), builds, and runs ctest; then
# builds the unit tests and fuzz targets again with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer (./build-fuzz, deploy/fuzz.sh) and runs the
# unit tests and every fuzz target for a short time there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh test
bash deploy/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc 2>/dev/null || echo 2)"
bash deploy/fuzz.sh build
ctest --test-dir build-fuzz --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" -L 'unit|fuzz'
