# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# -- CMD, -p PID --tree, and the in-kernel filters --comm, --uid, --signal, --code.
# With -- CMD no ready signal is needed: CMD execs only once tracing is armed.

# run_cmd ARGS...: exitsnoop ARGS in the foreground, for 30 s at most (124:
# it did not end); CMD_STATUS, $T/out, $T/err.
run_cmd() {
	timeout -s KILL 30 "$EXITSNOOP" "$@" > "$T/out" 2> "$T/err"
	CMD_STATUS=$?
}

# JSON records of a (unique) name.
by_comm() {
	jq -c --arg comm "$1" 'select(.comm == $comm)' "$T/out"
}

has_comm() {
	[ -n "$(by_comm "$1")" ]
}

# comm_expect NAME FILTER WHAT: exactly one record of NAME, matching FILTER.
comm_expect() {
	local recs
	recs=$(by_comm "$1")
	[ "$(printf '%s\n' "$recs" | grep -c .)" = 1 ] || fail "$3: want one record of $1, got: $recs"
	printf '%s\n' "$recs" | jq -e "$2" > /dev/null || fail "$3: $2 is false for $recs"
}

# A loop of short-lived processes named $1 outside the traced tree, until $T/stop.
unrelated_loop() {
	while [ ! -f "$T/stop" ]; do
		"$VICTIM" "$1" exit 0
		echo >> "$T/loops"
	done
}

test_cmd_traces_only_its_tree() {
	local nl lp
	nl=$(uname_for loop)
	unrelated_loop "$nl" & lp=$!
	CLEANUP+=("touch '$T/stop'; kill $lp")
	wait_until 10 test -s "$T/loops" || fail "the unrelated loop did not start"
	run_cmd -j -- bash -c 'echo $$ > cmd.pid; sh -c "exit 4"; sleep 0.2 & wait; exit 3'
	touch "$T/stop"
	wait $lp
	expect_eq "$CMD_STATUS" 3 "exitsnoop's status is CMD's"
	comm_expect sh '.exit_code == 4' "sh"
	comm_expect sleep '.exit_code == 0 and .age_ns >= 2e8' "sleep"
	comm_expect bash ".exit_code == 3 and .pid == $(cat cmd.pid)" "bash, CMD itself"
	expect_eq "$(jq -r .comm "$T/out" | sort | tr '\n' ' ')" "bash sh sleep " "the tree, nothing else"
	expect_eq "$(by_comm "$nl")" "" "the unrelated loop"
	[ "$(wc -l < "$T/loops")" -ge 2 ] || fail "the loop ran only $(wc -l < "$T/loops") times"
}

test_cmd_killed_by_signal() {
	run_cmd -- sh -c 'kill -TERM $$'
	expect_eq "$CMD_STATUS" 143 "128 + SIGTERM"
	expect_match "$(awk '$1 == "sh"' "$T/out")" " signal 15 \(TERM\)$" "sh's line"
}

test_cmd_cannot_be_executed() {
	local n
	n=$(uname_for nocmd)
	run_cmd -- "$n" arg
	expect_eq "$CMD_STATUS" 127 "not found"
	expect_eq "$(cat "$T/err")" "exitsnoop: $n: command not found" "message"
	run_cmd -j -- /nonexistent/dir/cmd
	expect_eq "$CMD_STATUS" 127 "no such file"
	expect_eq "$(cat "$T/err")" "exitsnoop: /nonexistent/dir/cmd: No such file or directory" \
		"message"
	expect_eq "$(cat "$T/out")" "" "no record of the failed start"
	echo 'not a program' > "$T/plain"
	chmod 644 "$T/plain"
	run_cmd -- "$T/plain"
	expect_eq "$CMD_STATUS" 126 "not executable"
	expect_eq "$(cat "$T/err")" "exitsnoop: $T/plain: Permission denied" "message"
	run_cmd -- "$n"$'\r\e[2J'
	expect_eq "$CMD_STATUS" 127 "not found, a name with controls"
	expect_eq "$(cat "$T/err")" "exitsnoop: $n\\r\\x1b[2J: command not found" "one escaped line"
}

