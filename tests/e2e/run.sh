#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs the end-to-end tests (test_*.sh, functions named test_*), as root.
# Prints "ok/FAIL/skip e2e/NAME" lines and "e2e: N passed, N failed, N skipped".
# The status is non-zero when a test failed, when none passed, and when not
# run as root (each test then counts as failed): a skip is only for what
# the machine cannot do, and says why.
# E2E_FILTER=substring runs only the matching tests; E2E_LABEL names the
# forced path in each line (e2e[raw_tp]/NAME).
cd "$(dirname "$0")" || exit 1
# shellcheck source=lib.sh
source ./lib.sh

passed=0 failed=0 skipped=0
# What keeps every test from running. Only a kernel without BTF is a limit
# of the machine (a skip); not being root or missing jq is a setup that
# cannot test anything here, and each test counts as failed.
global_skip='' global_fail=''
[ -r /sys/kernel/btf/vmlinux ] || global_skip="kernel has no BTF"
command -v jq > /dev/null || global_fail="jq is not installed (make deps installs it)"
[ "$(id -u)" = 0 ] || global_fail="not root: the end-to-end tests load BPF programs"

tag=e2e
[ -n "$E2E_LABEL" ] && [ "$E2E_LABEL" != default ] && tag="e2e[$E2E_LABEL]"

for f in test_*.sh; do
	# shellcheck disable=SC1090 # each test file in turn
	source "./$f"
done

for t in $(declare -F | awk '{ print $3 }' | grep '^test_'); do
	[ -n "$E2E_FILTER" ] && [[ "$t" != *"$E2E_FILTER"* ]] && continue
	if [ -n "$global_fail" ]; then
		echo "FAIL $tag/$t: $global_fail"
		failed=$((failed + 1))
		continue
	fi
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
		if [ -s "$T/.reason" ]; then
			echo "skip $tag/$t: $(cat "$T/.reason")"
			skipped=$((skipped + 1))
		else
			echo "FAIL $tag/$t: skipped without a reason"
			failed=$((failed + 1))
			rc=1
		fi
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
# A run that checked nothing is not a success (a filter that matches no
# test, a machine where every test was skipped).
[ $passed = 0 ] && echo "e2e: no test passed: nothing was checked" >&2 && exit 1
[ $failed = 0 ]
