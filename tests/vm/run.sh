#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# tests/vm/run.sh [--arch x86_64|arm64] [--kernel 5.10|6.1|6.12] [VMLINUZ]
#
# Boots another kernel under qemu (software emulation) with a busybox
# initramfs, the static exitsnoop ($EXITSNOOP, default ./exitsnoop, built
# for that architecture) and a static victim helper, runs the guest suite
# (tests/vm/guest-init.sh as PID 1) in one boot and checks its console
# output here. Without VMLINUZ it fetches Debian's cloud kernel of the
# series --kernel names (default 6.1): 5.10 from Debian 11 (bullseye),
# 6.1 and 6.12 from Debian 12 (bookworm, bookworm-security), through an
# apt source list of its own that leaves the system's lists alone; kernels
# are kept in $VM_CACHE (default /var/cache/exitsnoop-vm). Ends with
# "vm: N passed, N failed". As root.
set -u
cd "$(dirname "$0")/../.." || exit 1
W=$(mktemp -d /tmp/exitsnoop-vm.XXXXXX)
trap 'rm -rf "$W"' EXIT
VM_CACHE=${VM_CACHE:-/var/cache/exitsnoop-vm}
die() { echo "vm: $*" >&2; exit 1; }
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh
KERNEL_CACHE=$VM_CACHE LOG_PREFIX=vm
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh
CHECK_PREFIX=vm

usage() {
	echo "usage: tests/vm/run.sh [--arch x86_64|arm64] [--kernel 5.10|6.1|6.12] [VMLINUZ]" >&2
	exit 2
}

# Per architecture: Debian's name for it, what file(1) says of its
# binaries, qemu, the C compiler for the victim, busybox, the console.
set_arch() {
	case $1 in
	x86_64 | x86 | amd64)
		ARCH=x86_64 DEB_ARCH=amd64 ELF_ARCH=x86-64
		QEMU=qemu-system-x86_64 QEMU_PKG=qemu-system-x86
		QEMU_MACHINE=(-machine "accel=${VM_ACCEL:-tcg}" -cpu max)
		VICTIM_CC=cc VICTIM_CC_PKG=gcc
		CONSOLE=ttyS0
		;;
	arm64 | aarch64)
		# pauth-impdef: the architected pointer authentication is the
		# slowest part of emulating -cpu max
		ARCH=arm64 DEB_ARCH=arm64 ELF_ARCH=aarch64
		QEMU=qemu-system-aarch64 QEMU_PKG=qemu-system-arm
		QEMU_MACHINE=(-machine virt -cpu "max,pauth-impdef=on")
		VICTIM_CC=aarch64-linux-gnu-gcc VICTIM_CC_PKG=gcc-aarch64-linux-gnu
		CONSOLE=ttyAMA0
		;;
	*) die "unknown architecture '$1' (x86_64 or arm64)" ;;
	esac
}

need() {
	local missing=
	command -v "$QEMU" > /dev/null || missing="$missing $QEMU_PKG"
	command -v "$VICTIM_CC" > /dev/null || missing="$missing $VICTIM_CC_PKG"
	command -v cpio > /dev/null || missing="$missing cpio"
	command -v jq > /dev/null || missing="$missing jq"
	command -v file > /dev/null || missing="$missing file"
	if [ $ARCH = x86_64 ]; then
		[ -x /bin/busybox ] && file -L /bin/busybox | grep -q static ||
			missing="$missing busybox-static"
	fi
	[ -z "$missing" ] && return 0
	# shellcheck disable=SC2086 # a list of package names
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing > /dev/null; } || die "cannot install$missing"
}

