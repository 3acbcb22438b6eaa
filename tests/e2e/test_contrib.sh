# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# What ships beside the binary: alerting rules, the systemd unit, the
# Kubernetes manifest. Each is checked by the tool that will read it.

test_contrib_rules_pass_promtool() {
	default_path_only
	need promtool prometheus
	promtool check rules "$ROOT/contrib/prometheus/exitsnoop-rules.yml" > rules.log 2>&1 ||
		fail "promtool check rules: $(cat rules.log)"
	grep -q 'SUCCESS: [1-9][0-9]* rules found' rules.log || fail "no rules: $(cat rules.log)"
	(cd "$ROOT/contrib/prometheus" && promtool test rules exitsnoop-rules.test.yml) \
		> rules-test.log 2>&1 || fail "promtool test rules: $(tail -20 rules-test.log)"
}

# The unit as `make install` writes it, pointing at the built binary.
installed_unit() {
	make -s -C "$ROOT" install DESTDIR="$T/root" prefix=/usr sbindir="$(dirname "$EXITSNOOP")" \
		> make.log 2>&1 || fail "make install: $(tail -3 make.log)"
	UNIT="$T/root/usr/lib/systemd/system/exitsnoop.service"
	[ -f "$UNIT" ] || fail "make install put no unit at /usr/lib/systemd/system"
}

test_contrib_unit_passes_systemd_analyze() {
	local exposure
	default_path_only
	need systemd-analyze systemd
	installed_unit
	expect_eq "$(grep '^ExecStart=' "$UNIT")" \
		"ExecStart=$EXITSNOOP -j --metrics-file /var/lib/prometheus/node-exporter/exitsnoop.prom" \
		"ExecStart names the installed binary"
	systemd-analyze verify --man=no "$UNIT" > verify.log 2>&1 || fail "verify: $(cat verify.log)"
	expect_eq "$(cat verify.log)" "" "systemd-analyze verify says nothing"
	systemd-analyze security --offline=yes "$UNIT" > security.log 2>&1 ||
		fail "security: $(tail -3 security.log)"
	exposure=$(sed -n 's/.*Overall exposure level for exitsnoop.service: \([0-9.]*\).*/\1/p' \
		security.log)
	[ -n "$exposure" ] || fail "no exposure level: $(tail -3 security.log)"
	awk -v e="$exposure" 'BEGIN { exit !(e <= 1.0) }' || fail "exposure $exposure, want <= 1.0 (README)"
	grep -qx 'CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_DAC_READ_SEARCH' "$UNIT" ||
		fail "capabilities"
}

# runs_with_caps CAPS...: the tracer as root with only these capabilities
# in its bounding set, as the unit's CapabilityBoundingSet leaves it.
start_tracer_with_caps() {
	local caps=$1
	shift
	rm -f out err
	setpriv --bounding-set="-all,$caps" "$EXITSNOOP" "$@" > out 2> err &
	TRACER_PID=$!
	wait_until 20 tracer_ready_or_dead || fail "tracer not ready"
	tracer_alive || fail "tracer died: $(cat err)"
}

# The unit's capabilities trace, find an OOM kill's memcg and write the
# metrics into a root-owned directory.
test_contrib_unit_capabilities_suffice() {
	local n p
	need setpriv util-linux
	n=$(uname_for cap)
	make_memcg
	mkdir m
	start_tracer_with_caps +bpf,+perfmon,+dac_read_search -j --metrics-file m/x.prom
	expect_eq "$(awk '/^CapBnd/ { print $2 }' /proc/$TRACER_PID/status)" 000000c000000004 \
		"only CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH"
	run_in_cgroup "$MEMCG" "$VICTIM" "$n" oom & p=$!
	wait $p
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "exit status"
	jq_expect $p "$n" ".cause.kind == \"oom\" and .cause.oom.memcg_path == \"$MEMCG\"" "memcg path"
	metric_line m/x.prom "exitsnoop_oom_kills_total{scope=\"memcg\",memcg=\"$MEMCG\"} 1" ||
		fail "metrics: $(grep oom_kills m/x.prom)"
}

