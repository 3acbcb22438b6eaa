# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# --summary: rows per command name, at the end and every --interval.

# summary_row NAME: the JSON rows of one name.
summary_rows() {
	jq -c --arg comm "$1" 'select(.comm == $comm)' "$T/out"
}

test_summary_json_of_cmd() {
	"$EXITSNOOP" -j --summary -- bash -c 'for i in 1 2 3; do sh -c "exit 2"; done; /bin/true' \
		> "$T/out" 2> "$T/err"
	expect_eq "$?" 0 "status: true's"
	summary_rows sh | jq -e '.count == 3 and .failed == 3 and .codes == {"2": 3} and
		.signals == {} and .oom_kills == 0 and .cores == 0 and .other == false and
		.age_p50_ns > 0 and .age_p50_ns <= .age_max_ns' > /dev/null ||
		fail "sh: $(summary_rows sh)"
	summary_rows true | jq -e '.count == 1 and .failed == 0 and .codes == {"0": 1}' > /dev/null ||
		fail "true: $(summary_rows true)"
	jq -se 'length == 2 and (map(.interval_start) | unique | length == 1) and
		.[0].interval_start < .[0].interval_end' "$T/out" > /dev/null ||
		fail "two rows, one interval: $(cat "$T/out")"
}

test_summary_table_of_cmd() {
	local n
	n=$(uname_for tsum)
	"$EXITSNOOP" --summary -- bash -c "for i in 1 2; do \"$VICTIM\" $n exit 9; done;
		\"$VICTIM\" $n raise 9; \"$VICTIM\" $n exit 0; exit 1" > "$T/out" 2> "$T/err"
	expect_eq "$?" 1 "status"
	expect_match "$(sed -n 1p "$T/out")" \
		"^--- [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [A-Z+0-9-]+: 5 exits, 4 failed, in [0-9.]+ s ---$" \
		"timestamp line"
	expect_match "$(sed -n 2p "$T/out")" "^COMM +EXITS +FAILED +CODES +SIGNALS +OOM +CORES +AGE_P50 +AGE_MAX \
+CPU_SUM +CPU_P50 +CPU_MAX +RSS_SUM +RSS_P50 +RSS_MAX$" "header"
	expect_match "$(sed -n 3p "$T/out")" "^$n +4 +3 +9:2 +KILL:1 +0 +0 +[0-9.]+(us|ms) +[0-9.]+(us|ms) \
+[0-9.]+(us|ms) +[0-9.]+(us|ms) +[0-9.]+(us|ms) +[0-9]+[KM] +[0-9]+[KM] +[0-9]+[KM]$" "most failures first"
	expect_match "$(sed -n 4p "$T/out")" "^bash +1 +1 +1:1 +- +0 +0 " "then CMD"
}

test_summary_filters_and_signal() {
	local n
	n=$(uname_for ssig)
	"$EXITSNOOP" -j --summary --signal --comm "$n" -- bash -c \
		"\"$VICTIM\" $n raise 9; \"$VICTIM\" $n exit 3; \"$VICTIM\" $n segv; exit 0" \
		> "$T/out" 2> "$T/err"
	expect_eq "$(jq -c '[.comm, .count, .failed, .signals]' "$T/out")" \
		"[\"$n\",2,2,{\"KILL\":1,\"SEGV\":1}]" "only the signal deaths of the name"
}

count_rows() {
	[ "$(summary_rows "$1" | grep -c .)" -ge "$2" ]
}

test_summary_interval() {
	local n
	n=$(uname_for ival)
	start_tracer -j --summary --interval 0.5 --comm "$n"
	"$VICTIM" "$n" exit 1
	"$VICTIM" "$n" exit 2
	wait_until 10 count_rows "$n" 1 || fail "no summary row within 10 s"
	"$VICTIM" "$n" exit 1
	wait_until 10 count_rows "$n" 2 || fail "no second interval's row"
	tracer_alive || fail "the tracer stopped"
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "status"
	summary_rows "$n" | jq -se 'map(.count) | add == 3' > /dev/null ||
		fail "3 exits in all: $(summary_rows "$n")"
	summary_rows "$n" | jq -se '(map(.interval_end) | unique | length) >= 2' > /dev/null ||
		fail "in two intervals at least: $(summary_rows "$n")"
	# a periodic interval lasts --interval (give or take scheduling)
	summary_rows "$n" | jq -se 'def t: capture("(?<s>.*)\\.(?<ns>[0-9]+)Z") |
		(.s + "Z" | fromdate) + (.ns | tonumber) / 1e9;
		.[0] | (.interval_end | t) - (.interval_start | t) | . >= 0.49 and . < 1.5' > /dev/null ||
		fail "interval length: $(summary_rows "$n" | head -1)"
}

# On a terminal (a pty of 15 rows) the table is cut to fit, with a line for
# what was left out; the stream is fopencookie's, the check is the descriptor's.
test_summary_capped_on_a_terminal() {
	local n
	command -v python3 > /dev/null || skip "python3 is not installed"
	n=$(uname_for cap)
	python3 "$ROOT/tests/e2e/on_pty.py" 15 term.out -- "$EXITSNOOP" --summary -- \
		bash -c "for i in \$(seq 40); do \"$VICTIM\" ${n:0:10}\$i exit 0; done"
	expect_eq $? 0 "status"
	tr -d '\r' < term.out > lines
	[ "$(wc -l < lines)" -le 15 ] || fail "$(wc -l < lines) lines on 15 rows: $(cat lines)"
	grep -Eq '^\.\.\. [0-9]+ more rows, [0-9]+ exits$' lines || fail "no left-out line: $(cat lines)"
	[ "$(grep -c "^${n:0:10}" lines)" -lt 40 ] || fail "every row printed"
}
