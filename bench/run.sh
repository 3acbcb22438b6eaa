#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bench/run.sh: exitsnoop, in each output mode and through each of its
# kernel paths, against Debian's libbpf-tools exitsnoop and a bpftrace
# script doing the same job, on the same workloads, interleaved round by
# round (untraced, then each tracer in turn, repeat).
#
#   BENCH_ROUNDS=3 BENCH_SCALE=50 bench/run.sh     (as root; make bench)
#
# BENCH_SCALE is the workload size in percent (100: a few seconds each);
# the defaults take about 20 minutes on 2 cores.
#
# Raw figures go to bench/results/raw.tsv and idle.tsv, the summary
# (median, min-max, ratios per round) to bench/results/summary.md.
# BENCH_TRACERS picks the tracers (default: all of tracer_cmd's but the
# -before ones, which run BENCH_BEFORE, another build, in the same rounds), in that
# order; BENCH_WORKLOADS picks workloads (fork1 fork2 thread1 thread2 spawn
# forkx segv segvro).
set -u
cd "$(dirname "$0")/.." || exit 1
ROUNDS=${BENCH_ROUNDS:-3}
TRACERS=${BENCH_TRACERS:-exitsnoop exitsnoop-why exitsnoop-json exitsnoop-ancestors exitsnoop-compat \
exitsnoop-libbpf exitsnoop-rawtp exitsnoop-perfbuf libbpf-tools bpftrace}
WORKLOADS=${BENCH_WORKLOADS:-fork1 fork2 thread1 thread2 spawn forkx segv segvro}
SCALE=${BENCH_SCALE:-50}
RES=bench/results
BIN=bench/bin
RAW=$RES/raw.tsv
IDLE=$RES/idle.tsv
LIBBPF_TOOLS=/usr/sbin/exitsnoop
BENCH_NAME=bench
. bench/lib.sh
bench_start

setup() {
	local missing=
	command -v bpftrace > /dev/null || missing="$missing bpftrace"
	[ -x $LIBBPF_TOOLS ] || missing="$missing libbpf-tools"
	command -v bpftool > /dev/null || missing="$missing bpftool"
	command -v jq > /dev/null || missing="$missing jq"
	if [ -n "$missing" ]; then
		# shellcheck disable=SC2086 # one word per package
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } ||
			die "cannot install$missing"
	fi
	mkdir -p $RES
	trap bench_cleanup EXIT
	build_tools forkstorm threadstorm spawnstorm tiny launch
	mount_tracefs
	bpf_stats_on
	mkfifo "$W/nap"
	exec {NAP_FD}<> "$W/nap"
}

# bpftrace script variant: per thread or not, failed only or not, one pid only.
bt_script() { # PER_THREAD FAILED PID
	local pred="(${1} || pid == tid)"
	[ "$2" = 1 ] && pred="$pred && curtask->exit_code != 0"
	[ "$3" != 0 ] && pred="$pred && pid == $3"
	pred=${pred//&/\\&} # sed's replacement treats & as the match
	sed "s/^\/ PER_THREAD || pid == tid \/$/\/ $pred \//" bench/exitsnoop.bt > "$W/es-$1$2$3.bt"
	echo "$W/es-$1$2$3.bt"
}

# tracer_cmd TRACER PER_THREAD FAILED [PID [LINEBUF]]: the command line, one
# line per tracer. Output goes to a file, buffered as each tool does by
# default; LINEBUF=1 (the ready-time measurement only) makes the peers flush
# their header. Leading NAME=VALUE words go to the environment (bench/launch).
tracer_cmd() {
	local o='' lb=${5:-0}
	[ "$2" = 1 ] && o="$o -T"
	[ "$3" = 1 ] && o="$o -x"
	[ "${4:-0}" != 0 ] && o="$o -p $4"
	case $1 in
	exitsnoop) echo "./exitsnoop$o" ;;
	exitsnoop-why) echo "./exitsnoop -w$o" ;;
	exitsnoop-json) echo "./exitsnoop -j$o" ;;
	exitsnoop-ancestors) echo "./exitsnoop --ancestors$o" ;;
	# another build of exitsnoop (BENCH_BEFORE=path), to measure a change in one run
	exitsnoop-before) echo "${BENCH_BEFORE:?BENCH_BEFORE names the other build}$o" ;;
	exitsnoop-json-before) echo "${BENCH_BEFORE:?BENCH_BEFORE names the other build} -j$o" ;;
	exitsnoop-compat) echo "EXITSNOOP_FORCE_COMPAT=1 ./exitsnoop$o" ;;
	exitsnoop-libbpf) echo "EXITSNOOP_FORCE_LIBBPF=1 ./exitsnoop$o" ;;
	exitsnoop-rawtp) echo "EXITSNOOP_FORCE_RAW_TP=1 ./exitsnoop$o" ;;
	exitsnoop-perfbuf) echo "EXITSNOOP_FORCE_PERFBUF=1 ./exitsnoop$o" ;;
	libbpf-tools) if [ "$lb" = 1 ]; then echo "stdbuf -oL $LIBBPF_TOOLS$o"; else echo "$LIBBPF_TOOLS$o"; fi ;;
	bpftrace) echo "bpftrace -B $([ "$lb" = 1 ] && echo none || echo full) $(bt_script "$2" "$3" "${4:-0}")" ;;
	*) die "unknown tracer $1" ;;
	esac
}

