#!/usr/bin/env bash
# bench/hook-dco.sh: what the pre-receive hook costs on a real push.
#
# Builds a repository of N commits (default 10,000, all signed off), pushes
# it into a bare repository with the hook installed, and prints a table:
#   - the hook's own time for the whole push (measured by running the hook
#     exactly as git does, in the quarantine-free repository after the push,
#     with the same stdin), median of RUNS runs
#   - the baseline: `git log --format='%H%n%an%n%ae%n%B'` over the same commits
#   - their ratio (target <= 2.0)
#   - the hook's time for a one-commit push (target < 20 ms)
#   - the hook's peak memory (max RSS) for the whole push (target < 30 MB)
#   - the wall time of the real `git push` with and without the hook
# usage: bench/hook-dco.sh [BUILD_DIR] [N] [RUNS]
set -euo pipefail
build=${1:-build}
n=${2:-10000}
runs=${3:-5}
clearance=$(cd "$build" && pwd)/clearance
tmp=$(mktemp -d /tmp/clearance-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp/home
mkdir -p "$HOME"
git config --global user.name "Bench Mark"
git config --global user.email "bench@example.com"
git config --global init.defaultBranch main

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $* }"; }
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)"; exit 2; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# N signed-off commits, each touching one file, through fast-import (seconds, not minutes).
git init -q "$tmp/src"
{
	for ((i = 1; i <= n; i++)); do
		msg="Change number $i

This commit changes file $((i % 100)) for the benchmark.

Signed-off-by: Bench Mark <bench@example.com>"
		echo "commit refs/heads/main"
		echo "author Bench Mark <bench@example.com> $((1700000000 + i)) +0000"
		echo "committer Bench Mark <bench@example.com> $((1700000000 + i)) +0000"
		echo "data ${#msg}"
		echo "$msg"
		echo "M 644 inline f$((i % 100)).txt"
		echo "data ${#i}"
		echo "$i"
		echo
	done
} | git -C "$tmp/src" fast-import --quiet
git -C "$tmp/src" reset -q --hard main
tip=$(git -C "$tmp/src" rev-parse main)
zero=0000000000000000000000000000000000000000

git init -q --bare "$tmp/plain.git"
git init -q --bare "$tmp/hooked.git"
"$clearance" install-hooks "$tmp/hooked.git" >/dev/null

t0=$(now); git -C "$tmp/src" push -q "file://$tmp/plain.git" main 2>/dev/null; t1=$(now)
push_plain=$(calc "$t1 - $t0")
t0=$(now); git -C "$tmp/src" push -q "file://$tmp/hooked.git" main; t1=$(now)
push_hooked=$(calc "$t1 - $t0")

# The hook alone, as git runs it, for the same update (the ref is moved
# back so the commits are new again). No quarantine: objects are in place.
git -C "$tmp/hooked.git" update-ref -d refs/heads/main
hook_times=() log_times=()
for ((r = 0; r < runs; r++)); do
	t0=$(now)
	(cd "$tmp/hooked.git" && echo "$zero $tip refs/heads/main" | GIT_DIR=. ./hooks/pre-receive)
	t1=$(now)
	hook_times+=("$(calc "$t1 - $t0")")
	t0=$(now)
	git -C "$tmp/hooked.git" log --format='%H%n%an%n%ae%n%B' "$tip" >/dev/null
	t1=$(now)
	log_times+=("$(calc "$t1 - $t0")")
done
hook=$(printf '%s\n' "${hook_times[@]}" | median)
base=$(printf '%s\n' "${log_times[@]}" | median)
ratio=$(calc "$hook / $base")
rss=$( { cd "$tmp/hooked.git" && echo "$zero $tip refs/heads/main" | GIT_DIR=. /usr/bin/time -f '%M' ./hooks/pre-receive; } 2>&1 | tail -n 1)

# One commit on top of the pushed history.
git -C "$tmp/hooked.git" update-ref refs/heads/main "$tip"
git -C "$tmp/src" commit -q --allow-empty --signoff -m "One more"
one=$(git -C "$tmp/src" rev-parse HEAD)
git -C "$tmp/src" push -q "file://$tmp/hooked.git" main
git -C "$tmp/hooked.git" update-ref refs/heads/main "$tip"
one_times=()
for ((r = 0; r < runs * 4; r++)); do
	t0=$(now)
	(cd "$tmp/hooked.git" && echo "$tip $one refs/heads/main" | GIT_DIR=. ./hooks/pre-receive)
	t1=$(now)
	one_times+=("$(calc "($t1 - $t0) * 1000")")
done
one_ms=$(printf '%s\n' "${one_times[@]}" | median)

printf '\nclearance pre-receive benchmark: %d signed-off commits, median of %d runs\n\n' "$n" "$runs"
printf '| %-44s | %12s | %-10s |\n' "measure" "value" "target"
printf '|%s|%s|%s|\n' "----------------------------------------------" "--------------" "------------"
printf '| %-44s | %10.3f s | %-10s |\n' "hook, whole push ($n commits)" "$hook" ""
printf '| %-44s | %10.3f s | %-10s |\n' "baseline: git log --format=%H%n%an%n%ae%n%B" "$base" ""
printf '| %-44s | %12.2f | %-10s |\n' "ratio hook / baseline" "$ratio" "<= 2.0"
printf '| %-44s | %9.1f ms | %-10s |\n' "hook, one-commit push" "$one_ms" "< 20 ms"
printf '| %-44s | %9.1f MB | %-10s |\n' "hook peak memory (max RSS), whole push" "$(calc "$rss / 1024")" "< 30 MB"
printf '| %-44s | %10.3f s | %-10s |\n' "git push, no hook" "$push_plain" ""
printf '| %-44s | %10.3f s | %-10s |\n' "git push, with the hook" "$push_hooked" ""
