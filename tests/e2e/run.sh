#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs the end-to-end tests (test_*.sh, functions named test_*), as root.
# Prints "ok/FAIL/skip e2e/NAME" lines and "e2e: N passed, N failed, N skipped".
# E2E_FILTER=substring runs only the matching tests; E2E_LABEL names the
# forced path in each line (e2e[raw_tp]/NAME).
cd "$(dirname "$0")" || exit 1
# shellcheck source=lib.sh
source ./lib.sh

passed=0 failed=0 skipped=0
global_skip=
[ "$(id -u)" = 0 ] || global_skip="not root"
[ -r /sys/kernel/btf/vmlinux ] || global_skip="kernel has no BTF"
command -v jq > /dev/null || global_skip="jq is not installed"

tag=e2e
[ -n "$E2E_LABEL" ] && [ "$E2E_LABEL" != default ] && tag="e2e[$E2E_LABEL]"

for f in test_*.sh; do
	# shellcheck disable=SC1090 # each test file in turn
	source "./$f"
done

for t in $(declare -F | awk '{ print $3 }' | grep '^test_'); do
	[ -n "$E2E_FILTER" ] && [[ "$t" != *"$E2E_FILTER"* ]] && continue
	if [ -n "$global_skip" ]; then
		echo "skip $tag/$t: $global_skip"
		skipped=$((skipped + 1))
		continue
	fi
	T=$(mktemp -d /tmp/exitsnoop-e2e.XXXXXX)
	start=$(date +%s%N)
	# shellcheck disable=SC2034 # CLEANUP is lib.sh's cleanup()'s
	( CLEANUP=(); trap cleanup EXIT; cd "$T" && "$t" ) > "$T/.log" 2>&1
	rc=$?
	took=$((($(date +%s%N) - start) / 100000000))
	took="$((took / 10)).$((took % 10))"
	case $rc in
	0)
		echo "ok   $tag/$t (${took}s)"
		passed=$((passed + 1))
		;;
	77)
		echo "skip $tag/$t: $(cat "$T/.reason" 2>/dev/null)"
		skipped=$((skipped + 1))
		;;
	*)
		echo "FAIL $tag/$t: $(cat "$T/.reason" 2>/dev/null || echo "exit $rc")"
		sed 's/^/    /' "$T/.log" | tail -20
		[ -f "$T/err" ] && sed 's/^/    stderr: /' "$T/err" | tail -5
		failed=$((failed + 1))
		;;
	esac
	[ $rc = 0 ] || [ $rc = 77 ] && rm -rf "$T"
done
echo "e2e: $passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
