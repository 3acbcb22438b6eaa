#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Helpers for end-to-end tests. Every test runs in a subshell with its own
# temporary directory $T; `fail MSG` ends it. Tests find their processes by
# PID and a unique name together, and wait for the tracer's ready signal
# (the table header on stdout, or the "Tracing" note on stderr with -j).

# The variables below are used by the test files that source this one.
# shellcheck disable=SC2034
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EXITSNOOP=${EXITSNOOP:-$ROOT/exitsnoop}
VICTIM=$ROOT/tests/e2e/victim
BURST=$ROOT/tests/e2e/burst
TRACER_PID=

fail() {
	echo "$*" > "$T/.reason"
	exit 1
}

# skip REASON: only for what this machine cannot do (its kernel, its
# architecture, a controller it lacks); the reason is required.
skip() {
	[ -n "$*" ] || fail "skip without a reason"
	echo "$*" > "$T/.reason"
	exit 77
}

# need CMD PACKAGE: a tool the tests use. scripts/install-deps.sh installs
# it, so its absence is a broken setup, not a limit of the machine: fail.
need() {
	command -v "$1" > /dev/null ||
		fail "$1 is not installed (Debian package $2; make deps installs it)"
}

# A process name no one else uses: at most 15 bytes, as comm keeps.
uname_for() {
	printf '%.6s%05d%03d' "$1" $((RANDOM % 100000)) $((BASHPID % 1000))
}

# wait_until TIMEOUT_S CMD...: polls a condition (never a fixed sleep alone).
wait_until() {
	local limit=$(($1 * 100)) i=0
	shift
	while ! "$@"; do
		i=$((i + 1))
		[ $i -ge $limit ] && return 1
		sleep 0.01
	done
	return 0
}

tracer_ready() {
	[ -s "$T/out" ] || grep -q '^Tracing' "$T/err" 2>/dev/null
}

tracer_alive() {
	kill -0 "$TRACER_PID" 2>/dev/null
}

# start_tracer ARGS...: runs exitsnoop in the background, waits until attached.
start_tracer() {
	rm -f "$T/out" "$T/err"
	"$EXITSNOOP" "$@" > "$T/out" 2> "$T/err" &
	TRACER_PID=$!
	wait_until 20 tracer_ready_or_dead || fail "tracer not ready after 20 s"
	tracer_alive || tracer_ready || fail "tracer died: $(cat "$T/err")"
}

tracer_ready_or_dead() {
	tracer_ready || ! tracer_alive
}

# stop_tracer [SIGNAL]: stops it and sets TRACER_STATUS.
stop_tracer() {
	kill -"${1:-INT}" "$TRACER_PID" 2>/dev/null
	wait "$TRACER_PID"
	# shellcheck disable=SC2034 # read by the tests
	TRACER_STATUS=$?
	TRACER_PID=
}

# trace_victim [TRACER_ARGS...] -- NAME ACTION...: exitsnoop TRACER_ARGS
# traces the victim NAME doing ACTION, and is stopped once it is done. Sets
# the caller's p to the victim's PID and VICTIM_STATUS to its wait() status.
trace_victim() {
	local args=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	shift
	start_tracer "${args[@]}"
	"$VICTIM" "$@" & p=$!
	wait $p
	# shellcheck disable=SC2034 # read by the tests
	VICTIM_STATUS=$?
	stop_tracer
}

# tracer_ends_within SECONDS: it ends by itself in time (else it is stopped
# and the test fails); sets TRACER_STATUS.
tracer_ends_within() {
	wait_until "$1" eval '! tracer_alive' || { stop_tracer KILL; fail "tracer did not end in $1 s"; }
	stop_tracer
}

# JSON records of one process, by PID and name together.
records() {
	jq -c --argjson pid "$1" --arg comm "$2" 'select(.pid == $pid and .comm == $comm)' "$T/out"
}

expect_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
}

expect_match() {
	[[ "$1" =~ $2 ]] || fail "$3: '$1' does not match /$2/"
}

# jq_expect PID NAME FILTER WHAT: the one record matches a jq condition.
jq_expect() {
	local recs
	recs=$(records "$1" "$2")
	[ "$(printf '%s\n' "$recs" | grep -c .)" = 1 ] || fail "$4: want one record, got: $recs"
	printf '%s\n' "$recs" | jq -e "$3" > /dev/null || fail "$4: $3 is false for $recs"
}

# table_line PID NAME: the table line of that process.
table_line() {
	awk -v pid="$1" -v comm="$2" '$2 == pid && $1 == comm' "$T/out"
}

# A cgroup v2 directory of our own, removed at the end of the test.
cgroup2_root() {
	awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts
}

make_cgroup2() {
	local root
	root=$(cgroup2_root)
	[ -n "$root" ] || skip "no cgroup v2 mount"
	CG="$root/exitsnoop-test-$BASHPID"
	mkdir "$CG" || skip "cannot create a cgroup v2 directory under $root"
	CLEANUP+=("rmdir '$CG'")
}

# run_in_cgroup DIR CMD...: runs CMD as a process that starts inside DIR.
run_in_cgroup() {
	local dir=$1
	shift
	exec bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$dir" "$@"
}

# Tests whose subject does not depend on the tracer's forced path (the
# rules, the unit, the package, Prometheus) run once, on the default path.
default_path_only() {
	[ -z "$E2E_LABEL" ] || [ "$E2E_LABEL" = default ] ||
		skip "${1:-independent of the path}: run on the default path"
}

cleanup() {
	local c
	[ -n "$TRACER_PID" ] && kill -KILL "$TRACER_PID" 2>/dev/null
	for c in "${CLEANUP[@]}"; do
		eval "$c" 2>/dev/null
	done
}
