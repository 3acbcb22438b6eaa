# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Holding up, round two: stops at any moment, slow readers, privileges,
# names that look alike, odd kinds of stdout.

# The background job has become exitsnoop (exec done).
execed() {
	local c
	read -r c < "/proc/$1/comm" 2>/dev/null && [[ $c == exitsnoop* ]]
}

# A stop signal at any moment of the start-up is a clean stop: status 0, no message.
test_stop_during_startup() {
	local d sig p rc i
	for d in 0 0.001 0.002 0.003 0.005 0.008 0.012 0.02; do
		for sig in INT TERM HUP; do
			"$EXITSNOOP" > out 2> err &
			p=$!
			# before the exec, SIGINT is still ignored, as in any background job;
			# a busy wait, as a 10 ms poll would miss the start-up
			for ((i = 0; i < 200000; i++)); do execed $p && break; done
			sleep $d
			kill -$sig $p
			wait_until 10 eval '! kill -0 $p 2>/dev/null' || fail "SIG$sig after ${d}s ignored"
			wait $p
			rc=$?
			expect_eq "$rc" 0 "status after SIG$sig at ${d}s (stderr: $(cat err))"
			expect_eq "$(cat err)" "" "stderr after SIG$sig at ${d}s"
		done
	done
}

# bad_args WANT ARGS...: status 2, the one-line message WANT, then the usage line.
bad_args() {
	local want=$1
	shift
	"$EXITSNOOP" "$@" > out 2> err
	expect_eq $? 2 "status for $*"
	expect_eq "$(head -1 err)" "exitsnoop: $want" "message for $*"
	expect_match "$(sed -n 2p err)" "^usage: exitsnoop " "usage line for $*"
	expect_eq "$(grep -c '' err)" $((1 + $("$EXITSNOOP" --help | sed '/^$/q' | grep -c .))) \
		"message and usage only for $*"
	LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f-\xff]' err && fail "raw byte in the message for $*"
	return 0
}

test_long_option_with_a_value_it_does_not_take() {
	bad_args "option '--why' doesn't allow an argument" --why=1
	bad_args "option '--utc' doesn't allow an argument" --utc=1
	bad_args "option '--json' doesn't allow an argument" --json=yes
	bad_args "unrecognized option '--nope'" --nope=1
	bad_args "unrecognized option '-\\xc3'" -é
}

test_echoed_values_stay_on_one_line() {
	bad_args "-p '12\\nX': not a process ID" -p $'12\nX'
	bad_args "-b '\\x1b[2J': not a size (e.g. 4096, 256K, 8M)" -b $'\e[2J'
	bad_args "unexpected argument 'a\\rb' (a command to run goes after --)" $'a\rb'
	"$EXITSNOOP" -c "$T/x"$'\n'"y" > out 2> err
	expect_eq $? 2 "status for a -c path with a newline"
	expect_eq "$(cat err)" "exitsnoop: -c '$T/x\\ny': No such file or directory" "-c message"
	"$EXITSNOOP" -o "$T/no"$'\e[2J'"/x" > out 2> err
	expect_eq $? 2 "status for an -o path that cannot be opened"
	expect_eq "$(cat err)" "exitsnoop: -o '$T/no\\x1b[2J/x': No such file or directory" "-o message"
}

# A memory cgroup named with ESC, CR, an invalid byte and a bidi override.
test_oom_memcg_path_escaped() {
	local n p line
	n=$(uname_for ome)
	make_memcg "exitsnoop-"$'\e[2J\r\xff\u202e'"$BASHPID"
	start_tracer -w
	run_in_cgroup "$MEMCG" "$VICTIM" "$n" oom & p=$!
	wait $p
	stop_tracer
	line=$(table_line $p "$n")
	expect_match "$line" " oom-kill \(memcg .*/exitsnoop-\\\\x1b\[2J\\\\r\\\\xff\\\\u202e$BASHPID, rss [0-9]+ MiB\)$" \
		"escaped path"
	LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f-\xff]' "$T/out" && fail "raw byte in the table"
	return 0
}

