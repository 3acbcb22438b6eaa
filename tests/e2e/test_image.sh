# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The DaemonSet's container, run by a real runtime the way the pod runs it:
# the image built from contrib/kubernetes/Containerfile, under podman with
# runc, in the host's PID namespace, with CAP_BPF, CAP_PERFMON and
# CAP_DAC_READ_SEARCH only, a read-only root, BTF and the cgroup tree
# mounted read-only, no network, no privilege escalation, and the shipped
# seccomp profile.

PROFILE=$ROOT/contrib/kubernetes/exitsnoop-seccomp.json

# podman as this host needs it: crun refuses its cgroup v1/v2 hybrid,
# systemd is not PID 1, and the hard limits are lower than podman's default.
PODMAN=(podman --runtime runc --cgroup-manager cgroupfs)
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# The image from the Containerfile and the binary alone; IMAGE names it.
build_image() {
	command -v podman > /dev/null || skip "podman is not installed"
	command -v runc > /dev/null || skip "runc is not installed"
	IMAGE=localhost/exitsnoop-e2e:$(uname_for img)
	mkdir ctx
	cp "$EXITSNOOP" ctx/exitsnoop
	CLEANUP+=("podman rmi -f '$IMAGE' > /dev/null")
	podman build -q -f "$ROOT/contrib/kubernetes/Containerfile" -t "$IMAGE" ctx > build.log 2>&1 ||
		fail "podman build: $(tail -3 build.log)"
}

# run_image NAME SECCOMP [podman run options] -- [exitsnoop arguments]:
# the container in the background, as the DaemonSet's pod (SECCOMP the
# profile's file, empty for podman's default); stdout to
# out, stderr to err, podman's PID in TRACER_PID.
run_image() {
	local name=$1 opts=()
	[ -n "$2" ] && opts+=(--security-opt "seccomp=$2")
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	CLEANUP+=("podman rm -f '$name' > /dev/null")
	rm -f out err
	"${PODMAN[@]}" run --rm --name "$name" --pid=host --cap-drop=all \
		--cap-add=CAP_BPF,CAP_PERFMON,CAP_DAC_READ_SEARCH \
		--security-opt no-new-privileges \
		--read-only -v /sys/kernel/btf:/sys/kernel/btf:ro -v /sys/fs/cgroup:/sys/fs/cgroup:ro \
		--network none "${LIMITS[@]}" "${opts[@]}" "$IMAGE" "$@" > out 2> err &
	TRACER_PID=$!
}

# The container's process on the host, while it runs.
container_pid() {
	"${PODMAN[@]}" inspect --format '{{.State.Pid}}' "$1" 2> /dev/null
}

# The container stopped as the kubelet stops a pod: SIGTERM, then status.
stop_image() {
	"${PODMAN[@]}" stop -t 10 "$1" > /dev/null 2>&1
	wait "$TRACER_PID"
	TRACER_STATUS=$?
	TRACER_PID=
}

# A second image of busybox-static alone, whose only file is named NAME
# (it runs the applet named by its first argument).
busybox_image() {
	local name=$1
	[ -x /bin/busybox ] || skip "busybox-static is not installed"
	readelf -l /bin/busybox 2> /dev/null | grep -q INTERP &&
		skip "/bin/busybox is not static: busybox-static is not installed"
	mkdir bbroot
	cp /bin/busybox "bbroot/$name"
	tar -C bbroot -cf bb.tar . || fail "tar"
	BB_IMAGE=localhost/exitsnoop-e2e-bb:$name
	CLEANUP+=("podman rmi -f '$BB_IMAGE' > /dev/null")
	podman import -q bb.tar "$BB_IMAGE" > import.log 2>&1 || fail "podman import: $(cat import.log)"
}

# busybox runs an applet named by argv[1] only when argv[0] starts "busybox".
busybox_name() {
	local u
	u=$(uname_for x)
	echo "busybox${u:1}"
}

