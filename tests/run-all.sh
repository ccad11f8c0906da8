#!/bin/sh
# Run every test program of a build directory and print one closing line,
# "tests: N passed, M failed", counting the cmocka tests of all programs.
# usage: tests/run-all.sh BUILD
build=${1:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed_programs=""

run() {
	name=$1
	shift
	echo "== $name"
	# The program's exit status, not only its counts: sanitizers report after cmocka.
	if "$@" >"$log" 2>&1; then status=0; else status=1; fi
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s), listed below:.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$status" -ne 0 ]; then
		failed_programs="$failed_programs $name"
		[ "$f" -gt 0 ] || failed=$((failed + 1))   # crashed or leaked outside any test
	fi
}

passed=0
failed=0
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	run "$(basename "$t")" "$t"
done
if [ -x "$build/tests/run_cases" ]; then
	run run_cases env CLEARANCE_BIN="$build/clearance" "$build/tests/run_cases" tests/cases
fi
[ -z "$failed_programs" ] || echo "failing programs:$failed_programs"
echo "tests: $passed passed, $failed failed"
[ -z "$failed_programs" ]
