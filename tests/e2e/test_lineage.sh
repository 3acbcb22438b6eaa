# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Lineage: who started a process (its ancestors, against /proc while it
# ran), what it ran when the path says nothing (memfd, unlinked, device
# and inode against stat), when it started (against /proc/PID/stat), and
# whether it was a PID namespace's init.

# proc_ppid PID: its parent's PID (/proc/PID/stat's 4th field, after the name)
proc_ppid() {
	local s f
	s=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
	read -r -a f <<< "${s##*) }"
	echo "${f[1]}"
}

# proc_starttime PID: /proc/PID/stat's 22nd field, clock ticks since boot
proc_starttime() {
	local s f
	s=$(cat "/proc/$1/stat") || return 1
	read -r -a f <<< "${s##*) }"
	echo "${f[19]}"
}

# proc_chain PID: its ancestors from /proc, nearest first, up to 8, as a
# JSON array of {pid, comm, exe} (exe as readlink shows it, "-" if unreadable)
proc_chain() {
	local pid=$1 n=0 exe
	while pid=$(proc_ppid "$pid") && [ "$pid" -gt 0 ] && [ $n -lt 8 ]; do
		exe=$(readlink "/proc/$pid/exe" 2> /dev/null) || exe=-
		printf '%s\t%s\t%s\n' "$pid" "$(cat "/proc/$pid/comm")" "$exe"
		n=$((n + 1))
	done | jq -R -s 'split("\n") | map(select(length > 0) | split("\t") |
		{pid: (.[0] | tonumber), comm: .[1], exe: .[2]})'
}

# expect_chain PID NAME CHAIN_FILE: the record's ancestors are /proc's: the
# same processes and names; each exe as readlink showed it, or null where
# exitsnoop cannot know it (never another)
expect_chain() {
	local got
	got=$(records "$1" "$2" | jq -c .ancestors)
	echo "ancestors: $got"
	echo "/proc: $(jq -c . "$3")"
	jq -e -n --argjson got "$got" --slurpfile want "$3" '
		($want[0] | length) == ($got | length) and
		([$want[0], $got] | transpose | all(.[0].pid == .[1].pid and .[0].comm == .[1].comm and
			(.[1].exe == null or .[1].exe == .[0].exe)))' > /dev/null ||
		fail "ancestors of $2[$1] are not /proc's"
}

# The victim's exe as readlink shows it
victim_exe() {
	realpath "$VICTIM"
}

