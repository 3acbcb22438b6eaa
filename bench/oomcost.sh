#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bench/oomcost.sh [KILLS [OTHER_BUILD]]: what the OOM program costs per
# kill. `exitsnoop -j` (and OTHER_BUILD -j after it, to compare) traces
# KILLS processes that each fill a memory cgroup with a 64 MiB limit and
# are OOM-killed in it; bpf_stats gives handle_mark_victim's run time per
# run. As root, after `make`, on a host with a memory cgroup controller.
set -eo pipefail
cd "$(dirname "$0")/.."
KILLS=${1:-5}
BENCH_NAME=oomcost
. bench/lib.sh
bench_start
TRACER=
MEMCG=
trap '[ -z "$TRACER" ] || kill "$TRACER" 2> /dev/null || true
	[ -z "$MEMCG" ] || rmdir "$MEMCG" 2> /dev/null || true; bench_cleanup' EXIT
make -s tests/e2e/victim
bpf_stats_on

# make_memcg: a memory cgroup with a 64 MiB limit, v1's if mounted, else v2's.
make_memcg() {
	local v1 v2
	v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/mounts)
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	if [ -n "$v1" ]; then
		MEMCG=$v1/exitsnoop-oomcost-$$
		mkdir "$MEMCG" && echo 64M > "$MEMCG/memory.limit_in_bytes"
	elif [ -n "$v2" ] && grep -qw memory "$v2/cgroup.controllers"; then
		MEMCG=$v2/exitsnoop-oomcost-$$
		mkdir "$MEMCG" && echo 64M > "$MEMCG/memory.max"
	else
		die "no memory cgroup controller"
	fi
}

# one BUILD: KILLS OOM kills traced by BUILD -j; prints ns per run.
one() {
	local _
	"$1" -j > "$W/out" 2> "$W/err" &
	TRACER=$!
	for _ in $(seq 100); do grep -q '^Tracing' "$W/err" && break; sleep 0.05; done
	grep -q '^Tracing' "$W/err" || die "$1 not ready: $(cat "$W/err")"
	for _ in $(seq "$KILLS"); do
		bash -c 'echo $$ > "$1/cgroup.procs" && exec tests/e2e/victim oomcost oom' _ "$MEMCG" || true
	done
	bpftool prog show -j | jq -r --arg b "$1" '.[] | select(.name == "handle_mark_victim") |
		"\($b): \(.run_cnt) runs, \(.run_time_ns / .run_cnt | floor) ns per run"'
	kill -INT "$TRACER"
	wait "$TRACER" || true
	TRACER=
}

make_memcg
one ./exitsnoop
[ -z "${2:-}" ] || one "$2"
