# tests/lib/case.sh - shell helpers for the <setup>, <install> and <push>
# sections of tests/cases/caseNNNN (the format: tests/cases/README.md).
#
# run_cases sources this file at the top of every phase script, then cd's
# to $WORK. The environment it provides:
#   $BARE       the server repository (bare), where the hooks are installed
#   $WORK       the work repository (non-bare), remote "origin" = $URL
#   $URL        the remote URL for this run's transport (file://..., git://...
#               or http://127.0.0.1:PORT/..., with the <http-user>'s credentials)
#   $TRANSPORT  file, daemon, http or local
#   $POLICY     the file the case's <policy> section was written to
#   $CLEARANCE  the program under test (absolute path)
#   $CASE_DIR   the scratch directory of this run (home/, logs, scripts)
#   GIT_AUTHOR_* and GIT_COMMITTER_*: "A U Thor <author@example.com>", dates
#   that tick() advances from 1700000000, so object ids are the same every run.

# The clock survives from one phase to the next, as test-lib's test_tick does.
case_phase_begin() {
	if [ -f "$CASE_DIR/.tick" ]; then
		CASE_TICK=$(cat "$CASE_DIR/.tick")
	else
		CASE_TICK=1700000000
	fi
	GIT_AUTHOR_DATE="$CASE_TICK +0000"
	GIT_COMMITTER_DATE="$CASE_TICK +0000"
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
	trap '{ set +x; } 2>/dev/null; echo "$CASE_TICK" > "$CASE_DIR/.tick"' EXIT
}

# Advance the author and committer dates by one minute.
tick() {
	CASE_TICK=$((CASE_TICK + 60))
	GIT_AUTHOR_DATE="$CASE_TICK +0000"
	GIT_COMMITTER_DATE="$CASE_TICK +0000"
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}

# The bare server and the work repository every case starts from (run by
# the runner before <setup>).
case_init() {
	git init -q --bare "$BARE" &&
	git init -q "$WORK" &&
	git -C "$WORK" remote add origin "$URL"
}

# commit [git-commit options] [PATH=CONTENT ...]
#   Write each PATH with CONTENT (and a newline), add it, tick, and commit
#   with the options as given (-m, -s, --author, --trailer, ...). Without a
#   PATH a new file named after the clock is added; without -m/-F the
#   message is "commit <time>".
commit() {
	_c_left=$#
	_c_take=
	_c_files=
	_c_msg=
	tick
	while [ "$_c_left" -gt 0 ]; do
		_c_a=$1
		shift
		_c_left=$((_c_left - 1))
		if [ -n "$_c_take" ]; then
			set -- "$@" "$_c_a"
			_c_take=
			continue
		fi
		case $_c_a in
		-m|-F)
			_c_msg=1; set -- "$@" "$_c_a"; _c_take=1 ;;
		--author|--date|--trailer|-C|-c|--cleanup|--fixup|--squash)
			set -- "$@" "$_c_a"; _c_take=1 ;;
		-m*|-F*|--message=*|--file=*)
			_c_msg=1; set -- "$@" "$_c_a" ;;
		-*)
			set -- "$@" "$_c_a" ;;
		*=*)
			_c_p=${_c_a%%=*}
			case $_c_p in */*) mkdir -p "${_c_p%/*}" ;; esac
			printf '%s\n' "${_c_a#*=}" > "$_c_p" || return 1
			git add -- "$_c_p" || return 1
			_c_files=1 ;;
		*)
			echo "commit: '$_c_a' is neither an option nor PATH=CONTENT" >&2
			return 2 ;;
		esac
	done
	if [ -z "$_c_files" ]; then
		echo "$CASE_TICK" > "f$CASE_TICK.txt" && git add "f$CASE_TICK.txt" || return 1
	fi
	if [ -z "$_c_msg" ]; then
		set -- "$@" -m "commit $CASE_TICK"
	fi
	git commit -q "$@"
}

# signed_commit SUBJECT [options and PATH=CONTENT ...]: commit with git's -s
# (a Signed-off-by of the committer, who is the author unless told otherwise).
signed_commit() {
	_s_subject=$1
	shift
	commit -s -m "$_s_subject" "$@"
}

# unsigned_commit SUBJECT [options and PATH=CONTENT ...]
unsigned_commit() {
	_u_subject=$1
	shift
	commit -m "$_u_subject" "$@"
}

# merge [git-merge options] BRANCH: a real merge commit (--no-ff), no sign-off
# unless -s/--signoff is given.
merge() {
	tick
	git merge -q --no-ff --no-edit "$@"
}

# make_commits N [--unsigned-at K | --unsigned] [--subject S]
#   Add N commits on the current branch in one git fast-import run, each
#   changing gen.txt, each signed off by its author except the K-th (1-based),
#   or none of them with --unsigned. Subjects are "S 1" .. "S N" (S defaults
#   to "generated").
make_commits() {
	_m_n=$1
	shift
	_m_bad=0
	_m_subject=generated
	while [ $# -gt 0 ]; do
		case $1 in
		--unsigned-at) _m_bad=$2; shift 2 ;;
		--unsigned) _m_bad=-1; shift ;;
		--subject) _m_subject=$2; shift 2 ;;
		*) echo "make_commits: unknown option '$1'" >&2; return 2 ;;
		esac
	done
	_m_ref=$(git symbolic-ref HEAD) || return 1
	_m_parent=$(git rev-parse -q --verify HEAD) || _m_parent=
	awk -v n="$_m_n" -v bad="$_m_bad" -v ref="$_m_ref" -v parent="$_m_parent" \
	    -v t="$CASE_TICK" -v subject="$_m_subject" \
	    -v name="$GIT_AUTHOR_NAME" -v email="$GIT_AUTHOR_EMAIL" '
	BEGIN {
		for (i = 1; i <= n; i++) {
			when = t + 60 * i
			msg = subject " " i "\n"
			if (i != bad && bad != -1)
				msg = msg "\nSigned-off-by: " name " <" email ">\n"
			data = "line " i "\n"
			printf "commit %s\nmark :%d\n", ref, i
			printf "author %s <%s> %d +0000\n", name, email, when
			printf "committer %s <%s> %d +0000\n", name, email, when
			printf "data %d\n%s", length(msg), msg
			if (i == 1 && parent != "")
				printf "from %s\n", parent
			printf "M 100644 inline gen.txt\ndata %d\n%s\n", length(data), data
		}
	}' | git fast-import --quiet || return 1
	CASE_TICK=$((CASE_TICK + 60 * _m_n))
	tick
	git reset -q --hard
}

# install_hooks [install-hooks options]: install clearance into $BARE with
# the case's <policy> (or the sample policy when the case has none). This is
# what runs when a case has no <install> section.
install_hooks() {
	if [ -f "$POLICY" ]; then
		"$CLEARANCE" install-hooks "$BARE" --policy "$POLICY" "$@"
	else
		"$CLEARANCE" install-hooks "$BARE" "$@"
	fi
}

# server_policy < TEXT: replace the server's policy file behind
# install-hooks' back (it validates; this does not).
server_policy() {
	cat > "$BARE/clearance.yml"
}

# server_hook NAME < SCRIPT: an executable hook of the server's own.
server_hook() {
	mkdir -p "$BARE/hooks" &&
	cat > "$BARE/hooks/$1" &&
	chmod +x "$BARE/hooks/$1"
}
