# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The seed's tool: exit codes, signals, filters, columns, per-process truth.

test_exit_codes_json() {
	local n0 n65 p0 p65
	n0=$(uname_for ok) n65=$(uname_for c65)
	start_tracer -j
	"$VICTIM" "$n0" exit 0 & p0=$!
	"$VICTIM" "$n65" exit 65 & p65=$!
	wait $p0 $p65
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "exit status after SIGINT"
	jq_expect $p0 "$n0" ".exit_code == 0 and .signal == null and .status == 0" "exit 0"
	jq_expect $p65 "$n65" ".exit_code == 65 and .status == 16640 and .cause.kind == \"exit\"" "code 65"
	jq_expect $p65 "$n65" ".tid == $p65 and .ppid == $BASHPID and .age_ns >= 0 and .age_ns < 5e9" "ids"
}

test_table_seed_columns() {
	local n p line me=$BASHPID
	n=$(uname_for tab)
	start_tracer
	head -1 "$T/out" | grep -qx 'PCOMM            PID     PPID    TID     AGE(s)  EXIT_CODE ' ||
		fail "header: $(head -1 "$T/out")"
	"$VICTIM" "$n" exit 65 & p=$!
	wait $p
	stop_tracer
	line=$(table_line "$p" "$n")
	expect_match "$line" "^$n +$p +$BASHPID +$p +[0-9]+\.[0-9]{2} +code 65$" "table line"
	expect_eq "${line:0:41}" "$(printf '%-16s %-7s %-7s %-7s ' "$n" $p $me $p)" "column widths"
}

test_killed_by_int_and_kill() {
	local ni nk pi pk
	ni=$(uname_for int) nk=$(uname_for kil)
	start_tracer
	"$VICTIM" "$ni" wait ready_i & pi=$!
	"$VICTIM" "$nk" wait ready_k & pk=$!
	wait_until 10 test -f ready_i -a -f ready_k || fail "victims not ready"
	"$VICTIM" killer kill $pi 2
	"$VICTIM" killer kill $pk 9
	wait $pi $pk
	stop_tracer
	expect_match "$(table_line $pi "$ni")" " signal 2 \(INT\)$" "INT"
	expect_match "$(table_line $pk "$nk")" " signal 9 \(KILL\)$" "KILL"
}

# core_pattern and RLIMIT_CORE are set for this test only, then restored.
with_core_dumps() {
	local saved
	saved=$(cat /proc/sys/kernel/core_pattern)
	CLEANUP+=("echo '$saved' > /proc/sys/kernel/core_pattern")
	echo "$T/core.%p" > /proc/sys/kernel/core_pattern || skip "cannot set core_pattern"
	ulimit -c unlimited
}

test_segv_core_dumped() {
	local n p
	n=$(uname_for sgv)
	with_core_dumps
	trace_victim -- "$n" segv
	[ -f "$T/core.$p" ] || fail "no core file was written"
	expect_match "$(table_line "$p" "$n")" " signal 11 \(SEGV\), core dumped$" "SEGV with core"
}

test_failed_only() {
	local n0 n3 p0 p3
	n0=$(uname_for xok) n3=$(uname_for xno)
	start_tracer -x -j
	"$VICTIM" "$n0" exit 0 & p0=$!
	"$VICTIM" "$n3" exit 3 & p3=$!
	wait $p0 $p3
	stop_tracer
	expect_eq "$(records $p0 "$n0")" "" "exit 0 is not reported with -x"
	jq_expect $p3 "$n3" ".exit_code == 3" "exit 3 reported with -x"
	jq -e 'select(.status == 0)' "$T/out" > /dev/null && fail "a status-0 record passed -x"
	return 0
}

