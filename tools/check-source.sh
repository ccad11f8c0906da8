#!/bin/sh
# Source rules a compiler does not enforce (STYLE.md 7.4): banned functions.
# Exit 1 and name each offending line.
bad=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|strtok)[[:space:]]*\(' \
	lib/*.c lib/*.h bot/*.c bot/*.h cli/*.c hooks/*.c tests/unit/*.c tests/tools/*.c tests/fuzz/*.c 2>/dev/null)
if [ -n "$bad" ]; then
	echo "check-source: banned functions (use snprintf, strtol with checks, strtok_r, cl_buf):"
	echo "$bad"
	exit 1
fi
echo "check-source: ok"