# What a tracer writes once it is attached: exitsnoop's header (or, with
# -j, its "Tracing" line on stderr), bpftrace's BEGIN line; LINEBUF as in
# tracer_cmd. "-" where it stays in a stdio buffer: the peers writing to a
# file.
marker() { # TRACER LINEBUF
	case $1 in
	exitsnoop-json*) echo Tracing ;;
	exitsnoop*) echo PCOMM ;;
	bpftrace) if [ "$2" = 1 ]; then echo READY; else echo -; fi ;;
	*) if [ "$2" = 1 ]; then echo PCOMM; else echo -; fi ;;
	esac
}

# launch_tracer TRACER PER_THREAD FAILED PID LINEBUF: starts it with output to
# $W/out and $W/err and prints "PID READY_US" (bench/launch.c).
launch_tracer() {
	local argv
	read -ra argv <<< "$(tracer_cmd "$@")"
	$BIN/launch "$W/out" "$W/err" "$(marker "$1" "$5")" -- "${argv[@]}"
}

# prog_ids PID: the BPF programs the process holds (its program and link
# file descriptors), so that other tracers on the machine are never counted.
prog_ids() {
	sed -n 's/^prog_id:[[:space:]]*//p' /proc/"$1"/fdinfo/* 2>/dev/null | sort -un | tr '\n' ' '
}

# tracer_progs PID: its programs once loaded (the same set twice in a row).
tracer_progs() {
	local ids last=''
	for _ in $(seq 1 400); do
		ids=$(prog_ids "$1")
		[ -n "$ids" ] && [ "$ids" = "$last" ] && break
		last=$ids
		nap 0.025
	done
	echo "$ids"
}

# Attached means running: exits happen until its programs have run.
wait_attached() {
	local cnt
	for _ in $(seq 1 400); do
		/bin/true
		read -r _ cnt <<< "$(bpf_stats "$@")"
		[ "${cnt:-0}" -gt 0 ] && return 0
		nap 0.01
	done
	return 1
}

# bpf_stats IDS...: "run_time_ns run_cnt" summed over those programs.
bpf_stats() {
	local ids
	ids=$(printf '%s,' "$@")
	bpftool prog show --json 2>/dev/null |
		jq -r --argjson ids "[${ids%,}]" \
			'[.[] | select(.id as $i | $ids | index($i))] |
			 "\(map(.run_time_ns // 0) | add // 0) \(map(.run_cnt // 0) | add // 0)"'
}

cpu_ns() { # on-CPU time of all threads of PID
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%d", s }'
}

ctx_switches() {
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/ctxt_switches/ { s += $2 } END { printf "%d", s }'
}

status_kb() { awk -v k="$2:" '$1 == k { print $2 }' /proc/"$1"/status; }

# Proportional set size: shared pages (libc, ...) counted by their share.
pss_kb() { awk '$1 == "Pss:" { print $2 }' /proc/"$1"/smaps_rollup; }

# A pause that starts no process: every exit is an event to the tracers.
nap() {
	read -r -t "$1" -u "$NAP_FD" _
	return 0 # a timeout is the point
}

# Waits until the tracer has caught up: all of the workload's lines are
# out, or (buffered peers keep their last lines until exit) the output
# stopped growing.
settle() {
	local f=$1 name=$2 want=$3 last=-1 same=0 n
	for _ in $(seq 1 600); do
		[ "$want" -gt 0 ] && [ "$(grep -cw -- "$name" "$f")" -ge "$want" ] && return
		n=$(stat -c %s "$f")
		if [ "$n" = "$last" ]; then
			same=$((same + 1))
			[ $same -ge 4 ] && return
		else
			same=0
		fi
		last=$n
		nap 0.05
	done
}

stop_pid() {
	kill -INT "$1" 2>/dev/null
	for _ in $(seq 1 400); do
		[ -d /proc/"$1" ] || return
		nap 0.05
	done
	kill -KILL "$1" 2>/dev/null
}

lost_of() { # TRACER ERRFILE
	case $1 in
	exitsnoop*) sed -n 's/^exitsnoop: \([0-9]*\) events lost in total$/\1/p' "$2" ;;
	libbpf-tools) sed -n 's/^[Ll]ost \([0-9]*\) events.*/\1/p' "$2" | awk '{ s += $1 } END { print s + 0 }' ;;
	bpftrace) sed -n 's/.*[Ll]ost \([0-9]*\) events.*/\1/p' "$2" | awk '{ s += $1 } END { print s + 0 }' ;;
	esac | tail -1
}

