#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The loader, exit hook and transport that -v reports, chosen by probing
# this kernel or forced; each forced path still reports a process.

# loader_run VAR=1... : a tracer with only these forcings, one exit, stopped.
loader_run() {
	local n p
	default_path_only "it sets its own forcings"
	n=$(uname_for ldr)
	rm -f "$T/out" "$T/err" # ready is a header in a fresh out
	env -u EXITSNOOP_FORCE_LIBBPF -u EXITSNOOP_FORCE_RAW_TP -u EXITSNOOP_FORCE_PERFBUF \
		-u EXITSNOOP_FORCE_COMPAT -u EXITSNOOP_FORCE_BTF_READ "$@" "$EXITSNOOP" -v -j \
		> "$T/out" 2> "$T/err" &
	# shellcheck disable=SC2034 # lib.sh's tracer_alive() and stop_tracer() read it
	TRACER_PID=$!
	wait_until 20 tracer_ready_or_dead || fail "tracer not ready"
	tracer_alive || fail "tracer died: $(cat "$T/err")"
	"$VICTIM" "$n" exit 6 & p=$!
	wait $p
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status ($*)"
	jq_expect $p "$n" '.exit_code == 6' "record ($*)"
}

reported() { # reported PATTERN: -v said so
	grep -q "$1" "$T/err" || fail "no '$1' in: $(cat "$T/err")"
}

# This kernel (6.18 here) can take the fastest of everything.
test_loader_default_is_light_ringbuf_tp_btf() {
	[ "$(uname -r | cut -d. -f1)" -ge 6 ] || skip "expectations are for a 6.x kernel"
	loader_run
	reported 'loader: light skeleton (light skeleton: supported)'
	reported 'transport: ring buffer (BPF ring buffer: supported)'
	reported 'exit hook: .*, via tp_btf (tp_btf: supported)'
}

test_loader_forced_libbpf() {
	loader_run EXITSNOOP_FORCE_LIBBPF=1
	reported 'loader: libbpf (light skeleton: forced off)'
	reported 'transport: ring buffer'
	reported 'via tp_btf'
	# libbpf's two buffers of the kernel's BTF are one: the file's mapping
	# where the kernel allows one (6.16+), else one read
	if python3 -c 'import mmap; f = open("/sys/kernel/btf/vmlinux", "rb"); mmap.mmap(f.fileno(), 0, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ)' 2> /dev/null; then
		reported 'kernel BTF: [0-9]* kB, one copy for libbpf, from a mapping'
	else
		reported 'kernel BTF: [0-9]* kB, one copy for libbpf, from one read'
	fi
}

# The kernel's BTF as kernels before 6.16 give it: read, not mapped, by
# the start-up probe and by libbpf alike.
test_loader_forced_btf_read() {
	loader_run EXITSNOOP_FORCE_BTF_READ=1
	reported 'start-up probe: kernel BTF streamed (forced)'
	reported 'loader: libbpf (light skeleton: forced off)'
	reported 'kernel BTF: [0-9]* kB, one copy for libbpf, from one read'
}

# Unforced, the start-up probe maps the kernel's BTF where the kernel allows it.
test_loader_probe_maps_btf() {
	loader_run
	if python3 -c 'import mmap; f = open("/sys/kernel/btf/vmlinux", "rb"); mmap.mmap(f.fileno(), 0, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ)' 2> /dev/null; then
		reported 'start-up probe: kernel BTF mapped$'
	else
		reported 'start-up probe: kernel BTF streamed$'
	fi
}

test_loader_forced_raw_tp() {
	loader_run EXITSNOOP_FORCE_RAW_TP=1
	reported 'exit hook: .*, via raw_tp (tp_btf: forced)'
	reported 'loader: libbpf (light skeleton: not with raw_tp or perf buffer)'
}

test_loader_forced_perfbuf() {
	loader_run EXITSNOOP_FORCE_PERFBUF=1
	reported 'transport: perf buffer (BPF ring buffer: forced)'
	reported 'loader: libbpf'
}

# What a kernel before v5.5 gets: every fallback at once.
test_loader_all_fallbacks() {
	loader_run EXITSNOOP_FORCE_RAW_TP=1 EXITSNOOP_FORCE_PERFBUF=1 EXITSNOOP_FORCE_COMPAT=1
	reported 'exit hook: pre-6.16 (signal->live), via raw_tp'
	reported 'transport: perf buffer'
	reported 'loader: libbpf'
}

# "0" and an empty value do not force.
test_loader_force_zero_is_off() {
	local hook
	loader_run EXITSNOOP_FORCE_LIBBPF=0 EXITSNOOP_FORCE_PERFBUF= EXITSNOOP_FORCE_COMPAT=0
	reported 'transport: ring buffer'
	grep -q 'forced' "$T/err" && fail "a zero forced: $(cat "$T/err")"
	hook=$(grep 'exit hook:' "$T/err")
	loader_run
	expect_eq "$(grep 'exit hook:' "$T/err")" "$hook" "COMPAT=0: the hook this kernel chooses"
}

# EXITSNOOP_VERIFIER_STATS=1: a line per loaded program with what verifying it cost.
test_verifier_stats() {
	loader_run EXITSNOOP_VERIFIER_STATS=1
	reported 'loader: libbpf'
	reported 'verifier: handle_exit_story: processed [0-9]* insns .*; verification time [0-9]* usec'
	reported 'verifier: handle_exec: processed [0-9]* insns'
	grep -q 'verifier: handle_exit:' "$T/err" && fail "a program not loaded has figures: $(cat "$T/err")"
	"$EXITSNOOP" --help | grep -q 'EXITSNOOP_VERIFIER_STATS=1' || fail "not in --help"
	"$EXITSNOOP" --help | grep -q 'EXITSNOOP_FORCE_LIBBPF' || fail "the forcings not in --help"
}

# refused N: a tracer whose every BPF program load is answered errno N
refused() {
	"$VICTIM" "$(uname_for deny)" deny-prog-load "$1" "$EXITSNOOP" -v -j > "$T/out" 2> "$T/err"
}

# A probe refused for want of permission or memory says nothing of the
# kernel: reported, in one line and with status 77 or 70, never read as
# "tp_btf unsupported" and answered with raw_tp (the load of which the
# same refusal would then fail, blaming the programs).
test_probe_refused_is_reported() {
	local st
	default_path_only "it sets its own forcings"
	refused 1 # EPERM
	st=$?
	expect_eq "$st" 77 "status for EPERM"
	reported 'failed to probe the kernel for tp_btf: Operation not permitted'
	! grep -q 'raw_tp\|perf buffer' "$T/err" || fail "fell back: $(cat "$T/err")"
	[ "$(grep -c 'exitsnoop: failed' "$T/err")" = 1 ] || fail "not one line: $(cat "$T/err")"
	refused 12 # ENOMEM
	st=$?
	expect_eq "$st" 70 "status for ENOMEM"
	reported 'failed to probe the kernel for tp_btf: \(Out of memory\|Cannot allocate memory\)'
	! grep -q 'raw_tp\|perf buffer' "$T/err" || fail "fell back: $(cat "$T/err")"
}

# What the kernel lacks is a fallback, not an error: EINVAL for the tp_btf
# probe takes raw_tp; its load, refused too, is then the programs' failure.
test_probe_unsupported_falls_back() {
	default_path_only "it sets its own forcings"
	refused 22 # EINVAL
	reported 'via raw_tp (tp_btf: Invalid argument)'
	reported 'failed to load BPF programs'
	! grep -q 'failed to probe' "$T/err" || fail "EINVAL read as a failed probe: $(cat "$T/err")"
}
