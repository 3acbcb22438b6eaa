# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# --metrics-file: exact counters, the file replaced whole, and the real
# node_exporter and Prometheus reading them.

# metric_line FILE LINE: the exact sample is in the file.
metric_line() {
	grep -qxF -- "$2" "$1"
}

test_metrics_exact_counts() {
	local n0 n3 ns nt k p
	n0=$(uname_for mok) n3=$(uname_for mc3) ns=$(uname_for msg) nt=$(uname_for mtr)
	k=$(uname_for mkl)
	make_cgroup2
	mkdir m
	start_tracer -q -c "$CG" --metrics-file m/exitsnoop.prom
	metric_line m/exitsnoop.prom 'exitsnoop_events_lost_total 0' || fail "no file when ready"
	run_in_cgroup "$CG" "$VICTIM" "$n0" exit 0 & wait $!
	run_in_cgroup "$CG" "$VICTIM" "$n0" exit 0 & wait $!
	run_in_cgroup "$CG" "$VICTIM" "$n3" exit 3 & wait $!
	# no core dump (ulimit -c 0): the reason is "signal"
	(ulimit -c 0 && run_in_cgroup "$CG" "$VICTIM" "$ns" segv) & wait $!
	run_in_cgroup "$CG" "$VICTIM" "$nt" wait ready & p=$!
	wait_until 10 test -f ready || fail "victim not ready"
	"$VICTIM" "$k" kill $p 15
	wait $p
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "exit status"
	expect_eq "$(wc -c < out)" 0 "-q: nothing on stdout"
	local f=m/exitsnoop.prom line
	for line in 'exitsnoop_exits_total{outcome="success",cause="exit",reason="code"} 2' \
		'exitsnoop_exits_total{outcome="failure",cause="exit",reason="code"} 1' \
		'exitsnoop_exits_total{outcome="signal",signal="SEGV",cause="kernel",reason="signal"} 1' \
		'exitsnoop_exits_total{outcome="signal",signal="TERM",cause="process",reason="signal"} 1' \
		'# TYPE exitsnoop_exits_total counter' \
		"exitsnoop_build_info{version=\"$(cat "$ROOT/VERSION")\"} 1"; do
		metric_line $f "$line" || fail "missing: $line; file: $(grep -v '^#' $f)"
	done
	expect_eq "$(grep -c '^exitsnoop_exits_total' $f)" 4 "no other exits counted"
	expect_eq "$(ls -A m)" exitsnoop.prom "only the metrics file left"
	need promtool prometheus
	promtool check metrics < $f > lint 2>&1 || fail "promtool: $(cat lint)"
}

test_metrics_with_json_every_second() {
	local n p
	n=$(uname_for mjs)
	mkdir m
	start_tracer -j --metrics-file "$T/m/x.prom" --metrics-interval 1
	"$VICTIM" "$n" exit 7 & p=$!
	wait $p
	wait_until 5 grep -q '^exitsnoop_exits_total{outcome="failure",cause="exit",reason="code"} [1-9]' m/x.prom ||
		fail "not rewritten while running: $(cat m/x.prom)"
	tracer_alive || fail "tracer ended"
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "exit status"
	jq_expect $p "$n" ".exit_code == 7" "JSON lines still printed"
	expect_eq "$(ls -A m)" x.prom "only the metrics file left"
}

test_metrics_oom_kill() {
	local n p
	n=$(uname_for mom)
	make_memcg
	start_tracer -q --metrics-file "$T/oom.prom"
	run_in_cgroup "$MEMCG" "$VICTIM" "$n" oom & p=$!
	wait $p
	stop_tracer
	metric_line oom.prom "exitsnoop_oom_kills_total{scope=\"memcg\",memcg=\"$MEMCG\"} 1" ||
		fail "OOM kill not counted: $(grep oom_kills oom.prom)"
}