# workload NAME KIND -> the command; KIND is fork1 fork2 thread1 thread2 spawn forkx segv segvro
workload_cmd() {
	local name=$1
	case $2 in
	fork1) echo "$BIN/forkstorm $name $((200 * SCALE)) 1" ;;
	fork2) echo "$BIN/forkstorm $name $((120 * SCALE)) 2" ;;
	forkx) echo "$BIN/forkstorm $name $((200 * SCALE)) 1 ok" ;;
	segv) echo "$BIN/forkstorm $name $((40 * SCALE)) 1 segv" ;;
	segvro) echo "$BIN/forkstorm $name $((40 * SCALE)) 1 segvro" ;;
	thread1) echo "$BIN/threadstorm $name $((1000 * SCALE)) 1" ;;
	thread2) echo "$BIN/threadstorm $name $((800 * SCALE)) 2" ;;
	spawn) cp $BIN/tiny "$W/$name" && echo "$BIN/spawnstorm $W/$name $((100 * SCALE))" ;;
	esac
}

# Lines a workload should produce: every exit, none with -x (all exit 0).
expected_of() {
	[ "$1" = forkx ] && echo 0 || echo "${2#*exits=}"
}

per_thread_of() { [[ $1 == thread* ]] && echo 1 || echo 0; }
failed_of() { [ "$1" = forkx ] && echo 1 || echo 0; }

