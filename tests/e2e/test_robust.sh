# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Holding up: hostile names, pipes, stop signals, overload, bad input.

HOSTILE_NAMES=($'x\nfake 1 2 3 0' $'\e[31mred\e[0m' $'tab\there' 'back\slash' $'\xff\xfebin' $'\e]0;t\a')
HOSTILE_TABLE=('x\nfake 1 2 3 0' '\x1b[31mred\x1b[0m' 'tab\there' 'back\\slash' '\xff\xfebin' '\x1b]0;t\x07')
# jq shows the surrogate escape of a byte that is not UTF-8 (\udcff) as U+FFFD
HOSTILE_JSON=($'x\nfake 1 2 3 0' $'\e[31mred\e[0m' $'tab\there' 'back\slash' $'\ufffd\ufffdbin' $'\e]0;t\a')

run_hostile_victims() {
	local i
	PIDS=()
	for i in "${!HOSTILE_NAMES[@]}"; do
		"$VICTIM" "${HOSTILE_NAMES[$i]}" exit $((20 + i)) &
		PIDS[i]=$!
	done
	wait "${PIDS[@]}"
}

test_hostile_names_table() {
	local i line
	start_tracer --label=lbl
	run_hostile_victims
	stop_tracer
	for i in "${!HOSTILE_NAMES[@]}"; do
		line=$(grep -F -- "lbl   ${HOSTILE_TABLE[$i]} " "$T/out" | grep -F " ${PIDS[$i]} ")
		expect_eq "$(printf '%s\n' "$line" | grep -c .)" 1 "one line for name $i"
		expect_match "$line" " code $((20 + i))$" "status on the same line for name $i"
	done
	LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f\x80-\xff]' "$T/out" && fail "raw control or high byte in output"
	# one event, one line: every line but the header is a record with its label
	expect_eq "$(grep -vc '^lbl ' "$T/out")" 1 "lines that are not records (the header)"
	head -1 "$T/out" | grep -q '^LABEL ' || fail "header: $(head -1 "$T/out")"
	expect_eq "$(grep -c '^fake' "$T/out")" 0 "no fake line"
}

test_hostile_names_json() {
	local i
	start_tracer -j
	run_hostile_victims
	stop_tracer
	jq -c . "$T/out" > /dev/null || fail "output is not valid JSON Lines"
	for i in "${!HOSTILE_NAMES[@]}"; do
		jq_expect "${PIDS[$i]}" "${HOSTILE_JSON[$i]}" ".exit_code == $((20 + i))" "name $i"
	done
}

test_pipe_is_live() {
	local n p t0 took
	n=$(uname_for liv)
	mkfifo "$T/fifo"
	"$EXITSNOOP" > "$T/fifo" 2> "$T/err" &
	TRACER_PID=$!
	cat "$T/fifo" > "$T/out" &
	wait_until 20 tracer_ready || fail "not ready"
	"$VICTIM" "$n" exit 8 & p=$!
	wait $p
	t0=$(date +%s%N)
	wait_until 5 eval '[ -n "$(table_line $p "$n")" ]' || fail "line did not reach the pipe"
	took=$((($(date +%s%N) - t0) / 1000000))
	echo "exit to line: $took ms"
	# a lone exit is printed within milliseconds (README, Wakeups); what
	# is above that here is margin for a stalled machine, not for the tool
	[ "$took" -le 1000 ] || fail "the line took $took ms"
	tracer_alive || fail "tracer ended"
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status"
}

test_reader_goes_away_quietly() {
	local i
	( "$EXITSNOOP" 2> "$T/err"; echo $? > "$T/status" ) | head -3 > "$T/out" &
	for i in $(seq 1 1000); do
		[ -s "$T/status" ] && break
		"$VICTIM" "$(uname_for hd)" exit 0
	done
	wait_until 10 test -s "$T/status" || fail "tracer did not end after its reader left"
	expect_eq "$(cat "$T/status")" 0 "status"
	expect_eq "$(cat "$T/err")" "" "stderr"
	expect_eq "$(wc -l < "$T/out")" 3 "head's lines"
}

test_write_error_74() {
	"$EXITSNOOP" > /dev/full 2> err
	expect_eq $? 74 "status on a full disk"
	expect_eq "$(cat err)" "exitsnoop: write error: No space left on device" "message"
}

