#!/usr/bin/env bash
# The README's test command: installs dependencies, builds everything with -Werror, runs every test headless
# (offscreen Qt; each keychain test gets its own dbus-run-session and unlocked gnome-keyring), then fuzzes every parser
# briefly (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
BUILD_DIR=${BUILD_DIR:-build-test}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPIXAPI_WERROR=ON -DBUILD_TESTING=ON \
  -DCMAKE_CXX_FLAGS="-DQT_FORCE_ASSERTS -D_FORTIFY_SOURCE=3 -D_GLIBCXX_ASSERTIONS"
cmake --build "$BUILD_DIR" -j"$(nproc)"
(cd "$BUILD_DIR" && ctest --output-on-failure -j"$(nproc)" --timeout 300)
# Then every libFuzzer harness for a bounded time (PIXAPI_FUZZ_SECONDS each, default 20), in its own clang build dir.
./scripts/fuzz.sh
