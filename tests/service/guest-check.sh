#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# tests/service/guest-check.sh: runs inside the guest that
# tests/service/run.sh boots, as a oneshot unit after multi-user.target,
# with systemd as PID 1. Installs the package, runs the unit and checks it
# against what the guest itself saw (wait statuses, the kernel log,
# node_exporter). One console line per check, "svc: ok NAME" or
# "svc: FAIL NAME: why", "svc: info ..." for measurements, "svc: done" at
# the end; then powers the guest off.
set -u
exec > /dev/ttyS0 2>&1
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EXITSNOOP=/usr/libexec/exitsnoop/exitsnoop # where the package puts it
VICTIM=/usr/local/bin/svcvictim BURST=/usr/local/bin/svcburst
PROM=/var/lib/prometheus/node-exporter/exitsnoop.prom
T=/run/svc
mkdir -p $T

say() { echo "svc: $*"; }
ok() { say "ok $1"; }
fail() { say "FAIL $1: $2"; }
check() { # check NAME WHY CONDITION...: ok when CONDITION holds, else FAIL with WHY
	local name=$1 why=$2
	shift 2
	if "$@" > /dev/null 2>&1; then ok "$name"; else fail "$name" "$why"; fi
}
# wait_until SECONDS CONDITION...: polls CONDITION every 0.2 s, at most SECONDS
wait_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@" > /dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}
# reap SECONDS PID: PID's wait status once it has ended, within SECONDS;
# else it is killed and the status is 254 (no status of ours)
reap() {
	if ! wait_until "$1" eval "! kill -0 $2 2> /dev/null"; then
		kill -KILL "$2" 2> /dev/null
		wait "$2"
		return 254
	fi
	wait "$2"
}