# busybox for the guest: the host's on x86-64, else Debian's static
# busybox of that architecture, unpacked (no foreign architecture needed)
guest_busybox() {
	local dir=$VM_CACHE/busybox-$ARCH
	if [ $ARCH = x86_64 ]; then
		echo /bin/busybox
		return 0
	fi
	if [ ! -x "$dir/bin/busybox" ]; then
		private_apt bookworm
		(cd "$W/apt/dl" && apt-get "${APT[@]}" download busybox-static > /dev/null 2>&1) ||
			die "cannot download busybox-static:$DEB_ARCH"
		{ mkdir -p "$dir" && dpkg-deb -x "$W"/apt/dl/busybox-static_*.deb "$dir"; } ||
			die "cannot unpack busybox-static:$DEB_ARCH"
	fi
	echo "$dir/bin/busybox"
}

build_initramfs() { # build_initramfs EXITSNOOP BUSYBOX
	local r=$W/root c
	mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/tmp" "$r/dev"
	cp "$2" "$r/bin/busybox" || die "no busybox"
	# the host's busybox lists the applets; the guest's may not run here
	for c in $(/bin/busybox --list 2> /dev/null || echo sh); do
		[ "$c" = busybox ] || ln -sf busybox "$r/bin/$c"
	done
	cp "$1" "$r/exitsnoop"
	$VICTIM_CC -static -O2 -o "$r/victim" tests/e2e/victim.c -lpthread ||
		die "cannot build the victim for $ARCH"
	cp tests/vm/guest-init.sh "$r/init" && chmod +x "$r/init"
	(cd "$r" && find . | cpio -o -H newc 2> /dev/null | gzip) > "$W/initrd.gz"
}

# qemu's arm64 loader takes a plain or gzip-compressed Image; hand it the
# plain one either way
guest_kernel() {
	if [ $ARCH = arm64 ] && gzip -t "$1" 2> /dev/null; then
		gzip -dc "$1" > "$W/Image" && echo "$W/Image"
	else
		echo "$1"
	fi
}

# Software emulation unless VM_ACCEL=kvm (x86-64): nested KVM is not always
# sound (seen here: an emulation failure on cmpxchg16b early in boot).
boot() { # boot VMLINUZ: the console, into $W/console.txt
	timeout 600 "$QEMU" "${QEMU_MACHINE[@]}" -m 512 -smp 2 -nographic -no-reboot \
		-kernel "$1" -initrd "$W/initrd.gz" \
		-append "console=$CONSOLE quiet panic=-1" > "$W/console" 2>&1
	tr -d '\r' < "$W/console" > "$W/console.txt"
}

# section NAME: the lines the guest printed after "=== NAME"
section() { awk -v s="=== $1" '$0 == s { on = 1; next } /^=== / { on = 0 } on' "$W/console.txt"; }
# recs FILE COMM: the JSON records of COMM in the guest's FILE
recs() { section "$1" | grep '^{' | jq -c --arg c "$2" 'select(.comm == $c)'; }
# one FILE COMM JQ: exactly one JSON record of COMM, and it satisfies JQ
one() {
	local r
	r=$(recs "$1" "$2")
	[ "$(printf '%s\n' "$r" | grep -c .)" = 1 ] && printf '%s\n' "$r" | jq -e "$3"
}
none() { [ -z "$(recs "$1" "$2")" ]; } # none FILE COMM
# line FILE COMM: the table line of COMM
line() { section "$1" | grep -E "(^| )$2 "; }
status0() { section "$1.err" | grep -qx "status 0"; } # status0 NAME: ended by SIGINT with 0
says() { section "$1.err" | grep -qE "$2"; }            # says NAME ERE: stderr has it
chosen() { section "$1.err" | grep -E 'loader:|exit hook:|transport:' | sed 's/^exitsnoop: //' | paste -sd';'; }

