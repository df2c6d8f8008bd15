#!/usr/bin/env bash
# Runs one libFuzzer harness for a bounded time: the ctest <harness>_run (label "fuzz") that scripts/fuzz.sh runs.
# Starts from a fresh copy of the seed dirs, fuzzes for $PIXAPI_FUZZ_SECONDS (default 20), and fails on any crash,
# sanitizer report, leak, slow input (-timeout) or broken invariant (FUZZ_CHECK). The failing input is kept in
# WORKDIR/artifacts and shown (base64) in the log tail that is printed. On success prints one line: runs, exec/s,
# coverage, corpus size; it is also written to WORKDIR/summary.txt.
# Usage: run-fuzzer.sh HARNESS WORKDIR SEED_DIR...
set -euo pipefail
harness=$1
work=$2
shift 2
seconds=${PIXAPI_FUZZ_SECONDS:-20}
name=$(basename "$harness")

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
i=0
for seeds in "$@"; do
    i=$((i + 1))
    cp -R "$seeds" "$work/corpus/seeds$i" # libFuzzer reads corpus dirs recursively; new inputs go to corpus/
done

log=$work/fuzz.log
rc=0
start=$SECONDS
# -timeout: one input slower than this is a hang. -rss_limit_mb: a runaway allocation is a failure too.
"$harness" "$work/corpus" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" >"$log" 2>&1 || rc=$?

elapsed=$((SECONDS - start))
stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
coverage=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$log" | tail -1 || true)
summary="$name: $(stat number_of_executed_units) runs in ${elapsed} s ($(stat average_exec_per_sec)/s), \
${coverage:-no coverage line}, new units $(stat new_units_added), peak RSS $(stat peak_rss_mb) MB"
if [ "$rc" -ne 0 ]; then
    echo "FAILED $summary (exit $rc)"
    tail -n 80 "$log"
    echo "failing input(s):"
    ls -l "$work/artifacts"
    exit 1
fi
echo "$summary" | tee "$work/summary.txt"
