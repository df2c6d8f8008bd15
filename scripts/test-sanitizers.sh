#!/usr/bin/env bash
# ASan + UBSan run of the whole test suite (issue #8 item 6): builds every target (core, ui, cli, sandbox, tests) with
# -DPIXAPI_SANITIZE=ON in a separate build dir and runs ctest with the sanitizers halting on the first finding.
# LeakSanitizer is on; tests/support/lsan.supp suppresses only third-party leaks (Qt, fontconfig, D-Bus, GLib,
# QtKeychain), never our code. Not part of the README command (it is much slower than the normal build).
# Usage: scripts/test-sanitizers.sh [extra ctest args, e.g. -R tst_Parsers]
# Env: BUILD_DIR (default build-asan), JOBS (default nproc), PIXAPI_SKIP_DEPS=1 to skip scripts/deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${PIXAPI_SKIP_DEPS:-0}" = 1 ] || ./scripts/deps.sh
BUILD_DIR=${BUILD_DIR:-build-asan}
JOBS=${JOBS:-$(nproc)}
# clang: it compiles this code about twice as fast as g++ with the sanitizers on (same runtime as the fuzzers).
# -O1: fast enough tests, readable stacks. No _FORTIFY_SOURCE: its checked libc calls bypass ASan's interceptors.
generator=()
[ -f "$BUILD_DIR/CMakeCache.txt" ] || generator=(-G Ninja)
cmake -S . -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_CXX_COMPILER="${CXX:-clang++}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DPIXAPI_SANITIZE=ON -DPIXAPI_FUZZ=OFF -DBUILD_TESTING=ON \
  -DCMAKE_CXX_FLAGS="-DQT_FORCE_ASSERTS -D_GLIBCXX_ASSERTIONS"
start=$SECONDS
cmake --build "$BUILD_DIR" -j"$JOBS"
echo "test-sanitizers.sh: build took $((SECONDS - start)) s"
# Exported, so they reach every test through ctest, with-private-home.sh, with-keyring.sh and dbus-run-session.
# abort_on_error=1: a finding (and a SIGSEGV, which ASan reports) ends in SIGABRT, i.e. a crash like without ASan
# (tst_KeySafety checks that a crashing pixapi-cli is seen as crashed).
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:\
check_initialization_order=1:strict_init_order=1:detect_invalid_pointer_pairs=0:print_summary=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/support/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:print_summary=1"
cd "$BUILD_DIR"
start=$SECONDS
rc=0
ctest --output-on-failure -j"$JOBS" "$@" || rc=$?
echo "test-sanitizers.sh: ctest took $((SECONDS - start)) s"
exit "$rc"
