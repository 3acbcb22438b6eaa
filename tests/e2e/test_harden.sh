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
