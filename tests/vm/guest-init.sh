#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# PID 1 of the test VM (busybox): runs exitsnoop against processes with
# known outcomes and prints everything between markers on the console; the
# host (tests/vm/run.sh) does the checking.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmp /tmp
mount -t devtmpfs dev /dev
cd /tmp

# start_tracer OUT ERR ARGS...: in the background, until its ready line
start_tracer() {
	out=$1 err=$2
	shift 2
	/exitsnoop "$@" > "$out" 2> "$err" &
	tracer=$!
	i=0
	while ! grep -q -e PCOMM -e Tracing "$out" "$err" 2> /dev/null; do
		i=$((i + 1))
		[ $i -gt 500 ] && break
		sleep 0.02
	done
}

stop_tracer() {
	kill -INT $tracer
	wait $tracer
	echo "status $?" >> "$err"
}

start_tracer j.out j.err -v -j
/victim vmexit3 exit 3
/victim vmmain main-first 7
/victim vmthr threads 3 5
/victim vmwait wait ready &
waiter=$!
while [ ! -f ready ]; do sleep 0.01; done
/victim vmkiller kill $waiter 15
wait $waiter
/victim vmsegv segv
# an OOM kill confined to a 32M memory cgroup
mount -t cgroup2 none /sys/fs/cgroup
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir /sys/fs/cgroup/vmoom
echo 32M > /sys/fs/cgroup/vmoom/memory.max
sh -c 'echo $$ > /sys/fs/cgroup/vmoom/cgroup.procs && exec /victim vmoom oom'
stop_tracer

start_tracer t.out t.err -T -j
/victim vmthrT threads 3 5
stop_tracer

start_tracer tab.out tab.err
/victim vmtab exit 4
stop_tracer

for f in j.out j.err t.out t.err tab.out tab.err; do
	echo "=== $f"
	cat $f
done
echo "=== kernel"
uname -r
echo "=== end"
poweroff -f