# older KERNEL MAJ MIN: the kernel release KERNEL is before MAJ.MIN
older() {
	local maj=${1%%.*} min=${1#*.}
	min=${min%%.*}
	[ "$maj" -lt "$2" ] || { [ "$maj" = "$2" ] && [ "$min" -lt "$3" ]; }
}

# What exitsnoop must choose on a known kernel (it chooses by probing; the
# expectations follow the README's kernel table). The loader: the light
# skeleton needs in-kernel CO-RE and BPF_PROG_TYPE_SYSCALL (5.17).
expected_loader() {
	if older "$1" 5 17; then echo libbpf; else echo "light skeleton"; fi
}

# Where it crashed: the file's path with bpf_find_vma (5.17); build ID and offset on all.
expected_crash_path() {
	if older "$1" 5 17; then echo null; else echo '"/victim"'; fi
}

# The fault address's mapping: its own from 6.16, where the exit hook
# runs before exit_mm(); on 5.17-6.15 only where it is the IP's (a write
# to the code); before 5.17 none.
expected_addr_map_code() {
	if older "$1" 5 17; then
		echo '.cause.addr_map == null'
	else
		echo '.cause.addr_map.path == "/victim" and .cause.addr_map.kind == "file" and
			.cause.addr_map.offset > 0'
	fi
}

# What -v says of it: nothing without bpf_find_vma.
expected_addr_map_choice() {
	if older "$1" 5 17; then
		echo 'crashes: IP, its build ID and offset'
	elif older "$1" 6 16; then
		echo "the fault address's mapping only in the IP's"
	else
		echo "the fault address's mapping wherever it lies"
	fi
}

expected_addr_map_anon() {
	if older "$1" 6 16; then
		echo '.cause.addr_map == null'
	else
		echo '.cause.addr_map == {path: null, offset: null, build_id: null, kind: "anon"}'
	fi
}

# Delay accounting: on by default before 5.14 (then kernel.task_delayacct,
# off); compact (5.19), wpcopy (6.0) and irq (6.5) delays where the kernel
# has the field, and delay accounting is on.
expected_delays() {
	if older "$1" 5 14; then
		echo '(.delays.blkio_ns | type) == "number" and .delays.compact_ns == null and
			.delays.wpcopy_ns == null and .delays.irq_ns == null'
	else
		echo '.delays.blkio_ns == null and .delays.swapin_ns == null and .delays.irq_ns == null'
	fi
}

# The exit hook: group_dead in sched_process_exit from 6.16.
expected_hook() {
	if older "$1" 6 16; then echo "pre-6.16"; else echo group_dead; fi
}

# Who is charged for BPF memory: RLIMIT_MEMLOCK before 5.11.
expected_memlock() {
	if older "$1" 5 11; then
		echo "charged to RLIMIT_MEMLOCK \(before 5.11\): raised from [0-9]+ KiB to unlimited"
	else
		echo "charged to the memory cgroup"
	fi
}

# How libbpf gets the kernel's BTF: its sysfs file maps from 6.16.
expected_btf_source() {
	if older "$1" 6 16; then echo "one read"; else echo "a mapping"; fi
}

# path NAME LOADER VIA TRANSPORT HOOK: what NAME's -v says it chose is
# exactly that (tp_btf and the ring buffer "supported" where not forced)
path() {
	local c
	c=$(chosen "$1")
	[[ $c == *"exit hook: $5"*", via $3 ("* ]] && [[ $c == *"transport: $4 ("* ]] &&
		[[ $c == *"loader: $2 ("* ]] && [[ $c != *"Operation not permitted"* ]]
}

checks() {
	local k loader hook h f gone
	k=$(section kernel)
	echo "vm: kernel $k ($ARCH)"
	check boots-and-reports test -n "$k"
	loader=$(expected_loader "${k:-0.0}")
	hook=$(expected_hook "${k:-0.0}")
	echo "vm: -v chose: $(chosen j)"
	check "v-loader-is-${loader// /-}" says j "loader: $loader"
	check "path-default-$loader-tp_btf-ring-buffer-$hook" \
		path j "$loader" tp_btf "ring buffer" "$hook"
	echo "vm: $(section j.err | grep 'locked memory:' | sed 's/^exitsnoop: //')"
	check locked-memory says j "locked memory: BPF memory is $(expected_memlock "${k:-0.0}")"
	echo "vm: $(section j.err | grep 'OOM kills:' | sed 's/^exitsnoop: //')"
	check sigint-status-0 status0 j
	check exit-code one j.out vmexit3 '.exit_code == 3 and .signal == null and .cause.kind == "exit"'
	check exe-path-walk-loads test -z "$(section j.err | grep 'path walk did not load')"
	check exe-at-root one j.out vmexit3 '.exe == "/victim"'
	for f in vmexedeep vmexebind; do
		check "exe-$f-as-readlink" one j.out "$f" ".exe == \"$(section "$f.exe")\" and
			(.exe | startswith(\"/tmp/exe/\")) and (.exe | endswith(\"/d12/victim\"))"
	done
	check exe-null-beyond-bound one j.out vmexedeeper '.exe == null and .args[1] == "vmexedeeper"'
	check cost-io-inblock-run-delay one j.out vmexit3 '([.io.read_bytes, .io.write_bytes,
		.io.cancelled_write_bytes, .io.rchar, .io.wchar, .io.syscr, .io.syscw, .rusage.inblock,
		.rusage.oublock, .delays.cpu_ns] | all(type == "number"))'
	check cost-delays-by-kernel one j.out vmexit3 "$(expected_delays "${k:-0.0}")"
	check lineage-start-time one j.out vmexit3 '.start_time > 0 and .container_init == false'
	check lineage-exe-inode one j.out vmexit3 ".exe_ino == $(section victim.ino) and
		(.exe_dev | test(\"^[0-9]+:[0-9]+\$\")) and .exe_memfd == null and .exe_deleted != true"
	check lineage-ancestors one j.out vmlkid '.ancestors == [{pid: .ppid, comm: "vmlpar",
		exe: "/victim"}, {pid: 1, comm: .ancestors[1].comm, exe: .ancestors[1].exe}]'
	# an unlink after the exec is seen where the exit hook precedes exit_mm() (6.16)
	gone=true
	older "${k:-0.0}" 6 16 && gone=null
	check "lineage-unlinked-after-exec-$gone" one j.out vmunl ".exe == \"/tmp/unl\" and .exe_deleted == $gone"
	section vs.err | grep 'verifier: ' | sed "s/^exitsnoop: /vm: tp_btf /"
	section vsraw.err | grep 'verifier: ' | sed "s/^exitsnoop: /vm: raw_tp /"
	check verifier-stats-exec says vs 'verifier: handle_exec: processed [0-9]+ insns'
	check verifier-stats-exec-raw-tp says vsraw 'verifier: handle_exec: processed [0-9]+ insns'
	check exe-raw-tp one vsraw.out vmexeraw '.exe == "/victim"'
	check main-thread-first one j.out vmmain '.exit_code == 7'
	check one-record-for-threads one j.out vmthr '.exit_code == 5 and (.per_thread | not)'
	check exec-from-thread one j.out vmexecd '.exit_code == 6'
	check exec-from-thread-no-early-record none j.out vmexecth
	check sigterm-sender one j.out vmwait \
		'.signal == 15 and .cause.kind == "process" and .cause.sender.comm == "vmkiller"'
	check segv-fault one j.out vmsegv '.signal == 11 and .cause.kind == "kernel" and
		.cause.si_code_name == "SEGV_MAPERR" and .cause.addr == "0x0"'
	check crash-ip-build-id-offset-path one j.out vmsegv ".cause.ip != null and
		.cause.ip_map.path == $(expected_crash_path "${k:-0.0}") and .cause.ip_map.offset > 0 and
		(.cause.ip_map.build_id | test(\"^[0-9a-f]{16,40}\$\")) and .cause.addr_map == null"
	check crash-addr-map-chosen says j "$(expected_addr_map_choice "${k:-0.0}")"
	check crash-addr-map-code one j.out vmsegvcode ".cause.si_code_name == \"SEGV_ACCERR\" and
		$(expected_addr_map_code "${k:-0.0}")"
	check crash-addr-map-anon one j.out vmsegvanon ".cause.si_code_name == \"SEGV_ACCERR\" and
		$(expected_addr_map_anon "${k:-0.0}")"
	check oom-kill-in-memcg one j.out vmoom '.signal == 9 and .cause.kind == "oom" and
		.cause.oom.scope == "memcg" and (.cause.oom.memcg_path | endswith("/vmoom")) and
		.cause.oom.rss_bytes > 16 * 1048576'
	check cgroup-gone one j.out vmgone '.exit_code == 4 and .cgroup == "/vmgone"'
	check memcg-gone one j.out vmgoneo '.signal == 9 and .cause.kind == "oom" and
		.cause.oom.memcg_path == "/sys/fs/cgroup/vmgoneo"'
	check memcg-older-gone one j.out vmold '.signal == 9 and .cause.kind == "oom" and
		.cause.oom.memcg_path == "/sys/fs/cgroup/vmold"'
	check cgroup-gone-raw-perfbuf one gonep.out vmgonep '.exit_code == 4 and .cgroup == "/vmgonep"'
	check memcg-gone-raw-perfbuf one gonep.out vmgonepo '.signal == 9 and
		.cause.oom.memcg_path == "/sys/fs/cgroup/vmgonepo"'
	check T-per-thread-records test "$(section t.out | grep '^{' |
		jq -c 'select(.comm | startswith("vmthrT"))' | grep -c .)" = 4
	check T-status-0 status0 t
	check table-header grep -qx 'PCOMM            PID     PPID    TID     AGE(s)  EXIT_CODE ' \
		<(section tab.out | head -1)
	check table-line grep -qE '^vmtab +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ +code 4$' <(section tab.out)
	check table-status-0 status0 tab
	h=$(section lt.utc | sed 's/^0//')
	check t-local-zone-header grep -qE '^TIME-XYZ +LABEL +PCOMM' <(section lt.out | head -1)
	check t-local-time-and-bare-label grep -qE \
		"^($(printf '%02d|%02d' $(((${h:-0} + 3) % 24)) $(((${h:-0} + 2) % 24)))):[0-9]{2}:[0-9]{2}\.[0-9]{3} +exit +vmlt .* 0$" \
		<(section lt.out)
	check utc-header grep -qE '^TIME-UTC +LABEL +PCOMM' <(section ux.out | head -1)
	check utc-label-line grep -qE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} +vmlab +vmfail .* code 6$' \
		<(section ux.out)
	check x-leaves-out-exit-0 test -z "$(line ux.out vmok)"
	check w-fault grep -qE ' signal 11 \(SEGV\) SEGV_MAPERR at 0x0, ip (victim\+)?0x[0-9a-f]+$' \
		<(line ux.out vmsegw)
	check w-sender grep -qE ' signal 15 \(TERM\) from vmkillw\[[0-9]+\] uid 0$' <(line ux.out vmtermw)
	check p-traces-that-process one p.out vmpwait '.signal == 9'
	check p-only-that-process test "$(section p.out | grep -c '^{')" = 1
	check p-ends-by-itself-status-0 says p '^ended by itself, status 0$'
	check c-inside one c.out vmincg '.exit_code == 8'
	check c-below one c.out vmsubcg '.exit_code == 9'
	check c-not-outside none c.out vmoutcg
	check c-status-0 status0 c
	check cmd-child one cmd.out vmcmdkid '.exit_code == 4'
	check cmd-its-tree-only test "$(section cmd.out | grep '^{' | jq -r .comm | sort |
		paste -sd' ')" = "sh vmcmdkid vmcmdlast"
	check cmd-status-is-cmds says cmd '^status 5$'
	check cmd-summary one sum.out vmsum '.count == 2 and .failed == 2 and .codes == {"2": 2}'
	check cmd-summary-status says sum '^status 2$'
	for f in LIBBPF RAW_TP PERFBUF COMPAT BTF_READ; do
		echo "vm: EXITSNOOP_FORCE_$f=1 -v chose: $(chosen "f$f")"
		check "force-$f-exit-code" grep -qE '^vmf3 +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ +code 3$' \
			<(section "f$f.out")
		check "force-$f-sender" grep -qE ' signal 15 \(TERM\) from vmfkill\[[0-9]+\] uid 0$' \
			<(line "f$f.out" vmfwait)
		check "force-$f-status-0" status0 "f$f"
	done
	# what each forced path must have chosen, and nothing else
	check force-LIBBPF-path path fLIBBPF libbpf tp_btf "ring buffer" "$hook"
	check force-RAW_TP-path path fRAW_TP libbpf raw_tp "ring buffer" "$hook"
	check force-PERFBUF-path path fPERFBUF libbpf tp_btf "perf buffer" "$hook"
	check force-COMPAT-path path fCOMPAT "$loader" tp_btf "ring buffer" pre-6.16
	check force-BTF_READ-path path fBTF_READ libbpf tp_btf "ring buffer" "$hook"
	check force-LIBBPF-loader says fLIBBPF 'loader: libbpf'
	check force-LIBBPF-btf-one-copy says fLIBBPF \
		"kernel BTF: [0-9]+ kB, one copy for libbpf, from $(expected_btf_source "${k:-0.0}")"
	check force-RAW_TP-hook says fRAW_TP 'raw_tp'
	check force-PERFBUF-transport says fPERFBUF 'transport: perf buffer'
	check force-COMPAT-hook says fCOMPAT 'exit hook: pre-6.16'
	check force-BTF_READ-source says fBTF_READ 'kernel BTF: [0-9]+ kB, one copy for libbpf, from one read'
	# a second instance, under 64 KiB of locked memory, while the first holds its maps
	echo "vm: second instance, ulimit -l $(section second.err | head -1): -v chose: $(chosen second)"
	check second-under-64k says second '^64$'
	check second-path path second "$loader" tp_btf "ring buffer" "$hook"
	check second-locked-memory says second "locked memory: BPF memory is $(expected_memlock "${k:-0.0}")"
	check second-traces grep -qE '^vmsecond +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ +code 3$' \
		<(section second.out)
	check second-status-0 status0 second
	check first-traces-too one hold.out vmsecond '.exit_code == 3'
	check first-status-0 status0 hold
	check cmd-keeps-callers-memlock test "$(section cmdml.lim)" = 64
	check cmd-memlock-status-0 says cmdml '^status 0$'
}

