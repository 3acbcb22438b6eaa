#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Containers of the real runtimes, started here: podman (runc, cgroupfs
# manager), docker (its own dockerd, cgroupfs driver) and containerd (its
# own daemon, driven with ctr). Each runtime's own record is the ground
# truth: its container ID, its init's PID and exit code, the exit status
# of what was exec'd into the container, and the kernel's OOM count of
# the container's memory cgroup. Container identity does not depend on the
# tracer's kernel path: these run once, on the default path.

# The script the container's init runs, and the two exec'd into it. Each
# runs busybox under a name of the test's own (the kernel names a process
# after the path it executes; busybox picks its applet from argv[0]).
# rt-exec and rt-oom print their PID in the container first.
rt_scripts() {
	local dir=$1
	printf '#!/bin/sh\nexec -a sh /bin/%s -c '\''trap "exit 23" TERM; sleep 1000 & wait'\''\n' \
		"$2" > "$dir/bin/rt-init"
	printf '#!/bin/sh\necho $$\nexec -a sh /bin/%s -c "exit 3"\n' "$3" > "$dir/bin/rt-exec"
	printf '#!/bin/sh\necho $$\nexec -a tail /bin/%s /dev/zero\n' "$4" > "$dir/bin/rt-oom"
	chmod 755 "$dir/bin/rt-init" "$dir/bin/rt-exec" "$dir/bin/rt-oom"
}

# The exit code the init's TERM trap leaves, and rt-exec's.
RT_INIT_CODE=23
RT_EXEC_CODE=3

# rt_rootfs DIR: a root file system of busybox-static, with the test's
# names (RT_INIT, RT_EXEC, RT_OOM) as links to it; and DIR.tar of it.
rt_rootfs() {
	local dir=$1 bb a
	bb=$(command -v busybox) || fail "busybox is not installed (busybox-static; make deps installs it)"
	ldd "$bb" > /dev/null 2>&1 && fail "$bb is not static (busybox-static; make deps installs it)"
	mkdir -p "$dir/bin" "$dir/dev" "$dir/proc" "$dir/sys" "$dir/tmp" "$dir/etc"
	cp "$bb" "$dir/bin/busybox"
	for a in sh sleep tail cat "$RT_INIT" "$RT_EXEC" "$RT_OOM"; do
		ln -s busybox "$dir/bin/$a"
	done
	rt_scripts "$dir" "$RT_INIT" "$RT_EXEC" "$RT_OOM"
	tar -C "$dir" -cf "$dir.tar" . || fail "tar of the root file system"
}

rt_names() {
	RT_INIT=$(uname_for rtinit)
	RT_EXEC=$(uname_for rtexec)
	RT_OOM=$(uname_for rtoom)
}

# A process that has not ended (a zombie has, though kill -0 finds it).
proc_running() {
	local s
	s=$(ps -o stat= -p "$1" 2> /dev/null) && [[ $s != Z* ]]
}

# stop_daemon PIDFILE_OR_PID: TERM, then KILL after 30 s.
stop_daemon() {
	local pid=$1
	[ -f "$pid" ] && pid=$(cat "$pid" 2> /dev/null)
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2> /dev/null
	wait_until 30 eval '! proc_running '"$pid" || kill -KILL "$pid" 2> /dev/null
}

# Whatever a runtime left mounted under the test's directory.
umount_below() {
	findmnt -rn -o TARGET | grep "^$1/" | sort -r | xargs -r umount -l
}

# rmdir_cgroups NAME: the empty cgroup NAME in every hierarchy.
rmdir_cgroups() {
	local m
	while read -r m; do
		[ ! -d "$m/$1" ] || rmdir "$m/$1"
	done < <(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/mounts)
}

has_child() {
	[ -n "$(ps -o pid= --ppid "$1" 2> /dev/null)" ]
}

# rt_cgroups PID: the container's cgroups, from its init's /proc entry:
# RT_CGPATH (v2, relative), RT_CGDIR (v2 directory), RT_MEMCG (the memory
# cgroup's directory: the v1 memory hierarchy's where there is one).
rt_cgroups() {
	local v2 v1mem memrel
	v2=$(cgroup2_root)
	[ -n "$v2" ] || skip "no cgroup v2 mount"
	RT_CGPATH=$(sed -n 's/^0:://p' "/proc/$1/cgroup")
	RT_CGDIR=$v2$RT_CGPATH
	v1mem=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/mounts)
	memrel=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' "/proc/$1/cgroup")
	if [ -n "$v1mem" ] && [ -n "$memrel" ]; then
		RT_MEMCG=$v1mem$memrel
	else
		RT_MEMCG=$RT_CGDIR
	fi
	[ -d "$RT_CGDIR" ] || fail "the container's v2 cgroup $RT_CGDIR is not there"
}