test_metrics_bad_paths() {
	local rc
	default_path_only
	"$EXITSNOOP" -q --metrics-file "$T/none/x.prom" > out 2> err
	rc=$?
	expect_eq "$rc" 2 "missing directory: status"
	expect_eq "$(cat err)" "exitsnoop: --metrics-file '$T/none/x.prom': No such file or directory" \
		"missing directory: message"
	mkdir -p d/x.prom
	"$EXITSNOOP" -q --metrics-file d/x.prom > out 2> err
	rc=$?
	expect_eq "$rc" 74 "a directory in the way: status"
	expect_match "$(head -1 err)" "^exitsnoop: --metrics-file: cannot write x.prom: Is a directory$" \
		"a directory in the way: message"
	expect_eq "$(ls -A d)" x.prom "no temporary file left"
}

# A TCP port nobody listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# prom_query EXPR: the instant value, or nothing when there is no sample.
prom_query() {
	curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty'
}

# start_node_exporter_and_prometheus: with PROM_RULES set, Prometheus
# evaluates that rules file too.
start_node_exporter_and_prometheus() {
	local np rules=${PROM_RULES:-}
	np=$(free_port) PROM_PORT=$(free_port)
	mkdir textfile
	prometheus-node-exporter --web.listen-address="127.0.0.1:$np" --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$T/textfile" > node.log 2>&1 &
	CLEANUP+=("kill $!; wait $!")
	cat > prometheus.yml <<-EOF2
	global:
	  scrape_interval: 1s
	  evaluation_interval: 1s
	scrape_configs:
	  - job_name: node
	    static_configs:
	      - targets: ['127.0.0.1:$np']
	EOF2
	[ -z "$rules" ] || printf 'rule_files:\n  - %s\n' "$rules" >> prometheus.yml
	prometheus --config.file=prometheus.yml --storage.tsdb.path="$T/tsdb" \
		--web.listen-address="127.0.0.1:$PROM_PORT" > prometheus.log 2>&1 &
	CLEANUP+=("kill $!; wait $!")
	wait_until 20 curl -sf "http://127.0.0.1:$np/metrics" -o /dev/null ||
		fail "node_exporter not up: $(tail -3 node.log)"
	wait_until 30 curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" -o /dev/null ||
		fail "prometheus not ready: $(tail -3 prometheus.log)"
}

# prom_is EXPR VALUE: the instant value is exactly VALUE.
prom_is() {
	[ "$(prom_query "$1")" = "$2" ]
}

# Only the test's own processes are counted (--comm with their unique
# names), so every value read back through Prometheus is exact.
test_metrics_through_prometheus() {
	local i no p names=() comms=() q
	default_path_only
	need prometheus prometheus
	need prometheus-node-exporter prometheus-node-exporter
	need curl curl
	need python3 python3
	for i in 0 1 2 3 4; do
		names+=("$(uname_for mpr)")
		comms+=(--comm "${names[$i]}")
	done
	no=$(uname_for mpo)
	start_node_exporter_and_prometheus
	make_memcg
	start_tracer -q "${comms[@]}" --comm "$no" --metrics-file "$T/textfile/exitsnoop.prom" \
		--metrics-interval 1
	# the file is being scraped once its build_info is in Prometheus
	wait_until 30 prom_is 'exitsnoop_build_info' 1 ||
		fail "no exitsnoop_build_info in Prometheus: $(tail -3 prometheus.log)"
	for i in 0 1 2 3 4; do
		"$VICTIM" "${names[$i]}" exit $i & wait $!
	done
	run_in_cgroup "$MEMCG" "$VICTIM" "$no" oom & p=$!
	wait $p
	q="sum(exitsnoop_oom_kills_total{memcg=\"$MEMCG\"})"
	wait_until 30 prom_is "$q" 1 || fail "OOM kill not in Prometheus: $(grep oom textfile/exitsnoop.prom)"
	wait_until 30 prom_is 'sum(exitsnoop_exits_total)' 6 ||
		fail "exits: $(prom_query 'sum(exitsnoop_exits_total)'), want 6"
	expect_eq "$(prom_query 'exitsnoop_exits_total{outcome="success",cause="exit"}')" 1 "exit 0"
	expect_eq "$(prom_query 'exitsnoop_exits_total{outcome="failure",cause="exit"}')" 4 "exit 1..4"
	expect_eq "$(prom_query 'exitsnoop_exits_total{outcome="signal",signal="KILL",cause="oom"}')" 1 \
		"the OOM kill's exit"
	expect_eq "$(prom_query "$q")" 1 "one OOM kill"
	expect_eq "$(prom_query 'count(exitsnoop_exits_total)')" 3 "no other series"
	expect_eq "$(prom_query 'exitsnoop_events_lost_total')" 0 "nothing lost"
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "exit status"
	expect_eq "$(ls -A textfile)" exitsnoop.prom "only the metrics file left"
}

