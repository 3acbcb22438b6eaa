# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Exits by group: --summary-by with CPU time and peak memory per row, and
# the per-container exit series of --metrics-containers, their bound, and
# the real Prometheus evaluating the crash-loop alert.

# group_rows FIELD VALUE: the JSON summary rows of one group (VALUE as JSON).
group_rows() {
	jq -c --arg f "$1" --argjson v "$2" 'select(.[$f] == $v and .other == false)' "$T/out"
}

test_groups_summary_by_bad_value() {
	local rc
	"$EXITSNOOP" --summary-by pod > "$T/out" 2> "$T/err"
	rc=$?
	expect_eq "$rc" 2 "bad arguments' status"
	expect_eq "$(head -1 "$T/err")" \
		"exitsnoop: --summary-by 'pod': not one of comm, exe, uid, cgroup, container" "message"
	expect_match "$(sed -n 2p "$T/err")" "^usage: exitsnoop " "then the usage"
	expect_eq "$(wc -c < "$T/out")" 0 "nothing traced"
}

# Two exits of one name, their CPU and peak memory as wait4() reports them.
test_groups_summary_usage_matches_wait4() {
	local n p1 p2 u1 s1 r1 u2 s2 r2 row x
	n=$(uname_for gus)
	"$EXITSNOOP" -j --summary --comm "$n" -- bash -c \
		"\"$VICTIM\" $(uname_for gpa) rusage \"$T/ru1\" $n 16 100 &&
		 \"$VICTIM\" $(uname_for gpb) rusage \"$T/ru2\" $n 64 400" > "$T/out" 2> "$T/err"
	expect_eq "$?" 0 "status"
	read -r p1 u1 s1 r1 x < "$T/ru1"
	read -r p2 u2 s2 r2 x < "$T/ru2"
	echo "wait4: $p1 cpu $((u1 + s1)) rss $r1; $p2 cpu $((u2 + s2)) rss $r2"
	row=$(group_rows comm "\"$n\"")
	echo "row: $row"
	[ "$(printf '%s\n' "$row" | grep -c .)" = 1 ] || fail "want one row of $n: $(cat "$T/out")"
	x=$(jq -c '.' <<< "$row")
	jq -e '.by == "comm" and .count == 2 and .failed == 0' <<< "$x" > /dev/null || fail "row: $x"
	close_to "$(jq .cpu_us.sum <<< "$x")" $((u1 + s1 + u2 + s2)) 10 10000 || fail "CPU sum"
	close_to "$(jq .cpu_us.max <<< "$x")" $((u2 + s2)) 10 10000 || fail "CPU max"
	# two values: the median is the lower one's bucket (within 1/16)
	close_to "$(jq .cpu_us.p50 <<< "$x")" $((u1 + s1)) 10 10000 || fail "CPU p50"
	close_to "$(jq .maxrss_kb.sum <<< "$x")" $((r1 + r2)) 5 0 || fail "peak memory sum"
	close_to "$(jq .maxrss_kb.max <<< "$x")" "$r2" 5 0 || fail "peak memory max"
	close_to "$(jq .maxrss_kb.p50 <<< "$x")" "$r1" 7 0 || fail "peak memory p50"
	[ "$r2" -ge 65536 ] || fail "the hog did not touch 64 MiB: $r2"
}

# Two names of one executable, and one name of a copy elsewhere.
test_groups_summary_by_exe() {
	local a b c exe copy
	a=$(uname_for gea) b=$(uname_for geb) c=$(uname_for gec)
	exe=$(realpath "$VICTIM")
	copy=$T/bin/victim-copy
	mkdir -p "$T/bin" && cp "$VICTIM" "$copy"
	"$EXITSNOOP" -j --summary-by exe --comm "$a" --comm "$b" --comm "$c" -- bash -c \
		"\"$VICTIM\" $a exit 0; \"$VICTIM\" $b exit 5; \"$copy\" $c raise 15; exit 0" \
		> "$T/out" 2> "$T/err"
	expect_eq "$?" 0 "status"
	group_rows exe "\"$exe\"" | jq -e '.by == "exe" and .count == 2 and .failed == 1 and
		.codes == {"0": 1, "5": 1}' > /dev/null || fail "the victim's row: $(cat "$T/out")"
	group_rows exe "\"$copy\"" | jq -e '.count == 1 and .signals == {"TERM": 1}' > /dev/null ||
		fail "the copy's row: $(cat "$T/out")"
	expect_eq "$(jq -s length "$T/out")" 2 "two rows, no other"
}

