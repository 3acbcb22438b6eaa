# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# bench/lib.sh: what every bench script sets up and undoes. Sourced from
# the repository's root with BENCH_NAME set (the scripts cd there first).

# die MESSAGE: the script's name and the message on stderr, exit 1.
die() {
	echo "$BENCH_NAME: $*" >&2
	exit 1
}

# bench_start: as root, with ./exitsnoop built; a scratch directory in W.
bench_start() {
	[ "$(id -u)" = 0 ] || die "needs root"
	[ -x ./exitsnoop ] || die "build ./exitsnoop first (make)"
	W=$(mktemp -d "/tmp/exitsnoop-$BENCH_NAME.XXXXXX")
	mkdir -p bench/bin
}

# build_tools TOOL...: bench/TOOL.c into bench/bin, every run (a stale
# build would time differently).
build_tools() {
	local w
	for w in "$@"; do
		cc -O2 -Wall -o "bench/bin/$w" "bench/$w.c" -lpthread || die "cannot build $w"
	done
}

# mount_tracefs: the peers attach classic tracepoints, which need tracefs
# (exitsnoop does not); bench_cleanup unmounts what this mounted.
mount_tracefs() {
	grep -q ' /sys/kernel/tracing tracefs' /proc/mounts && return 0
	mount -t tracefs nodev /sys/kernel/tracing || die "cannot mount tracefs for the peers"
	UNMOUNT_TRACEFS=1
}

# bpf_stats_on: kernel.bpf_stats_enabled=1 until bench_cleanup.
bpf_stats_on() {
	STATS_WAS=${STATS_WAS:-$(sysctl -n kernel.bpf_stats_enabled)}
	sysctl -q kernel.bpf_stats_enabled=1
}

# bench_cleanup: the machine as it was, the scratch directory gone.
bench_cleanup() {
	if [ -n "${STATS_WAS:-}" ]; then
		sysctl -q kernel.bpf_stats_enabled="$STATS_WAS"
	fi
	if [ -n "${UNMOUNT_TRACEFS:-}" ]; then
		umount /sys/kernel/tracing
	fi
	rm -rf "${W:?}"
}
