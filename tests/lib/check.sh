# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# tests/lib/check.sh: the pass/fail count the test scripts share, and their
# lines: "ok   PREFIX/NAME", "FAIL PREFIX/NAME[: why]", and at the end
# "PREFIX: N passed, N failed[, N skipped]", the line tests/run.sh and CI
# read. Sourced; the script sets CHECK_PREFIX (and CHECK_OK_LINES=0 to
# print failures only, CHECK_SKIPPED=N to end with ", N skipped").
#
#   check NAME CONDITION...     ok when CONDITION succeeds (its output is discarded)
#   check_silent NAME CMD...    ok when CMD succeeds printing nothing; else its output is shown
#   check_ok NAME [NOTE]        a pass found otherwise
#   check_fail NAME [WHY]       a failure found otherwise
#   check_summary               the last line; its status is 0 when nothing failed

check_passed=0
check_failed=0

check_ok() {
	[ "${CHECK_OK_LINES:-1}" = 0 ] || echo "ok   $CHECK_PREFIX/$1${2:+ $2}"
	check_passed=$((check_passed + 1))
}

check_fail() {
	echo "FAIL $CHECK_PREFIX/$1${2:+: $2}"
	check_failed=$((check_failed + 1))
}

check() {
	local name=$1
	shift
	if "$@" > /dev/null 2>&1; then
		check_ok "$name"
	else
		check_fail "$name"
	fi
}

check_silent() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1) && [ -z "$out" ]; then
		check_ok "$name"
	else
		check_fail "$name"
		printf '%s\n' "$out" | sed 's/^/    /' | head -20
	fi
}

check_summary() {
	echo "$CHECK_PREFIX: $check_passed passed, $check_failed failed${CHECK_SKIPPED:+, $CHECK_SKIPPED skipped}"
	[ "$check_failed" = 0 ]
}
