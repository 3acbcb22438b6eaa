# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# A reader that does not read: losses are said while it stalls, a stop
# ends the tool in time whatever the reader does, and the reader gets
# whole lines. The stall is made, not hoped for: the reader stops itself
# before it reads a byte, the storm runs until the loss is reported, and
# only then is anything timed.

# A small ring (-b 64K) only makes the loss come sooner on a slow machine.
#
# The stop's bound (README, Operation): 300 ms for the output after the
# signal, then the programs are detached; 0.35-0.63 s measured on a busy
# 2-core VM (bench/stall.sh). The limit below adds a margin against a stalled machine only.
STOP_LIMIT_MS=1500

# A reader that stops itself at once (SIGSTOP) and, once continued, copies
# its stdin (or the terminal PATH's master side, see stalled_tty) to OUT.
export STALLED_READER='
import os, signal, sys
out, src = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0
with open(out + ".pid", "w") as f:
    f.write(str(os.getpid()))
os.kill(os.getpid(), signal.SIGSTOP)
with open(out, "wb") as f:
    while True:
        try:
            b = os.read(src, 65536)
        except OSError:  # a terminal whose last writer closed it: EIO
            break
        if not b:
            break
        f.write(b)
'

# Running, not a zombie: the terminal's tracer is reaped only by its reader.
running() {
	local st
	read -r st < "/proc/$TRACER_PID/stat" 2> /dev/null || return 1
	st=${st##*) }
	[ "${st%% *}" != Z ]
}

reader_stopped() {
	[ -s "$T/out.pid" ] && grep -q '^State:.*T (stopped)' "/proc/$(cat "$T/out.pid")/status"
}

# stalled_pipe ARGS...: exitsnoop ARGS, its stdout a pipe to the stopped reader.
stalled_pipe() {
	"$EXITSNOOP" "$@" 2> "$T/err" > >(exec python3 -c "$STALLED_READER" "$T/out") &
	TRACER_PID=$!
	wait_until 30 reader_stopped || fail "the reader did not start"
}

# stalled_fifo ARGS...: exitsnoop ARGS > FIFO, read by the stopped reader.
stalled_fifo() {
	mkfifo "$T/fifo"
	python3 -c "$STALLED_READER" "$T/out" < "$T/fifo" &
	"$EXITSNOOP" "$@" > "$T/fifo" 2> "$T/err" &
	TRACER_PID=$!
	wait_until 30 reader_stopped || fail "the reader did not start"
}

# stalled_output_file ARGS...: exitsnoop ARGS -o FIFO (the descriptor is exitsnoop's own).
stalled_output_file() {
	mkfifo "$T/fifo"
	python3 -c "$STALLED_READER" "$T/out" < "$T/fifo" &
	"$EXITSNOOP" "$@" -o "$T/fifo" > /dev/null 2> "$T/err" &
	TRACER_PID=$!
	wait_until 30 reader_stopped || fail "the reader did not start"
}

# stalled_tty ARGS...: exitsnoop ARGS on a terminal whose master side the
# stopped reader holds; the tracer is the reader's child, which reaps it
# once continued and leaves its wait status in out.status.
stalled_tty() {
	python3 -c '
import os, pty, sys
out = sys.argv[1]
master, slave = pty.openpty()
pid = os.fork()
if pid == 0:
    os.close(master)
    os.setsid()
    os.dup2(slave, 1)
    os.dup2(os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
    os.execv(sys.argv[3], sys.argv[3:])
os.close(slave)
with open(out + ".tracer", "w") as f:
    f.write(str(pid))
sys.argv = ["", out, str(master)]
exec(os.environ["STALLED_READER"])
_, st = os.waitpid(pid, 0)
with open(out + ".status", "w") as f:
    f.write(str(os.waitstatus_to_exitcode(st)))
' "$T/out" "$T/err" "$EXITSNOOP" "$@" &
	wait_until 20 test -s "$T/out.tracer" || fail "no terminal"
	TRACER_PID=$(cat "$T/out.tracer")
	wait_until 30 reader_stopped || fail "the reader did not start"
}

# storm_until_loss: forks until the loss is said on stderr (the reader is
# stopped, so it must come); a generous bound only against a broken tool.
storm_until_loss() {
	local n p
	n=$(uname_for stl)
	"$BURST" "$n" 1000000000 2 & p=$!
	CLEANUP+=("kill $p")
	wait_until 120 eval 'grep -q "events lost$" "$T/err"' || fail "no loss said while the reader stalls: $(cat "$T/err")"
	kill $p
	wait $p 2>/dev/null
	reader_stopped || fail "the reader read"
	running || fail "the tracer ended: $(cat "$T/err")"
}

# stop_in_time [any]: SIGINT while the reader is still stopped; the tool
# ends in time with status 0, saying what it did not print (with "any":
# if anything); sets TOOK_MS.
stop_in_time() {
	local t0 st wd
	t0=$EPOCHREALTIME
	kill -INT "$TRACER_PID"
	if [ -e "$T/out.tracer" ]; then # the terminal's tracer: its reader reaps it
		wait_until 30 eval '! running' || fail "still running 30 s after SIGINT"
	else
		# wait returns as the tracer exits; the watchdog only bounds a hang
		{ sleep 30; kill -KILL "$TRACER_PID"; } 2> /dev/null &
		wd=$!
		wait "$TRACER_PID"
		st=$?
	fi
	TOOK_MS=$(((${EPOCHREALTIME/./} - ${t0/./}) / 1000))
	echo "SIGINT to exit: $TOOK_MS ms"
	if [ -n "${wd:-}" ]; then
		kill "$wd" 2> /dev/null
		expect_eq "$st" 0 "status"
	fi
	TRACER_PID=
	[ "${1:-}" = any ] ||
		grep -Eq "^exitsnoop: [1-9][0-9]* (events|lines of the summary) not printed: " "$T/err" ||
		fail "what was not printed is not said: $(grep -v 'events lost$' "$T/err")"
	[ "$TOOK_MS" -le "$STOP_LIMIT_MS" ] || fail "SIGINT took $TOOK_MS ms"
}

# The reader, continued, gets whole lines only (on a terminal, which does
# not tell its room, the last one may be cut: README, Operation).
read_whole_lines() {
	kill -CONT "$(cat "$T/out.pid")"
	wait_until 20 eval '! kill -0 "$(cat "$T/out.pid")" 2>/dev/null' || fail "the reader did not end"
	[ -s "$T/out" ] || fail "the reader got nothing"
	[ "${1:-}" = tty ] && return
	tail -c 1 "$T/out" | od -An -c | grep -q '\\n' || fail "the last line is cut: $(tail -c 80 "$T/out" | od -c | tail -3)"
}

test_stalled_pipe_json() {
	stalled_pipe -j -b 64K
	storm_until_loss
	stop_in_time
	read_whole_lines
	jq -c . "$T/out" > /dev/null || fail "not whole JSON Lines"
	grep -q "events lost in total$" "$T/err" || fail "no loss total"
}

test_stalled_pipe_table() {
	stalled_pipe -b 64K
	storm_until_loss
	stop_in_time
	read_whole_lines
	head -1 "$T/out" | grep -q '^PCOMM ' || fail "no header: $(head -1 "$T/out")"
	awk 'NR > 1 && NF < 6 { bad = 1 } END { exit bad }' "$T/out" || fail "a cut table line"
}

test_stalled_fifo_json() {
	stalled_fifo -j -w -b 64K
	storm_until_loss
	stop_in_time
	read_whole_lines
	jq -c . "$T/out" > /dev/null || fail "not whole JSON Lines"
}

test_stalled_output_file_table() {
	stalled_output_file -t -b 64K
	storm_until_loss
	stop_in_time
	read_whole_lines
}

test_stalled_tty_table() {
	stalled_tty -w -b 64K
	storm_until_loss
	stop_in_time
	read_whole_lines tty
	expect_eq "$(cat "$T/out.status")" 0 "status"
	head -1 "$T/out" | grep -q '^PCOMM ' || fail "no header: $(head -1 "$T/out")"
	sed '$d' "$T/out" | awk 'NR > 1 && NF < 6 { bad = 1 } END { exit bad }' || fail "a cut line before the last"
}

# Bytes waiting in the FIFO, as its reader would find them.
fifo_bytes() {
	python3 -c 'import array, fcntl, os, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
n = array.array("i", [0])
fcntl.ioctl(fd, termios.FIONREAD, n)
print(n[0])' "$T/fifo"
}

# --summary loses nothing to a stalled reader (records are counted, not
# printed); its tables wait, and a stop still ends it in time.
test_stalled_summary() {
	stalled_fifo --summary --interval 0.001
	# a table every millisecond: the pipe fills while the reader stalls
	wait_until 60 eval '[ "$(fifo_bytes)" -ge 40000 ]' || fail "the tables did not fill the pipe"
	reader_stopped || fail "the reader read"
	stop_in_time any
	read_whole_lines
	grep -q '^COMM ' "$T/out" || fail "no summary table"
}

sigint_handled() {
	local cgt
	cgt=$(awk '/^SigCgt:/ { print $2 }' "/proc/$TRACER_PID/status")
	[ $((0x$cgt & 2)) = 0 ]
}

# The first SIGINT starts a stop of up to half a second; a second one
# within it ends the tool at once (the default action, restored).
test_stalled_second_sigint_ends_at_once() {
	stalled_pipe -j -b 64K
	storm_until_loss
	kill -INT "$TRACER_PID"
	# two SIGINTs sent at once merge into one: wait until the first was handled
	wait_until 10 sigint_handled || fail "first SIGINT not handled"
	kill -INT "$TRACER_PID"
	wait "$TRACER_PID"
	expect_eq $? 130 "killed by the second SIGINT"
	TRACER_PID=
	kill -CONT "$(cat "$T/out.pid")"
}

# proc_io PID FIELD: a field of /proc/PID/io, the kernel's count of the
# process's write() calls (syscw) and bytes (wchar).
proc_io() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/io"
}

# A regular file has no reader to wait for: -j's lines go to it in writes of
# up to 1 MiB, not 64 KiB (a write after the reader slept has a fixed cost).
# The tracer is stopped while 200 processes exit, so that one drain finds
# them all; the kernel counts its writes.
test_json_file_large_writes() {
	local n s0 w0 s1 w1 got
	n=$(uname_for bigw)
	start_tracer -j --comm "$n"
	kill -STOP "$TRACER_PID"
	CLEANUP+=('[ -z "$TRACER_PID" ] || kill -CONT "$TRACER_PID"')
	s0=$(proc_io "$TRACER_PID" syscw) w0=$(proc_io "$TRACER_PID" wchar)
	"$BURST" "$n" 200 || fail "burst"
	kill -CONT "$TRACER_PID"
	wait_until 20 eval '[ "$(grep -c "\"comm\":\"$n\"" "$T/out")" -ge 200 ]' ||
		fail "200 records not written after 20 s: $(grep -c "\"comm\":\"$n\"" "$T/out")"
	s1=$(proc_io "$TRACER_PID" syscw) w1=$(proc_io "$TRACER_PID" wchar)
	stop_tracer
	got=$(jq -r --arg c "$n" 'select(.comm == $c) | .pid' "$T/out" | sort -u | wc -l)
	expect_eq "$got" 200 "records of the 200 processes"
	[ $((w1 - w0)) -gt 131072 ] || fail "$((w1 - w0)) bytes written, want the 200 lines"
	[ $((s1 - s0)) -ge 1 ] || fail "no write counted"
	# one drain, one batch: 64 KiB batches took four writes for these bytes
	if [ $((s1 - s0)) -gt 2 ] || [ $(((w1 - w0) / (s1 - s0))) -le 65536 ]; then
		fail "$((s1 - s0)) writes for $((w1 - w0)) bytes: want one or two larger than 64 KiB"
	fi
}
