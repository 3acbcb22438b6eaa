# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Why it died: sender, self, kernel fault, broken pipe, seccomp, OOM killer.

test_why_sigterm_from_known_sender() {
	local n k p kp
	n=$(uname_for trm) k=$(uname_for kil)
	start_tracer -j
	"$VICTIM" "$n" wait ready & p=$!
	wait_until 10 test -f ready || fail "victim not ready"
	"$VICTIM" "$k" kill $p 15 & kp=$!
	wait $kp $p
	stop_tracer
	jq_expect "$p" "$n" ".signal == 15 and .cause.kind == \"process\"" "kind"
	jq_expect "$p" "$n" ".cause.sender == {\"pid\": $kp, \"comm\": \"$k\", \"uid\": 0}" "sender"
	jq_expect "$p" "$n" ".cause.si_code_name == \"SI_USER\" and .cause.addr == null" "si_code"
}

test_why_table_column() {
	local n k p kp ns ps
	n=$(uname_for wtt) k=$(uname_for wtk) ns=$(uname_for wts)
	start_tracer -w
	"$VICTIM" "$n" wait ready & p=$!
	wait_until 10 test -f ready || fail "victim not ready"
	"$VICTIM" "$k" kill $p 9 & kp=$!
	"$VICTIM" "$ns" segv & ps=$!
	wait $kp $p $ps
	stop_tracer
	expect_match "$(table_line "$p" "$n")" " signal 9 \(KILL\) from $k\[$kp\] uid 0$" "sender"
	expect_match "$(table_line $ps "$ns")" " signal 11 \(SEGV\) SEGV_MAPERR at 0x0, ip victim\+0x[0-9a-f]+$" "fault"
}

test_why_shell_style_sigint_to_group() {
	local n k p kp
	n=$(uname_for grp) k=$(uname_for gkl)
	start_tracer -j
	setsid "$VICTIM" "$n" wait ready & p=$!
	wait_until 10 test -f ready || fail "victim not ready"
	expect_eq "$(cat ready)" $p "setsid ran the victim in place"
	"$VICTIM" "$k" kill -$p 2 & kp=$!
	wait $kp $p
	stop_tracer
	jq_expect "$p" "$n" ".signal == 2 and .cause.kind == \"process\" and .cause.sender.pid == $kp and .cause.sender.comm == \"$k\"" "killpg"
}

test_why_abort_is_self() {
	local n p
	n=$(uname_for abr)
	trace_victim -j -- "$n" abort
	jq_expect "$p" "$n" ".signal == 6 and .signal_name == \"ABRT\" and .cause.kind == \"self\"" "abort"
	jq_expect "$p" "$n" ".cause.sender.pid == $p and .cause.si_code_name == \"SI_TKILL\"" "raise via tgkill"
}

test_why_null_dereference() {
	local n p
	n=$(uname_for nul)
	trace_victim -j -- "$n" segv
	jq_expect "$p" "$n" ".signal == 11 and .cause.kind == \"kernel\" and .cause.si_code_name == \"SEGV_MAPERR\" and .cause.addr == \"0x0\"" "SEGV_MAPERR at 0"
}

test_why_broken_pipe() {
	local n p
	n=$(uname_for bpp)
	trace_victim -j -- "$n" pipe
	jq_expect "$p" "$n" ".signal == 13 and .cause.kind == \"kernel\" and .cause.sender == null" "SIGPIPE"
}

test_why_seccomp_kill() {
	local n p
	n=$(uname_for scp)
	trace_victim -j -- "$n" seccomp
	jq_expect "$p" "$n" ".signal == 31 and .cause.kind == \"kernel\" and .cause.si_code_name == \"SYS_SECCOMP\"" "seccomp"
}

# A memory cgroup with a small limit: v1 memory hierarchy, else v2 memory.max.
# make_memcg [NAME]: the directory's name (default exitsnoop-oom-PID).
# shellcheck disable=SC2120 # callers may name it
make_memcg() {
	local v1 v2 name=${1:-exitsnoop-oom-$BASHPID}
	v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/mounts)
	v2=$(cgroup2_root)
	if [ -n "$v1" ] && mkdir "$v1/$name" 2>/dev/null; then
		MEMCG="$v1/$name"
		CLEANUP+=("rmdir '$MEMCG'")
		echo 64M > "$MEMCG/memory.limit_in_bytes" || skip "cannot set a v1 memory limit"
	elif [ -n "$v2" ] && grep -qw memory "$v2/cgroup.controllers" 2>/dev/null; then
		MEMCG="$v2/$name"
		mkdir "$MEMCG" && CLEANUP+=("rmdir '$MEMCG'")
		echo 64M > "$MEMCG/memory.max" || skip "cannot set memory.max"
		echo 0 > "$MEMCG/memory.swap.max" 2>/dev/null
	else
		skip "no memory cgroup controller (v1 or v2) to confine an OOM"
	fi
}

test_why_oom_kill_in_memcg() {
	local n p
	n=$(uname_for oom)
	make_memcg
	start_tracer -j
	run_in_cgroup "$MEMCG" "$VICTIM" "$n" oom & p=$!
	wait $p
	stop_tracer
	jq_expect "$p" "$n" ".signal == 9 and .cause.kind == \"oom\" and .cause.oom.scope == \"memcg\"" "oom kill"
	jq_expect "$p" "$n" ".cause.oom.memcg_path == \"$MEMCG\"" "memcg path"
	jq_expect "$p" "$n" ".cause.oom.rss_bytes > 32 * 1048576 and .cause.oom.rss_bytes <= 80 * 1048576" "rss at the kill"
}

test_why_oom_table() {
	local n p
	n=$(uname_for oot)
	make_memcg
	start_tracer -w
	run_in_cgroup "$MEMCG" "$VICTIM" "$n" oom & p=$!
	wait $p
	stop_tracer
	expect_match "$(table_line "$p" "$n")" " signal 9 \(KILL\) oom-kill \(memcg $MEMCG, rss [0-9]+ MiB\)$" "table"
}
