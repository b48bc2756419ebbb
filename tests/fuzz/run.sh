#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ and runs a campaign.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      (default: 180 seconds, every target)
#
# Each fuzzer runs SECONDS with one job (-jobs is not used), PARALLEL of them at a time (default
# 2: the machine has two cores), -timeout=10 -rss_limit_mb=2048 and a per-target -max_len. The
# working corpus lives in build-fuzz/corpus/<target>/ and grows from run to run; the seeds are
# tests/fuzz/corpus/<target>/ and, for fuzz_spec, every templates/*/stack.yaml (copied at run
# time) and tests/spec/bad/. Crashes, leaks, timeouts and property violations land in
# build-fuzz/artifacts/<target>/; minimise them and save them under tests/fuzz/regressions/
# (docs/fuzzing.md). Prints libFuzzer's final stats per target and appends them to
# build-fuzz/campaign.tsv. Exit 0 when no fuzzer found anything.
#
# Environment: BUILD_DIR (build-fuzz), PARALLEL (2), FUZZ_ARGS (extra libFuzzer flags).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

SECONDS_PER_TARGET=${1:-180}
shift || true
ALL_TARGETS=(fuzz_spec fuzz_emitter fuzz_intrinsics fuzz_templates fuzz_ignore fuzz_yaml)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
BUILD_DIR=${BUILD_DIR:-build-fuzz}
PARALLEL=${PARALLEL:-2}

case "$SECONDS_PER_TARGET" in
  ''|*[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac
for t in "${TARGETS[@]}"; do
  case " ${ALL_TARGETS[*]} " in *" $t "*) ;; *) echo "unknown target '$t' (${ALL_TARGETS[*]})" >&2; exit 2 ;; esac
done

echo "== building the fuzzers (clang) in $BUILD_DIR"
CC=clang CXX=clang++ cmake -S tests/fuzz -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"

echo "== replaying the saved regressions"
"$BUILD_DIR/replay_regressions" --quiet tests/fuzz/regressions

max_len() {
  case "$1" in
    fuzz_spec) echo 8192 ;;
    fuzz_templates) echo 16384 ;;
    fuzz_yaml) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

# Copies every example spec into a seed folder for target $1 and prints the folder.
example_seeds() {
  local seeds="$BUILD_DIR/seeds/$1"
  rm -rf "$seeds" && mkdir -p "$seeds"
  for spec in templates/*/stack.yaml; do
    cp "$spec" "$seeds/$(basename "$(dirname "$spec")").yaml"
  done
  echo "$seeds"
}

extra_corpora() {
  case "$1" in
    fuzz_spec)
      echo "$(example_seeds "$1") tests/spec/bad"
      ;;
    fuzz_yaml)
      # The example specs, the bad specs and what fuzz_spec's campaigns have grown: YAML that
      # reaches far into both readers.
      echo "$(example_seeds "$1") tests/spec/bad"
      if [ -d "$BUILD_DIR/corpus/fuzz_spec" ]; then echo "$BUILD_DIR/corpus/fuzz_spec"; fi
      ;;
  esac
}

dict() {
  [ -f "tests/fuzz/$1.dict" ] && echo "-dict=tests/fuzz/$1.dict"
  return 0
}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BUILD_DIR/logs"

run_one() {
  local t=$1
  local rc corpus="$BUILD_DIR/corpus/$t" artifacts="$BUILD_DIR/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  local log="$BUILD_DIR/logs/$t-$stamp.log"
  # shellcheck disable=SC2046,SC2086
  # -entropic=0 and ASan's malloc_context_size=0: with corpora of 1,500+ inputs, libFuzzer's
  # entropic bookkeeping took 38% of fuzz_spec's time and ASan's allocation stacks 9% of
  # fuzz_emitter's (perf), about 3x fewer executions; a finding's stack comes from
  # replay_regressions, which keeps full stacks.
  ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0} \
  "$BUILD_DIR/$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -entropic=0 \
    -max_len="$(max_len "$t")" -print_final_stats=1 $(dict "$t") \
    -artifact_prefix="$artifacts/" ${FUZZ_ARGS:-} \
    "$corpus" "tests/fuzz/corpus/$t" $(extra_corpora "$t") >"$log" 2>&1 && rc=0 || rc=$?
  echo "$rc" >"$log.rc"
}

echo "== running ${TARGETS[*]} for ${SECONDS_PER_TARGET}s each, $PARALLEL at a time"
running=0
for t in "${TARGETS[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$PARALLEL" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

status=0
printf '\n%-16s %12s %9s %8s %8s %12s %8s %s\n' target executions exec/s cov ft corpus rss result
for t in "${TARGETS[@]}"; do
  log="$BUILD_DIR/logs/$t-$stamp.log"
  rc=$(cat "$log.rc")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
  # libFuzzer exits 72 on SIGINT/SIGTERM (a campaign stopped early: the figures count) and 70 on
  # a timeout. A process stopped with SIGSTOP (or a suspended machine) also ends in a timeout,
  # because the pause counts as the input's run time: replay the timeout-* file to tell.
  case "$rc" in
    0) result=ok ;;
    72) result="stopped early (SIGINT)" ;;
    *)
      result="FOUND (exit $rc): $(grep -m1 -E 'ERROR: |property violated|Test unit written' "$log" || true)"
      status=1
      ;;
  esac
  printf '%-16s %12s %9s %8s %8s %12s %6sMB %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "${rss:-?}" "$result"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stamp" "$t" "$SECONDS_PER_TARGET" "${execs:-}" "${speed:-}" \
    "${cov:-}" "${ft:-}" "${corp:-}" "$rc" >>"$BUILD_DIR/campaign.tsv"
done
echo
echo "logs: $BUILD_DIR/logs/*-$stamp.log; totals over every run: $BUILD_DIR/campaign.tsv"
if [ "$status" != 0 ]; then
  echo "findings are in $BUILD_DIR/artifacts/<target>/; minimise with"
  echo "  $BUILD_DIR/<target> -minimize_crash=1 -max_total_time=60 -exact_artifact_path=tests/fuzz/regressions/<target>/<name> <artifact>"
fi
exit "$status"
