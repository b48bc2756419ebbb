#!/usr/bin/env bash
# valgrind --leak-check=full on the CLI for every example stack: render, validate, check,
# plan, deploy-command, diff, render --all (worker threads) and one bad spec. Any memory error
# or leak (definite, indirect or possible) fails the test.
#
#   tests/valgrind/cli_examples.sh build/cli/lambdaform-dynamic   (build/cli/lambdaform when it is dynamic)
set -euo pipefail
cli=$1
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 --track-origins=yes)
runs=0
run() {  # EXPECTED_EXIT ARGS...: the CLI's own exit code must be EXPECTED_EXIT, valgrind's 99 never
  local want=$1 rc=0
  shift
  "${vg[@]}" "$cli" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  runs=$((runs + 1))
  if [ "$rc" != "$want" ]; then
    echo "FAIL (exit $rc, expected $want): lambdaform $*"
    cat "$tmp/err"
    exit 1
  fi
}
# memcheck follows the heap only where it can replace malloc (a dynamically linked CLI; a static
# glibc program's malloc is invisible to it, and the runs below would check no heap block).
valgrind "$cli" render "$root/templates/versions/stack.yaml" -o "$tmp/t.yaml" 2>"$tmp/err" >/dev/null
if ! grep -Eq 'total heap usage: [1-9][0-9,]* allocs' "$tmp/err"; then
  echo "FAIL: memcheck saw no allocation of $cli (a static executable?)"
  grep 'total heap usage' "$tmp/err" || cat "$tmp/err"
  exit 1
fi
for spec in "$root"/templates/*/stack.yaml; do
  dir=$(dirname "$spec")
  run 0 render "$spec" -o "$tmp/t.yaml"
  run 0 render "$spec" --format json
  run 0 validate "$spec"
  run 0 check "$spec" "$dir/template.yaml"
  run 0 plan "$dir/template.yaml" "$spec"
  run 0 deploy-command "$spec" --template "$dir/template.yaml" --json
done
run 1 diff "$root/templates/inline-python/template.yaml" "$root/templates/versions/template.yaml"
run 0 render --all "$root/templates" -o "$tmp/all"
run 1 validate "$root/tests/spec/bad/code_missing.yaml" --diagnostics-format json
echo "valgrind: $runs CLI runs, no memory errors or leaks"