inode_changed() { # FILE INODE
	[ "$(stat -c %i "$1")" != "$2" ]
}

# A world-writable sticky directory (as /tmp) where another user plants the
# old fixed temporary name and keeps appending to every temporary file it
# can open: the file is root's, 0644, and holds only what exitsnoop wrote,
# from the first write on, rewrite after rewrite.
test_metrics_file_in_sticky_dir() {
	local d i ino spy
	default_path_only
	need setpriv util-linux
	d=$(mktemp -d /tmp/exitsnoop-sticky.XXXXXX) && chmod 1777 "$d"
	CLEANUP+=("rm -rf '$d'")
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	as_nobody sh -c 'umask 0; echo planted > "$1/.x.prom.tmp"' _ "$d" ||
		fail "nobody cannot write $d"
	# the other user, as fast as it can: append to anything temporary
	# (setpriv itself in the background, so that $! is the loop it execs)
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'while :; do for f in "$1"/.x.prom*; do
		echo "exitsnoop_oom_kills_total{scope=\"global\"} 666" >> "$f"
		done 2> /dev/null; done' _ "$d" & spy=$!
	CLEANUP+=("kill $spy")
	umask 022
	start_tracer -q --metrics-file "$d/x.prom" --metrics-interval 1
	expect_eq "$(stat -c '%U %a' "$d/x.prom")" "root 644" "owner and mode of the first file"
	for i in 1 2 3; do
		ino=$(stat -c %i "$d/x.prom")
		wait_until 10 inode_changed "$d/x.prom" "$ino" || fail "rewrite $i did not come"
		expect_eq "$(stat -c '%U %a' "$d/x.prom")" "root 644" "owner and mode after rewrite $i"
		grep -q '666' "$d/x.prom" && fail "another user's series in the file: $(cat "$d/x.prom")"
	done
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "exit status"
	kill "$spy"
	expect_eq "$(stat -c '%U' "$d/.x.prom.tmp")" nobody "the planted file is left alone"
	expect_eq "$(grep -c '666' "$d/x.prom")" 0 "the last file is exitsnoop's alone"
	# (the other user may have recreated a used name between its glob and its append)
	expect_eq "$(find "$d" -name '.x.prom.*.tmp' -user root | wc -l)" 0 "no temporary file left"
}

# The metrics directory removed and made again while running (a package
# upgrade, a remount): the file is written in the new one, the run ends well.
test_metrics_directory_made_again() {
	local p
	mkdir m
	"$EXITSNOOP" -q --metrics-file "$T/m/x.prom" --metrics-interval 1 -- \
		bash -c 'while [ ! -e go ]; do sleep 0.02; done; exit 3' > out 2> err & p=$!
	CLEANUP+=("kill -KILL $p" "touch '$T/go'")
	wait_until 20 test -s m/x.prom || fail "no metrics file: $(cat err)"
	rm -r m
	mkdir m
	wait_until 10 test -s m/x.prom || fail "not written in the new directory: $(cat err)"
	grep -q '^exitsnoop_build_info' m/x.prom || fail "contents: $(cat m/x.prom)"
	touch go
	wait $p
	expect_eq $? 3 "status: CMD's"
}
