#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bench/floor.sh [ROUNDS]: what a program on sched_process_exit costs
# before it does any work. An empty tp_btf program, `exitsnoop -x` and
# libbpf-tools' `exitsnoop -x` are attached together while the forkx
# workload runs (every child exits 0, so neither tool emits anything);
# bpf_stats gives each program's run time per run. Prints one line per
# round and the medians. As root, after `make`, with libbpf-tools installed.
set -eo pipefail # a round that dies ends the script, not only the loop's subshell
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
BIN=bench/bin
BENCH_NAME=floor
. bench/lib.sh
[ -x /usr/sbin/exitsnoop ] || die "no /usr/sbin/exitsnoop (apt-get install libbpf-tools)"
bench_start
PIDS=()
trap '[ ${#PIDS[@]} = 0 ] || kill "${PIDS[@]}" 2> /dev/null || true; bench_cleanup' EXIT
build_tools forkstorm
mount_tracefs

read -ra CI <<< "$(clang -v -E - < /dev/null 2>&1 |
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }' | tr '\n' ' ')"
clang -g -O2 -target bpf "${CI[@]}" -c bench/floor/floor.bpf.c -o "$W/floor.bpf.o"
bpftool gen skeleton -L "$W/floor.bpf.o" name floor_bpf > "$W/floor.lskel.h"
cc -O2 -Wall -I"$W" -include errno.h -include string.h bench/floor/floor.c -o $BIN/floor

bpf_stats_on

# ns_per_run NAME: run_time_ns / run_cnt of the newest program called NAME, as "time count"
stats() {
	bpftool prog show --json | jq -r --arg n "$1" \
		'[.[] | select(.name == $n)] | max_by(.id) | "\(.run_time_ns // 0) \(.run_cnt // 0)"'
}

echo "round empty_ns exitsnoop_ns libbpf_tools_ns (per run, forkx)"
for r in $(seq 1 "$ROUNDS"); do
	mkfifo "$W/hold"
	$BIN/floor < "$W/hold" > "$W/floor.out" &
	PIDS=($!)
	exec {HOLD}> "$W/hold"
	./exitsnoop -x > /dev/null 2>&1 &
	PIDS+=($!)
	/usr/sbin/exitsnoop -x > /dev/null 2>&1 &
	PIDS+=($!)
	attached=
	for _ in $(seq 200); do # all three attached: each has run once
		/bin/true
		if [ "$(stats empty_exit | cut -d' ' -f2)" -gt 0 ] 2> /dev/null &&
			[ "$(stats handle_exit | cut -d' ' -f2)" -gt 0 ] 2> /dev/null &&
			[ "$(stats sched_process_exit | cut -d' ' -f2)" -gt 0 ] 2> /dev/null; then
			attached=1
			break
		fi
		sleep 0.05
	done
	[ -n "$attached" ] || die "round $r: the three programs did not all run within 10 s"
	read -r e0 ec0 <<< "$(stats empty_exit)"
	read -r x0 xc0 <<< "$(stats handle_exit)"
	read -r l0 lc0 <<< "$(stats sched_process_exit)"
	$BIN/forkstorm "flr$r$RANDOM" 8000 1 ok > /dev/null
	read -r e1 ec1 <<< "$(stats empty_exit)"
	read -r x1 xc1 <<< "$(stats handle_exit)"
	read -r l1 lc1 <<< "$(stats sched_process_exit)"
	kill "${PIDS[@]}" 2> /dev/null
	exec {HOLD}>&-
	wait 2> /dev/null || true
	rm -f "$W/hold"
	if [ $((ec1 - ec0)) -le 0 ] || [ $((xc1 - xc0)) -le 0 ] || [ $((lc1 - lc0)) -le 0 ]; then
		die "round $r: a program did not run during the storm"
	fi
	echo "$r $(((e1 - e0) / (ec1 - ec0))) $(((x1 - x0) / (xc1 - xc0))) $(((l1 - l0) / (lc1 - lc0)))"
done | tee "$W/rounds"
median() { cut -d' ' -f"$1" "$W/rounds" | sort -n |
	awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "median: empty $(median 2) ns, exitsnoop -x $(median 3) ns, libbpf-tools -x $(median 4) ns"