test_pid_filter_ends_on_its_own() {
	local n p other
	n=$(uname_for pid)
	"$VICTIM" "$n" wait ready & p=$!
	wait_until 10 test -f ready || fail "victim not ready"
	start_tracer -j -p $p
	"$VICTIM" "$(uname_for oth)" exit 0 & other=$!
	wait $other
	"$VICTIM" killer kill $p 15
	wait $p
	wait_until 10 eval '! tracer_alive' || fail "tracer did not end after PID $p exited"
	wait "$TRACER_PID"
	expect_eq $? 0 "exit status of -p run"
	TRACER_PID=
	jq_expect "$p" "$n" ".signal == 15" "the traced PID's record"
	expect_eq "$(jq -c "select(.pid != $p)" "$T/out")" "" "nothing but PID $p"
}

# A PID that nobody uses now (and that no one will use in the next moment).
unused_pid() {
	local p max
	max=$(cat /proc/sys/kernel/pid_max)
	for p in $(seq $((max - 1)) -1 $((max - 500))); do
		[ -d "/proc/$p" ] || { echo "$p"; return; }
	done
}

test_pid_errors() {
	local p
	p=$(unused_pid)
	"$EXITSNOOP" -p "$p" > out 2> err
	expect_eq $? 2 "status for a PID that does not exist"
	expect_eq "$(head -1 err)" "exitsnoop: -p $p: no such process" "message"
	"$EXITSNOOP" -p 99999999999 > out 2> err
	expect_eq $? 2 "status for PID beyond pid_max"
	expect_eq "$(head -1 err)" "exitsnoop: -p '99999999999': PID out of range (1 to 4194304)" "message"
	"$EXITSNOOP" -p $(($(cat /proc/sys/kernel/pid_max) + 1)) > out 2> err
	expect_eq $? 2 "status for PID just past pid_max"
}

test_per_thread() {
	local n p
	n=$(uname_for thr)
	trace_victim -T -j -- "$n" threads 3 5
	jq_expect "$p" "$n" ".tid == $p and .exit_code == 5 and .per_thread" "main thread"
	local threads
	threads=$(jq -c --argjson pid "$p" 'select(.pid == $pid and .tid != $pid)' "$T/out")
	expect_eq "$(printf '%s\n' "$threads" | grep -c .)" 3 "three thread records"
	expect_eq "$(printf '%s\n' "$threads" | jq -r .exit_code | sort | tr '\n' ' ')" "10 11 12 " \
		"each thread's own status"
	expect_eq "$(printf '%s\n' "$threads" | jq -r .comm | sort -u)" "${n:0:12}.t" "thread comm"
	expect_eq "$(printf '%s\n' "$threads" | jq -r .tid | sort -u | wc -l)" 3 "distinct tids"
}

test_process_mode_one_line_for_threads() {
	local n p
	n=$(uname_for thp)
	trace_victim -j -- "$n" threads 3 5
	jq_expect "$p" "$n" ".exit_code == 5 and (.per_thread | not)" "one process record"
	expect_eq "$(jq -c --argjson pid "$p" 'select(.pid == $pid)' "$T/out" | wc -l)" 1 "only one"
}

test_timestamp_columns() {
	local n p line zone
	n=$(uname_for tim)
	start_tracer --utc
	expect_match "$(head -1 "$T/out")" "^TIME-UTC     PCOMM " "UTC header"
	"$VICTIM" "$n" exit 1 & p=$!
	wait $p
	local now
	now=$(date -u +%s)
	stop_tracer
	line=$(awk -v p=$p -v n="$n" '$3 == p && $2 == n' "$T/out")
	expect_match "$line" "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} $n " "time format"
	local hms=${line:0:8} at
	at=$(date -u -d "$(date -u +%F) $hms" +%s)
	[ $((now - at)) -ge -1 ] && [ $((now - at)) -le 2 ] ||
		[ $((now - at + 86400)) -le 2 ] || fail "time $hms is not the exit time (now $now)"
	zone=$(date +%Z)
	start_tracer -t
	stop_tracer
	expect_match "$(head -1 "$T/out")" "^TIME-$zone +PCOMM " "local header"
}

