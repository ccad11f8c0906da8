#!/bin/sh
# Run every test program of a build directory and print one closing line.
# usage: tests/run-all.sh BUILD
build=${1:-build}
passed=0; failed=0; failed_names=""
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	echo "== $name"
	if "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_names="$failed_names $name"; fi
done
if [ -x "$build/tests/run_cases" ]; then
	echo "== run_cases"
	if CLEARANCE_BIN="$build/clearance" "$build/tests/run_cases" tests/cases; then
		passed=$((passed + 1)); else failed=$((failed + 1)); failed_names="$failed_names run_cases"; fi
fi
[ -z "$failed_names" ] || echo "failed:$failed_names"
echo "test programs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
