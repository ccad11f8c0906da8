#!/bin/sh
# Run the libFuzzer harnesses of a build directory over their corpora.
#
# usage: tests/fuzz/run.sh DIR SECONDS
#   DIR      holds the harnesses, fuzz_NAME (built by `make fuzz-build`)
#   SECONDS  0: replay every file of tests/fuzz/corpus/NAME/ once (a
#            regression check, as `make check` does); otherwise fuzz each
#            harness for that long. New inputs go to a scratch copy of the
#            corpus, so a run never rewrites the checked-in seeds; crashes
#            are kept under $FUZZ_ARTIFACTS (default build/fuzz-artifacts/).
#
# Exit status: 0 when every harness ran clean, 1 otherwise.
set -u
dir=${1:?usage: run.sh DIR SECONDS}
seconds=${2:?usage: run.sh DIR SECONDS}
here=$(cd "$(dirname "$0")" && pwd)
artifacts=${FUZZ_ARTIFACTS:-build/fuzz-artifacts}
case $seconds in
	''|*[!0-9]*) echo "run.sh: SECONDS must be a number, not '$seconds'" >&2; exit 2 ;;
esac

failed=""; ran=0
for bin in "$dir"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	corpus="$here/corpus/$name"
	ran=$((ran + 1))
	if [ ! -d "$corpus" ]; then
		echo "== fuzz_$name: no corpus at $corpus" >&2
		failed="$failed $name"
		continue
	fi
	if [ "$seconds" -eq 0 ]; then
		echo "== fuzz_$name: replaying $(ls "$corpus" | wc -l) inputs"
		# files, not the directory: with a directory libFuzzer would also merge
		if ! "$bin" -runs=0 "$corpus"/* >"$dir/fuzz_$name.log" 2>&1; then
			tail -40 "$dir/fuzz_$name.log" >&2
			failed="$failed $name"
		fi
	else
		scratch=$(mktemp -d "${TMPDIR:-/tmp}/clearance-fuzz-$name.XXXXXX") || exit 1
		cp "$corpus"/* "$scratch"/
		mkdir -p "$artifacts/$name"
		echo "== fuzz_$name: ${seconds}s"
		if "$bin" -max_total_time="$seconds" -print_final_stats=1 \
			-artifact_prefix="$artifacts/$name/" "$scratch" >"$dir/fuzz_$name.log" 2>&1; then
			grep -E '^stat::(number_of_executed_units|new_units_added)' "$dir/fuzz_$name.log"
		else
			tail -60 "$dir/fuzz_$name.log" >&2
			echo "fuzz_$name: failure; reproducer in $artifacts/$name/" >&2
			failed="$failed $name"
		fi
		rm -rf "$scratch"
	fi
done

if [ "$ran" -eq 0 ]; then
	echo "run.sh: no fuzz_* harness in '$dir'" >&2
	exit 1
fi
[ -z "$failed" ] || { echo "fuzz failed:$failed"; exit 1; }
echo "fuzz: $ran harness(es) clean"
