#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# tests/vm/run.sh [VMLINUZ]: boots another kernel in qemu with the built
# ./exitsnoop (static) and checks what it reports there. Without VMLINUZ it
# fetches Debian 12's cloud kernel (6.1: no group_dead argument, mark_victim
# without the task), the kernel the pre-6.16 paths are written for. Ends
# with "vm: N passed, N failed". As root, after `make`.
set -u
cd "$(dirname "$0")/../.." || exit 1
W=$(mktemp -d /tmp/exitsnoop-vm.XXXXXX)
trap 'rm -rf "$W"' EXIT
passed=0 failed=0
die() { echo "vm: $*" >&2; exit 1; }
check() { # check WHAT CONDITION...
	local what=$1
	shift
	if "$@" > /dev/null 2>&1; then
		echo "ok   vm/$what"
		passed=$((passed + 1))
	else
		echo "FAIL vm/$what"
		failed=$((failed + 1))
	fi
}

need() {
	local missing=
	command -v qemu-system-x86_64 > /dev/null || missing="$missing qemu-system-x86"
	[ -x /bin/busybox ] && file -L /bin/busybox | grep -q static || missing="$missing busybox-static"
	command -v cpio > /dev/null || missing="$missing cpio"
	command -v jq > /dev/null || missing="$missing jq"
	[ -z "$missing" ] && return 0
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing > /dev/null || die "cannot install$missing"
}

fetch_kernel() {
	local pkg
	pkg=$(apt-cache depends linux-image-cloud-amd64 2> /dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[ -n "$pkg" ] || die "no Debian cloud kernel package found"
	(cd "$W" && apt-get download "$pkg" > /dev/null 2>&1) || die "cannot download $pkg"
	dpkg-deb -x "$W"/"$pkg"_*.deb "$W/k" || die "cannot unpack $pkg"
	ls "$W"/k/boot/vmlinuz-*
}

build_initramfs() {
	local r=$W/root
	mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/tmp" "$r/dev"
	cp /bin/busybox "$r/bin/" && (cd "$r/bin" && for c in $(./busybox --list); do
		ln -sf busybox "$c"; done)
	cp exitsnoop "$r/exitsnoop"
	cc -static -O2 -o "$r/victim" tests/e2e/victim.c -lpthread || die "cannot build victim"
	cp tests/vm/guest-init.sh "$r/init" && chmod +x "$r/init"
	(cd "$r" && find . | cpio -o -H newc 2> /dev/null | gzip) > "$W/initrd.gz"
}

# Software emulation unless VM_ACCEL=kvm: nested KVM is not always sound
# (seen here: an emulation failure on cmpxchg16b early in boot).
boot() { # boot VMLINUZ: the console, into $W/console
	timeout 600 qemu-system-x86_64 -machine accel=${VM_ACCEL:-tcg} -cpu max -m 512 -smp 2 \
		-nographic \
		-no-reboot -kernel "$1" -initrd "$W/initrd.gz" \
		-append "console=ttyS0 quiet panic=-1" > "$W/console" 2>&1
	tr -d '\r' < "$W/console" > "$W/console.txt"
}

# section NAME: the lines the guest printed after "=== NAME"
section() { awk -v s="=== $1" '$0 == s { on = 1; next } /^=== / { on = 0 } on' "$W/console.txt"; }
# one COMM JQ: exactly one JSON record of COMM in SECTION, and it satisfies JQ
one() { # one SECTION COMM JQ
	local recs
	recs=$(section "$1" | grep '^{' | jq -c --arg c "$2" 'select(.comm == $c)')
	[ "$(printf '%s\n' "$recs" | grep -c .)" = 1 ] && printf '%s\n' "$recs" | jq -e "$3"
}

main() {
	local kernel=${1:-}
	[ "$(id -u)" = 0 ] || die "needs root"
	file -L exitsnoop | grep -q 'statically linked' || die "build a static ./exitsnoop first (make)"
	need
	[ -n "$kernel" ] || kernel=$(fetch_kernel) || exit 1
	build_initramfs
	boot "$kernel"
	local k
	k=$(section kernel)
	echo "vm: kernel $k"
	check boots-and-reports test -n "$k"
	check status-0 grep -qx "status 0" <(section j.err)
	check compat-hook-chosen grep -q "exit hook: pre-6.16" <(section j.err)
	echo "vm: $(section j.err | grep 'OOM kills:' | sed 's/^exitsnoop: //')"
	check exit-code one j.out vmexit3 '.exit_code == 3 and .signal == null'
	check main-thread-first one j.out vmmain '.exit_code == 7'
	check one-record-for-threads one j.out vmthr '.exit_code == 5 and (.per_thread | not)'
	check sigterm-sender one j.out vmwait \
		'.signal == 15 and .cause.kind == "process" and .cause.sender.comm == "vmkiller"'
	check segv-fault one j.out vmsegv '.signal == 11 and .cause.kind == "kernel" and
		.cause.si_code_name == "SEGV_MAPERR"'
	check oom-kill-in-memcg one j.out vmoom '.signal == 9 and .cause.kind == "oom" and
		.cause.oom.scope == "memcg" and (.cause.oom.memcg_path | endswith("/vmoom")) and
		.cause.oom.rss_bytes > 16 * 1048576'
	check per-thread-records test "$(section t.out | grep '^{' |
		jq -c 'select(.comm | startswith("vmthrT"))' | grep -c .)" = 4
	check table-line grep -qE '^vmtab +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ +code 4$' <(section tab.out)
	if [ $failed -gt 0 ]; then
		echo "--- console"
		cat "$W/console.txt"
	fi
	echo "vm: $passed passed, $failed failed"
	[ $failed = 0 ]
}

main "$@"