# The kernel's count of OOM kills in a memory cgroup (v1 or v2).
oom_kills() {
	if [ -f "$1/memory.oom_control" ]; then
		awk '$1 == "oom_kill" { print $2 }' "$1/memory.oom_control"
	else
		awk '$1 == "oom_kill" { print $2 }' "$1/memory.events"
	fi
}

start_table_tracer() {
	"$EXITSNOOP" "$@" > "$T/tab" 2> "$T/tab.err" &
	TAB_PID=$!
	wait_until 20 eval '[ -s "$T/tab" ] || ! kill -0 $TAB_PID 2> /dev/null' ||
		fail "table tracer not ready after 20 s"
	[ -s "$T/tab" ] || fail "table tracer died: $(cat "$T/tab.err")"
}

init_recorded() {
	[ -n "$(records "$RT_IPID" "$RT_INIT")" ]
}

# rt_check: the checks every runtime shares. Before it, the test has
# started a container running /bin/rt-init with a 16 MiB memory limit and
# set RT_CID (the runtime's ID for it), RT_IPID (its init's host PID), and
# defined rt_exec CMD (runs CMD in the container: its stdout, its exit
# status as the runtime reports it; sets RT_EPID, the host PID of
# rt-exec, where the runtime tells it) and rt_stop (sends the init TERM,
# waits for the end, and sets RT_EXIT to the exit code the runtime
# recorded).
rt_check() {
	local epid opid kills_before line pid comm
	[[ $RT_CID =~ ^[0-9a-f]{64}$ ]] || fail "the runtime's container ID: '$RT_CID'"
	wait_until 20 has_child "$RT_IPID" || fail "the container's init never forked its sleep"
	rt_cgroups "$RT_IPID"
	kills_before=$(oom_kills "$RT_MEMCG")

	start_tracer -j -w --metrics-file "$T/m.prom"
	start_table_tracer --container -w -c "$RT_CGDIR"
	CLEANUP+=('[ -z "$TAB_PID" ] || kill -KILL "$TAB_PID"')

	rt_exec /bin/rt-exec > "$T/exec.out"
	expect_eq "$?" "$RT_EXEC_CODE" "exec's status as the runtime reports it"
	epid=$(cat "$T/exec.out")
	rt_exec /bin/rt-oom > "$T/oom.out"
	expect_eq "$?" 137 "the OOM victim's status as the runtime reports it"
	opid=$(cat "$T/oom.out")
	[ "$(oom_kills "$RT_MEMCG")" -gt "$kills_before" ] ||
		fail "the kernel counted no OOM kill in $RT_MEMCG"
	rt_stop
	wait_until 20 init_recorded || fail "no record of the init after 20 s"
	stop_tracer
	kill -INT "$TAB_PID"
	wait "$TAB_PID"
	TAB_PID=

	jq_expect "$RT_IPID" "$RT_INIT" ".ns_pid == 1 and .container_init == true and .exit_code == $RT_EXIT and
		.container_id == \"$RT_CID\" and .cgroup == \"$RT_CGPATH\"" "the container's init"
	line=$(jq -c --arg c "$RT_EXEC" --argjson n "$epid" 'select(.comm == $c and .ns_pid == $n)' "$T/out")
	[ "$(printf '%s\n' "$line" | grep -c .)" = 1 ] || fail "want one record of the exec, got: $line"
	printf '%s\n' "$line" | jq -e ".exit_code == $RT_EXEC_CODE and .container_init == false and
		.container_id == \"$RT_CID\" and
		.cgroup == \"$RT_CGPATH\"" > /dev/null || fail "the exec'd process: $line"
	[ -z "$RT_EPID" ] || jq_expect "$RT_EPID" "$RT_EXEC" ".ns_pid == $epid" "exec by host PID"
	epid=$(printf '%s\n' "$line" | jq .pid)
	line=$(jq -c --arg c "$RT_OOM" --argjson n "$opid" 'select(.comm == $c and .ns_pid == $n)' "$T/out")
	[ "$(printf '%s\n' "$line" | grep -c .)" = 1 ] || fail "want one record of the OOM kill, got: $line"
	printf '%s\n' "$line" | jq -e ".signal == 9 and .cause.kind == \"oom\" and
		.cause.oom.scope == \"memcg\" and .cause.oom.memcg_path == \"$RT_MEMCG\" and
		.container_id == \"$RT_CID\"" > /dev/null || fail "the OOM kill: $line"
	opid=$(printf '%s\n' "$line" | jq .pid)

	# --container and -c: the same container, and nothing from outside it
	for line in "$RT_IPID $RT_INIT" "$epid $RT_EXEC" "$opid $RT_OOM"; do
		read -r pid comm <<< "$line"
		[ "$(awk -v pid="$pid" -v comm="$comm" '$2 == pid && $1 == comm { print $6 }' "$T/tab")" = \
			"${RT_CID:0:12}" ] || fail "--container -c: no line of ${comm}[$pid] in the container: $(cat "$T/tab")"
	done
	line=$(awk -v id="${RT_CID:0:12}" 'NR > 1 && $6 != id' "$T/tab")
	[ -z "$line" ] || fail "-c let in what is not the container's: $line"

	grep -qxF "exitsnoop_oom_kills_total{scope=\"memcg\",container_id=\"$RT_CID\"} 1" "$T/m.prom" ||
		fail "metrics: $(grep oom_kills "$T/m.prom")"
}