test_cmd_output_file_and_stdio() {
	local n
	n=$(uname_for ofile)
	echo input > "$T/in"
	"$EXITSNOOP" -j -o "$T/rec" -- bash -c "cat; echo to-stderr >&2; exec \"$VICTIM\" $n exit 5" \
		< "$T/in" > "$T/out" 2> "$T/err"
	CMD_STATUS=$?
	expect_eq "$CMD_STATUS" 5 "status"
	expect_eq "$(cat "$T/out")" "input" "CMD's stdin and stdout are the caller's"
	expect_eq "$(cat "$T/err")" "to-stderr" "CMD's stderr, nothing of exitsnoop's"
	jq -e --arg n "$n" 'select(.comm == $n) | .exit_code == 5' "$T/rec" > /dev/null ||
		fail "record in the -o file: $(cat "$T/rec")"
}

test_cmd_forwards_a_sent_signal() {
	local n p
	n=$(uname_for fwd)
	"$EXITSNOOP" -j -- "$VICTIM" "$n" wait ready > "$T/out" 2> "$T/err" & p=$!
	CLEANUP+=("kill -KILL $p")
	wait_until 10 test -s ready || fail "CMD did not start"
	kill -INT $p
	wait $p
	CMD_STATUS=$?
	expect_eq "$CMD_STATUS" 130 "CMD got the SIGINT sent to exitsnoop"
	comm_expect "$n" '.signal == 2' "CMD's record"
}

# Tracing ends with CMD; a descendant that outlives it is left running, untraced.
test_cmd_ends_with_cmd() {
	local n start took
	n=$(uname_for orph)
	start=$(date +%s%N)
	run_cmd -j -- bash -c "\"$VICTIM\" $n wait ready & exit 6"
	took=$((($(date +%s%N) - start) / 1000000))
	wait_until 10 test -s ready || fail "descendant did not start"
	CLEANUP+=("kill $(cat ready)")
	expect_eq "$CMD_STATUS" 6 "status"
	[ "$took" -lt 3000 ] || fail "waited ${took} ms for the descendant"
	kill -0 "$(cat ready)" || fail "the descendant should still run"
	expect_eq "$(by_comm "$n")" "" "no record of the live descendant"
}

test_tree_of_existing_process() {
	local npre npost nout root
	npre=$(uname_for pre) npost=$(uname_for post) nout=$(uname_for out)
	mkfifo go
	bash -c "\"$VICTIM\" $npre wait ready & read x < go; \"$VICTIM\" $npost exit 7; wait" &
	root=$!
	wait_until 10 test -s ready || fail "the existing descendant did not start"
	start_tracer -j -p $root --tree
	"$VICTIM" "$nout" exit 1
	echo go > go
	wait_until 10 has_comm "$npost" || fail "no record of the new child"
	kill "$(cat ready)"
	wait $root
	tracer_ends_within 10
	expect_eq "$TRACER_STATUS" 0 "ends with the root, status 0"
	comm_expect "$npost" '.exit_code == 7' "a child forked while traced"
	comm_expect "$npre" ".signal == 15 and .pid == $(cat ready)" "a child that existed before"
	comm_expect bash ".pid == $root and .exit_code == 0" "the root"
	expect_eq "$(by_comm "$nout")" "" "outside the tree"
}

# A child that ended before it was found in /proc (a zombie) is not a
# member: once its parent reaps it, the process outside the tree that gets
# its PID next (made so with clone3's set_tid) is not reported, nor what
# that process forks.
test_tree_adopts_no_stranger_at_a_reused_pid() {
	local nroot nstr root z
	nroot=$(uname_for trt) nstr=$(uname_for trs)
	"$VICTIM" "$nroot" zombie ready release reaped & root=$!
	CLEANUP+=("kill -KILL $root")
	wait_until 10 test -s ready || fail "victim not ready"
	z=$(cat ready)
	wait_until 10 eval '[ "$(awk "{ print \$3 }" /proc/$z/stat)" = Z ]' || fail "no zombie"
	start_tracer -j -p $root --tree
	touch release
	wait_until 10 test -s reaped || fail "the zombie was not reaped"
	"$VICTIM" "$nstr" at-pid "$z" 5 || fail "no process at the freed PID $z (status $?)"
	kill $root
	wait $root
	tracer_ends_within 10
	expect_eq "$TRACER_STATUS" 0 "ends with the root"
	comm_expect "$nroot" ".pid == $root and .signal == 15" "the root"
	expect_eq "$(by_comm "$nstr")" "" "the stranger at PID $z and its child"
}