test_stop_signals_drain_everything() {
	local sig n p got
	for sig in INT TERM HUP; do
		n=$(uname_for s$sig)
		start_tracer
		"$BURST" "$n" 300 & p=$!
		wait $p
		stop_tracer $sig
		expect_eq "$TRACER_STATUS" 0 "status after SIG$sig"
		got=$(awk -v p=$p -v n="$n" '$1 == n && $3 == p' "$T/out" | wc -l)
		expect_eq "$got" 300 "records before SIG$sig"
	done
}

# The losses said so far, once a second.
live_lost() {
	sed -n 's/^exitsnoop: \([0-9]*\) events lost$/\1/p' "$T/err" | awk '{ n += $1 } END { print n + 0 }'
}

test_lost_events_counted() {
	local p lost lines
	make_cgroup2
	mkfifo "$T/fifo"
	exec 3<> "$T/fifo"
	"$EXITSNOOP" -j -b 4096 -c "$CG" > "$T/fifo" 2> "$T/err" 3>&- &
	# shellcheck disable=SC2034 # lib.sh's tracer_ready and stop_tracer read it
	TRACER_PID=$!
	wait_until 20 tracer_ready || fail "not ready"
	run_in_cgroup "$CG" "$BURST" "$(uname_for lst)" 3000 3>&- & p=$!
	wait $p
	# said while the reader still reads nothing (4 KiB of ring, 3000 records)
	wait_until 10 eval 'grep -q "events lost$" "$T/err"' || fail "no loss said while the reader stalls"
	# open the read end before dropping ours, or the pipe has no reader for a moment
	exec 4< "$T/fifo"
	cat <&4 > "$T/out" 3>&- 4<&- &
	exec 3>&- 4<&-
	# every record printed or lost, then the stop: nothing is left for it to cut
	wait_until 20 eval '[ $(($(grep -c . "$T/out") + $(live_lost))) -ge 3001 ]' ||
		fail "printed + lost short of 3001: $(grep -c . "$T/out") + $(live_lost)"
	stop_tracer
	wait
	expect_eq "$TRACER_STATUS" 0 "status"
	lost=$(sed -n 's/^exitsnoop: \([0-9]*\) events lost in total$/\1/p' "$T/err")
	{ [ -n "$lost" ] && [ "$lost" -gt 0 ]; } || fail "no loss total: $(cat "$T/err")"
	lines=$(jq -c . "$T/out" | wc -l)
	expect_eq $((lines + lost)) 3001 "printed + lost = the 3000 children and the forker"
}

# 120-byte records through a 4K ring: the 35th already wraps around the end
# of the data area, so records are copied whole across it (src/load/ringbuf.c).
test_records_wrap_around_small_ring() {
	local n p lost lines bad
	n=$(uname_for wrp)
	make_cgroup2
	start_tracer -j -b 4096 -c "$CG"
	run_in_cgroup "$CG" bash -c 'for i in $(seq 300); do "$1" "$2" raise 15; done' _ \
		"$VICTIM" "$n" 2> /dev/null & p=$!
	wait $p
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status"
	lost=$(sed -n 's/^exitsnoop: \([0-9]*\) events lost in total$/\1/p' "$T/err")
	lines=$(jq -c --arg n "$n" 'select(.comm == $n)' "$T/out" | wc -l)
	[ "$lines" -gt 100 ] || fail "only $lines records: the ring never wrapped"
	expect_eq $((lines + ${lost:-0})) 300 "records + lost = the 300 victims"
	bad=$(jq -c --arg n "$n" 'select(.comm == $n) | select((.signal == 15 and
		.cause.kind == "self" and .cause.sender.pid == .pid and
		.cause.sender.comm == $n) | not)' "$T/out")
	[ -z "$bad" ] || fail "records garbled across the wrap: $(echo "$bad" | head -2)"
	expect_eq "$(jq -r --arg n "$n" 'select(.comm == $n) | .pid' "$T/out" | sort -u | wc -l)" \
		"$lines" "one record per process"
}

test_bad_input_exit_2() {
	local args
	while IFS= read -r args; do
		eval "set -- $args"
		"$EXITSNOOP" "$@" > out 2> err
		expect_eq $? 2 "status for: $args"
		expect_match "$(head -1 err)" "^exitsnoop: [^ ].+$" "message for: $args"
		expect_match "$(sed -n 2p err)" "^usage: exitsnoop " "usage for: $args"
		expect_eq "$(cat out)" "" "stdout for: $args"
	done <<- 'EOF'
	-p 0
	-p -1
	-p abc
	-p ''
	-p 99999999999
	--bogus
	-Z
	-p
	--pid
	-c
	-b
	-b 3M
	-b 1K
	-b lots
	--label=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
	--label=$'a\tb'
	stray
	EOF
}