test_label_forms() {
	local n p arg want
	for arg in "--label" "--label=" "--label=web"; do
		n=$(uname_for lab)
		want="exit"
		[ "$arg" = "--label=web" ] && want=web
		start_tracer "$arg"
		expect_match "$(head -1 "$T/out")" "^LABEL PCOMM " "label header for $arg"
		"$VICTIM" "$n" exit 0 & p=$!
		wait $p
		stop_tracer
		expect_match "$(awk -v p=$p '$3 == p' "$T/out")" "^$want +$n +$p " "label value for $arg"
	done
}

test_cgroup_filter() {
	local nin nout pin pout
	make_cgroup2
	nin=$(uname_for cgi) nout=$(uname_for cgo)
	start_tracer -j -c "$CG"
	run_in_cgroup "$CG" "$VICTIM" "$nin" exit 4 & pin=$!
	"$VICTIM" "$nout" exit 4 & pout=$!
	wait $pin $pout
	stop_tracer
	jq_expect $pin "$nin" ".exit_code == 4" "process inside the cgroup"
	expect_eq "$(records $pout "$nout")" "" "process outside the cgroup"
	expect_eq "$(jq -c "select(.pid != $pin)" "$T/out")" "" "nothing from outside"
}

test_cgroup_errors() {
	local f
	touch "$T/file"
	mkdir "$T/dir"
	for f in "$T/missing" "$T/file" "$T/dir"; do
		"$EXITSNOOP" -c "$f" > out 2> err
		expect_eq $? 2 "status for -c $f"
		expect_match "$(head -1 err)" "^exitsnoop: -c '$f': (No such file or directory|Not a directory|not a cgroup v2 directory)$" "message"
	done
}

test_main_thread_exits_first() {
	local n p
	n=$(uname_for mtf)
	trace_victim -j -- "$n" main-first 3
	expect_eq "$VICTIM_STATUS" 3 "wait() status of the victim"
	jq_expect "$p" "$n" ".exit_code == 3" "one record, code 3"
	jq_expect "$p" "$n" ".tid != $p" "TID is the thread that exited last"
}

test_exec_from_non_leader_thread() {
	local n n2 p
	n=$(uname_for exa) n2=$(uname_for exb)
	trace_victim -j -- "$n" exec-thread "$n2" 6
	expect_eq "$VICTIM_STATUS" 6 "wait() status"
	expect_eq "$(records "$p" "$n")" "" "no record when a thread execs"
	jq_expect "$p" "$n2" ".exit_code == 6 and .tid == $p" "the new image's exit"
	expect_eq "$(jq -c --argjson p "$p" 'select(.pid == $p)' "$T/out" | wc -l)" 1 "one record"
}

zombie_reported() {
	[ -n "$(records "$(cat ready)" "$1")" ]
}

test_zombie_reported_at_exit() {
	local n p z
	n=$(uname_for zom)
	start_tracer -j
	"$VICTIM" "$n" zombie ready release & p=$!
	wait_until 10 test -f ready || fail "victim not ready"
	z=$(cat ready)
	wait_until 10 zombie_reported "$n" || fail "no record while the child is unreaped"
	expect_eq "$(awk '{ print $3 }' /proc/"$z"/stat)" Z "child state while reported"
	touch release
	wait $p
	stop_tracer
	jq_expect "$z" "$n" ".exit_code == 7 and .ppid == $p" "zombie child"
}

test_pid_namespace_shows_host_pids() {
	local n p h
	n=$(uname_for pns)
	trace_victim -j -- "$n" pidns 9 ready
	expect_eq "$VICTIM_STATUS" 0 "victim status"
	h=$(cat ready)
	[ "$h" -gt 1 ] || fail "host pid $h"
	jq_expect "$h" "$n" ".exit_code == 9 and .ppid == $p and .tid == $h" "PID 1 of its namespace"
}