unit_log() { journalctl -q -u exitsnoop -o cat --no-pager; }
# what the service itself wrote (-u adds systemd's messages about it)
own_log() { journalctl -q _SYSTEMD_UNIT=exitsnoop.service -o cat --no-pager; }
# record PID COMM: the unit's JSON record of that process
record() { unit_log | grep '^{' | jq -c --argjson p "$1" --arg c "$2" 'select(.pid == $p and .comm == $c)'; }
has_record() { [ -n "$(record "$1" "$2")" ]; }
scrape() { curl -fsS --max-time 30 http://127.0.0.1:9100/metrics > $T/scrape.tmp && mv $T/scrape.tmp $T/scrape; }
# snap: the counters as exitsnoop last wrote them, read as a scrape
snap() { cp $PROM $T/scrape; }
# metric NAME [LABEL...]: the sum of node_exporter's series NAME that have
# every LABEL (label="value", in any order: it sorts them), last scrape
metric() {
	local name=$1
	shift
	awk -v name="$name" -v want="$*" '
		index($0, name "{") != 1 && index($0, name " ") != 1 { next }
		{ n = split(want, w, " "); for (i = 1; i <= n; i++) if (!index($0, w[i])) next; s += $NF }
		END { printf "%d\n", s }' $T/scrape
}
# holds JSON FILTER: JSON is one object and FILTER is true of it (jq -e
# alone passes empty input)
holds() { [ "$(printf '%s\n' "$1" | grep -c '^{')" = 1 ] && jq -e "$2" <<< "$1"; }
main_pid() { systemctl show -p MainPID --value exitsnoop; }

install_and_start() {
	check package-installs "dpkg -i failed" dpkg -i /root/exitsnoop.deb
	check node-exporter-active "prometheus-node-exporter is not active" \
		wait_until 60 systemctl is-active prometheus-node-exporter
	check node-exporter-serves "no answer on :9100/metrics" wait_until 180 scrape
	systemctl enable --now exitsnoop > $T/enable.log 2>&1
	check enable-now-active "$(tail -1 $T/enable.log) $(systemctl is-active exitsnoop)" \
		wait_until 60 test -s $PROM
	say "info $(unit_log | grep -v '^{' | head -5 | paste -sd'|')"
}

# A process of a unique name and known exit code: its record, as JSON.
journal_json() {
	local pid st bad
	$VICTIM svcknown exit 42 &
	pid=$!
	reap 60 $pid
	st=$?
	check known-exit-status "wait status $st" test $st = 42
	check known-record-in-journal "no record of svcknown[$pid]" wait_until 60 has_record $pid svcknown
	check known-record-says-42 "$(record $pid svcknown)" \
		holds "$(record $pid svcknown)" '.exit_code == 42 and .signal == null and .cause.kind == "exit"'
	# every line of the service is a JSON object or one of its notes on
	# stderr (the ready note "Tracing ...", or "exitsnoop: ...")
	bad=$(own_log | grep '^{' | jq -c . 2>&1 > /dev/null | head -1)
	check journal-lines-are-json "${bad:-?}" test -z "$bad"
	bad=$(own_log | grep -v '^{' | grep -vE '^(exitsnoop: |Tracing )' | head -1)
	check journal-other-lines-are-notes "$bad" test -z "$bad"
}

# An OOM kill in a transient service with a memory limit, seen by the
# kernel and counted in node_exporter's exitsnoop_oom_kills_total. The
# victim is the service's main process alone: systemd waits for it and
# records its status (ExecMainCode 2 = killed, ExecMainStatus the signal),
# nothing of ours shares the OOM'd cgroup (on systemd 252 a shell there
# died with the victim), and every wait is bounded. The SIGKILL counted a
# success and RemainAfterExit keep the unit, and so its cgroup, until it is
# stopped: the record can name its memory cgroup.
oom_unit() {
	local st code pid before
	scrape
	before=$(metric exitsnoop_oom_kills_total 'scope="memcg"')
	systemd-run -q --unit svcoom -p MemoryMax=16M -p MemorySwapMax=0 -p OOMPolicy=continue \
		-p SuccessExitStatus=KILL --remain-after-exit $VICTIM svcoomone oom > $T/oom.log 2>&1
	oom_exited() { [ "$(systemctl show -p ExecMainExitTimestampMonotonic --value svcoom)" -gt 0 ]; }
	wait_until 120 oom_exited
	pid=$(systemctl show -p ExecMainPID --value svcoom)
	code=$(systemctl show -p ExecMainCode --value svcoom)
	st=$(systemctl show -p ExecMainStatus --value svcoom)
	check oom-wait-status-killed "ExecMainCode $code ExecMainStatus $st, not 2/9 (killed, SIGKILL); $(systemctl is-active svcoom) $(tail -1 $T/oom.log)" \
		test "$code/$st" = 2/9
	check oom-in-kernel-log "no OOM kill of svcoomone[$pid] in the kernel log" wait_until 30 \
		eval "journalctl -k -q --no-pager | grep -qE 'Killed process $pid \(svcoomone\)'"
	check oom-record-in-journal "no record of svcoomone[$pid]" wait_until 60 has_record "$pid" svcoomone
	check oom-record-is-oom "$(record "$pid" svcoomone)" holds "$(record "$pid" svcoomone)" \
		'.signal == 9 and .cause.kind == "oom" and (.cause.oom.memcg_path | endswith("svcoom.service"))'
	systemctl stop svcoom
	# the textfile collector serves it once exitsnoop rewrites the file
	oom_counted() { scrape && [ "$(metric exitsnoop_oom_kills_total 'scope="memcg"')" -gt "$before" ]; }
	check node-exporter-serves-oom-kill "exitsnoop_oom_kills_total stayed $before" wait_until 60 oom_counted
	grep -E '^exitsnoop_(oom|build)' $T/scrape | sed 's/^/svc: info /'
	check node-exporter-serves-exits "no exitsnoop_exits_total" test "$(metric exitsnoop_exits_total)" -gt 0
	check node-exporter-no-textfile-error "node_textfile_scrape_error is not 0" \
		grep -qx 'node_textfile_scrape_error 0' $T/scrape
}

# The workload: N exits of known kinds; its own counts against the
# counters' growth. Loud causes (SEGV, OOM) appear nowhere else, so equal.
workload() {
	local i segv=0 kills=0 thr=0 oom=0 st n t0 pid oom_pids=() r
	local b_exits=9700 b0 s0 k0 o0 c0 f0 l0 e0 want fwant
	snap
	e0=$(metric exitsnoop_exits_total) f0=$(metric exitsnoop_exits_total 'outcome="failure"')
	s0=$(metric exitsnoop_exits_total 'signal="SEGV"') o0=$(metric exitsnoop_oom_kills_total)
	k0=$(metric exitsnoop_exits_total 'signal="KILL"' 'cause="process"') l0=$(metric exitsnoop_events_lost_total)
	c0=$(metric exitsnoop_exits_total 'cause="oom"')
	t0=$SECONDS
	# two forks at once, one per CPU; burst's children exit i % 5
	$BURST svcwlburst $b_exits 2 &
	b0=$!
	for i in $(seq 100); do
		$VICTIM svcwlsegv segv
		st=$?
		[ $st = 139 ] && segv=$((segv + 1))
		$VICTIM svcwlthr threads 4 3
		st=$?
		[ $st = 3 ] && thr=$((thr + 1))
		sleep 60 &
		kill -KILL $! && wait $! 2> /dev/null
		st=$?
		[ $st = 137 ] && kills=$((kills + 1))
		if [ $((i % 20)) = 0 ]; then
			systemd-run -q --scope -p MemoryMax=16M -p MemorySwapMax=0 \
				$VICTIM svcwloom oom > /dev/null 2>&1 &
			pid=$!
			oom_pids+=("$pid")
			reap 120 $pid
			st=$?
			[ $st = 137 ] && oom=$((oom + 1))
		fi
	done 2> /dev/null
	reap 300 $b0
	st=$?
	check workload-burst-reaped "burst status $st" test $st = 0
	n=$((b_exits + segv + thr + kills + oom))
	say "info workload: $n exits in $((SECONDS - t0)) s ($b_exits burst, $segv SEGV, $thr with threads, $kills SIGKILL, $oom OOM kills)"
	check workload-at-least-10000 "$n exits" test $n -ge 10000
	want=$((e0 + n))
	fwant=$((f0 + b_exits * 4 / 5 + thr))
	# exitsnoop rewrites its file every 15 s; a journald slow under
	# emulation can hold it back for minutes (its stdout is the journal).
	# Other exits can make up the total before the workload's last records
	# are counted: the failures (the workload's alone) are waited for too.
	counted() {
		snap && [ "$(metric exitsnoop_exits_total)" -ge "$want" ] &&
			[ "$(metric exitsnoop_exits_total 'outcome="failure"')" -ge "$fwant" ]
	}
	wait_until 300 counted
	say "info metrics file written $(($(date +%s) - $(stat -c %Y $PROM))) s ago"
	say "info counters grew: exits $(($(metric exitsnoop_exits_total) - e0)), failure $(($(metric exitsnoop_exits_total 'outcome="failure"') - f0)), SEGV $(($(metric exitsnoop_exits_total 'signal="SEGV"') - s0)), KILL by a process $(($(metric exitsnoop_exits_total 'signal="KILL"' 'cause="process"') - k0)), OOM $(($(metric exitsnoop_oom_kills_total) - o0)), lost $(($(metric exitsnoop_events_lost_total) - l0))"
	check workload-all-exits-counted "exits_total grew by $(($(metric exitsnoop_exits_total) - e0)) < $n" \
		test "$(metric exitsnoop_exits_total)" -ge "$want"
	check workload-failures-counted "failure grew less than $((b_exits * 4 / 5 + thr))" \
		test "$(metric exitsnoop_exits_total 'outcome="failure"')" -ge "$fwant"
	check workload-segv-counted-exactly "SEGV grew by $(($(metric exitsnoop_exits_total 'signal="SEGV"') - s0)), not $segv" \
		test "$(metric exitsnoop_exits_total 'signal="SEGV"')" = $((s0 + segv))
	check workload-kills-counted "KILL by a process grew less than $kills" \
		test "$(metric exitsnoop_exits_total 'signal="KILL"' 'cause="process"')" -ge $((k0 + kills))
	check workload-oom-counted-exactly "OOM kills grew by $(($(metric exitsnoop_oom_kills_total) - o0)), not $oom" \
		test "$(metric exitsnoop_oom_kills_total)" = $((o0 + oom))
	r=$(journalctl -k -q --no-pager | grep -cE 'Killed process [0-9]+ \(svcwloom\)')
	check workload-oom-kills-in-kernel-log "the kernel log has $r, the wait statuses $oom" test "$r" = $oom
	check workload-oom-causes-counted "cause oom grew by $(($(metric exitsnoop_exits_total 'cause="oom"') - c0)), not $oom" \
		test "$(metric exitsnoop_exits_total 'cause="oom"')" = $((c0 + oom))
	if [ "$(metric exitsnoop_oom_kills_total)" != $((o0 + oom)) ]; then
		for pid in "${oom_pids[@]}"; do say "info OOM victim $pid: $(record "$pid" svcwloom)"; done
		grep -E '^exitsnoop_oom' $T/scrape | sed 's/^/svc: info /'
	fi
	check workload-none-lost "events_lost grew by $(($(metric exitsnoop_events_lost_total) - l0))" \
		test "$(metric exitsnoop_events_lost_total)" = "$l0"
	check workload-still-active "$(systemctl is-active exitsnoop)" systemctl is-active exitsnoop
}

# No seccomp kill (audit type=1326, SIGSYS) and no refused call anywhere.
no_refusals() {
	local k u
	k=$(journalctl -k -q --no-pager | grep -E 'type=1326| sig=31 ' | head -3)
	check kernel-log-no-seccomp "$k" test -z "$k"
	u=$(unit_log | grep -v '^{' |
		grep -iE 'not permitted|denied|refused|seccomp|SIGSYS|signal=SYS|status=31|Bad system call' | head -3)
	check unit-log-no-refusal "$u" test -z "$u"
	u=$(journalctl -q --no-pager -o cat _PID=1 | grep -E 'exitsnoop.service: (Main process exited|Failed)' |
		grep -v 'status=11/SEGV' | head -3)
	check unit-no-unexpected-failure "$u" test -z "$u"
}

# SIGSEGV to the service: systemd restarts it (Restart=on-failure), and
# the new one is ready: it wrote the metrics file once attached (the
# unit is "active" from the fork on, loading takes seconds under
# emulation, and a stop while loading is no stop of a running tracer).
segv_restart() {
	local old new
	old=$(main_pid)
	touch $T/segv.mark
	systemctl kill -s SEGV exitsnoop
	restarted() { new=$(main_pid) && [ "$new" != 0 ] && [ "$new" != "$old" ] &&
		systemctl is-active -q exitsnoop && test $PROM -nt $T/segv.mark; }
	check segv-restarts "MainPID $old, then $(main_pid), $(systemctl is-active exitsnoop), metrics file not rewritten" \
		wait_until 120 restarted
	say "info SIGSEGV: MainPID $old -> $(main_pid), restarts $(systemctl show -p NRestarts --value exitsnoop)"
}

# unit_usec INTERFACE PROPERTY: the unit's realtime timestamp (µs) as systemd's bus gives it
# (systemctl show prints seconds only before systemd 248)
unit_usec() {
	busctl get-property org.freedesktop.systemd1 /org/freedesktop/systemd1/unit/exitsnoop_2eservice \
		"org.freedesktop.systemd1.$1" "$2" | awk '{ print $2 }'
}
# file_usec y|z: the metrics file's mtime (its final rewrite began) or
# ctime (renamed into place, after its fsync), µs
file_usec() { date -d "$(stat -c "%$1" $PROM)" +%s%6N; }
ms_between() { echo $((($2 - $1) / 1000)); }

# stop_at: stops the unit; sets t0 (µs, when systemctl stop was called:
# no SIGTERM before it), term (systemd's ActiveExitTimestamp, taken just
# after it sent SIGTERM), gone (ExecMainExitTimestamp, PID 1 reaped it),
# wrote and renamed (the metrics file's last rewrite: mtime and ctime;
# the kernel's coarse clock, a tick behind)
stop_at() {
	t0=$(date +%s%6N)
	systemctl stop exitsnoop
	t1=$(date +%s%6N)
	term=$(unit_usec Unit ActiveExitTimestamp)
	gone=$(unit_usec Service ExecMainExitTimestamp)
	wrote=$(file_usec y) renamed=$(file_usec z)
}
stop_times() { # stop_times LABEL [EXIT_USEC]: the steps, in ms after systemctl stop was called
	say "info $1: ms after systemctl stop was called: final metrics rewrite began $(ms_between "$t0" "$wrote"), renamed $(ms_between "$t0" "$renamed"),${2:+ exit (traced) $(ms_between "$t0" "$2"),} systemd noted the stop (SIGTERM sent) $(ms_between "$t0" "$term"), PID 1 reaped it $(ms_between "$t0" "$gone"), systemctl returned $(ms_between "$t0" "$t1")"
}

# systemctl stop: status 0 (exitsnoop ends by itself on SIGTERM) within
# 1 s, by systemd's own clock: from leaving "active" (right after the
# SIGTERM) to the main process's exit as PID 1 reaped it; and the metrics
# file rewritten once more on the way (it is, "at exit"). The times of
# that rewrite (mtime: it began, after the last records went to the
# journal; ctime: renamed, after its fsync) say where the time went.
stop_fast() {
	local t0 t1 code st term gone wrote renamed
	stop_at
	code=$(systemctl show -p ExecMainCode --value exitsnoop)
	st=$(systemctl show -p ExecMainStatus --value exitsnoop)
	say "info systemctl stop: SIGTERM to exit $(ms_between "$term" "$gone") ms (systemd's clock), ExecMainCode $code, ExecMainStatus $st"
	stop_times stop
	check stop-status-0 "ExecMainCode $code ExecMainStatus $st" test "$code/$st" = 1/0
	check stop-writes-final-metrics "the metrics file's last rewrite began $(ms_between "$t0" "$wrote") ms after systemctl stop was called" \
		test "$wrote" -ge $((t0 - 10000))
	check stop-within-1s "$(ms_between "$term" "$gone") ms from SIGTERM to exit" \
		test $((gone - term)) -lt 1000000 -a "$gone" -gt "$term"
	check stop-result-success "$(systemctl show -p Result --value exitsnoop)" \
		test "$(systemctl show -p Result --value exitsnoop)" = success
}

# A second start and stop, timed from outside by a second exitsnoop that
# traces the service's main process (-p): its exit record's time is the
# kernel's exit of that process (sched_process_exit), after everything
# the tool did in user space and before its descriptors are closed and
# PID 1 reaps it. Splits the stop into the tool's part and the rest.
stop_split() {
	local pid t0 t1 term gone wrote renamed exitus w
	systemctl start exitsnoop
	if ! wait_until 120 eval "systemctl is-active -q exitsnoop && test $PROM -nt $T/stop.mark"; then
		say "info no second start: $(systemctl is-active exitsnoop)"
		return 0
	fi
	pid=$(main_pid)
	# before 5.11 its maps are charged to RLIMIT_MEMLOCK
	(ulimit -l unlimited && exec $EXITSNOOP -j -p "$pid") > $T/watch.json 2> $T/watch.err &
	w=$!
	if ! wait_until 120 grep -q Tracing $T/watch.err; then
		say "info the watcher did not start: $(tail -1 $T/watch.err)"
		kill $w
		return 0
	fi
	stop_at
	reap 60 $w
	exitus=$(jq -r 'select(.pid == '"$pid"') | .time' $T/watch.json | head -1)
	exitus=$(date -d "$exitus" +%s%6N 2> /dev/null)
	stop_times "second stop" "${exitus:-0}"
	check stop-tool-exits-within-1s "$(ms_between "$term" "${exitus:-0}") ms from SIGTERM (systemd's clock) to the traced exit" \
		test -n "$exitus" -a $((${exitus:-0} - term)) -lt 1000000
}

security() {
	local line
	systemd-analyze security --no-pager exitsnoop.service > $T/security 2>&1
	line=$(grep -E 'Overall exposure level' $T/security)
	say "info $line"
	say "exposure $(echo "$line" | grep -oE '[0-9]+\.[0-9]+' | head -1)"
}

# One real podman container (systemd cgroup manager, unified v2): the
# record's container_id is the ID podman inspect gives. The service is
# stopped (SIGSTOP) from before the container starts until it is removed,
# so that its scope is gone before the service reads any of its records.
podman_check() {
	local id st pid r
	if ! command -v podman > /dev/null; then
		say "info no podman in this image: no container check"
		return 0
	fi
	say "info $(podman --version) $(crun --version 2> /dev/null | head -1)"
	# the guest has no overlay module: plain copies
	mkdir -p /etc/containers $T/img && cp $VICTIM $T/img/victim
	printf '[storage]\ndriver = "vfs"\nrunroot = "/run/containers/storage"\ngraphroot = "/var/lib/containers/storage"\n' \
		> /etc/containers/storage.conf
	tar -C $T/img -c . | podman import -q - svcimg > $T/podman.log 2>&1
	pid=$(main_pid)
	kill -STOP "$pid"
	podman run --name svcctr --network none --cgroup-manager systemd \
		svcimg /victim svcpodman exit 7 >> $T/podman.log 2>&1
	st=$?
	check podman-run-status "status $st: $(tail -1 $T/podman.log)" test $st = 7
	id=$(podman inspect -f '{{.Id}}' svcctr)
	check podman-inspect-exit-code "inspect says $(podman inspect -f '{{.State.ExitCode}}' svcctr)" \
		test "$(podman inspect -f '{{.State.ExitCode}}' svcctr)" = 7
	podman rm svcctr >> $T/podman.log 2>&1
	scope_gone() { ! find /sys/fs/cgroup -type d -name "*$id*" | grep -q .; }
	wait_until 60 scope_gone
	check podman-cgroups-gone-before-read "$(find /sys/fs/cgroup -type d -name "*$id*")" scope_gone
	kill -CONT "$pid"
	pod_record() { unit_log | grep '^{' | jq -c 'select(.comm == "svcpodman")' | grep -q .; }
	wait_until 60 pod_record
	r=$(unit_log | grep '^{' | jq -c 'select(.comm == "svcpodman")')
	say "info podman record: $r"
	check podman-record-exit-7 "$r" holds "$r" '.exit_code == 7'
	check podman-container-id-is-inspect "record $(jq -r .container_id <<< "$r" 2> /dev/null), inspect $id" \
		holds "$r" ".container_id == \"$id\" and (\"$id\" | length) == 64"
}

main() {
	say "start $(uname -r) $(systemctl --version | head -1)"
	say "info $(head -3 /proc/self/cgroup | paste -sd' ') $(stat -fc %T /sys/fs/cgroup)"
	install_and_start
	journal_json
	oom_unit
	podman_check
	workload
	no_refusals
	segv_restart
	security
	stop_fast
	touch $T/stop.mark
	stop_split
	say "done"
	systemctl poweroff --no-block
}

main
