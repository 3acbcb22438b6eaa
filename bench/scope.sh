#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bench/scope.sh: what following one command's tree costs while the rest
# of the machine is busy. An unrelated fork storm (bench/forkstorm, two
# forkers) runs untraced, then under each tracer in turn, round by round:
#
#   plain         ./exitsnoop              (every exit is a record)
#   cmd           ./exitsnoop -- sleep 600 (only sleep's tree: none of the storm)
#   summary       ./exitsnoop --summary    (every exit counted, no lines)
#   summary-exe   ./exitsnoop --summary-by exe        (and the exe's path walk)
#   summary-container ./exitsnoop --summary-by container (and each cgroup's path)
#   metrics       ./exitsnoop -q --metrics-file F      (counters only)
#   metrics-containers ./exitsnoop -q --metrics-file F --metrics-containers
#   libbpf-tools  /usr/sbin/exitsnoop      (every exit is a record)
#
# For each: the storm's slowdown against untraced in the same round, the
# tracer's BPF time per exit of the storm (kernel.bpf_stats_enabled) and
# its user-space CPU per exit. Ends with a Markdown table of medians.
#   SCOPE_ROUNDS=3 SCOPE_FORKS=15000 bench/scope.sh       (as root; make bench)
# SCOPE_TRACERS picks the tracers (default: all, libbpf-tools if installed).
set -u
cd "$(dirname "$0")/.." || exit 1
ROUNDS=${SCOPE_ROUNDS:-3}
FORKS=${SCOPE_FORKS:-15000}
BIN=bench/bin
BENCH_NAME=scope
. bench/lib.sh
bench_start
RAW=$W/raw.tsv

setup() {
	trap bench_cleanup EXIT
	build_tools forkstorm launch
	if [ -x /usr/sbin/exitsnoop ]; then
		mount_tracefs
	fi
}

tracer_cmd() {
	case $1 in
	plain) echo "./exitsnoop" ;;
	cmd) echo "./exitsnoop -- sleep 600" ;;
	summary) echo "./exitsnoop --summary" ;;
	summary-exe) echo "./exitsnoop --summary-by exe" ;;
	summary-container) echo "./exitsnoop --summary-by container" ;;
	metrics) echo "./exitsnoop -q --metrics-file $W/m.prom" ;;
	metrics-containers) echo "./exitsnoop -q --metrics-file $W/m.prom --metrics-containers" ;;
	libbpf-tools) echo "stdbuf -oL /usr/sbin/exitsnoop" ;;
	esac
}

# What says the tracer is attached: the table header, or without lines the note on stderr.
marker() { [[ $1 = summary* || $1 = metrics* ]] && echo Tracing || echo PCOMM; }

# "run_time_ns run_cnt" of the programs the process PID holds.
bpf_stats() {
	local ids
	ids=$(awk '/^prog_id:/ { print $2 }' /proc/"$1"/fdinfo/* 2> /dev/null | sort -u | paste -sd,)
	[ -n "$ids" ] || { echo "0 0"; return; }
	bpftool prog show --json | jq -r --argjson ids "[$ids]" \
		'[.[] | select(.id as $i | $ids | index($i))] |
		 "\(map(.run_time_ns // 0) | add // 0) \(map(.run_cnt // 0) | add // 0)"'
}

cpu_ns() { awk '{ s += $1 } END { printf "%d", s }' /proc/"$1"/task/*/schedstat; }

run_one() { # ROUND TRACER
	local pid=0 b0=(0 0) b1=(0 0) c0=0 c1=0 res wall exits
	if [ "$2" != none ]; then
		# shellcheck disable=SC2046 # the command line, split into words
		read -r pid _ < <("$BIN/launch" "$W/out" "$W/err" "$(marker "$2")" -- $(tracer_cmd "$2")) ||
			die "$2 did not start: $(cat "$W/err")"
		bpf_stats_on
		read -r -a b0 <<< "$(bpf_stats "$pid")"
		c0=$(cpu_ns "$pid")
	fi
	res=$("$BIN/forkstorm" "sc$RANDOM" "$FORKS" 2)
	if [ "$2" != none ]; then
		read -r -a b1 <<< "$(bpf_stats "$pid")"
		c1=$(cpu_ns "$pid")
		kill -TERM -- "-$pid" 2> /dev/null
		wait "$pid" 2> /dev/null
		while kill -0 "$pid" 2> /dev/null; do sleep 0.05; done
	fi
	wall=${res#wall_ns=}
	wall=${wall%% *}
	exits=${res##*exits=}
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$wall" "$exits" \
		$((b1[0] - b0[0])) $((b1[1] - b0[1])) $((c1 - c0)) >> "$RAW"
}

summarize() {
	awk -F'\t' '
	$2 == "none" { base[$1] = $3; next }
	{
		n[$2]++
		slow[$2, n[$2]] = $3 / base[$1]
		bpf[$2, n[$2]] = $5 / $4
		cpu[$2, n[$2]] = $7 / $4
		if (!($2 in seen)) { seen[$2] = 1; order[++k] = $2 }
	}
	function med(a, t, m,   i, j, v, x) {
		for (i = 1; i <= m; i++) v[i] = a[t, i]
		for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j] < v[j - 1]; j--) {
			x = v[j]; v[j] = v[j - 1]; v[j - 1] = x }
		return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
	}
	END {
		print "| tracer | storm slowdown | BPF ns per storm exit | tracer CPU ns per storm exit |"
		print "| --- | --- | --- | --- |"
		for (i = 1; i <= k; i++) {
			t = order[i]
			printf "| %s | %.2f | %.0f | %.0f |\n", t, med(slow, t, n[t]), med(bpf, t, n[t]), med(cpu, t, n[t])
		}
	}' "$RAW"
}

main() {
	local round t tracers="plain cmd summary summary-exe summary-container metrics metrics-containers"
	setup
	[ -x /usr/sbin/exitsnoop ] && tracers="$tracers libbpf-tools"
	tracers=${SCOPE_TRACERS:-$tracers}
	for round in $(seq 1 "$ROUNDS"); do
		for t in none $tracers; do
			run_one "$round" "$t"
		done
	done
	echo "Rounds: $ROUNDS; storm: 2 forkers x $FORKS forks; medians over the rounds."
	echo
	summarize
}

main "$@"