test_filter_comm() {
	local n1 n2 n3
	n1=$(uname_for ca) n2=$(uname_for cb) n3=$(uname_for cc)
	run_cmd -j --comm "$n1" --comm "$n2" -- bash -c \
		"\"$VICTIM\" $n1 exit 1; \"$VICTIM\" $n2 exit 2; \"$VICTIM\" $n3 exit 3;
		 \"$VICTIM\" ${n1}x exit 4; \"$VICTIM\" ${n1:0:9} exit 5; exit 6"
	expect_eq "$CMD_STATUS" 6 "status"
	comm_expect "$n1" '.exit_code == 1' "first name"
	comm_expect "$n2" '.exit_code == 2' "second name"
	expect_eq "$(jq -r .comm "$T/out" | sort | tr '\n' ' ')" "$(printf '%s\n' "$n1" "$n2" |
		sort | tr '\n' ' ')" "nothing else: not a prefix, not bash"
}

# Filters work without a tree too, on every process of the machine.
test_filter_comm_machine_wide() {
	local n1 n2 p1 p2
	n1=$(uname_for mwa) n2=$(uname_for mwb)
	start_tracer -j --comm "$n1"
	"$VICTIM" "$n1" exit 1 & p1=$!
	"$VICTIM" "$n2" exit 2 & p2=$!
	wait $p1 $p2
	stop_tracer
	jq_expect $p1 "$n1" '.exit_code == 1' "the name"
	expect_eq "$(jq -r .comm "$T/out" | sort -u)" "$n1" "only the name"
}

test_filter_uid() {
	local na nb
	na=$(uname_for ua) nb=$(uname_for ub)
	need setpriv util-linux
	run_cmd -j --uid 65534 -- bash -c \
		"setpriv --reuid=65534 --regid=65534 --clear-groups \"$VICTIM\" $na exit 1; \"$VICTIM\" $nb exit 2"
	comm_expect "$na" '.exit_code == 1 and .uid == 65534' "uid 65534"
	expect_eq "$(jq -r .uid "$T/out" | sort -u)" 65534 "no other uid"
}

test_filter_signal_and_code() {
	local a b c d e
	a=$(uname_for sa) b=$(uname_for sb) c=$(uname_for sc) d=$(uname_for sd) e=$(uname_for se)
	cmd="\"$VICTIM\" $a exit 3; \"$VICTIM\" $b exit 4; \"$VICTIM\" $c exit 5;"
	cmd+="\"$VICTIM\" $d exit 0; \"$VICTIM\" $e raise 15; exit 0"
	run_cmd -j --signal -- bash -c "$cmd"
	expect_eq "$(jq -r .comm "$T/out")" "$e" "--signal: only the death by signal"
	run_cmd -j --code 3,5 -- bash -c "$cmd"
	expect_eq "$(jq -r .comm "$T/out" | tr '\n' ' ')" "$a $c " "--code 3,5"
	run_cmd -j --code 0 --signal -- bash -c "$cmd"
	expect_eq "$(jq -r .comm "$T/out" | grep -v '^bash$' | tr '\n' ' ')" "$d $e " \
		"--code 0 --signal: either"
	run_cmd -j -x --code 0,4 -- bash -c "$cmd"
	expect_eq "$(jq -r .comm "$T/out" | tr '\n' ' ')" "$b " "-x and --code 0,4"
}

# exitsnoop sheds its privileges once attached; CMD, forked before, keeps the caller's.
test_cmd_keeps_the_callers_privileges() {
	"$EXITSNOOP" -o "$T/rec" -- grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status \
		> "$T/out" 2> "$T/err"
	expect_eq "$?" 0 "status"
	expect_eq "$(grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status)" "$(cat "$T/out")" \
		"CMD's capabilities, no_new_privs and seccomp are the caller's"
}

# A reader of exitsnoop's output that has gone does not stop CMD, nor change its status.
test_cmd_runs_when_the_reader_has_gone() {
	{
		"$EXITSNOOP" -- sh -c "touch '$T/ran'; exit 3"
		echo $? > "$T/status"
	} | true
	expect_eq "$(cat "$T/status")" 3 "CMD's status"
	[ -f "$T/ran" ] || fail "CMD did not run"
}