# Without CAP_DAC_READ_SEARCH no cgroup is found by its id; an OOM kill's
# memcg is still named, by the kernel when it picks the victim.
test_contrib_oom_without_dac_read_search() {
	local n p eff
	need setpriv util-linux
	n=$(uname_for cnd)
	make_memcg
	mkdir m
	start_tracer_with_caps +bpf,+perfmon -j --metrics-file m/x.prom
	eff=$(awk '/^CapEff/ { print $2 }' "/proc/$TRACER_PID/status")
	[ $((0x$eff & 4)) = 0 ] || fail "CAP_DAC_READ_SEARCH in CapEff $eff"
	run_in_cgroup "$MEMCG" "$VICTIM" "$n" oom & p=$!
	wait $p
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "exit status"
	jq_expect $p "$n" ".cause.kind == \"oom\" and .cause.oom.memcg_path == \"$MEMCG\"" \
		"the memcg path from the kernel"
	metric_line m/x.prom "exitsnoop_oom_kills_total{scope=\"memcg\",memcg=\"$MEMCG\"} 1" ||
		fail "metrics: $(grep oom_kills m/x.prom)"
}

# No cluster here: the manifest is checked as YAML and for what it must hold.
test_contrib_daemonset_parses() {
	default_path_only
	python3 -c 'import yaml' 2> /dev/null || fail "python3-yaml is not installed (make deps installs it)"
	python3 - "$ROOT/contrib/kubernetes/exitsnoop-daemonset.yaml" > check 2>&1 <<-'EOF2' ||
	import sys, yaml
	docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
	assert len(docs) == 1, "one document"
	ds = docs[0]
	assert ds["apiVersion"] == "apps/v1" and ds["kind"] == "DaemonSet", "a DaemonSet"
	spec = ds["spec"]["template"]["spec"]
	assert ds["spec"]["selector"]["matchLabels"].items() <= ds["spec"]["template"]["metadata"]["labels"].items(), "selector matches"
	assert spec["hostPID"] is True, "hostPID"
	(c,) = spec["containers"]
	sc = c["securityContext"]
	assert sc["capabilities"]["add"] == ["BPF", "PERFMON", "DAC_READ_SEARCH"] and sc["capabilities"]["drop"] == ["ALL"], "capabilities"
	assert not sc["privileged"] and not sc["allowPrivilegeEscalation"], "not privileged"
	assert sc["seccompProfile"] == {"type": "Localhost", "localhostProfile": "exitsnoop-seccomp.json"}, "the shipped seccomp profile"
	assert sc["readOnlyRootFilesystem"] is True and sc["runAsUser"] == 0, "read-only root, as root"
	mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
	volumes = {v["name"]: v["hostPath"]["path"] for v in spec["volumes"]}
	for path, ro in (("/sys/kernel/btf", True), ("/sys/fs/cgroup", True)):
	    assert volumes[mounts[path]["name"]] == path and mounts[path].get("readOnly") == ro, path
	metrics = [a.split("=", 1)[1] for a in c["args"] if a.startswith("--metrics-file=")]
	assert len(metrics) == 1 and metrics[0].rsplit("/", 1)[0] in mounts, "metrics dir mounted"
	assert "--json" in c["args"], "JSON Lines"
	EOF2
		fail "manifest: $(tail -1 check)"
}

# The profile the manifest names: what runc reads (the image test runs
# under it), checked here for its shape.
test_contrib_seccomp_profile_shape() {
	default_path_only
	jq -e '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 1
		and .architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"]
		and (.syscalls | length) == 1 and .syscalls[0].action == "SCMP_ACT_ALLOW"
		and (.syscalls[0].names | index("bpf")) != null
		and (.syscalls[0].names | sort | unique) == .syscalls[0].names' \
		"$ROOT/contrib/kubernetes/exitsnoop-seccomp.json" > /dev/null ||
		fail "exitsnoop-seccomp.json: not a sorted ERRNO-by-default allow-list with bpf"
}
