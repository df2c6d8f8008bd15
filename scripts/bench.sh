#!/usr/bin/env bash
# Benchmarks: builds an optimized tree and runs tests/bench/run-benchmarks.py (medians of several runs, as ratios
# against a blank Qt window measured in the same run), once on the offscreen platform and once on X11 (under
# xvfb-run when there is no display). The first run generates a 10,000-image library (~5 min on 2 cores) under
# ~/.cache/pixapi-bench and keeps it. Extra arguments go to the runner (e.g. --runs 7).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
BUILD_DIR=${BUILD_DIR:-build-bench}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >/dev/null
cmake --build "$BUILD_DIR" --target bench_gallery bench_generation bench_batch pixapi-cli -j"$(nproc)"
BENCH=(python3 tests/bench/run-benchmarks.py --bench "$BUILD_DIR/tests/bench/bench_gallery")
"${BENCH[@]}" --platform offscreen "$@"
if [ -n "${DISPLAY:-}" ]; then
  "${BENCH[@]}" --platform xcb "$@"
else
  xvfb-run -a -s "-screen 0 1920x1080x24" "${BENCH[@]}" --platform xcb "$@"
fi
