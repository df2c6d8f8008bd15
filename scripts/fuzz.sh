#!/usr/bin/env bash
# Bounded fuzzing (issue #8 item 5), run by scripts/test.sh after the test suite (so by CI too): configures a separate
# clang build dir with -DPIXAPI_FUZZ=ON, builds only the libFuzzer harnesses (target `fuzzers`, not the app), then
# runs every harness for $PIXAPI_FUZZ_SECONDS (default 20) from a copy of its seeds (ctest -L fuzz, one harness per
# core) and prints runs and coverage per harness. Fails on any crash, sanitizer report, hang or broken invariant.
# Env: FUZZ_BUILD_DIR (default build-fuzz), PIXAPI_FUZZ_SECONDS, JOBS (default nproc), PIXAPI_WERROR (default ON).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${JOBS:-$(nproc)}
export PIXAPI_FUZZ_SECONDS=${PIXAPI_FUZZ_SECONDS:-20}

start=$SECONDS
generator=()
mkdir -p "$BUILD_DIR"
log=$BUILD_DIR/fuzz-configure.log
[ -f "$BUILD_DIR/CMakeCache.txt" ] || generator=(-G Ninja) # an existing dir keeps its generator
# -O1 -g: fast enough to fuzz, exact stacks. The whole project is configured, but only the harnesses are built.
cmake -S . -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_CXX_COMPILER=clang++ -DPIXAPI_FUZZ=ON -DPIXAPI_SANITIZE=OFF \
    -DBUILD_TESTING=ON -DPIXAPI_WERROR="${PIXAPI_WERROR:-ON}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >"$log" 2>&1 || { cat "$log"; exit 1; }
cmake --build "$BUILD_DIR" --target fuzzers -j"$JOBS"
echo "fuzz.sh: configured and built the harnesses in $((SECONDS - start)) s"

start=$SECONDS
rc=0
(cd "$BUILD_DIR" && ctest -L '^fuzz$' -j"$JOBS" --output-on-failure) || rc=$?
echo "fuzz.sh: ${PIXAPI_FUZZ_SECONDS} s per harness, $((SECONDS - start)) s in all:"
cat "$BUILD_DIR"/tests/fuzz/*.run/summary.txt 2>/dev/null || true
exit "$rc"
