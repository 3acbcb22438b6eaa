# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# -- CMD under odd signals and parents: exitsnoop ends with CMD, with its
# status, whatever signal reaches exitsnoop (SIGKILL aside); CMD's status
# survives a parent that ignores SIGCHLD; a script without #! runs.

ON_PTY=$ROOT/tests/e2e/on_pty.py

# proc_state PID: the process's state letter in /proc (R, S, T, ...), read
# without a fork (wait_until counts tries).
proc_state() {
	local line
	read -r line 2> /dev/null < "/proc/$1/stat" || return
	line=${line##*) }
	echo "${line%% *}"
}

stopped() {
	[ "$(proc_state "$1")" = T ]
}

running() {
	local s
	s=$(proc_state "$1")
	[ -n "$s" ] && [ "$s" != T ]
}

# Every signal that would end a process, sent to exitsnoop alone, reaches
# CMD (its trap says so); exitsnoop goes on and ends with CMD's status.
test_cmd_signals_sent_are_passed_on() {
	local sigs="HUP INT QUIT USR1 USR2 ALRM TERM PWR VTALRM PROF XCPU XFSZ IO STKFLT
		SEGV ABRT BUS FPE ILL TRAP SYS RTMIN+5" s traps="" p
	for s in $sigs; do
		traps+="trap 'echo $s >> got' $s; "
	done
	# a background job starts with SIGINT and SIGQUIT ignored: not CMD
	env --default-signal "$EXITSNOOP" -j -o rec -- bash -c "$traps echo \$\$ > ready
		while [ ! -e go ]; do sleep 0.02; done; exit 4" > out 2> err & p=$!
	CLEANUP+=("kill -KILL $p")
	wait_until 10 test -s ready || fail "CMD did not start: $(cat err)"
	CLEANUP+=("kill -KILL $(cat ready)")
	for s in $sigs; do
		kill -"$s" $p 2> /dev/null || fail "exitsnoop ended before SIG$s was sent"
		wait_until 10 grep -qxF "$s" got || fail "CMD did not get SIG$s: $(xargs < got)"
	done
	touch go
	wait $p
	expect_eq $? 4 "exitsnoop's status: CMD's"
	expect_eq "$(cat err)" "" "stderr"
	jq -e --argjson pid "$(cat ready)" 'select(.pid == $pid and .comm == "bash") |
		.exit_code == 4' rec > /dev/null ||
		fail "CMD's record (PID $(cat ready)): $(cat rec); terminal: $(tr -d '\r' < term.out | xargs)"
}

# TSTP sent to exitsnoop stops CMD and exitsnoop, as one job; CONT goes on
# with both. A job-control shell's layout, so that the stops are not
# discarded: exitsnoop leads its own process group, its parent another one
# of the same session.
test_cmd_stop_and_continue_as_one_job() {
	local p c w
	command -v python3 > /dev/null || skip "python3 is not installed"
	python3 -c 'import os, sys
os.setsid()
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    with open("espid", "w") as f:
        f.write(str(os.getpid()))
    os.execvp(sys.argv[1], sys.argv[1:])
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))' "$EXITSNOOP" -j -o rec -- \
		bash -c 'echo $$ > ready; while [ ! -e go ]; do sleep 0.02; done; exit 4' \
		> out 2> err & w=$!
	wait_until 10 test -s ready || fail "CMD did not start: $(cat err)"
	p=$(cat espid) c=$(cat ready)
	CLEANUP+=("kill -KILL $p $c")
	kill -TSTP "$p"
	wait_until 10 stopped "$c" || fail "CMD not stopped: $(proc_state "$c")"
	wait_until 10 stopped "$p" || fail "exitsnoop not stopped: $(proc_state "$p")"
	kill -CONT "$p"
	wait_until 10 running "$c" || fail "CMD not continued: $(proc_state "$c")"
	running "$p" || fail "exitsnoop not continued: $(proc_state "$p")"
	touch go
	wait $w
	expect_eq $? 4 "exitsnoop's status: CMD's"
	expect_eq "$(cat err)" "" "stderr"
}

# Ctrl-\ on a terminal reaches the whole foreground group: CMD decides (it
# ignores it here, then ends), exitsnoop goes on and ends with its status.
test_cmd_terminal_quit() {
	command -v python3 > /dev/null || skip "python3 is not installed"
	python3 "$ON_PTY" 24 term.out --send '\x1c' --when ready -- "$EXITSNOOP" -j -o rec -- \
		bash -c 'trap "echo quit > got" QUIT; echo $$ > ready
			while [ ! -s got ]; do sleep 0.02; done; exit 4'
	expect_eq $? 4 "status after Ctrl-\\: CMD's (terminal: $(tr -d '\r' < term.out | xargs))"
	jq -e --argjson pid "$(cat ready)" 'select(.pid == $pid and .comm == "bash") |
		.exit_code == 4' rec > /dev/null ||
		fail "CMD's record (PID $(cat ready)): $(cat rec); terminal: $(tr -d '\r' < term.out | xargs)"
}

# A parent that ignores SIGCHLD (inherited across exec): CMD's status is kept.
test_cmd_parent_ignores_sigchld() {
	local n
	n=$(uname_for chld)
	bash -c 'trap "" CHLD; exec "$@"' _ "$EXITSNOOP" -j -o rec -- "$VICTIM" "$n" exit 5 \
		> out 2> err
	expect_eq $? 5 "status"
	expect_eq "$(cat err)" "" "stderr"
	jq -e --arg n "$n" 'select(.comm == $n) | .exit_code == 5' rec > /dev/null ||
		fail "CMD's record: $(cat rec)"
}

# A script without "#!" is run by /bin/sh, by path and found in PATH, as
# POSIX execvp() does (and timeout, env, nohup).
test_cmd_script_without_shebang() {
	printf 'echo "ran $0 $1"\nexit 9\n' > plain
	chmod +x plain
	"$EXITSNOOP" -o rec -- ./plain one > out 2> err
	expect_eq $? 9 "status, by path"
	expect_eq "$(cat out)" "ran ./plain one" "run by sh, by path"
	PATH="$T:$PATH" "$EXITSNOOP" -o rec -- plain two > out 2> err
	expect_eq $? 9 "status, found in PATH"
	expect_eq "$(cat out)" "ran $T/plain two" "run by sh, found in PATH"
	expect_eq "$(cat err)" "" "stderr"
}
