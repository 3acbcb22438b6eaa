#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# tests/service/run.sh [--release bookworm|bullseye]... [DEB]
#
# The Debian package's unit under a real systemd: boots Debian 12
# (bookworm, kernel 6.1) and Debian 11 (bullseye, 5.10) under qemu
# (software emulation) with systemd as PID 1 on a root file system built
# from Debian's packages by mmdebstrap, and runs tests/service/guest-check.sh
# there as a oneshot unit after multi-user.target: it installs DEB (default
# ./exitsnoop_VERSION_amd64.deb, `make deb`), enables the unit and checks
# it. Root file systems and kernels are kept in $SERVICE_CACHE (default
# /var/cache/exitsnoop-service). One line per check, "ok service[6.1]/NAME"
# or "FAIL service[6.1]/NAME: why"; ends with "service: N passed, N
# failed". x86-64 only; as root.
set -u
cd "$(dirname "$0")/../.." || exit 1
W=$(mktemp -d /tmp/exitsnoop-service.XXXXXX)
trap 'rm -rf "$W"' EXIT
SERVICE_CACHE=${SERVICE_CACHE:-/var/cache/exitsnoop-service}
# each boot, from power-on to power-off
SERVICE_TIMEOUT=${SERVICE_TIMEOUT:-2400}
ARCH=x86_64 DEB_ARCH=amd64 KERNEL_CACHE=$SERVICE_CACHE/kernels LOG_PREFIX=service
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh
die() { echo "service: $*" >&2; exit 1; }
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh

# What the guest runs: systemd, node_exporter and the guest script's tools;
# podman where Debian's is recent enough to run under systemd on cgroup v2
# (bookworm's 4.3). No kernel modules: the cloud kernels have NVMe, ext4
# and the 8250 serial port built in.
PACKAGES=systemd,systemd-sysv,udev,dbus,prometheus-node-exporter,procps,jq,curl
PODMAN_PACKAGES=podman,conmon,crun,catatonit

need() {
	local missing=
	command -v qemu-system-x86_64 > /dev/null || missing="$missing qemu-system-x86"
	command -v mmdebstrap > /dev/null || missing="$missing mmdebstrap"
	command -v mkfs.ext4 > /dev/null || missing="$missing e2fsprogs"
	command -v cc > /dev/null || missing="$missing gcc"
	command -v jq > /dev/null || missing="$missing jq"
	[ -z "$missing" ] && return 0
	# shellcheck disable=SC2086 # a list of package names
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing > /dev/null; } || die "cannot install$missing"
}

# rootfs RELEASE: the path of a tarball of that release's root file system,
# from the cache or built; rebuilt when the package list changes
rootfs() {
	local rel=$1 tar=$SERVICE_CACHE/rootfs-$1-$DEB_ARCH.tar pkgs=$PACKAGES
	[ "$rel" = bookworm ] && pkgs=$pkgs,$PODMAN_PACKAGES
	if [ -s "$tar" ] && [ "$(cat "$tar.packages" 2> /dev/null)" = "$pkgs" ]; then
		echo "$tar"
		return 0
	fi
	echo "service: building the $rel root file system (mmdebstrap)" >&2
	mkdir -p "$SERVICE_CACHE" || die "cannot create $SERVICE_CACHE"
	mmdebstrap --variant=minbase --architectures=$DEB_ARCH \
		--aptopt='Apt::Install-Recommends "false"' --include="$pkgs" "$rel" "$tar.tmp" \
		"deb $(mirror '') $rel main" "deb $(mirror '') $rel-updates main" \
		"deb $(mirror -security) $rel-security main" > "$W/mmdebstrap.log" 2>&1 ||
		die "mmdebstrap of $rel failed: $(tail -3 "$W/mmdebstrap.log")"
	{ mv "$tar.tmp" "$tar" && echo "$pkgs" > "$tar.packages"; } || die "cannot store $tar"
	echo "$tar"
}

helpers() {
	{ cc -static -O2 -o "$W/svcvictim" tests/e2e/victim.c -lpthread &&
		cc -static -O2 -o "$W/svcburst" tests/e2e/burst.c; } ||
		die "cannot build the test helpers"
}

# image TARBALL DEB: $W/disk.img, an ext4 image of the root file system
# with the package, the helpers and the check unit enabled
image() {
	local r=$W/root u=$W/root/etc/systemd/system
	{ rm -rf "$r" && mkdir -p "$r" && tar -C "$r" --numeric-owner -xpf "$1"; } ||
		die "cannot unpack $1"
	{ cp "$2" "$r/root/exitsnoop.deb" &&
		install -m 0755 "$W/svcvictim" "$W/svcburst" "$r/usr/local/bin/" &&
		install -m 0755 tests/service/guest-check.sh "$r/usr/local/sbin/exitsnoop-servicetest"; } ||
		die "cannot populate the image"
	echo svcguest > "$r/etc/hostname"
	: > "$r/etc/fstab"
	# the console is the check's: no login prompt on it
	ln -sf /dev/null "$u/serial-getty@ttyS0.service"
	ln -sf /dev/null "$u/getty@tty1.service"
	cat > "$u/exitsnoop-servicetest.service" <<-UNIT
		[Unit]
		Description=exitsnoop service test
		After=multi-user.target prometheus-node-exporter.service

		[Service]
		Type=oneshot
		ExecStart=/usr/local/sbin/exitsnoop-servicetest

		[Install]
		WantedBy=multi-user.target
	UNIT
	{ mkdir -p "$u/multi-user.target.wants" &&
		ln -sf ../exitsnoop-servicetest.service "$u/multi-user.target.wants/"; } || die "cannot enable the check"
	rm -f "$W/disk.img"
	mkfs.ext4 -q -F -L svcroot -d "$r" "$W/disk.img" 3G > "$W/mkfs.log" 2>&1 ||
		die "mkfs.ext4 failed: $(tail -2 "$W/mkfs.log")"
	rm -rf "$r"
}

