#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# What a process read, wrote, waited for and cost (-j): rusage.inblock and
# oublock against wait4(), the io object against the process's own
# /proc/self/io, delays against /proc/self/schedstat and /proc/self/stat,
# with the kernel's delay accounting on and off. tests/e2e/costly is the
# process and its parent.

COSTLY=$ROOT/tests/e2e/costly

# within GOT WANT PCT ABS: |GOT - WANT| <= max(WANT * PCT / 100, ABS)
within() {
	awk -v g="$1" -v w="$2" -v p="$3" -v a="$4" \
		'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= a || d <= w * p / 100) }'
}

# A directory on a disk file system (tmpfs does no block I/O), for costly's files.
io_dir() {
	local d
	for d in "$T" /var/tmp "$ROOT"; do
		case $(stat -f -c %T "$d") in
		tmpfs | ramfs | overlayfs | overlay) continue ;;
		esac
		mktemp -d "$d/cost.XXXXXX"
		return
	done
	return 1
}

# delayacct VALUE: sets kernel.task_delayacct for this test, put back after it.
delayacct() {
	local old
	old=$(cat /proc/sys/kernel/task_delayacct 2>/dev/null) ||
		skip "this kernel has no kernel.task_delayacct (CONFIG_TASK_DELAY_ACCT, 5.14+)"
	CLEANUP+=("echo $old > /proc/sys/kernel/task_delayacct")
	echo "$1" > /proc/sys/kernel/task_delayacct || fail "cannot set kernel.task_delayacct"
}

# run_costly NAME DIR: costly's child traced; sets C (its record) and the
# ground truth: W (wait4's line), IO[counter] (/proc/self/io), RUN_DELAY,
# BLKIO_TICKS.
run_costly() {
	local out=$T/costly.$RANDOM stat k
	declare -gA IO=()
	"$COSTLY" "$out" "$1" "$2" || fail "costly failed: $?"
	wait_until 10 grep -q "\"comm\":\"$1\"" "$T/out" || fail "no record of $1"
	read -r -a W < "$out"
	C=$(records "${W[0]}" "$1")
	[ "$(printf '%s\n' "$C" | grep -c .)" = 1 ] || fail "want one record of ${W[0]}: $C"
	for k in rchar wchar syscr syscw read_bytes write_bytes cancelled_write_bytes; do
		IO[$k]=$(awk -v k="$k:" '$1 == k { print $2 }' "$out")
	done
	RUN_DELAY=$(sed -n 9p "$out" | awk '{ print $2 }')
	# /proc/PID/stat: field 42 after the ")" that ends the name
	stat=$(sed -n 10p "$out")
	BLKIO_TICKS=$(echo "${stat##*) }" | awk '{ print $40 }')
	READ_AT_NS=$(sed -n 11p "$out")
	echo "wait4: ${W[*]}"
	echo "/proc/self/io: $(declare -p IO); run delay $RUN_DELAY; blkio ticks $BLKIO_TICKS"
	echo "record: $C"
}

jqc() {
	printf '%s\n' "$C" | jq -r "$1"
}

# The kernel's counters against the process's and its parent's view of them.
check_io() {
	local k got want
	[ "$(jqc .rusage.inblock)" = "${W[8]}" ] || fail "inblock $(jqc .rusage.inblock), wait4 ${W[8]}"
	[ "$(jqc .rusage.oublock)" = "${W[9]}" ] || fail "oublock $(jqc .rusage.oublock), wait4 ${W[9]}"
	[ "${W[8]}" -ge 16384 ] || fail "the child did not read 8 MiB from the disk: inblock ${W[8]}"
	[ "${IO[cancelled_write_bytes]}" -ge 1048576 ] || fail "no cancelled writes: $(declare -p IO)"
	within "$(jqc '.rusage.utime_us + .rusage.stime_us')" $((W[1] + W[2])) 10 10000 ||
		fail "cpu against wait4's $((W[1] + W[2])) us"
	[ "$(jqc .rusage.maxrss_kb)" = "${W[3]}" ] || fail "maxrss against wait4's ${W[3]}"
	for k in read_bytes write_bytes cancelled_write_bytes rchar wchar syscr syscw; do
		got=$(jqc ".io.$k")
		want=${IO[$k]}
		# the record adds only what the child did after reading /proc/self/io
		[ "$got" -ge "$want" ] || fail "io.$k $got below /proc/self/io's $want"
		within "$got" "$want" 1 0 || fail "io.$k $got against /proc/self/io's $want"
	done
}

test_cost_io_matches_wait4_and_proc() {
	local dir
	dir=$(io_dir) || skip "no disk file system for the I/O (only tmpfs)"
	CLEANUP+=("rm -rf $dir")
	start_tracer -j
	run_costly "$(uname_for cio)" "$dir"
	stop_tracer
	check_io
}