test_image_traces_host_and_another_container() {
	local n bn c p cpid cid code bb
	default_path_only
	build_image
	n=$(uname_for imh)
	bn=$(busybox_name)
	busybox_image "$bn"
	run_image "exitsnoop-e2e-$n" "$PROFILE" -- -j
	wait_until 30 tracer_ready_or_dead || fail "container not ready after 30 s"
	tracer_ready || fail "container ended: $(cat err)"
	# a process of the host
	"$VICTIM" "$n" exit 7 & p=$!
	wait $p
	expect_eq "$?" 7 "the host process's status"
	# the init of another container, held until its host PID is known
	c=exitsnoop-e2e-bb$n
	CLEANUP+=("podman rm -f '$c' > /dev/null")
	mkfifo go
	exec 3<> go
	"${PODMAN[@]}" run -i --name "$c" --network none "${LIMITS[@]}" "$BB_IMAGE" \
		"/$bn" sh -c 'read x; exit 5' < go > bb.out 2>&1 &
	bb=$!
	wait_until 30 eval '[ "$(container_pid "$c")" -gt 0 ] 2> /dev/null' ||
		fail "the busybox container did not start: $(cat bb.out)"
	cpid=$(container_pid "$c")
	echo >&3
	exec 3>&-
	wait $bb
	code=$?
	cid=$("${PODMAN[@]}" inspect --format '{{.Id}}' "$c")
	expect_eq "$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$c")" 5 "podman inspect's exit code"
	expect_eq "$code" 5 "podman run's status"
	wait_until 10 eval "[ -n \"\$(records $cpid $bn)\" ]" || fail "no record of the container's init"
	stop_image "exitsnoop-e2e-$n"
	expect_eq "$TRACER_STATUS" 0 "the container's status"
	jq_expect $p "$n" '.exit_code == 7 and .signal == null' "the host's process"
	jq_expect "$cpid" "$bn" '.exit_code == 5 and .signal == null' "the other container's init"
	jq_expect "$cpid" "$bn" ".container_id == \"$cid\"" "its container ID (podman inspect: $cid)"
}

# Under podman's default profile bpf(2) is refused although the
# capabilities are held: the message says so, not that they are missing.
test_image_default_seccomp_is_named() {
	local n
	default_path_only
	build_image
	n=$(uname_for imd)
	run_image "exitsnoop-e2e-$n" "" -- -j
	wait_until 60 eval '! tracer_alive' || fail "still running under the default profile: $(cat err)"
	stop_image "exitsnoop-e2e-$n"
	expect_eq "$TRACER_STATUS" 77 "status (not privileged)"
	# the first bpf(2) is the probe for tp_btf
	expect_eq "$(cat err)" "exitsnoop: failed to probe the kernel for tp_btf: Operation not \
permitted: a seccomp filter refused bpf(2) (Seccomp_filters: 1): run under a profile that \
allows it, such as contrib/kubernetes/exitsnoop-seccomp.json" "message"
}

# The shipped profile with every other call killing the process (and
# logged by the kernel): a call the profile lacks ends the run with SIGSYS
# instead of a quiet EPERM. Each loader and transport, the modes the
# DaemonSet runs, a storm with losses, metrics rewrites, and the stop.
test_image_profile_admits_every_call() {
	local n env args i since pids=() p
	default_path_only
	build_image
	jq '.defaultAction = "SCMP_ACT_KILL_PROCESS" | del(.defaultErrnoRet)' "$PROFILE" > kill.json ||
		fail "jq"
	mkdir m
	since=$(awk '{ print $1 }' /proc/uptime)
	i=0
	while read -r env args; do
		i=$((i + 1))
		n=$(uname_for "ims$i")
		# shellcheck disable=SC2086 # a list of arguments
		run_image "exitsnoop-e2e-$n" kill.json -e "$env" -v "$T/m:/m" -- $args
		wait_until 30 tracer_ready_or_dead || fail "$env $args: not ready after 30 s"
		tracer_ready || fail "$env $args: ended: $(cat err)"
		pids+=("$(container_pid "exitsnoop-e2e-$n")")
		"$BURST" "$n" 1000 2 || fail "burst"
		wait_until 10 eval '[ -s m/x.prom ]' || fail "$env $args: no metrics file"
		stop_image "exitsnoop-e2e-$n"
		expect_eq "$TRACER_STATUS" 0 "$env $args: status (159 is SIGSYS: a call the profile lacks)"
		grep -v -e '^Tracing' -e 'events lost' err > other-err
		expect_eq "$(cat other-err)" "" "$env $args: stderr"
		[[ $args == -q* ]] || grep -qF "$n" out || fail "$env $args: the storm is not in the output"
		rm -f m/x.prom
	done <<-EOF
		X=1 -j -w -b 8K --metrics-file /m/x.prom --metrics-interval 1
		EXITSNOOP_FORCE_LIBBPF=1 -q --metrics-file /m/x.prom --metrics-interval 1
		EXITSNOOP_FORCE_PERFBUF=1 -j -w -b 8K --metrics-file /m/x.prom --metrics-interval 1
		EXITSNOOP_FORCE_RAW_TP=1 --summary --interval 1 --metrics-file /m/x.prom --metrics-interval 1
		EXITSNOOP_FORCE_BTF_READ=1 -w --metrics-file /m/x.prom --metrics-interval 1
	EOF
	# nothing refused by any filter meanwhile: type=1326 is a seccomp record
	dmesg | awk -v t="$since" '{ s = $0; sub(/^\[ */, "", s); if (s + 0 >= t) print }' |
		grep 'type=1326' > seccomp.log
	for p in "${pids[@]}"; do
		grep " pid=$p " seccomp.log
	done > denied
	expect_eq "$(cat denied)" "" "kernel log"
}
