#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bench/stall.sh: how long a stop takes when the reader has stopped
# reading. exitsnoop writes to a pipe whose reader is stopped (SIGSTOP)
# before it reads a byte; a fork storm (bench/forkstorm.c) runs until
# exitsnoop reports a loss on stderr, so the output is certainly stalled;
# then SIGINT, and the milliseconds until exitsnoop has exited are timed.
# Each output mode in turn, round after round. The ring is small (-b 64K)
# only so that the loss comes soon on a slow machine.
#
#   STALL_ROUNDS=11 bench/stall.sh      (as root; part of make bench)
#
# Prints per mode the median and the range, and how many events the stop
# said were not printed.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${STALL_ROUNDS:-11}
MODES=${STALL_MODES:-table json}
BENCH_NAME=stall
. bench/lib.sh
bench_start
trap bench_cleanup EXIT
build_tools forkstorm

# A reader that stops itself at once, then reads to the end once continued.
reader() {
	python3 -c 'import os, signal, sys
open(sys.argv[1], "w").write(str(os.getpid()))
os.kill(os.getpid(), signal.SIGSTOP)
while os.read(0, 65536):
    pass' "$W/reader"
}

stopped() {
	[ -s "$W/reader" ] && grep -q '^State:.*T' "/proc/$(cat "$W/reader")/status"
}

# one MODE: prints "ms not_printed"
one() {
	local args=(-b 64K) pid storm t0 t1 i
	[ "$1" = json ] && args+=(-j)
	rm -f "$W/reader" "$W/err"
	./exitsnoop "${args[@]}" 2> "$W/err" > >(reader) &
	pid=$!
	for i in $(seq 3000); do stopped && break; sleep 0.01; done
	setsid bench/bin/forkstorm stallstorm 100000000 2 > /dev/null 2>&1 &
	storm=$!
	# shellcheck disable=SC2034 # i counts the tries
	for i in $(seq 12000); do grep -q 'events lost$' "$W/err" && break; sleep 0.01; done
	grep -q 'events lost$' "$W/err" || die "no loss within 120 s: $(cat "$W/err")"
	kill -- -"$storm"
	wait "$storm" 2> /dev/null || true
	t0=$EPOCHREALTIME
	kill -INT "$pid"
	wait "$pid" || die "status $? after SIGINT"
	t1=$EPOCHREALTIME
	echo "$(((${t1/./} - ${t0/./}) / 1000)) $(sed -n 's/^exitsnoop: \([0-9]*\) events not printed.*/\1/p' "$W/err")"
	kill -CONT "$(cat "$W/reader")"
	wait
}

for _ in $(seq "$ROUNDS"); do
	for m in $MODES; do
		echo "$m $(one "$m")" >> "$W/raw"
	done
done
echo "SIGINT to exit with a stalled reader, $ROUNDS rounds (ms: median, min-max; events not printed: median):"
for m in $MODES; do
	awk -v m="$m" '$1 == m { print $2, $3 }' "$W/raw" | sort -n | awk -v m="$m" '
		{ ms[NR] = $1; np[NR] = $2 }
		END { printf "  %-6s %5d ms  (%d-%d)   %s not printed\n", m, ms[int((NR + 1) / 2)], ms[1], ms[NR], np[int((NR + 1) / 2)] }'
done