# Three generations of the test's own, the middle one exiting as soon as
# its child has: the child's record names both, as /proc showed them
# while it ran, and the shell above them; its start time is /proc's.
test_lineage_tree_and_parent_that_exits_after() {
	local g p c gname pname cname ticks hz
	gname=$(uname_for lng)
	pname=$(uname_for lnp)
	cname=$(uname_for lnc)
	start_tracer -j
	"$VICTIM" "$gname" spawn 0 "$pname" spawn 7 "$cname" wait "$T/ready" & g=$!
	wait_until 10 test -s "$T/ready" || fail "$cname did not start"
	c=$(cat "$T/ready")
	p=$(proc_ppid "$c")
	proc_chain "$c" > "$T/chain"
	ticks=$(proc_starttime "$c")
	kill -TERM "$c"
	wait $g
	stop_tracer
	jq_expect "$p" "$pname" '.exit_code == 7' "the parent exited right after its child"
	jq_expect "$c" "$cname" "(.ancestors[0] == {pid: $p, comm: \"$pname\", exe: \"$(victim_exe)\"}) and
		(.ancestors[1] == {pid: $g, comm: \"$gname\", exe: \"$(victim_exe)\"}) and
		.ancestors[2].pid == $BASHPID" "parent and grandparent, named"
	expect_chain "$c" "$cname" "$T/chain"
	hz=$(getconf CLK_TCK)
	jq_expect "$c" "$cname" "(.start_time / (1000000000 / $hz) | floor) == $ticks" \
		"start_time is /proc/PID/stat's start time ($ticks ticks)"
	jq_expect "$c" "$cname" '.container_init == false' "not a namespace's init"
}

# Ten generations: the eight nearest are named.
test_lineage_depth_is_bounded() {
	local names=() argv=() want='' i c v
	for i in 0 1 2 3 4 5 6 7 8 9; do
		names+=("$(uname_for "ld$i")")
		argv+=("${names[$i]}" spawn 0)
	done
	for i in 8 7 6 5 4 3 2 1; do
		want="$want${want:+,}\"${names[$i]}\""
	done
	start_tracer -j
	"$VICTIM" "${argv[@]:0:27}" "${names[9]}" wait "$T/ready" & v=$!
	wait_until 10 test -s "$T/ready" || fail "the tenth did not start"
	c=$(cat "$T/ready")
	proc_chain "$c" > "$T/chain"
	kill -TERM "$c"
	wait $v
	stop_tracer
	jq_expect "$c" "${names[9]}" "(.ancestors | map(.comm)) == [$want]" "the 8 nearest, nearest first"
	expect_chain "$c" "${names[9]}" "$T/chain"
}

# A child whose parent was killed is its reaper's: the chain as /proc
# shows it then, up to init.
test_lineage_orphan() {
	local p c pname cname
	pname=$(uname_for lop)
	cname=$(uname_for loc)
	start_tracer -j
	"$VICTIM" "$pname" spawn 0 "$cname" wait "$T/ready" & p=$!
	wait_until 10 test -s "$T/ready" || fail "$cname did not start"
	c=$(cat "$T/ready")
	kill -KILL $p
	wait $p
	wait_until 10 eval '[ "$(proc_ppid "$c")" != "$p" ]' || fail "$cname was not reparented"
	proc_chain "$c" > "$T/chain"
	kill -TERM "$c"
	wait_until 10 eval '! kill -0 "$c" 2> /dev/null' || fail "$cname did not end"
	wait_until 10 eval '[ -n "$(records "$c" "$cname")" ]' || fail "no record of $cname"
	stop_tracer
	expect_chain "$c" "$cname" "$T/chain"
	jq_expect "$c" "$cname" '.ancestors[-1].pid == 1 or (.ancestors | length) == 8' "up to init"
}

# exitsnoop inside a PID namespace: the chain ends at that namespace's
# init; what is above it is not the caller's to see.
test_lineage_stops_at_callers_pid_namespace() {
	local gname cname g
	need unshare util-linux
	gname=$(uname_for lsg)
	cname=$(uname_for lsc)
	unshare -p -f --mount-proc bash -c '
		"$1" -j > "$2/out" 2> "$2/err" & t=$!
		for _ in $(seq 2000); do grep -q Tracing "$2/err" && break; sleep 0.01; done
		"$3" "$4" spawn 0 "$5" exit 3
		kill -INT $t
		wait $t' _ "$EXITSNOOP" "$T" "$VICTIM" "$gname" "$cname" ||
		fail "exitsnoop in a PID namespace: $(cat "$T/err")"
	g=$(jq -r --arg c "$gname" 'select(.comm == $c) | .pid' "$T/out")
	[ -n "$g" ] || fail "no record of $gname: $(cat "$T/err")"
	jq -c --arg c "$cname" 'select(.comm == $c) | .ancestors' "$T/out"
	[ "$(jq -c --arg c "$cname" 'select(.comm == $c) | .ancestors | map(.comm)' "$T/out")" = \
		"[\"$gname\",\"bash\"]" ] || fail "ancestors beyond the namespace's init"
	jq -e -s --arg c "$cname" --argjson g "$g" 'map(select(.comm == $c)) | length == 1 and
		.[0].ancestors[0].pid == $g and .[0].ns_pid != .[0].pid' "$T/out" > /dev/null ||
		fail "host PIDs"
}

# The ANCESTORS column: the names, nearest first.
test_lineage_column() {
	local g c gname cname me
	gname=$(uname_for lcg)
	cname=$(uname_for lcc)
	start_tracer --ancestors -a
	"$VICTIM" "$gname" spawn 0 "$cname" exit 4 & g=$!
	wait $g
	stop_tracer
	head -1 "$T/out" | grep -q ' EXIT_CODE  ANCESTORS ARGS$' || fail "header: $(head -1 "$T/out")"
	c=$(awk -v n="$cname" '$1 == n { print $2 }' "$T/out")
	read -r me < "/proc/$BASHPID/comm"
	expect_match "$(table_line "$c" "$cname")" " code 4     $gname<$me<[^ ]+ $VICTIM $cname exit 4$" \
		"the column"
}

# The exe's identity: readlink and stat while it ran, and after the exit
# hook (6.16+) whether it was unlinked since the exec.
exe_id() { # PATH: "major:minor inode" as stat -L gives them
	stat -L -c '%Hd:%Ld %i' "$1"
}

# Where the exit hook still sees the process's memory map (6.16+), an
# unlink after the exec is known; before, null.
late_unlink_known() {
	[ "$(printf '%s\n6.16\n' "$(uname -r | cut -d- -f1)" | sort -V | head -1)" = 6.16 ]
}

test_lineage_exe_unlinked_while_running() {
	local n p q id kept dev ino want
	n=$(uname_for lxd)
	cp "$VICTIM" "$T/unlinked"
	cp "$VICTIM" "$T/kept"
	id=$(exe_id "$T/unlinked")
	kept=$(exe_id "$T/kept")
	start_tracer -j
	"$T/unlinked" "$n" wait "$T/ready" & p=$!
	wait_until 10 test -s "$T/ready" || fail "$n did not start"
	[ "$(exe_id "/proc/$p/exe")" = "$id" ] || fail "stat of /proc/$p/exe is not the file's"
	rm "$T/unlinked"
	[ "$(readlink "/proc/$p/exe")" = "$T/unlinked (deleted)" ] || fail "readlink: $(readlink "/proc/$p/exe")"
	kill -TERM $p
	wait $p
	"$T/kept" "$n" exit 0 & q=$!
	wait $q
	stop_tracer
	read -r dev ino <<< "$id"
	want=null
	late_unlink_known && want=true
	jq_expect "$p" "$n" ".exe == \"$T/unlinked\" and .exe_deleted == $want and .exe_memfd == null and
		.exe_dev == \"$dev\" and .exe_ino == $ino" "unlinked after the exec"
	read -r dev ino <<< "$kept"
	want=null
	late_unlink_known && want=false
	jq_expect "$q" "$n" ".exe == \"$T/kept\" and .exe_deleted == $want and
		.exe_dev == \"$dev\" and .exe_ino == $ino" "still there"
}

# Unlinked before its exec (run through /proc/self/fd): no path, but
# the file it was.
test_lineage_exe_unlinked_before_exec() {
	local n p dev ino
	n=$(uname_for lxb)
	cp "$VICTIM" "$T/gone"
	read -r dev ino <<< "$(exe_id "$T/gone")"
	start_tracer -j
	bash -c 'exec 3< "$1" && rm "$1" && exec /proc/self/fd/3 "$2" exit 0' _ "$T/gone" "$n" & p=$!
	wait $p
	stop_tracer
	jq_expect "$p" "$n" ".exe == null and .exe_deleted == true and .exe_memfd == null and
		.exe_dev == \"$dev\" and .exe_ino == $ino" "its file, without a path"
}

# memfd_create() and fexecve() of a copy of the victim: the memfd's name.
test_lineage_exe_memfd() {
	local n p rl id dev ino
	need python3 python3
	n=$(uname_for lxm)
	start_tracer -j
	python3 -c '
import os, sys
fd = os.memfd_create(sys.argv[2])
with open(sys.argv[1], "rb") as f:
    os.write(fd, f.read())
os.execve(fd, [sys.argv[2], sys.argv[2], "wait", sys.argv[3]], dict(os.environ))
' "$VICTIM" "$n" "$T/ready" & p=$!
	wait_until 10 test -s "$T/ready" || fail "$n did not start from a memfd"
	rl=$(readlink "/proc/$p/exe")
	id=$(exe_id "/proc/$p/exe")
	kill -TERM $p
	wait $p
	stop_tracer
	[ "$rl" = "/memfd:$n (deleted)" ] || fail "readlink: '$rl'"
	read -r dev ino <<< "$id"
	jq_expect "$p" "$n" ".exe == null and .exe_memfd == \"memfd:$n\" and .exe_deleted == true and
		.exe_dev == \"$dev\" and .exe_ino == $ino and .args[0] == \"$n\"" "the memfd"
}

# PID 1 of a PID namespace of its own, from the host.
test_lineage_container_init_unshare() {
	local n u line
	need unshare util-linux
	n=$(uname_for lci)
	start_tracer -j
	unshare -p -f "$VICTIM" "$n" exit 0 & u=$!
	wait $u
	stop_tracer
	line=$(jq -c --arg comm "$n" 'select(.comm == $comm)' "$T/out")
	[ -n "$line" ] || fail "no record of $n"
	jq_expect "$(echo "$line" | jq .pid)" "$n" '.ns_pid == 1 and .container_init == true' "its init"
	jq_expect "$u" unshare '.container_init == false' "unshare, in the host's namespace"
}
