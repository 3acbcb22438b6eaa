#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# PID 1 of the test VM (busybox): runs exitsnoop, in one boot, against
# processes with known outcomes, once per option and once per forced
# fallback path, and prints every output between "=== NAME" markers on the
# console; the host (tests/vm/run.sh) does the checking. Each tracer is
# waited for until its ready signal (the table header on stdout, "Tracing"
# on stderr with -j); each victim that must be somewhere first says so in a
# file.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmp /tmp
mount -t devtmpfs dev /dev
mount -t cgroup2 none /sys/fs/cgroup
# kernel messages (the OOM killer's report) stay off the console
dmesg -n 1
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
cd /tmp || exit 1

# patiently CONDITION...: until it holds, for a minute at most (a hung
# step shows as a failed check, not as a boot that never ends)
patiently() {
	n=0
	until "$@"; do
		n=$((n + 1))
		[ $n -gt 6000 ] && echo "gave up waiting: $*" && return 1
		sleep 0.01
	done
}

gone() { ! kill -0 "$1" 2> /dev/null; } # gone PID: it has ended

# ready: the tracer has printed its ready signal, or has ended
ready() {
	grep -q -e '^PCOMM' -e '^TIME-' -e Tracing "$out" "$err" 2> /dev/null ||
		gone $tracer
}

# start_tracer NAME COMMAND...: in the background, output in NAME.out and
# NAME.err, until its ready signal or its end
start_tracer() {
	out=$1.out err=$1.err
	shift
	"$@" > "$out" 2> "$err" &
	tracer=$!
	patiently ready
}

# stop_tracer: SIGINT, and its exit status at the end of NAME.err
stop_tracer() {
	kill -INT $tracer 2> /dev/null
	wait $tracer
	echo "status $?" >> "$err"
}

# until_file FILE: a victim says it is ready
until_file() {
	patiently test -f "$1"
}

# sigterm WAITER KILLER READY: KILLER sends SIGTERM to a waiting WAITER
sigterm() {
	/victim "$1" wait "$3" &
	until_file "$3"
	/victim "$2" kill $! 15
	wait $!
}

# in_cgroup DIR VICTIM-ARGS...: the victim runs inside the cgroup DIR
in_cgroup() {
	dir=$1
	shift
	sh -c 'echo $$ > "$0/cgroup.procs" && exec /victim "$@"' "$dir" "$@"
}

# exe: the victim under a tmpfs mount, deep, and through a bind mount of
# one of its directories, as readlink shows each while it runs; and too deep
mkdir -p /tmp/exe/mnt /tmp/exe/bind
mount -t tmpfs exe /tmp/exe/mnt
deep=/tmp/exe/mnt/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12
mkdir -p $deep
cp /victim $deep/victim
mount -o bind /tmp/exe/mnt/d1/d2 /tmp/exe/bind
# deeper than the walk goes (32 steps): exe null
toodeep=/tmp/exe/mnt$(i=0; while [ $i -lt 40 ]; do i=$((i + 1)); printf /t%d $i; done)
mkdir -p "$toodeep"
cp /victim "$toodeep/victim"
# exe_run NAME PATH: PATH runs as NAME; what readlink says in NAME.exe
exe_run() {
	"$2" "$1" wait "ready.$1" &
	until_file "ready.$1"
	readlink "/proc/$!/exe" > "$1.exe"
	kill $!
	wait $!
}

# gone_cgroups NAME: a cgroup NAME and a memory cgroup NAMEo made, used
# (an exit, an OOM kill) and removed while the tracer is stopped, so that
# its records are read only once they are gone
gone_cgroups() {
	kill -STOP $tracer
	mkdir "/sys/fs/cgroup/$1" "/sys/fs/cgroup/${1}o"
	echo 32M > "/sys/fs/cgroup/${1}o/memory.max"
	in_cgroup "/sys/fs/cgroup/$1" "$1" exit 4
	in_cgroup "/sys/fs/cgroup/${1}o" "${1}o" oom
	rmdir "/sys/fs/cgroup/$1" "/sys/fs/cgroup/${1}o"
	kill -CONT $tracer
}

# a memcg older than the tracer, killed in and removed while it is stopped:
# only the kernel's own walk of the cgroup's names can name it then
older_memcg() {
	kill -STOP $tracer
	in_cgroup /sys/fs/cgroup/vmold vmold oom
	rmdir /sys/fs/cgroup/vmold
	kill -CONT $tracer
}
mkdir /sys/fs/cgroup/vmold
echo 32M > /sys/fs/cgroup/vmold/memory.max

