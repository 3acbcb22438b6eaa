# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The process's story: argv, exe, ids, cgroup and container, PID namespace,
# resource usage against the parent's wait4().

HEX64=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

test_story_args_with_spaces_and_empty() {
	local n p
	n=$(uname_for arg)
	trace_victim -j -- "$n" exit 0 "two words" "" "  " "tab	x"
	jq_expect "$p" "$n" ".args == [\"$VICTIM\", \"$n\", \"exit\", \"0\", \"two words\", \"\", \"  \", \"tab\\tx\"] and .args_truncated == false" "args"
	jq_expect "$p" "$n" ".exe == \"$(realpath "$VICTIM")\"" "exe"
}

test_story_args_truncated() {
	local n p long
	n=$(uname_for trc)
	long=$(printf 'x%.0s' $(seq 1 1500))
	trace_victim -j -- "$n" exit 0 "$long"
	jq_expect "$p" "$n" '.args_truncated == true and (.args | join(" ") | length) == 1024 and (.args[-1] | test("^x+$"))' "cut at 1 KiB"
}

test_story_exe_through_symlink() {
	local n p
	n=$(uname_for exe)
	cp "$VICTIM" "$T/victim-copy"
	ln -s "$T/victim-copy" "$T/link"
	start_tracer -j
	"$T/link" "$n" exit 0 & p=$!
	wait $p
	stop_tracer
	jq_expect "$p" "$n" ".exe == \"$(realpath "$T/victim-copy")\" and .args[0] == \"$T/link\"" "exe is the file, args[0] as called"
}

# exe_run NAME PATH: PATH runs as NAME until readlink has read its exe;
# prints its PID and what readlink said
exe_run() {
	local p
	rm -f "$T/ready"
	"$2" "$1" wait "$T/ready" & p=$!
	wait_until 10 test -f "$T/ready" || fail "$1 did not start from $2"
	echo "$p $(readlink "/proc/$p/exe")"
	kill -TERM $p
	wait $p
}

# mnt_tree: a tmpfs on $T/mnt, unmounted at the end
mnt_tree() {
	mkdir -p "$T/mnt"
	mount -t tmpfs exitsnoop-e2e "$T/mnt" || skip "cannot mount a tmpfs"
	CLEANUP=("umount -l '$T/mnt'" "${CLEANUP[@]}")
}

# deep_dir ROOT N: ROOT/d1/.../dN, made
deep_dir() {
	local d=$1 i
	for i in $(seq 1 "$2"); do d=$d/d$i; done
	mkdir -p "$d" && echo "$d"
}