test_groups_summary_by_uid() {
	local n
	n=$(uname_for gui)
	"$EXITSNOOP" --summary-by uid --comm "$n" -- bash -c \
		"\"$VICTIM\" $n exit 3; \"$VICTIM\" $n setid 65534 65534; \"$VICTIM\" $n setid 65534 65534" \
		> "$T/out" 2> "$T/err"
	expect_eq "$?" 0 "status: the last setid's"
	expect_match "$(sed -n 2p "$T/out")" "^UID +EXITS +FAILED +CODES +SIGNALS +OOM +CORES +AGE_P50 +AGE_MAX \
+CPU_SUM +CPU_P50 +CPU_MAX +RSS_SUM +RSS_P50 +RSS_MAX$" "header"
	expect_match "$(sed -n 3p "$T/out")" "^0 +1 +1 +3:1 +- +0 +0 " "root's failure first"
	expect_match "$(sed -n 4p "$T/out")" "^65534 +2 +0 +- +- +0 +0 +[^ ]+ +[^ ]+ +[0-9.]+(us|ms|s) " \
		"nobody's two, with CPU"
	expect_eq "$(wc -l < "$T/out")" 4 "two rows"
}

# Two exits in a cgroup of the test's own, one in the test's cgroup
# (its path from /proc: the ground truth).
test_groups_summary_by_cgroup() {
	local n own rel
	n=$(uname_for gcg)
	make_cgroup2
	rel=${CG#"$(cgroup2_root)"}
	own=$(sed -n 's/^0:://p' /proc/$BASHPID/cgroup)
	start_tracer -j --summary-by cgroup --comm "$n"
	run_in_cgroup "$CG" "$VICTIM" "$n" exit 1 & wait $!
	run_in_cgroup "$CG" "$VICTIM" "$n" exit 0 & wait $!
	"$VICTIM" "$n" exit 0
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status"
	group_rows cgroup "\"$rel\"" | jq -e '.by == "cgroup" and .count == 2 and .failed == 1 and
		.cpu_us.sum >= 0 and .maxrss_kb.max > 0' > /dev/null ||
		fail "the test cgroup's row ($rel): $(cat "$T/out")"
	group_rows cgroup "\"$own\"" | jq -e '.count == 1 and .failed == 0' > /dev/null ||
		fail "the test's own cgroup ($own): $(cat "$T/out")"
}

# A real podman container: what was exec'd into it and its init, by the
# container ID podman reports, with the exit codes podman reports; a
# process of the same name outside it is in the "none" row.
test_groups_summary_by_container_podman() {
	local img=localhost/exitsnoop-e2e:1 name out st1 st2 row
	default_path_only "container identity does not depend on the kernel path"
	need podman podman
	need runc runc
	rt_names
	rt_rootfs "$T/rootfs"
	RT_PODMAN=(podman --root "$T/podman/root" --runroot "$T/podman/run" --tmpdir "$T/podman/tmp"
		--storage-driver vfs --runtime runc --cgroup-manager cgroupfs --events-backend file)
	name=exitsnoop-e2e-$BASHPID
	CLEANUP+=("timeout 60 \"\${RT_PODMAN[@]}\" rm -f -t 0 $name" "umount_below '$T/podman'")
	out=$(timeout 60 "${RT_PODMAN[@]}" import "$T/rootfs.tar" "$img" 2>&1) ||
		skip "podman import: $out"
	# traced from before the container's cgroup is made: its name comes as
	# it is made, and the exits are named even if it is gone when read
	start_tracer -j --summary-by container --comm "$RT_INIT" --comm "$RT_EXEC"
	out=$(timeout 60 "${RT_PODMAN[@]}" run -d --name "$name" --network none \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$img" /bin/rt-init 2>&1) ||
		skip "podman cannot run a container here: $out"
	RT_CID=$(timeout 30 "${RT_PODMAN[@]}" inspect --format '{{.Id}}' "$name")
	[[ $RT_CID =~ ^[0-9a-f]{64}$ ]] || fail "podman's container ID: '$RT_CID'"
	RT_IPID=$(timeout 30 "${RT_PODMAN[@]}" inspect --format '{{.State.Pid}}' "$name")
	wait_until 20 has_child "$RT_IPID" || fail "the container's init never forked its sleep"
	timeout 60 "${RT_PODMAN[@]}" exec "$name" /bin/rt-exec > /dev/null
	st1=$?
	timeout 60 "${RT_PODMAN[@]}" exec "$name" /bin/rt-exec > /dev/null
	st2=$?
	"$VICTIM" "$RT_EXEC" exit 0
	timeout 30 "${RT_PODMAN[@]}" kill --signal TERM "$name" > /dev/null || fail "podman kill"
	timeout 30 "${RT_PODMAN[@]}" wait "$name" > /dev/null || fail "podman wait"
	RT_EXIT=$(timeout 30 "${RT_PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$name")
	wait_until 20 eval '! kill -0 $RT_IPID 2> /dev/null' || fail "the init still runs"
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status"
	expect_eq "$st1 $st2 $RT_EXIT" "$RT_EXEC_CODE $RT_EXEC_CODE $RT_INIT_CODE" "podman's statuses"
	row=$(group_rows container_id "\"$RT_CID\"")
	jq -e --argjson e "$RT_EXEC_CODE" --argjson i "$RT_INIT_CODE" '.by == "container" and
		.count == 3 and .failed == 3 and .codes == {($e | tostring): 2, ($i | tostring): 1} and
		.cpu_us != null and .maxrss_kb.max > 0' <<< "$row" > /dev/null ||
		fail "the container's row: $(cat "$T/out")"
	group_rows container_id null | jq -e '.count == 1 and .failed == 0' > /dev/null ||
		fail "the process outside: $(cat "$T/out")"
}

# metric_value FILE SERIES: the value of that exact series.
metric_value() {
	awk -v s="$2" '$1 == s { print $2 }' "$1"
}

# More containers than the bound (cgroups named as a runtime's: a bare
# 64-hex-digit directory): the newest keep series of their own, the rest
# are folded into "other", counted, and no exit is lost.
test_groups_metrics_container_bound() {
	local i id n=260 f=m.prom ids=() pids=() own st p
	make_cgroup2
	for ((i = 0; i < n; i++)); do
		id=$(printf '%064x' $((0xe5000 + i)))
		mkdir "$CG/$id" || fail "mkdir $CG/$id"
		ids+=("$id")
	done
	CLEANUP+=("rmdir $CG/*/")
	start_tracer -q -c "$CG" --metrics-file "$T/$f" --metrics-containers
	# twenty at a time: each one's status is its own wait's
	for ((i = 0; i < n; i++)); do
		run_in_cgroup "$CG/${ids[$i]}" "$VICTIM" "$(uname_for gbd)" exit 1 &
		pids+=($!)
		[ ${#pids[@]} -lt 20 ] && [ $i -lt $((n - 1)) ] && continue
		for p in "${pids[@]}"; do
			wait "$p"
			st=$?
			[ $st = 1 ] || fail "a victim's status: $st"
		done
		pids=()
	done
	# one in the parent cgroup: in no container, in exits_total only
	run_in_cgroup "$CG" "$VICTIM" "$(uname_for gbp)" exit 0 & wait $!
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status"
	own=$(grep -c '^exitsnoop_container_exits_total{container_id="[0-9a-f]\{64\}",outcome="failure",reason="code"} 1$' $f)
	expect_eq "$own" 256 "series of their own: the bound"
	expect_eq "$(metric_value $f 'exitsnoop_container_exits_total{container_id="other",pod_uid="other",outcome="failure",reason="code"}')" \
		$((n - 256)) "the folded exits in other"
	expect_eq "$(metric_value $f 'exitsnoop_container_series_folded_total')" $((n - 256)) "folded count"
	expect_eq "$(grep -c '^exitsnoop_container_exits_total' $f)" 257 "no other series"
	# the newest are kept: the last container's series is there
	grep -q "container_id=\"${ids[$((n - 1))]}\"" $f || fail "the newest container lost its series"
	expect_eq "$(metric_value $f 'exitsnoop_exits_total{outcome="failure",cause="exit",reason="code"}')" \
		"$n" "every exit in exits_total"
	expect_eq "$(metric_value $f 'exitsnoop_exits_total{outcome="success",cause="exit",reason="code"}')" \
		1 "the parent's exit"
	need promtool prometheus
	promtool check metrics < $f > lint 2>&1 || fail "promtool: $(cat lint)"
}

container_alert() { # ID STATE
	[ -n "$(prom_query "ALERTS{alertname=\"ContainerKeepsCrashing\",container_id=\"$1\",alertstate=\"$2\"}")" ]
}

# A container's crashes through node_exporter and Prometheus, which
# evaluates the crash-loop alert of contrib/ on them: pending (its "for"
# is 5 minutes) once three crashes came in 10 minutes.
test_groups_container_exits_through_prometheus() {
	local id n i q st
	default_path_only
	need prometheus prometheus
	need prometheus-node-exporter prometheus-node-exporter
	need curl curl
	need python3 python3
	make_cgroup2
	id=$(printf '%064x' $((0xc4a5 + BASHPID)))
	mkdir "$CG/$id" || fail "mkdir"
	CLEANUP+=("rmdir '$CG/$id'")
	n=$(uname_for gpr)
	# shellcheck disable=SC2034 # start_node_exporter_and_prometheus reads it
	PROM_RULES=$ROOT/contrib/prometheus/exitsnoop-rules.yml
	start_node_exporter_and_prometheus
	start_tracer -q -c "$CG" --metrics-file "$T/textfile/exitsnoop.prom" --metrics-interval 1 \
		--metrics-containers
	run_in_cgroup "$CG/$id" "$VICTIM" "$n" exit 0 & wait $!
	q="exitsnoop_container_exits_total{container_id=\"$id\",outcome=\"success\",reason=\"code\"}"
	wait_until 30 prom_is "$q" 1 || fail "no container series in Prometheus: $(prom_query "$q")"
	# increase() needs a sample before a crash: the first makes the series
	q="exitsnoop_container_exits_total{container_id=\"$id\",outcome=\"signal\",reason=\"signal\"}"
	run_in_cgroup "$CG/$id" "$VICTIM" "$n" raise 15 & wait $!
	wait_until 30 prom_is "$q" 1 || fail "the first crash: $(prom_query "$q")"
	container_alert "$id" pending && fail "pending after one crash"
	for i in 2 3 4; do
		run_in_cgroup "$CG/$id" "$VICTIM" "$n" raise 15 & wait $!
		st=$?
		[ $st = $((128 + 15)) ] || fail "crash $i: status $st"
	done
	wait_until 30 prom_is "$q" 4 || fail "crashes: $(prom_query "$q"), want 4"
	wait_until 30 container_alert "$id" pending ||
		fail "the alert is not pending: $(curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/alerts")"
	expect_eq "$(prom_query "sum(exitsnoop_container_exits_total{container_id=\"$id\"})")" 5 \
		"all the container's exits"
	expect_eq "$(prom_query 'exitsnoop_container_series_folded_total')" 0 "none folded"
	expect_eq "$(prom_query 'sum(exitsnoop_exits_total{outcome="signal",signal="TERM",reason="signal"})')" \
		4 "exits_total by reason"
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status"
}