# run_one ROUND KIND TRACER: one measurement, appended to $RAW.
run_one() {
	local round=$1 kind=$2 tracer=$3 name pid=0 ready=0 ids wl
	local cpu0=0 cpu1=0 b0="0 0" b1="0 0" rss=0 hwm=0 pss=0 lost=0 captured=0 lines0=0 lines1=0
	name=b${kind:0:2}$((RANDOM % 10000))$round
	# bpf_stats is one switch for the whole machine: another user may have
	# turned it off since the last run.
	bpf_stats_on
	read -ra wl <<< "$(workload_cmd "$name" "$kind")"
	if [ "$tracer" != none ]; then
		read -r pid ready < <(launch_tracer "$tracer" "$(per_thread_of "$kind")" \
			"$(failed_of "$kind")" 0 0) || die "$tracer did not start: $(cat "$W/err")"
		read -ra ids <<< "$(tracer_progs "$pid")"
		[ ${#ids[@]} -gt 0 ] || die "no BPF programs found for $tracer"
		wait_attached "${ids[@]}" || die "$tracer never ran"
		cpu0=$(cpu_ns "$pid")
		lines0=$(wc -l < "$W/out")
		b0=$(bpf_stats "${ids[@]}")
	fi
	local res
	res=$("${wl[@]}")
	if [ "$tracer" != none ]; then
		settle "$W/out" "$name" "$(expected_of "$kind" "$res")"
		cpu1=$(cpu_ns "$pid")
		b1=$(bpf_stats "${ids[@]}")
		lines1=$(wc -l < "$W/out")
		rss=$(status_kb "$pid" VmRSS)
		hwm=$(status_kb "$pid" VmHWM)
		pss=$(pss_kb "$pid")
		stop_pid "$pid"
		captured=$(grep -cw -- "$name" "$W/out")
		lost=$(lost_of "$tracer" "$W/err")
	fi
	local wall=${res#wall_ns=} exits=${res#*exits=}
	wall=${wall%% *}
	read -r bt0 bc0 <<< "$b0"
	read -r bt1 bc1 <<< "$b1"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$kind" \
		"$tracer" "$wall" "$exits" "$captured" $((lines1 - lines0)) $((cpu1 - cpu0)) \
		$((bt1 - bt0)) $((bc1 - bc0)) "$ready" "${rss:-0}" "${hwm:-0}" "${lost:-0}" \
		"${pss:-0}" >> "$RAW"
}

# Idle cost: a filter that matches nothing, 5 s of a quiet trace, and the
# memory after it (peak since exec, and what stays); then the latency of one
# lone exit, from kill to its line in the output.
run_idle() {
	local tracer=$1 round=$2 sleeper pid ready c0 c1 t0 t1 hwm pss rss
	sleep 1000 &
	sleeper=$!
	read -r pid ready < <(launch_tracer "$tracer" 0 0 $sleeper 1) ||
		die "$tracer did not start: $(cat "$W/err")"
	nap 1
	c0=$(ctx_switches "$pid")
	nap 5
	c1=$(ctx_switches "$pid")
	hwm=$(status_kb "$pid" VmHWM)
	pss=$(pss_kb "$pid")
	rss=$(status_kb "$pid" VmRSS)
	t0=$(date +%s%N)
	kill $sleeper
	until grep -qw "$sleeper" "$W/out"; do
		[ $(($(date +%s%N) - t0)) -gt 5000000000 ] && break
		nap 0.001
	done
	t1=$(date +%s%N)
	wait $sleeper 2>/dev/null
	stop_pid "$pid"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$tracer" "$(((c1 - c0) * 10 / 5))" \
		$(((t1 - t0) / 1000)) "$ready" "${hwm:-0}" "${pss:-0}" "${rss:-0}" >> "$IDLE"
}

main() {
	local round kind tracer
	setup
	for tracer in $TRACERS; do
		tracer_cmd "$tracer" 0 0 > /dev/null
	done
	printf 'round\tworkload\ttracer\twall_ns\texits\tcaptured\tlines\tcpu_ns\tbpf_ns\tbpf_cnt\tready_us\trss_kb\thwm_kb\tlost\tpss_kb\n' > "$RAW"
	printf 'round\ttracer\twakeups_per_10s\tlone_exit_latency_us\tready_us\thwm_kb\tpss_kb\trss_kb\n' > "$IDLE"
	for round in $(seq 1 "$ROUNDS"); do
		for kind in $WORKLOADS; do
			for tracer in none $TRACERS; do
				run_one "$round" "$kind" "$tracer"
			done
		done
		for tracer in $TRACERS; do
			run_idle "$tracer" "$round"
		done
		echo "bench: round $round of $ROUNDS done $(date +%T)" >&2
	done
	bench/summarize.sh "$RAW" "$IDLE" > "$RES/summary.md"
	cat "$RES/summary.md"
}

main "$@"