# -v -j: the product's main path, and what -v says it chose
start_tracer j /exitsnoop -v -j
/victim vmexit3 exit 3
exe_run vmexedeep $deep/victim
exe_run vmexebind /tmp/exe/bind/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/victim
"$toodeep/victim" vmexedeeper exit 0
/victim vmmain main-first 7
/victim vmthr threads 3 5
/victim vmexecth exec-thread vmexecd 6
# lineage: a parent that exits right after its child; a copy unlinked while
# it runs; the victim's inode
/victim vmlpar spawn 0 vmlkid exit 4
cp /victim /tmp/unl
/tmp/unl vmunl wait ready.unl &
until_file ready.unl
rm /tmp/unl
kill $!
wait $!
stat -c %i /victim > victim.ino
sigterm vmwait vmkiller ready.j
/victim vmsegv segv
/victim vmsegvanon segv-anon
/victim vmsegvcode segv-code
mkdir /sys/fs/cgroup/vmoom
echo 32M > /sys/fs/cgroup/vmoom/memory.max
in_cgroup /sys/fs/cgroup/vmoom vmoom oom
gone_cgroups vmgone
older_memcg
stop_tracer

# -T: a record per thread
start_tracer t /exitsnoop -T -j
/victim vmthrT threads 3 5
stop_tracer

# the default table
start_tracer tab /exitsnoop
/victim vmtab exit 4
stop_tracer

# -t in a local zone of its own, with a bare --label
start_tracer lt env TZ=XYZ-3 /exitsnoop -t --label
/victim vmlt exit 0
stop_tracer
date -u +%H > lt.utc

# --utc, --label=L, -x (exit 0 left out) and -w (the table's cause column)
start_tracer ux /exitsnoop --utc --label=vmlab -x -w
/victim vmok exit 0
/victim vmfail exit 6
/victim vmsegw segv
sigterm vmtermw vmkillw ready.ux
stop_tracer

# -p: only that process, and the tool ends by itself when it has ended
/victim vmpwait wait ready.p &
waiter=$!
until_file ready.p
start_tracer p /exitsnoop -j -p $waiter
/victim vmnotp exit 1
/victim vmpkill kill $waiter 9
wait $waiter
if ! patiently gone $tracer; then
	echo "still running" >> p.err
	stop_tracer
else
	wait $tracer
	echo "ended by itself, status $?" >> p.err
fi

# -c: only processes inside that cgroup (and below it); a small ring (-b)
mkdir -p /sys/fs/cgroup/vmcg/sub
start_tracer c /exitsnoop -j -b 8K -c /sys/fs/cgroup/vmcg
in_cgroup /sys/fs/cgroup/vmcg vmincg exit 8
in_cgroup /sys/fs/cgroup/vmcg/sub vmsubcg exit 9
/victim vmoutcg exit 10
stop_tracer

# -- CMD: its tree only, ended with CMD and with its status; --summary of a tree
/exitsnoop -j -- sh -c '/victim vmcmdkid exit 4; /victim vmcmdlast exit 3; exit 5' \
	> cmd.out 2> cmd.err
echo "status $?" >> cmd.err
/exitsnoop -j --summary --comm vmsum -- sh -c '/victim vmsum exit 2; /victim vmsum exit 2' \
	> sum.out 2> sum.err
echo "status $?" >> sum.err

# what the verifier spent on each program, with each object
start_tracer vs env EXITSNOOP_VERIFIER_STATS=1 /exitsnoop -j
stop_tracer
start_tracer vsraw env EXITSNOOP_VERIFIER_STATS=1 EXITSNOOP_FORCE_RAW_TP=1 /exitsnoop -j
/victim vmexeraw exit 0
stop_tracer
start_tracer gonep env EXITSNOOP_FORCE_RAW_TP=1 EXITSNOOP_FORCE_PERFBUF=1 /exitsnoop -j
gone_cgroups vmgonep
stop_tracer

# each forced fallback path: exit code, a sender, the table, what -v says
for f in LIBBPF RAW_TP PERFBUF COMPAT BTF_READ; do
	start_tracer "f$f" env "EXITSNOOP_FORCE_$f=1" /exitsnoop -v -w
	/victim vmf3 exit 3
	sigterm vmfwait vmfkill "ready.$f"
	stop_tracer
done

# a second instance while a first holds its maps, itself under 64 KiB of
# locked memory (to which kernels before 5.11 charge BPF memory, per user):
# it must choose what the first chose, and trace
start_tracer hold /exitsnoop -j
holder=$tracer
start_tracer second sh -c 'ulimit -l 64 && ulimit -l >&2 && exec /exitsnoop -v -w'
/victim vmsecond exit 3
stop_tracer
out=hold.out err=hold.err tracer=$holder
stop_tracer
# -- CMD runs under the caller's limit, not the one exitsnoop raised
sh -c 'ulimit -l 64 && exec /exitsnoop -v -o cmdml.out -- sh -c "ulimit -l"' \
	> cmdml.lim 2> cmdml.err
echo "status $?" >> cmdml.err

for f in *.out *.err *.exe *.lim *.ino lt.utc; do
	echo "=== $f"
	cat "$f"
done
echo "=== kernel"
uname -r
echo "=== end"
poweroff -f