# no_timer_check: a loaded host can make the emulated timer look broken
# to the early IO-APIC check, which then panics
boot() { # boot VMLINUZ: the console, into $W/console.txt
	timeout "$SERVICE_TIMEOUT" qemu-system-x86_64 -machine "accel=${VM_ACCEL:-tcg}" -cpu max \
		-m 2048 -smp 2 -nographic -no-reboot -kernel "$1" \
		-drive "file=$W/disk.img,if=none,format=raw,id=root" -device nvme,drive=root,serial=svcroot \
		-append "console=ttyS0 root=/dev/nvme0n1 rw quiet panic=-1 no_timer_check systemd.show_status=0 systemd.unified_cgroup_hierarchy=1" \
		> "$W/console" 2>&1
	tr -d '\r' < "$W/console" > "$W/console.txt"
}

# The exposure the README states for the unit ("rates it 1.0").
readme_exposure() { grep -oE 'rates it [0-9]+\.[0-9]+' README.md | head -1 | grep -oE '[0-9.]+$'; }

# results TAG: the guest's verdicts as this harness's lines
results() {
	local tag=$1 line name why exp stated
	CHECK_PREFIX="service[$tag]"
	while IFS= read -r line; do
		case $line in
		"ok "*)
			check_ok "${line#ok }"
			;;
		"FAIL "*)
			name=${line#FAIL } why=${name#*: } name=${name%%: *}
			check_fail "$name" "$why"
			;;
		"exposure "*)
			exp=${line#exposure } stated=$(readme_exposure)
			if [ -n "$exp" ] && [ -n "$stated" ] &&
				awk -v e="$exp" -v s="$stated" 'BEGIN { exit !(e + 0 <= s + 0) }'; then
				check_ok security-exposure-at-most-readme "($exp <= $stated)"
			else
				check_fail security-exposure-at-most-readme "'$exp', README says '$stated'"
			fi
			;;
		"info "*) echo "service[$tag]: ${line#info }" ;;
		"start "*) echo "service[$tag]: guest ${line#start }" ;;
		esac
	done < <(grep -a '^svc: ' "$W/console.txt" | sed 's/^svc: //')
}

run() { # run RELEASE SERIES DEB
	local tar kernel t0 secs f0=$check_failed
	echo "### service $1 ($2)"
	tar=$(rootfs "$1") || exit 1
	kernel=$(fetch_kernel "$2") || exit 1
	echo "service[$2]: kernel $(cat "$(dirname "$kernel")/package")"
	image "$tar" "$3"
	t0=$SECONDS
	boot "$kernel"
	secs=$((SECONDS - t0))
	echo "service[$2]: boot to power-off took $secs s"
	results "$2"
	if grep -aqx 'svc: done' "$W/console.txt"; then
		check_ok guest-completes
	else
		check_fail guest-completes "no end after $secs s (limit $SERVICE_TIMEOUT s)"
	fi
	if [ $check_failed -gt "$f0" ]; then
		echo "--- console ($2), last 80 lines"
		tail -80 "$W/console.txt"
	fi
}

usage() {
	echo "usage: tests/service/run.sh [--release bookworm|bullseye]... [DEB]" >&2
	exit 2
}

main() {
	local deb="" rels=() r
	while [ $# -gt 0 ]; do
		case $1 in
		--release) [ $# -ge 2 ] || usage; rels+=("$2"); shift 2 ;;
		--release=*) rels+=("${1#*=}"); shift ;;
		-*) usage ;;
		*) deb=$1; shift ;;
		esac
	done
	[ ${#rels[@]} -gt 0 ] || rels=(bookworm bullseye)
	[ -n "$deb" ] || deb=./exitsnoop_$(cat VERSION)_$DEB_ARCH.deb
	[ "$(id -u)" = 0 ] || die "needs root"
	[ "$(uname -m)" = x86_64 ] || die "x86-64 hosts only"
	[ -s "$deb" ] || die "no package $deb (make deb)"
	need
	helpers
	for r in "${rels[@]}"; do
		case $r in
		bookworm) run bookworm 6.1 "$deb" ;;
		bullseye) run bullseye 5.10 "$deb" ;;
		*) die "unknown release '$r' (bookworm or bullseye)" ;;
		esac
	done
	CHECK_PREFIX=service
	check_summary
}

main "$@"
