# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Holding up, round two: stops at any moment, slow readers, privileges,
# names that look alike, odd kinds of stdout.

# A stop signal at any moment of the start-up is a clean stop: status 0, no message.
test_stop_during_startup() {
	local d sig p rc
	for d in 0.003 0.006 0.01 0.015 0.02 0.03; do
		for sig in INT TERM HUP; do
			"$EXITSNOOP" > out 2> err &
			p=$!
			sleep $d
			kill -$sig $p
			wait_until 10 eval '! kill -0 $p 2>/dev/null' || fail "SIG$sig after ${d}s ignored"
			wait $p
			rc=$?
			expect_eq "$rc" 0 "status after SIG$sig at ${d}s (stderr: $(cat err))"
			expect_eq "$(cat err)" "" "stderr after SIG$sig at ${d}s"
		done
	done
}

# bad_args WANT ARGS...: status 2, the one-line message WANT, then the usage line.
bad_args() {
	local want=$1
	shift
	"$EXITSNOOP" "$@" > out 2> err
	expect_eq $? 2 "status for $*"
	expect_eq "$(head -1 err)" "exitsnoop: $want" "message for $*"
	expect_match "$(sed -n 2p err)" "^usage: exitsnoop " "usage line for $*"
	expect_eq "$(grep -c '' err)" 3 "message and usage only for $*"
	LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f-\xff]' err && fail "raw byte in the message for $*"
	return 0
}

test_long_option_with_a_value_it_does_not_take() {
	bad_args "option '--why' doesn't allow an argument" --why=1
	bad_args "option '--utc' doesn't allow an argument" --utc=1
	bad_args "option '--json' doesn't allow an argument" --json=yes
	bad_args "unrecognized option '--nope'" --nope=1
	bad_args "unrecognized option '-\\xc3'" -é
}

test_echoed_values_stay_on_one_line() {
	bad_args "-p '12\\nX': not a process ID" -p $'12\nX'
	bad_args "-b '\\x1b[2J': not a size (e.g. 4096, 256K, 8M)" -b $'\e[2J'
	bad_args "unexpected argument 'a\\rb'" $'a\rb'
	"$EXITSNOOP" -c "$T/x"$'\n'"y" > out 2> err
	expect_eq $? 2 "status for a -c path with a newline"
	expect_eq "$(cat err)" "exitsnoop: -c '$T/x\\ny': No such file or directory" "-c message"
}