# The run delay read just before the exit: within 1 ms, unless the child
# waited for a CPU between that read and its exit (a busy machine): then
# again, three times at most.
# rfc3339_ns TIME: "2026-12-06T05:16:48.157476366Z" as nanoseconds since the epoch
rfc3339_ns() {
	local frac=${1#*.}
	frac=${frac%Z}
	echo $(($(date -ud "${1%%.*}Z" +%s) * 1000000000 + 10#$frac))
}

# The run delay at the exit is the one schedstat showed, plus at most the
# time from that read to the exit (waiting for a CPU takes time), and 1 ms
# for the clocks: a bound that holds however loaded the machine is.
test_cost_run_delay_matches_schedstat() {
	local dir got exit_ns
	dir=$(io_dir) || skip "no disk file system for the I/O (only tmpfs)"
	CLEANUP+=("rm -rf $dir")
	start_tracer -j
	run_costly "$(uname_for crd)" "$dir"
	stop_tracer
	got=$(jqc .delays.cpu_ns)
	exit_ns=$(rfc3339_ns "$(jqc .time)")
	[[ $READ_AT_NS =~ ^[0-9]+$ ]] || fail "no time of the schedstat read: '$READ_AT_NS'"
	[ "$got" -ge "$RUN_DELAY" ] || fail "run delay $got below schedstat's $RUN_DELAY"
	[ $((got - RUN_DELAY)) -le $((exit_ns - READ_AT_NS + 1000000)) ] ||
		fail "run delay $got, schedstat $RUN_DELAY: grew by more than the $((exit_ns - READ_AT_NS)) ns from before the read to the exit"
}

# A delay field is a number where the kernel has it (its BTF), else null.
delay_field_in_btf() {
	bpftool btf dump file /sys/kernel/btf/vmlinux 2> /dev/null |
		awk -v f="'$1'" '/^\[[0-9]+\] STRUCT / { in_s = ($3 == "'"'"'task_delay_info'"'"'") }
			in_s && $1 == f { found = 1 } END { exit !found }'
}

test_cost_delays_with_delay_accounting() {
	local dir f hz want
	need bpftool bpftool
	dir=$(io_dir) || skip "no disk file system for the I/O (only tmpfs)"
	CLEANUP+=("rm -rf $dir")
	delayacct 1
	start_tracer -j
	run_costly "$(uname_for cdy)" "$dir"
	stop_tracer
	check_io
	jqc '.delays.cpu_ns | type' | grep -qx number || fail "no run delay"
	[ "$(jqc .delays.blkio_ns)" -gt 0 ] || fail "no block I/O delay after fsync and an uncached read"
	# /proc/PID/stat's delayacct_blkio_ticks: the same nanoseconds in clock ticks
	hz=$(getconf CLK_TCK)
	want=$(jqc ".delays.blkio_ns / (1000000000 / $hz) | floor")
	[ "$want" = "$BLKIO_TICKS" ] || fail "blkio_ns is $want ticks, /proc/self/stat says $BLKIO_TICKS"
	for f in swapin reclaim thrashing; do
		jqc ".delays.${f}_ns | type" | grep -qx number || fail "delays.${f}_ns not a number"
	done
	for f in compact wpcopy irq; do
		want=null
		delay_field_in_btf "${f}_delay" && want=number
		[ "$(jqc ".delays.${f}_ns | type")" = "$want" ] || fail "delays.${f}_ns is not $want"
	done
}

test_cost_delays_null_without_delay_accounting() {
	local dir
	dir=$(io_dir) || skip "no disk file system for the I/O (only tmpfs)"
	CLEANUP+=("rm -rf $dir")
	delayacct 0
	start_tracer -j
	run_costly "$(uname_for cdn)" "$dir"
	stop_tracer
	jqc '.delays.cpu_ns | type' | grep -qx number || fail "the run delay needs no delay accounting"
	jqc '[.delays | del(.cpu_ns) | .[]] | all(. == null)' | grep -qx true ||
		fail "delays without delay accounting: $(jqc -c .delays)"
}

# A process that exits with 1 GiB mapped: the peak is wait4()'s; the
# kernel frees the memory after the exit hook from 6.16, so the CPU time
# of that teardown is in wait4()'s figure and not in the record (README).
test_cost_exit_with_memory_mapped() {
	local n got cpu
	n=$(uname_for cmp)
	start_tracer -j
	"$COSTLY" map "$T/map" "$n" 1024 || fail "costly map failed: $?"
	read -r -a W < "$T/map"
	wait_until 10 grep -q "\"comm\":\"$n\"" "$T/out" || fail "no record of $n"
	stop_tracer
	C=$(records "${W[0]}" "$n")
	echo "wait4: ${W[*]}; record: $C"
	[ "$(jqc .rusage.maxrss_kb)" = "${W[2]}" ] || fail "maxrss against wait4's ${W[2]}"
	[ "${W[2]}" -ge 1048576 ] || fail "the child did not map 1 GiB: ${W[2]}"
	cpu=$(jqc '.rusage.utime_us + .rusage.stime_us')
	# never more than the parent saw; within 10 % or 100 ms of it
	[ "$cpu" -le $((W[1] + 1000)) ] || fail "cpu $cpu above wait4's ${W[1]}"
	within "$cpu" "${W[1]}" 10 100000 || fail "cpu $cpu far from wait4's ${W[1]}"
}