main() {
	local kernel="" series=6.1 bin=${EXITSNOOP:-./exitsnoop} busybox
	set_arch "$(uname -m)"
	while [ $# -gt 0 ]; do
		case $1 in
		--arch) [ $# -ge 2 ] || usage; set_arch "$2"; shift 2 ;;
		--arch=*) set_arch "${1#*=}"; shift ;;
		--kernel) [ $# -ge 2 ] || usage; series=$2; shift 2 ;;
		--kernel=*) series=${1#*=}; shift ;;
		-h | --help) usage ;;
		-*) usage ;;
		*) kernel=$1; shift ;;
		esac
	done
	[ "$(id -u)" = 0 ] || die "needs root"
	need
	file -L "$bin" | grep -q 'statically linked' ||
		die "build a static $bin first (make, or make ARCH=$ARCH)"
	file -L "$bin" | grep -q "$ELF_ARCH" || die "$bin is not built for $ARCH (make ARCH=$ARCH)"
	[ -n "$kernel" ] || kernel=$(fetch_kernel "$series") || exit 1
	busybox=$(guest_busybox) || exit 1
	build_initramfs "$bin" "$busybox"
	boot "$(guest_kernel "$kernel")"
	checks
	if [ $check_failed -gt 0 ]; then
		echo "--- console"
		cat "$W/console.txt"
	fi
	check_summary
}

main "$@"
