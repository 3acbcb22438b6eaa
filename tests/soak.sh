#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# soak.sh BINARY: runs the (sanitized) tracer for SOAK_SECONDS (default 600)
# of continuous process churn at about SOAK_RATE exits a second (default
# 2000), confined to a cgroup so that every exit can be counted. Checks:
# no crash, no sanitizer report (leaks included), no lost records, every
# exit printed, resident memory flat after the first minute.
BIN=${1:-./exitsnoop}
SECS=${SOAK_SECONDS:-600}
RATE=${SOAK_RATE:-2000}
cd "$(dirname "$0")/.." || exit 1
[ "$(id -u)" = 0 ] || { echo "soak: needs root"; exit 1; }
root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
CG="$root/exitsnoop-soak-$$"
D=$(mktemp -d /tmp/exitsnoop-soak.XXXXXX)
mkdir "$CG" || exit 1
trap 'rmdir "$CG" 2>/dev/null' EXIT
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:quarantine_size_mb=16
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

"$BIN" -c "$CG" -w > "$D/out" 2> "$D/err" &
tracer=$!
until [ -s "$D/out" ]; do
	kill -0 $tracer 2>/dev/null || { echo "soak: tracer died"; cat "$D/err"; exit 1; }
	sleep 0.05
done
rss() { awk '/^VmRSS:/ { print $2 }' /proc/$tracer/status; }

start=$(date +%s) rounds=0 rss_min1="" rss_max=0
echo "soak: $SECS s at ~$RATE exits/s, tracer $BIN (pid $tracer), log in $D"
while [ $(($(date +%s) - start)) -lt "$SECS" ]; do
	t0=$(date +%s%N)
	bash -c 'echo $$ > "$1/cgroup.procs" && exec tests/e2e/burst soakchild "$2" 4' _ "$CG" "$RATE"
	rounds=$((rounds + 1))
	left=$((1000000000 - ($(date +%s%N) - t0)))
	[ $left -gt 0 ] && sleep "0.$(printf '%09d' $left)"
	r=$(rss)
	[ "$r" -gt "$rss_max" ] && rss_max=$r
	[ -z "$rss_min1" ] && [ $(($(date +%s) - start)) -ge 60 ] && rss_min1=$r
	[ $((rounds % 60)) = 0 ] && echo "soak: $rounds s, rss ${r} kB"
done
rss_end=$(rss)
kill -INT $tracer
wait $tracer
status=$?
expected=$((rounds * (RATE + 1)))
printed=$(($(wc -l < "$D/out") - 1))
fail=0
echo "soak: exit status $status"
echo "soak: exits $expected, printed $printed"
echo "soak: rss after 1 min ${rss_min1:-?} kB, at the end $rss_end kB, max $rss_max kB"
[ $status = 0 ] || fail=1
[ "$printed" = "$expected" ] || fail=1
grep -q 'lost' "$D/err" && { echo "soak: losses reported"; fail=1; }
grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error' "$D/err" && { echo "soak: sanitizer report"; fail=1; }
[ -n "$rss_min1" ] && [ "$rss_end" -gt $((rss_min1 + rss_min1 / 10)) ] && { echo "soak: rss grew"; fail=1; }
[ -s "$D/err" ] && { echo "soak: stderr:"; head -20 "$D/err"; }
[ $fail = 0 ] && echo "soak: PASS" || echo "soak: FAIL"
exit $fail
