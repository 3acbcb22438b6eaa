#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bench/ready.sh: how soon each tracer is tracing, and its peak memory on
# the way: exitsnoop's default start (the light skeleton here), its libbpf
# loader forced (given the kernel's BTF by mapping where the kernel allows
# it, and by read() as before 6.16), and Debian's libbpf-tools exitsnoop,
# started in turn round after round so that the machine's noise falls on
# all alike.
#
#   READY_ROUNDS=21 bench/ready.sh      (as root; part of make bench)
#
# Ready: microseconds from just before exec to the tracer's header in its
# output (bench/launch.c), the peer line-buffered for this only. Peak RSS:
# VmHWM once ready. Every tracer filters on a sleeping PID, so no record
# costs it anything. Prints medians with the quartiles, and the ratios of
# the medians to libbpf-tools'.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${READY_ROUNDS:-21}
TRACERS=${READY_TRACERS:-exitsnoop exitsnoop-libbpf exitsnoop-libbpf-read libbpf-tools}
LIBBPF_TOOLS=${LIBBPF_TOOLS:-/usr/sbin/exitsnoop}
BIN=bench/bin

BENCH_NAME=ready
. bench/lib.sh

[ -x "$LIBBPF_TOOLS" ] || die "no $LIBBPF_TOOLS (apt-get install libbpf-tools)"
bench_start
SLEEPER=
cleanup() {
	[ -z "$SLEEPER" ] || kill "$SLEEPER" 2> /dev/null || true
	bench_cleanup
}
trap cleanup EXIT
build_tools launch
mount_tracefs
sleep 100000 &
SLEEPER=$!

command_of() { # TRACER: its argv, one word per line
	case $1 in
	exitsnoop) printf '%s\n' ./exitsnoop -p "$SLEEPER" ;;
	exitsnoop-libbpf) printf '%s\n' EXITSNOOP_FORCE_LIBBPF=1 ./exitsnoop -p "$SLEEPER" ;;
	exitsnoop-libbpf-read) printf '%s\n' EXITSNOOP_FORCE_BTF_READ=1 ./exitsnoop -p "$SLEEPER" ;;
	libbpf-tools) printf '%s\n' stdbuf -oL "$LIBBPF_TOOLS" -p "$SLEEPER" ;;
	*) die "unknown tracer $1" ;;
	esac
}

# one TRACER: "READY_US PEAK_KB" of one start
one() {
	local argv pid us hwm
	mapfile -t argv < <(command_of "$1")
	read -r pid us < <("$BIN/launch" "$W/out" "$W/err" PCOMM -- "${argv[@]}") ||
		die "$1 did not start: $(cat "$W/err")"
	hwm=$(awk '/^VmHWM/ { print $2 }' /proc/"$pid"/status)
	kill -INT "$pid"
	while kill -0 "$pid" 2> /dev/null; do sleep 0.005; done
	echo "$us $hwm"
}

for ((r = 1; r <= ROUNDS; r++)); do
	for t in $TRACERS; do
		echo "$t $(one "$t")"
	done
done > "$W/raw"

# quartiles TRACER COLUMN: "median p25 p75" of that column
quartiles() {
	awk -v t="$1" -v c="$2" '$1 == t { print $c }' "$W/raw" | sort -n |
		awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[int(NR / 4) + 1], v[int(3 * NR / 4)] }'
}

echo "| tracer | ready ms, median (p25-p75) | peak RSS MB, median | ready / libbpf-tools | peak / libbpf-tools |"
echo "| --- | --- | --- | --- | --- |"
read -r base_us _ _ <<< "$(quartiles libbpf-tools 2)"
read -r base_kb _ _ <<< "$(quartiles libbpf-tools 3)"
for t in $TRACERS; do
	read -r m lo hi <<< "$(quartiles "$t" 2)"
	read -r kb _ _ <<< "$(quartiles "$t" 3)"
	awk -v t="$t" -v m="$m" -v lo="$lo" -v hi="$hi" -v kb="$kb" -v bm="$base_us" -v bk="$base_kb" \
		'BEGIN { printf "| %s | %.1f (%.1f-%.1f) | %.1f | %.2f | %.2f |\n", t, m / 1000, lo / 1000, hi / 1000, kb / 1024, m / bm, kb / bk }'
done
echo "($ROUNDS rounds, $(uname -r), $(date -u +%F))"