test_burst_10000_all_reported() {
	local n p got
	n=$(uname_for bst)
	start_tracer
	"$BURST" "$n" 10000 & p=$!
	wait $p
	stop_tracer
	got=$(awk -v p=$p -v n="$n" '$1 == n && $3 == p' "$T/out" | wc -l)
	expect_eq "$got" 10000 "records of 10,000 children"
	grep -q 'lost' "$T/err" && fail "losses reported: $(cat "$T/err")"
	return 0
}

# The pre-6.16 exit hook (signal->live), forced on this kernel.
test_compat_hook() {
	local n p nb pb
	n=$(uname_for cmf) nb=$(uname_for cmb)
	EXITSNOOP_FORCE_COMPAT=1 start_tracer -j -v
	grep -q 'exit hook: pre-6.16' "$T/err" || fail "compat hook not in use: $(cat "$T/err")"
	"$VICTIM" "$n" main-first 3 & p=$!
	"$BURST" "$nb" 1000 2 & pb=$!
	wait $p $pb
	stop_tracer
	jq_expect "$p" "$n" ".exit_code == 3" "main thread first, compat"
	expect_eq "$(jq -c --argjson p $pb --arg n "$nb" 'select(.ppid == $p and .comm == $n)' "$T/out" | wc -l)" \
		1000 "burst, compat"
}

# The pre-6.16 hook without -w/-j: the de-duplication map must be full size.
test_compat_hook_table() {
	local n p nb pb
	n=$(uname_for ctm) nb=$(uname_for ctb)
	EXITSNOOP_FORCE_COMPAT=1 start_tracer -v
	grep -q 'exit hook: pre-6.16' "$T/err" || fail "compat hook not in use: $(cat "$T/err")"
	"$VICTIM" "$n" main-first 3 & p=$!
	"$BURST" "$nb" 2000 2 & pb=$!
	wait $p $pb
	stop_tracer
	expect_match "$(table_line "$p" "$n")" " code 3$" "main thread first, compat, table"
	expect_eq "$(awk -v p=$pb -v n="$nb" '$1 == n && $3 == p' "$T/out" | wc -l)" 2000 \
		"burst, compat, table"
}

test_version_and_help() {
	"$EXITSNOOP" --version > out || fail "--version status"
	expect_match "$(cat out)" "^exitsnoop [0-9.]+ \(libbpf v?[0-9.]+\)$" "--version"
	"$EXITSNOOP" -h > out || fail "-h status"
	grep -q '^examples:' out || fail "no examples in -h"
	grep -q -- '--per-thread' out || fail "-h lacks --per-thread"
}

test_unprivileged_77() {
	local d
	d=$(mktemp -d)
	chmod 755 "$d"
	CLEANUP+=("rm -rf '$d'")
	cp "$EXITSNOOP" "$d/exitsnoop"
	chmod 755 "$d/exitsnoop"
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$d/exitsnoop" > out 2> err
	expect_eq $? 77 "status when not privileged"
	expect_match "$(cat err)" "needs root, or CAP_BPF with CAP_PERFMON" "message"
	expect_eq "$(wc -l < err)" 1 "one line"
}

# Kernel BTF unreadable (an empty file) or absent (a kernel without it).
test_no_btf_70() {
	local hide
	for hide in "mount --bind /dev/null /sys/kernel/btf/vmlinux" \
		"mount -t tmpfs none /sys/kernel/btf"; do
		timeout 20 unshare -m bash -c "$hide && exec '$EXITSNOOP'" > out 2> err
		expect_eq $? 70 "status without kernel BTF ($hide)"
		expect_match "$(cat err)" "^exitsnoop: failed to load BPF programs: kernel BTF " "message"
		expect_eq "$(wc -l < err)" 1 "one line ($hide)"
	done
	expect_match "$(cat err)" "not available: a kernel with CONFIG_DEBUG_INFO_BTF=y is needed$" \
		"absent BTF named"
}