# Names that differ must print differently: an invalid byte is not the
# character of the same value, a bidi override or line separator is shown.
test_look_alike_names() {
	local names=($'\xe9vil' 'évil' $'\u202egnp.exe' $'a\u2028b' $'\\xe9vil') i p=() out
	for i in "${!names[@]}"; do
		names[i]=${names[$i]}$(uname_for l | tail -c 6)
	done
	start_tracer -w
	for i in "${!names[@]}"; do "$VICTIM" "${names[$i]}" exit 0 & p[i]=$!; done
	wait "${p[@]}"
	stop_tracer
	out=$(for i in "${!names[@]}"; do awk -v p="${p[$i]}" '$2 == p { print $1 }' "$T/out"; done)
	expect_eq "$(printf '%s\n' "$out" | sort -u | grep -c .)" 5 "five different table names: $out"
	LC_ALL=C grep -q $'\xe2\x80[\xa8\xa9\xae]' "$T/out" && fail "raw bidi control or separator"
	start_tracer -j
	for i in "${!names[@]}"; do "$VICTIM" "${names[$i]}" exit 0 & p[i]=$!; done
	wait "${p[@]}"
	stop_tracer
	out=$(for i in "${!names[@]}"; do jq -r --argjson p "${p[$i]}" 'select(.pid == $p) | .comm' "$T/out"; done)
	expect_eq "$(printf '%s\n' "$out" | sort -u | grep -c .)" 5 "five different JSON names: $out"
	grep -qF '"comm":"\udce9vil' "$T/out" || fail "invalid byte not as its surrogate escape"
}

# A non-blocking stdout that is full for a while: the tool waits for room.
# Only the burst's own exits are taken (--comm), into a buffer that holds
# them all however many other exits the machine has meanwhile, so that no
# loss can come from the load of the machine. 300 JSON lines are more than
# the pipe holds (64 KiB), and less than what the perf-buffer path keeps
# while it waits (256 KiB) before it counts records as lost.
test_nonblocking_stdout_waits() {
	local n p
	n=$(uname_for nbk)
	mkfifo "$T/fifo"
	exec 3<> "$T/fifo" # a reader that does not read yet
	python3 -c 'import fcntl, os, sys
fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_NONBLOCK)
os.execv(sys.argv[1], sys.argv[1:])' "$EXITSNOOP" -j --comm "$n" -b 8M > "$T/fifo" 2> "$T/err" 3>&- &
	TRACER_PID=$!
	wait_until 20 eval 'grep -qs "^Tracing" "$T/err"' || fail "not ready"
	"$BURST" "$n" 300 3>&- & p=$!
	wait $p
	tracer_alive || fail "tracer ended while the pipe was full: $(cat "$T/err")"
	exec 4< "$T/fifo"
	cat <&4 > "$T/out" 3>&- 4<&- &
	exec 3>&- 4<&-
	stop_tracer
	wait
	expect_eq "$TRACER_STATUS" 0 "status"
	expect_eq "$(grep -v '^Tracing' "$T/err")" "" "stderr"
	expect_eq "$(jq -c --arg n "$n" 'select(.comm == $n)' "$T/out" | wc -l)" 300 "every record"
}

# stdout is a TCP connection whose peer resets it: a reader that went away, status 0.
test_tcp_reset_is_a_normal_end() {
	local port i
	python3 -c 'import socket, struct, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.recv(1)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()' > port &
	wait_until 10 test -s port || fail "no server"
	port=$(cat port)
	( exec 5<> "/dev/tcp/127.0.0.1/$port" && "$EXITSNOOP" >&5 2> "$T/err"; echo $? > status ) &
	for i in $(seq 1 1000); do
		[ -s status ] && break
		"$VICTIM" "$(uname_for rst)" exit 0
	done
	wait_until 10 test -s status || fail "tracer did not end after the reset"
	expect_eq "$(cat status)" 0 "status"
	expect_eq "$(cat "$T/err")" "" "stderr"
}

# Too few file descriptors, wherever it happens (-o, CMD's pipes, loading,
# the signals' eventfd, epoll, -c, --metrics-file, its first write): one
# line, one status.
test_fd_limit_readable() {
	local n args rc ok=0 short=0
	make_cgroup2
	mkdir m
	for args in "-o rec -- true" "-c $CG --metrics-file $T/m/x.prom -o rec -- true"; do
		for n in $(seq 3 40); do
			# shellcheck disable=SC2086 # the arguments, split
			( ulimit -n "$n"; exec "$EXITSNOOP" $args ) > out 2> err < /dev/null
			rc=$?
			if [ $rc = 0 ]; then
				ok=$((ok + 1))
				continue
			fi
			short=$((short + 1))
			expect_eq $rc 1 "status with ulimit -n $n, $args"
			expect_eq "$(cat err)" \
				"exitsnoop: too many open files: raise the limit (ulimit -n)" \
				"message with ulimit -n $n, $args"
		done
	done
	if [ $ok = 0 ] || [ $short = 0 ]; then
		fail "$ok runs went through, $short did not: want both"
	fi
}

