# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Cgroups removed before their records are read: a container's cgroup
# goes as soon as its last process has exited, often before the reader
# gets to the exit. The tracer is stopped (SIGSTOP) while the cgroups are
# made, used and removed, so the records are read only once they are gone:
# named all the same, from the names the kernel sent when they were made.

# cgroup_gone DIR: DIR removed, and checked gone.
cgroup_gone() {
	rmdir "$1" || fail "rmdir $1"
	[ ! -d "$1" ] || fail "$1 is still there"
}

# The perf buffer's rings are per CPU, read in CPU order, with no order
# between them: the cgroups are made on the last CPU and the exits happen
# on the first, so that the exits' ring is read before the names' one.
test_cgroup_removed_before_read() {
	local n o p q st last
	n=$(uname_for cgg) o=$(uname_for cgo)
	last=$(($(nproc) - 1))
	start_tracer -j -w --comm "$n" --comm "$o"
	kill -STOP "$TRACER_PID"
	CLEANUP+=('[ -z "$TRACER_PID" ] || kill -CONT "$TRACER_PID"')
	# made while the tracer is stopped: it has read no exit from them
	taskset -pc "$last" $BASHPID > /dev/null || fail "taskset"
	make_cgroup2
	make_memcg "exitsnoop-cgg-$BASHPID"
	taskset -pc 0 $BASHPID > /dev/null || fail "taskset"
	run_in_cgroup "$CG" "$VICTIM" "$n" exit 5 & p=$!
	wait $p
	st=$?
	expect_eq "$st" 5 "the victim's status"
	run_in_cgroup "$MEMCG" "$VICTIM" "$o" oom & q=$!
	wait $q
	st=$?
	expect_eq "$st" 137 "the OOM victim's status"
	cgroup_gone "$CG"
	cgroup_gone "$MEMCG"
	kill -CONT "$TRACER_PID"
	wait_until 20 eval '[ -n "$(records $q "$o")" ]' || fail "no record of the OOM kill after 20 s"
	stop_tracer
	jq_expect "$p" "$n" ".exit_code == 5 and .cgroup == \"${CG#"$(cgroup2_root)"}\"" \
		"the removed cgroup"
	jq_expect "$q" "$o" ".signal == 9 and .cause.kind == \"oom\" and
		.cause.oom.memcg_path == \"$MEMCG\"" "the removed memory cgroup"
}

# A memory cgroup made before tracing began has sent no name; if it is
# removed before the OOM kill's record is read (a container's runtime does
# so at once), only the kernel can still name it: the OOM program sends its
# path when it picks the victim. The tracer is stopped from before the
# memcg is made until after it is removed. The victim runs on one CPU, so
# that the name and the exit share a perf buffer's ring.
test_memcg_older_than_tracer_removed_before_read() {
	local o q st
	o=$(uname_for cgold)
	make_memcg "exitsnoop-cgold-$BASHPID"
	start_tracer -j -w --comm "$o"
	kill -STOP "$TRACER_PID"
	CLEANUP+=('[ -z "$TRACER_PID" ] || kill -CONT "$TRACER_PID"')
	taskset -pc 0 $BASHPID > /dev/null || fail "taskset"
	run_in_cgroup "$MEMCG" "$VICTIM" "$o" oom & q=$!
	wait $q
	st=$?
	expect_eq "$st" 137 "the OOM victim's status"
	cgroup_gone "$MEMCG"
	kill -CONT "$TRACER_PID"
	wait_until 20 eval '[ -n "$(records $q "$o")" ]' || fail "no record of the OOM kill after 20 s"
	stop_tracer
	jq_expect "$q" "$o" ".signal == 9 and .cause.kind == \"oom\" and
		.cause.oom.memcg_path == \"$MEMCG\"" "the memcg made before tracing and removed"
}