# podman_setup: podman with its own storage and state (RT_PODMAN), and
# the test's image imported (RT_IMG); a counted skip where it cannot run.
podman_setup() {
	local out
	default_path_only "container identity does not depend on the kernel path"
	need podman podman
	need runc runc
	rt_names
	rt_rootfs "$T/rootfs"
	RT_IMG=localhost/exitsnoop-e2e:1
	# runc: crun refuses a v1/v2 hybrid host
	RT_PODMAN=(podman --root "$T/podman/root" --runroot "$T/podman/run" --tmpdir "$T/podman/tmp"
		--storage-driver vfs --runtime runc --cgroup-manager cgroupfs --events-backend file)
	CLEANUP+=("umount_below '$T/podman'")
	out=$(timeout 60 "${RT_PODMAN[@]}" import "$T/rootfs.tar" "$RT_IMG" 2>&1) ||
		skip "podman import: $out"
}

# podman_start NAME: runs the init of a container NAME with a 16 MiB memory
# limit; sets RT_CID and RT_IPID from podman's inspect.
podman_start() {
	local out
	CLEANUP+=("timeout 60 \"\${RT_PODMAN[@]}\" rm -f -t 0 $1")
	# the hard limits here are below podman's defaults for both
	out=$(timeout 60 "${RT_PODMAN[@]}" run -d --name "$1" --network none --memory 16m \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$RT_IMG" /bin/rt-init 2>&1) ||
		skip "podman cannot run a container here: $out"
	RT_CID=$(timeout 30 "${RT_PODMAN[@]}" inspect --format '{{.Id}}' "$1")
	RT_IPID=$(timeout 30 "${RT_PODMAN[@]}" inspect --format '{{.State.Pid}}' "$1")
}

# rt_stop_init NAME LABEL RUNTIME...: TERM to the container's init, its end
# waited for, and RT_EXIT the exit code RUNTIME recorded (the init's trap's).
rt_stop_init() {
	local name=$1 label=$2
	shift 2
	timeout 30 "$@" kill --signal TERM "$name" > /dev/null || fail "$label kill"
	timeout 30 "$@" wait "$name" > /dev/null || fail "$label wait"
	RT_EXIT=$(timeout 30 "$@" inspect --format '{{.State.ExitCode}}' "$name")
	expect_eq "$RT_EXIT" "$RT_INIT_CODE" "$label's recorded exit code"
}

test_runtime_podman() {
	local name=exitsnoop-e2e-$BASHPID
	podman_setup
	podman_start "$name"
	RT_EPID=
	rt_exec() { timeout 60 "${RT_PODMAN[@]}" exec "$name" "$@"; }
	rt_stop() { rt_stop_init "$name" podman "${RT_PODMAN[@]}"; }
	rt_check
}

# A container that comes and goes while the tracer is stopped: its
# cgroups are removed before any of its records is read (podman rm), and
# its records still carry its ID, cgroup and memory cgroup.
test_runtime_podman_gone() {
	local name=exitsnoop-gone-$BASHPID opid line
	podman_setup
	start_tracer -j -w --comm "$RT_INIT" --comm "$RT_OOM"
	kill -STOP "$TRACER_PID"
	CLEANUP+=('[ -z "$TRACER_PID" ] || kill -CONT "$TRACER_PID"')
	podman_start "$name"
	wait_until 20 has_child "$RT_IPID" || fail "the container's init never forked its sleep"
	rt_cgroups "$RT_IPID"
	timeout 60 "${RT_PODMAN[@]}" exec "$name" /bin/rt-oom > "$T/oom.out"
	expect_eq "$?" 137 "the OOM victim's status as podman reports it"
	opid=$(cat "$T/oom.out")
	rt_stop_init "$name" podman "${RT_PODMAN[@]}"
	timeout 60 "${RT_PODMAN[@]}" rm "$name" > /dev/null || fail "podman rm"
	wait_until 20 eval '[ ! -d "$RT_CGDIR" ] && [ ! -d "$RT_MEMCG" ]' ||
		fail "the container's cgroups are still there after podman rm"
	kill -CONT "$TRACER_PID"
	wait_until 20 init_recorded || fail "no record of the init after 20 s"
	stop_tracer
	jq_expect "$RT_IPID" "$RT_INIT" ".ns_pid == 1 and .exit_code == $RT_INIT_CODE and
		.container_id == \"$RT_CID\" and .cgroup == \"$RT_CGPATH\"" "the removed container's init"
	line=$(jq -c --arg c "$RT_OOM" --argjson n "$opid" 'select(.comm == $c and .ns_pid == $n)' "$T/out")
	[ "$(printf '%s\n' "$line" | grep -c .)" = 1 ] || fail "want one record of the OOM kill, got: $line"
	printf '%s\n' "$line" | jq -e ".signal == 9 and .cause.kind == \"oom\" and
		.cause.oom.memcg_path == \"$RT_MEMCG\" and .container_id == \"$RT_CID\"" > /dev/null ||
		fail "the OOM kill in the removed container: $line"
}

docker_up() {
	timeout 10 "${RT_DOCKER[@]}" version > /dev/null 2>&1
}

test_runtime_docker() {
	local img=exitsnoop-e2e:1 name out d=$T/docker
	default_path_only "container identity does not depend on the kernel path"
	need dockerd docker.io
	[ -x /usr/bin/docker ] || fail "/usr/bin/docker is not installed (docker.io; make deps installs it)"
	rt_names
	rt_rootfs "$T/rootfs"
	mkdir -p "$d"
	echo '{}' > "$d/daemon.json"
	# its own daemon, files and socket; no network set-up on the host
	dockerd --config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/exec" \
		--pidfile "$d/pid" -H "unix://$d/sock" --bridge none --iptables=false \
		--ip-forward=false --ip-masq=false --exec-opt native.cgroupdriver=cgroupfs \
		--storage-driver vfs > "$d/log" 2>&1 &
	DOCKERD_PID=$!
	RT_DOCKER=(/usr/bin/docker -H "unix://$d/sock")
	name=exitsnoop-e2e-$BASHPID
	CLEANUP+=("timeout 60 \"\${RT_DOCKER[@]}\" rm -f $name" "stop_daemon $DOCKERD_PID"
		"stop_daemon '$d/exec/containerd/containerd.pid'" "umount_below '$d'")
	wait_until 60 eval 'docker_up || ! proc_running $DOCKERD_PID' || fail "dockerd not up after 60 s"
	docker_up || skip "dockerd does not start here: $(tail -3 "$d/log")"
	out=$(timeout 60 "${RT_DOCKER[@]}" import "$T/rootfs.tar" "$img" 2>&1) ||
		skip "docker import: $out"
	out=$(timeout 60 "${RT_DOCKER[@]}" run -d --name "$name" --network none --memory 16m \
		"$img" /bin/rt-init 2>&1) || skip "docker cannot run a container here: $out"
	RT_CID=$(timeout 30 "${RT_DOCKER[@]}" inspect --format '{{.Id}}' "$name")
	RT_IPID=$(timeout 30 "${RT_DOCKER[@]}" inspect --format '{{.State.Pid}}' "$name")
	RT_EPID=
	rt_exec() { timeout 60 "${RT_DOCKER[@]}" exec "$name" "$@"; }
	rt_stop() { rt_stop_init "$name" docker "${RT_DOCKER[@]}"; }
	rt_check
}

ctr_up() {
	timeout 10 "${RT_CTR[@]}" version > /dev/null 2>&1
}

# ctr_exit ID: the exit status containerd reported for a task or exec ID.
ctr_exit() {
	jq -r --arg id "$1" 'select(.id == $id) | .exit_status' < <(sed -n 's|^.* /tasks/exit ||p' "$T/events")
}

test_runtime_containerd() {
	local out d=$T/containerd ns=exitsnoop-e2e-$BASHPID
	default_path_only "container identity does not depend on the kernel path"
	need containerd containerd
	need ctr containerd
	rt_names
	rt_rootfs "$T/rootfs"
	mkdir -p "$d"
	# its own daemon, state and socket; no CRI plugin (no Kubernetes here)
	cat > "$d/config.toml" <<- EOF
		version = 2
		root = "$d/root"
		state = "$d/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]
		[grpc]
		  address = "$d/sock"
		[plugins."io.containerd.internal.v1.opt"]
		  path = "$d/opt"
	EOF
	containerd --config "$d/config.toml" > "$d/log" 2>&1 &
	CONTAINERD_PID=$!
	RT_CTR=(ctr -a "$d/sock" -n "$ns")
	# a 64-hex ID, as nerdctl and the CRI plugin make them
	RT_CID=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	CLEANUP+=("timeout 30 \"\${RT_CTR[@]}\" task rm -f $RT_CID"
		"timeout 30 \"\${RT_CTR[@]}\" container rm $RT_CID"
		"[ -z \"\$EVENTS_PID\" ] || kill \$EVENTS_PID" "stop_daemon $CONTAINERD_PID"
		"umount_below '$d'" "rmdir_cgroups $ns")
	wait_until 60 eval 'ctr_up || ! proc_running $CONTAINERD_PID' ||
		fail "containerd not up after 60 s"
	ctr_up || skip "containerd does not start here: $(tail -3 "$d/log")"
	"${RT_CTR[@]}" events > "$T/events" 2>&1 &
	# shellcheck disable=SC2034 # read by the cleanup
	EVENTS_PID=$!
	# ctr run --rootfs: no image, no snapshotter; the cgroup is /<ns>/<id>
	out=$(timeout 60 "${RT_CTR[@]}" run -d --rootfs --env PATH=/bin --memory-limit 16777216 \
		"$T/rootfs" "$RT_CID" /bin/rt-init 2>&1) || skip "ctr cannot run a container here: $out"
	timeout 30 "${RT_CTR[@]}" containers ls -q | grep -qxF "$RT_CID" ||
		fail "containerd does not list $RT_CID"
	RT_IPID=$(timeout 30 "${RT_CTR[@]}" tasks ls | awk -v id="$RT_CID" '$1 == id { print $2 }')
	RT_EPID=
	rt_exec() {
		local x=e$RANDOM status
		timeout 60 "${RT_CTR[@]}" task exec --exec-id "$x" "$RT_CID" "$@"
		status=$?
		# containerd's own report of the exec: its host PID and status
		wait_until 20 eval '[ -n "$(ctr_exit '"$x"')" ]' || fail "no exit event for exec $x"
		expect_eq "$(ctr_exit "$x")" "$status" "the exec's status, as ctr and containerd's event say"
		[ "$1" = /bin/rt-exec ] && RT_EPID=$(jq -r --arg id "$x" 'select(.id == $id) | .pid' \
			< <(sed -n 's|^.* /tasks/exit ||p' "$T/events"))
		return "$status"
	}
	rt_stop() {
		timeout 30 "${RT_CTR[@]}" task kill -s SIGTERM "$RT_CID" || fail "ctr task kill"
		wait_until 30 eval '[ -n "$(ctr_exit "$RT_CID")" ]' || fail "no exit event for the init"
		RT_EXIT=$(ctr_exit "$RT_CID")
		expect_eq "$RT_EXIT" "$RT_INIT_CODE" "containerd's recorded exit code"
	}
	rt_check
}