# CAP_BPF without CAP_PERFMON (and the reverse) is "not privileged", status 77.
test_missing_capability_77() {
	local drop want
	need capsh libcap2-bin
	for drop in perfmon bpf; do
		want="CAP_${drop^^} is missing"
		capsh --drop=cap_sys_admin,cap_$drop -- -c 'exec "$0"' "$EXITSNOOP" > out 2> err
		expect_eq $? 77 "status without CAP_SYS_ADMIN and CAP_${drop^^}"
		expect_eq "$(cat err)" \
			"exitsnoop: not privileged: needs root, or CAP_BPF with CAP_PERFMON: $want" "message"
	done
	# CAP_BPF with CAP_PERFMON is enough, on every loader and path
	capsh --drop=cap_sys_admin -- -c 'exec "$0" -j' "$EXITSNOOP" > "$T/out" 2> "$T/err" &
	TRACER_PID=$!
	wait_until 20 tracer_ready_or_dead || fail "not ready"
	tracer_alive || fail "did not start without CAP_SYS_ADMIN: $(cat "$T/err")"
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status with CAP_BPF and CAP_PERFMON"
}

# -p of a process that is already a zombie: never a silent, empty run.
test_pid_of_a_zombie_is_reported() {
	local n p z
	n=$(uname_for pzb)
	"$VICTIM" "$n" zombie ready release & p=$!
	CLEANUP+=("touch '$T/release'")
	wait_until 10 test -s ready || fail "victim not ready"
	z=$(cat ready)
	wait_until 10 eval '[ "$(awk "{ print \$3 }" /proc/$z/stat)" = Z ]' || fail "no zombie"
	timeout 20 "$EXITSNOOP" -p "$z" > out 2> err
	expect_eq $? 0 "status"
	expect_eq "$(cat err)" "exitsnoop: -p $z: process had already terminated" "message"
	timeout 20 "$EXITSNOOP" -p "$z" --tree > out 2> err
	expect_eq $? 0 "status with --tree"
	expect_eq "$(cat err)" "exitsnoop: -p $z: process had already terminated" "message with --tree"
	touch release
	wait $p
}

# Many memory cgroups: the OOM path lookup does not walk them, so a storm
# meanwhile loses nothing (it did: a walk per OOM record inside the loop).
test_oom_lookup_independent_of_cgroup_count() {
	# user-space lookup, the same on every BPF path: once is enough
	[ "${E2E_LABEL:-default}" = default ] || skip "runs on the default path only"
	local n nb p pb i base
	n=$(uname_for omn) nb=$(uname_for omb)
	make_memcg
	base="$MEMCG/many"
	mkdir "$base" || skip "cannot create cgroups under $MEMCG"
	CLEANUP=("rmdir '$base'/c* '$base'" "${CLEANUP[@]}")
	for i in $(seq 3000); do mkdir "$base/c$i"; done
	start_tracer -j -b 64K
	"$BURST" "$nb" 30000 2 & pb=$!
	for i in $(seq 8); do
		run_in_cgroup "$MEMCG" "$VICTIM" "$n" oom & p=$!
		wait $p
	done
	wait $pb
	stop_tracer
	jq_expect $p "$n" ".cause.oom.memcg_path == \"$MEMCG\"" "memcg path of the last kill"
	grep -q lost "$T/err" && fail "losses: $(cat "$T/err")"
	expect_eq "$(jq -c --arg n "$nb" 'select(.comm == $n)' "$T/out" | wc -l)" 30000 "every exit"
}

# caps_of PID: "CapEff CapPrm NoNewPrivs Seccomp" of a process.
caps_of() {
	awk '/^(CapEff|CapPrm|NoNewPrivs|Seccomp):/ { printf "%s%s", sep, $2; sep = " " }' "/proc/$1/status"
}

# Once attached, no capability is left (CAP_DAC_READ_SEARCH with -w/-j, for
# the OOM path), no_new_privs is set, and a seccomp filter is installed.
test_privileges_dropped_after_attach() {
	local n p
	start_tracer
	expect_eq "$(caps_of "$TRACER_PID")" "0000000000000000 0000000000000000 1 2" "plain mode"
	n=$(uname_for prv)
	"$VICTIM" "$n" exit 3 & p=$!
	wait $p
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status"
	expect_match "$(table_line $p "$n")" " code 3$" "still traces"
	start_tracer -w
	expect_eq "$(caps_of "$TRACER_PID")" "0000000000000004 0000000000000004 1 2" "-w keeps CAP_DAC_READ_SEARCH"
	stop_tracer
	start_tracer -j -t --label
	expect_eq "$(caps_of "$TRACER_PID")" "0000000000000004 0000000000000004 1 2" "-j"
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status with -j"
}