# Started after the tracer, from under a mount point, 20 directories deep,
# through a bind mount of a directory and of the file itself: the path
# readlink shows, whichever mounts it crosses.
test_story_exe_across_mounts() {
	local n p rl deep
	mnt_tree
	deep=$(deep_dir "$T/mnt" 20)
	cp "$VICTIM" "$deep/victim"
	mkdir -p "$T/bind"
	mount --bind "$T/mnt/d1/d2" "$T/bind" || fail "bind mount"
	CLEANUP=("umount -l '$T/bind'" "${CLEANUP[@]}")
	touch "$T/file"
	mount --bind "$VICTIM" "$T/file" || fail "bind mount of a file"
	CLEANUP=("umount -l '$T/file'" "${CLEANUP[@]}")
	start_tracer -j
	for run in "exm $deep/victim" "exb $T/bind${deep#"$T/mnt/d1/d2"}/victim" "exf $T/file"; do
		n=$(uname_for "${run%% *}")
		read -r p rl <<< "$(exe_run "$n" "${run#* }")"
		echo "$n $p $rl" >> "$T/ran"
	done
	stop_tracer
	while read -r n p rl; do
		case $rl in /*) ;; *) fail "readlink of $n: '$rl'" ;; esac
		jq_expect "$p" "$n" ".exe == \"$rl\"" "exe as readlink shows it"
	done < "$T/ran"
	grep -q "^exm.* $T/mnt/d1/.*/d20/victim$" "$T/ran" || fail "deep: $(cat "$T/ran")"
	grep -q "^exb.* $T/bind/d3/.*/d20/victim$" "$T/ran" || fail "bind: $(cat "$T/ran")"
	grep -q "^exf.* $T/file$" "$T/ran" || fail "file: $(cat "$T/ran")"
}

# In a mount namespace of its own, from a tmpfs mounted there only: the
# path readlink shows from outside, through that namespace's mounts.
test_story_exe_in_mount_namespace() {
	local n p p2 u rl deep
	need unshare util-linux
	mnt_tree
	deep=$(deep_dir "$T/mnt" 3)
	cp "$VICTIM" "$deep/victim"
	n=$(uname_for mns)
	start_tracer -j
	unshare -m --propagation private sh -c \
		'mount -t tmpfs over "$1" && mkdir "$1/x" && cp "$2" "$1/x/v" && exec "$1/x/v" "$3" wait "$4"' \
		_ "$T/mnt/d1" "$VICTIM" "$n" "$T/ready" & u=$!
	CLEANUP+=("kill -KILL $u 2> /dev/null")
	wait_until 10 test -s "$T/ready" || fail "unshare -m: no victim inside"
	p=$(cat "$T/ready")
	rl=$(readlink "/proc/$p/exe")
	kill -TERM "$p"
	wait $u
	"$deep/victim" "$n" exit 0 & p2=$!
	wait $p2
	stop_tracer
	[ "$rl" = "$T/mnt/d1/x/v" ] || fail "readlink from outside: '$rl'"
	jq_expect "$p" "$n" ".exe == \"$rl\"" "inside: its own tmpfs"
	jq_expect "$p2" "$n" ".exe == \"$deep/victim\"" "outside: the first tmpfs"
}

# What does not fit, and what has no path any more, is null, never a
# wrong path: 40 directories deep (more steps than the walk takes), a path
# of more than 255 bytes, a file deleted before its exec (run through
# /proc/self/fd, as readlink says "... (deleted)"). The args stay.
test_story_exe_null_beyond_bounds() {
	local n p rl deep long run
	mnt_tree
	deep=$(deep_dir "$T/mnt" 40)
	cp "$VICTIM" "$deep/victim"
	long=$T/mnt/$(printf 'l%.0s' $(seq 1 100))/$(printf 'm%.0s' $(seq 1 100))/$(printf 'n%.0s' $(seq 1 100))
	mkdir -p "$long"
	cp "$VICTIM" "$long/victim"
	cp "$VICTIM" "$T/mnt/gone"
	start_tracer -j
	for run in "exd $deep/victim" "exl $long/victim"; do
		n=$(uname_for "${run%% *}")
		read -r p rl <<< "$(exe_run "$n" "${run#* }")"
		[ "$rl" = "${run#* }" ] || fail "readlink of $n: '$rl'"
		echo "$n $p" >> "$T/ran"
	done
	n=$(uname_for exg)
	bash -c 'exec 3< "$1" && rm "$1" && exec /proc/self/fd/3 "$2" exit 0' _ "$T/mnt/gone" "$n" & p=$!
	wait $p
	echo "$n $p" >> "$T/ran"
	stop_tracer
	while read -r n p; do
		jq_expect "$p" "$n" ".exe == null and .args[1] == \"$n\"" "exe null, args kept"
	done < "$T/ran"
}

test_story_dropped_to_nobody() {
	local n p
	n=$(uname_for nob)
	trace_victim -j -- "$n" setid 65534 65534
	jq_expect "$p" "$n" ".uid == 65534 and .gid == 65534 and .exit_code == 0" "uid and gid"
}

# The next three make cgroups named as docker's and containerd's systemd
# drivers name theirs: they check that such names go from the kernel to
# JSON and the column, not what the runtimes make (test_runtimes.sh runs
# the runtimes themselves, with the cgroupfs driver this host allows).
test_story_docker_scope() {
	local n p root dir
	n=$(uname_for dkr)
	make_cgroup2
	root=$(cgroup2_root)
	dir="$CG/docker-$HEX64.scope"
	mkdir "$dir" || skip "cannot create $dir"
	CLEANUP=("rmdir '$dir'" "${CLEANUP[@]}")
	start_tracer -j
	(run_in_cgroup "$dir" "$VICTIM" "$n" exit 0) & p=$!
	wait $p
	stop_tracer
	jq_expect "$p" "$n" ".cgroup == \"${dir#"$root"}\" and .container_id == \"$HEX64\" and .pod_uid == null" "docker scope"
}

test_story_kubepods_cri_containerd() {
	local n p root dir uid
	n=$(uname_for k8s)
	uid=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
	make_cgroup2
	root=$(cgroup2_root)
	dir="$CG/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid//-/_}.slice"
	mkdir -p "$dir/cri-containerd-$HEX64.scope" || skip "cannot create $dir"
	CLEANUP=("rmdir '$dir/cri-containerd-$HEX64.scope' '$dir' '${dir%/*}' '${dir%/*/*}'" "${CLEANUP[@]}")
	dir="$dir/cri-containerd-$HEX64.scope"
	start_tracer -j
	(run_in_cgroup "$dir" "$VICTIM" "$n" exit 0) & p=$!
	wait $p
	stop_tracer
	jq_expect "$p" "$n" ".cgroup == \"${dir#"$root"}\" and .container_id == \"$HEX64\" and .pod_uid == \"$uid\"" "kubepods scope"
}

test_story_container_column() {
	local n p dir
	n=$(uname_for ccl)
	make_cgroup2
	dir="$CG/docker-$HEX64.scope"
	mkdir "$dir" || skip "cannot create $dir"
	CLEANUP=("rmdir '$dir'" "${CLEANUP[@]}")
	start_tracer --container -a -r
	(run_in_cgroup "$dir" "$VICTIM" "$n" exit 3 "a b" "") & p=$!
	wait $p
	stop_tracer
	head -1 "$T/out" | grep -q '^PCOMM  *PID  *PPID  *TID  *AGE(s)  CPU(s)  MAXRSS(KB) CONTAINER    EXIT_CODE  ARGS$' ||
		fail "header: $(head -1 "$T/out")"
	expect_match "$(table_line "$p" "$n")" " ${HEX64:0:12} code 3     $VICTIM $n exit 3 'a b' ''$" "columns"
}

test_story_ns_pid_in_new_namespace() {
	local n p line
	need unshare util-linux
	n=$(uname_for nsp)
	start_tracer -j
	unshare -p -f "$VICTIM" "$n" exit 0
	stop_tracer
	line=$(jq -c --arg comm "$n" 'select(.comm == $comm)' "$T/out")
	[ -n "$line" ] || fail "no record of $n"
	p=$(echo "$line" | jq .pid)
	jq_expect "$p" "$n" ".ns_pid == 1 and .pid != 1" "PID 1 of its namespace"
	[ "$(jq -s 'map(select(.comm == "unshare")) | all(.ns_pid == .pid)' "$T/out")" = true ] ||
		fail "unshare itself is in the host's namespace"
}

test_story_started_before_tracer() {
	local n p
	n=$(uname_for old)
	"$VICTIM" "$n" wait ready "before" "" & p=$!
	wait_until 10 test -f ready || fail "victim not ready"
	start_tracer -j
	kill -TERM $p
	wait $p
	stop_tracer
	jq_expect "$p" "$n" ".args == [\"$VICTIM\", \"$n\", \"wait\", \"ready\", \"before\", \"\"] and .exe == \"$(realpath "$VICTIM")\"" "args and exe from the start"
	jq_expect "$p" "$n" ".cgroup != null and .rusage != null" "cgroup and rusage"
}

# within pct percent, or abs of the unit
close_to() { # GOT WANT PCT ABS
	awk -v g="$1" -v w="$2" -v p="$3" -v a="$4" \
		'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= a || d <= w * p / 100) }'
}

test_story_rusage_matches_wait4() {
	local n p ut st rss minf majf nvc niv got
	n=$(uname_for rus)
	start_tracer -j
	"$VICTIM" "$(uname_for rpa)" rusage "$T/ru" "$n" 64 300
	stop_tracer
	read -r p ut st rss minf majf nvc niv < "$T/ru"
	got=$(records "$p" "$n")
	[ -n "$got" ] || fail "no record of ${n}[$p]"
	echo "wait4: ut $ut st $st rss $rss minflt $minf majflt $majf nvcsw $nvc nivcsw $niv"
	echo "got: $got"
	close_to "$(echo "$got" | jq '.rusage.utime_us + .rusage.stime_us')" $((ut + st)) 10 10000 ||
		fail "cpu: $(echo "$got" | jq -c .rusage) against $ut+$st"
	close_to "$(echo "$got" | jq .rusage.maxrss_kb)" "$rss" 5 0 || fail "maxrss against $rss"
	close_to "$(echo "$got" | jq .rusage.minflt)" "$minf" 10 2 || fail "minflt against $minf"
	close_to "$(echo "$got" | jq .rusage.majflt)" "$majf" 10 2 || fail "majflt against $majf"
	close_to "$(echo "$got" | jq .rusage.nvcsw)" "$nvc" 10 2 || fail "nvcsw against $nvc"
	close_to "$(echo "$got" | jq .rusage.nivcsw)" "$niv" 10 5 || fail "nivcsw against $niv"
	[ "$rss" -ge 65536 ] || fail "the hog did not touch 64 MiB: $rss"
}

test_story_rusage_column() {
	local n p line
	n=$(uname_for rcl)
	trace_victim -r -- "$n" hog 16 100
	line=$(table_line "$p" "$n")
	[[ "$line" =~ ^$n\ +$p\ +[0-9]+\ +$p\ +[0-9.]+\ +(0\.[0-9][0-9])\ +([0-9]+)\ +0$ ]] || fail "line: $line"
	close_to "${BASH_REMATCH[1]}" 0.10 30 0.03 || fail "cpu ${BASH_REMATCH[1]}"
	[ "${BASH_REMATCH[2]}" -ge 16384 ] || fail "maxrss ${BASH_REMATCH[2]}"
}

test_story_failed_only_carries_nothing_for_successes() {
	local n p q
	n=$(uname_for xok)
	start_tracer -j -x
	"$VICTIM" "$n" exit 0 & p=$!
	"$VICTIM" "$n" exit 4 "z" & q=$!
	wait $p $q
	stop_tracer
	[ -z "$(records "$p" "$n")" ] || fail "a success came through -x"
	jq_expect $q "$n" ".exit_code == 4 and .args[-1] == \"z\"" "the failure with its args"
}