# Per mode, what stays once attached (CapEff) is what -v says stays, and
# what the README's least-privilege list says: CAP_DAC_READ_SEARCH (bit 2)
# only where open_by_handle_at() names cgroups.
test_privileges_per_mode_as_said() {
	local mode caps said want
	local -A keeps=(
		[plain]="0000000000000000|every capability dropped once attached"
		[-w]="0000000000000004|CAP_DAC_READ_SEARCH kept for the whole run, for open_by_handle_at(): the memory cgroup of an OOM kill (-w, -j, --metrics-file)"
		[-j]="0000000000000004|CAP_DAC_READ_SEARCH kept for the whole run, for open_by_handle_at(): the cgroup of each record (-j, --container); the memory cgroup of an OOM kill (-w, -j, --metrics-file)"
		[--container]="0000000000000004|CAP_DAC_READ_SEARCH kept for the whole run, for open_by_handle_at(): the cgroup of each record (-j, --container)"
		[-q --metrics-file m.prom]="0000000000000004|CAP_DAC_READ_SEARCH kept for the whole run, for open_by_handle_at(): the memory cgroup of an OOM kill (-w, -j, --metrics-file)"
		[--summary -j]="0000000000000000|every capability dropped once attached"
		[-a -r]="0000000000000000|every capability dropped once attached"
	)
	for mode in "${!keeps[@]}"; do
		want=${keeps[$mode]}
		if [ "$mode" = plain ]; then
			start_tracer -v
		else
			# shellcheck disable=SC2086 # the mode is a list of words
			start_tracer -v $mode
		fi
		caps=$(awk '/^CapEff:/ { print $2 }' "/proc/$TRACER_PID/status")
		stop_tracer
		expect_eq "$TRACER_STATUS" 0 "status of $mode"
		said=$(sed -n 's/^exitsnoop: privileges: //p' "$T/err")
		expect_eq "$caps|$said" "$want" "CapEff and -v of $mode"
	done
}

# -p from inside a PID namespace: the PID as the caller sees it (the
# kernel-side filter compared host PIDs, so nothing ever matched).
test_pid_in_pid_namespace() {
	local n h
	need unshare util-linux
	n=$(uname_for pns)
	# at most a minute; the namespace goes with it (--kill-child)
	timeout -s KILL 60 unshare --kill-child -p -f --mount-proc bash -c '
		"$1" "$2" wait ready & v=$!
		until [ -f ready ]; do sleep 0.01; done
		"$3" -j -p $v > out 2> err & t=$!
		until grep -q "^Tracing" err 2> /dev/null || ! kill -0 $t 2> /dev/null; do
			sleep 0.01
		done
		touch traced
		until [ -f go ]; do sleep 0.01; done
		kill -TERM $v
		wait $t
		echo $? > status
	' _ "$VICTIM" "$n" "$EXITSNOOP" > "$T/unshare.log" 2>&1 &
	wait_until 20 test -f traced || fail "tracer in the namespace not ready: $(cat err unshare.log)"
	h=$(pgrep -x "$n") || fail "victim not found from the host"
	touch go
	wait_until 20 test -s status || fail "tracer did not end: $(cat err)"
	expect_eq "$(cat status)" 0 "status"
	jq_expect "$h" "$n" '.signal == 15' "the namespace's PID traced (host PID in the record)"
}

# Memory limits small enough that brk() and then mmap() fail while running:
# the run degrades (rows beyond memory are counted in the summary's
# "other" row and its totals), it never dies, and the metrics are written
# at the end. Each limit either starts (then status 0) or says why not.
test_tracer_under_memory_limits() {
	local lim n i p rc started=0 total
	default_path_only "the C library's allocator"
	n=$(uname_for mem)
	for lim in "-d 800" "-d 1500" "-v 3000"; do
		rm -f sum err m.prom
		# shellcheck disable=SC2086 # the option and its value
		( ulimit $lim; exec "$EXITSNOOP" --summary -o sum --metrics-file "$T/m.prom" ) \
			2> err & p=$!
		TRACER_PID=$p
		wait_until 20 tracer_ready_or_dead || fail "not ready in 20 s under ulimit $lim"
		if tracer_alive; then
			started=$((started + 1))
			for i in $(seq 100); do
				"$VICTIM" "${n:0:10}$i" exit 1
			done
			stop_tracer
			expect_eq "$TRACER_STATUS" 0 "status under ulimit $lim: $(cat err)"
			total=$(sed -n '1s/^--- .*: \([0-9]*\) exits, .*/\1/p' sum)
			[ "${total:-0}" -ge 100 ] || fail "ulimit $lim: exits not all counted: $(head -1 sum)"
			grep -q '^exitsnoop_exits_total{outcome="failure",cause="exit",reason="code"} [1-9]' m.prom ||
				fail "ulimit $lim: final metrics: $(cat m.prom)"
		else
			wait $p
			rc=$?
			TRACER_PID=
			[ $rc = 1 ] || [ $rc = 70 ] || fail "ulimit $lim: status $rc: $(cat err)"
			expect_eq "$(grep -vc '^Tracing' err)" 1 "ulimit $lim: one line on stderr"
		fi
	done
	[ $started -gt 0 ] || fail "no run started: the limits are too small"
}
