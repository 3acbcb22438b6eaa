# shellcheck shell=bash
# Where it crashed: the fault's IP, the file and offset it falls in, the
# file's build ID, and the fault address's mapping. Witnesses: the kernel's
# own line for an unhandled fault, nm's symbols, readelf's program headers
# and build ID note.

# A library with known symbols, built here: writes to its read-only data
# and to its own code (SEGV_ACCERR, the address in the library), a trap
# (SIGILL), and writes into read-only memory of other kinds: a mapping of
# another file ($CRASH_FILE, from its second page on), an anonymous
# mapping, a page of the brk heap. Each write first copies the victim's
# own /proc/self/maps to $CRASH_MAPS, when set: the witness of where the
# address lay.
make_crash_lib() {
	cat > "$T/crashlib.c" <<-'EOF'
	#include <fcntl.h>
	#include <stdlib.h>
	#include <sys/mman.h>
	#include <unistd.h>
	const int crash_ro = 1;
	static void dump_maps(void)
	{
		const char *to = getenv("CRASH_MAPS");
		char buf[4096];
		ssize_t n;
		int in, out;
		if (!to)
			return;
		in = open("/proc/self/maps", O_RDONLY);
		out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				break;
	}
	static void write_at(char *p) { dump_maps(); *(volatile char *)p = 2; }
	void crash_write(void) { write_at((char *)&crash_ro); }
	void crash_write_code(void) { *(volatile char *)(void *)crash_write_code = 0; }
	void crash_trap(void) { __builtin_trap(); }
	void crash_write_file(void)
	{
		long pg = sysconf(_SC_PAGESIZE);
		int fd = open(getenv("CRASH_FILE"), O_RDONLY);
		char *p = mmap(NULL, (size_t)pg, PROT_READ, MAP_SHARED, fd, pg);
		if (p != MAP_FAILED)
			write_at(p + 0x123);
	}
	void crash_write_anon(void)
	{
		char *p = mmap(NULL, 2 * (size_t)sysconf(_SC_PAGESIZE), PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			write_at(p + 0x10);
	}
	void crash_write_heap(void)
	{
		long pg = sysconf(_SC_PAGESIZE);
		char *b = malloc(4 * (size_t)pg), *p;
		if (!b)
			return;
		p = (char *)(((unsigned long)b + (unsigned long)pg) & ~((unsigned long)pg - 1));
		if (!mprotect(p, (size_t)pg, PROT_READ))
			write_at(p + 0x20);
	}
	EOF
	cc -O1 -shared -fPIC -Wl,--build-id=sha1 -o "$T/libcrash.so.1" "$T/crashlib.c" ||
		fail "cannot build the test library"
	LIB=$(realpath "$T/libcrash.so.1")
}

# file_offset FILE VADDR: the offset in FILE of a virtual address, by its LOAD headers.
file_offset() {
	local va=$(($2)) type off vaddr memsz
	while read -r type off vaddr _ _ memsz _; do
		[ "$type" = LOAD ] || continue
		if ((va >= vaddr && va < vaddr + memsz)); then
			echo $((va - vaddr + off))
			return 0
		fi
	done < <(readelf -lW "$1")
	return 1
}

# sym_range FILE SYM: "START END" file offsets of a symbol, by nm.
sym_range() {
	local value size start
	read -r value size < <(nm -S "$1" | awk -v s="$2" '$4 == s { print $1, $2; exit }')
	[ -n "$value" ] || fail "nm: no $2 in $1"
	start=$(file_offset "$1" "0x$value") || fail "readelf: $2 of $1 is in no LOAD segment"
	echo "$start $((start + 0x$size))"
}

build_id_of() {
	readelf -n "$1" | awk '/Build ID:/ { print $3; exit }'
}

# The kernel logs an unhandled fault only with show_unhandled_signals on.
kernel_fault_log_on() {
	local was
	was=$(sysctl -n debug.exception-trace 2>/dev/null) || skip "no debug.exception-trace sysctl"
	if [ "$was" != 1 ]; then
		sysctl -qw debug.exception-trace=1 || fail "cannot set debug.exception-trace"
		CLEANUP+=("sysctl -qw debug.exception-trace=$was")
	fi
}

# kernel_line NAME PID WHAT: the kernel's line for that task (": segfault at", " trap").
kernel_line() {
	dmesg | grep -F "$1[$2]$3" | tail -n 1
}

kernel_line_seen() {
	[ -n "$(kernel_line "$@")" ]
}

# expect_in_range VALUE "START END" WHAT
expect_in_range() {
	local start end
	read -r start end <<< "$2"
	(($1 >= start && $1 < end)) || fail "$3: $1 not in [$start, $end)"
}

# The exit hook runs before exit_mm() where sched_process_exit has
# group_dead (6.16, one commit): the fault address's mapping is looked up
# there. Else the kernel's hook comes too late for it. Its prototype from
# the kernel's BTF, by bpftool.
exit_hook_before_exit_mm() {
	local proto
	proto=$(bpftool btf dump file /sys/kernel/btf/vmlinux format c |
		grep -m1 'btf_trace_sched_process_exit)') || skip "no sched_process_exit in the kernel's BTF"
	[[ "$proto" == *", bool);" ]]
}

# addr_map_or_skip PID NAME: where the kernel's exit hook runs after
# exit_mm(), the address's mapping is null (checked), and the test ends.
addr_map_or_skip() {
	exit_hook_before_exit_mm && return 0
	jq_expect "$1" "$2" '.cause.addr_map == null' "no lookup after exit_mm()"
	skip "this kernel's exit hook runs after exit_mm() (no group_dead): addr_map only in the IP's own mapping"
}

# maps_line MAPS ADDR: "START END OFFSET INODE PATH" of the mapping ADDR
# lies in, from a copy of /proc/PID/maps.
maps_line() {
	local a=$(($2)) range off ino path start end
	while read -r range _ off _ ino path; do
		start=$((0x${range%-*})) end=$((0x${range#*-}))
		if ((a >= start && a < end)); then
			echo "$start $end $((0x$off)) $ino $path"
			return 0
		fi
	done < "$1"
	return 1
}

# kernel_addr_is NAME PID ADDR: the kernel's segfault line names that address.
kernel_addr_is() {
	local kline
	wait_until 5 kernel_line_seen "$1" "$2" ": segfault at" || fail "no kernel segfault line"
	kline=$(kernel_line "$1" "$2" ": segfault at")
	[[ "$kline" =~ segfault\ at\ ([0-9a-f]+)\  ]] || fail "no address in the kernel's line: $kline"
	expect_eq "$(($3))" "$((0x${BASH_REMATCH[1]}))" "cause.addr is the kernel's: $kline"
}

# expect_addr_in_file PID NAME MAPS PATH BUILD_ID_JSON: cause.addr_map is
# the file mapping the victim's own maps put the address in, at its offset.
expect_addr_in_file() {
	local addr start off ino path want
	addr=$(records "$1" "$2" | jq -r .cause.addr)
	read -r start _ off ino path < <(maps_line "$3" "$addr") ||
		fail "the victim's maps put $addr in no mapping"
	expect_eq "$path" "$4" "maps: the file $addr lies in"
	[ "$ino" != 0 ] || fail "maps: $addr is not in a file"
	want=$((addr - start + off))
	jq_expect "$1" "$2" ".cause.addr_map == {\"path\": \"$4\", \"offset\": $want, \"build_id\": $5, \"kind\": \"file\"}" \
		"addr_map: $addr at offset $want of $4 (maps)"
}

# Other tracers running now (this machine is shared): their BPF programs
# can hold the mmap lock's release when ours look (see the README's
# crash section). Appended to what a test says of ip_map.
others_note() {
	local pids
	pids=$(pgrep -d, exitsnoop)
	[ -z "$pids" ] ||
		echo " (another exitsnoop was running, PID $pids: its lookups at the signal can leave ours refused)"
}

other_ready() {
	grep -q '^Tracing' "$T/other.err" 2>/dev/null || ! kill -0 "$OTHER_PID" 2>/dev/null
}

# start_other_tracer: a second exitsnoop -j, ready before the tracer under
# test, so that on every hook its programs run first (a tracepoint calls
# them in attach order) and at each signal hook take the per-CPU irq_work
# that drops the mmap lock with interrupts off. Killed by its PID.
start_other_tracer() {
	"$EXITSNOOP" -j > "$T/other.out" 2> "$T/other.err" &
	OTHER_PID=$!
	CLEANUP+=(stop_other_tracer)
	wait_until 20 other_ready || fail "the other tracer is not ready after 20 s"
	kill -0 "$OTHER_PID" 2>/dev/null || fail "the other tracer died: $(cat "$T/other.err")"
}

# The other tracer gone, its programs detached, before the next test; its
# PID forgotten once reaped (PIDs are reused within seconds here).
stop_other_tracer() {
	[ -n "$OTHER_PID" ] || return 0
	kill -KILL "$OTHER_PID" 2>/dev/null
	wait "$OTHER_PID" 2>/dev/null
	OTHER_PID=
}

# other_had_it PID NAME BUILD_ID: the other tracer, stopped, gave the
# victim's build ID: its programs ran first and had the lock.
other_had_it() {
	kill -INT "$OTHER_PID"
	wait "$OTHER_PID"
	OTHER_PID=
	jq -es --argjson pid "$1" --arg comm "$2" --arg id "$3" \
		'map(select(.pid == $pid and .comm == $comm)) | length == 1 and .[0].cause.ip_map.build_id == $id' \
		"$T/other.out" > /dev/null || fail "the other tracer did not have the lock first: $(cat "$T/other.out")"
}

# refused_or_skip PID NAME: where the exit hook follows exit_mm(), what
# was refused at the signal hooks stays null (checked), and the test ends.
refused_or_skip() {
	exit_hook_before_exit_mm && return 0
	jq_expect "$1" "$2" '.cause.ip != null and .cause.ip_map == null' \
		"the lookups refused at both signal hooks"
	skip "this kernel's exit hook runs after exit_mm(): ip_map stays null while another BPF program holds the lock"
}

# expect_ip_map_from_maps PID NAME MAPS PATH: cause.ip_map.offset is where
# the victim's own maps put the IP, in that file.
expect_ip_map_from_maps() {
	local ip start off ino path
	ip=$(records "$1" "$2" | jq -r .cause.ip)
	read -r start _ off ino path < <(maps_line "$3" "$ip") ||
		fail "the victim's maps put the IP $ip in no mapping"
	expect_eq "$path" "$4" "maps: the file the IP $ip lies in"
	[ "$ino" != 0 ] || fail "maps: the IP $ip is not in a file"
	jq_expect "$1" "$2" ".cause.ip_map.offset == $((ip - start + off))" "ip_map: the IP's offset in $4 (maps)"
}

test_crash_executable_table() {
	local n p line off kline
	kernel_fault_log_on
	n=$(uname_for cre)
	trace_victim -w -- "$n" segv
	line=$(table_line "$p" "$n")
	expect_match "$line" 'SEGV_MAPERR at 0x0, ip victim\+0x([0-9a-f]+)$' "-w names the file$(others_note)"
	off=$((0x${BASH_REMATCH[1]}))
	expect_in_range "$off" "$(sym_range "$VICTIM" act_segv)" "offset in act_segv (nm)"
	wait_until 5 kernel_line_seen "$n" "$p" ": segfault at" || fail "no kernel segfault line"
	kline=$(kernel_line "$n" "$p" ": segfault at")
	# the kernel names the offset too since 6.x: "in victim[OFF,START+SIZE]"
	if [[ "$kline" =~ in\ victim\[([0-9a-f]+), ]]; then
		expect_eq "$off" "$((0x${BASH_REMATCH[1]}))" "the kernel's offset: $kline"
	fi
}

test_crash_library_json() {
	local n p id ip kline
	kernel_fault_log_on
	make_crash_lib
	id=$(build_id_of "$LIB")
	[ -n "$id" ] || fail "readelf: no build ID in $LIB"
	n=$(uname_for crl)
	CRASH_MAPS="$T/maps" trace_victim -j -- "$n" call "$LIB" crash_write
	jq_expect "$p" "$n" '.signal == 11 and .cause.si_code_name == "SEGV_ACCERR"' "a write to read-only data"
	jq_expect "$p" "$n" ".cause.ip_map.path == \"$LIB\" and .cause.ip_map.build_id == \"$id\"" \
		"the IP's file and build ID (readelf -n)$(others_note)"
	expect_in_range "$(records "$p" "$n" | jq .cause.ip_map.offset)" \
		"$(sym_range "$LIB" crash_write)" "IP offset in crash_write (nm)"
	kernel_addr_is "$n" "$p" "$(records "$p" "$n" | jq -r .cause.addr)"
	wait_until 5 kernel_line_seen "$n" "$p" ": segfault at" || fail "no kernel segfault line"
	kline=$(kernel_line "$n" "$p" ": segfault at")
	[[ "$kline" =~ \ ip\ ([0-9a-f]+)\  ]] || fail "no ip in the kernel's line: $kline"
	ip=$((0x${BASH_REMATCH[1]}))
	expect_eq "$(($(records "$p" "$n" | jq -r .cause.ip)))" "$ip" "cause.ip is the kernel's ip"
	[[ "$kline" == *" in libcrash.so.1["* ]] || fail "the kernel puts it elsewhere: $kline"
	# the address is in another mapping than the IP's: the library's read-only data
	addr_map_or_skip "$p" "$n"
	expect_addr_in_file "$p" "$n" "$T/maps" "$LIB" "\"$id\""
	expect_in_range "$(records "$p" "$n" | jq .cause.addr_map.offset)" \
		"$(sym_range "$LIB" crash_ro)" "address offset in crash_ro (nm)"
	readelf -SW "$LIB" | grep -q ' \.rodata ' || fail "readelf: no .rodata in $LIB"
}

# A write through a pointer into another file's read-only mapping (its
# second page on): that file, the offset in it, no build ID.
test_crash_addr_in_other_file() {
	local n p data
	kernel_fault_log_on
	make_crash_lib
	data="$T/crash.data"
	head -c 12288 /dev/zero > "$data"
	data=$(realpath "$data")
	n=$(uname_for cra)
	CRASH_FILE="$data" CRASH_MAPS="$T/maps" trace_victim -j -- "$n" call "$LIB" crash_write_file
	jq_expect "$p" "$n" '.signal == 11 and .cause.si_code_name == "SEGV_ACCERR"' \
		"a write into a read-only file mapping, from the library"
	kernel_addr_is "$n" "$p" "$(records "$p" "$n" | jq -r .cause.addr)"
	addr_map_or_skip "$p" "$n"
	expect_addr_in_file "$p" "$n" "$T/maps" "$data" null
	jq_expect "$p" "$n" ".cause.addr_map.offset == $(($(getconf PAGESIZE) + 0x123))" \
		"the offset the library wrote at: its second page, 0x123 on"
}

# crash_into_memory TAG FUNC KIND MAPSNAME WHAT: the library's FUNC writes
# into read-only memory not from a file; the address's mapping is of that
# kind, as the victim's own maps name it (inode 0, MAPSNAME).
crash_into_memory() {
	local n p addr ino path
	kernel_fault_log_on
	make_crash_lib
	n=$(uname_for "$1")
	CRASH_MAPS="$T/maps" trace_victim -j -- "$n" call "$LIB" "$2"
	jq_expect "$p" "$n" '.signal == 11 and .cause.si_code_name == "SEGV_ACCERR"' "$5"
	addr=$(records "$p" "$n" | jq -r .cause.addr)
	kernel_addr_is "$n" "$p" "$addr"
	addr_map_or_skip "$p" "$n"
	read -r _ _ _ ino path < <(maps_line "$T/maps" "$addr") ||
		fail "the victim's maps put $addr in no mapping"
	expect_eq "$ino" 0 "maps: $addr is in no file ($path)"
	expect_eq "$path" "$4" "maps: the name of $addr's mapping"
	jq_expect "$p" "$n" ".cause.addr_map == {\"path\": null, \"offset\": null, \"build_id\": null, \"kind\": \"$3\"}" \
		"addr_map: $addr in $3 memory (maps: '$4')"
}

# A write into an anonymous PROT_READ mapping: memory not from a file.
test_crash_addr_in_anon() {
	crash_into_memory crm crash_write_anon anon "" "a write to a read-only anonymous mapping"
}

# A write into a read-only page of the brk heap (malloc, mprotect).
test_crash_addr_in_heap() {
	crash_into_memory crh crash_write_heap heap "[heap]" "a write to a read-only heap page"
}

test_crash_library_write_to_code() {
	local n p id code
	make_crash_lib
	id=$(build_id_of "$LIB")
	n=$(uname_for crc)
	trace_victim -j -- "$n" call "$LIB" crash_write_code
	read -r code _ < <(sym_range "$LIB" crash_write_code)
	jq_expect "$p" "$n" ".cause.si_code_name == \"SEGV_ACCERR\" and .cause.addr_map == {\"path\": \"$LIB\", \"offset\": $code, \"build_id\": \"$id\", \"kind\": \"file\"}" \
		"the address's mapping: crash_write_code (nm)"
	expect_in_range "$(records "$p" "$n" | jq .cause.ip_map.offset)" \
		"$(sym_range "$LIB" crash_write_code)" "IP offset in crash_write_code (nm)"
}

test_crash_library_trap() {
	local n p kline
	kernel_fault_log_on
	make_crash_lib
	n=$(uname_for crt)
	trace_victim -j -- "$n" call "$LIB" crash_trap
	jq_expect "$p" "$n" ".signal == 4 and .cause.ip_map.path == \"$LIB\" and .cause.addr_map == null" \
		"SIGILL: the IP's file, no data address$(others_note)"
	expect_in_range "$(records "$p" "$n" | jq .cause.ip_map.offset)" \
		"$(sym_range "$LIB" crash_trap)" "IP offset in crash_trap (nm)"
	wait_until 5 kernel_line_seen "$n" "$p" " trap invalid opcode" || fail "no kernel trap line"
	kline=$(kernel_line "$n" "$p" " trap invalid opcode")
	[[ "$kline" =~ ip:([0-9a-f]+) ]] || fail "no ip in the kernel's line: $kline"
	expect_eq "$(($(records "$p" "$n" | jq -r .cause.ip)))" "$((0x${BASH_REMATCH[1]}))" \
		"cause.ip is the kernel's ip"
}

# What a kernel before 5.17 gives (no bpf_find_vma): the IP's build ID and
# offset from the stack helper, no path, no address mapping.
test_crash_without_find_vma() {
	local n p id
	make_crash_lib
	id=$(build_id_of "$LIB")
	n=$(uname_for crn)
	EXITSNOOP_FORCE_NO_FIND_VMA=1 trace_victim -j -- "$n" call "$LIB" crash_write
	jq_expect "$p" "$n" ".cause.ip_map.path == null and .cause.ip_map.build_id == \"$id\" and .cause.addr_map == null" \
		"build ID without the VMA lookup$(others_note)"
	expect_in_range "$(records "$p" "$n" | jq .cause.ip_map.offset)" \
		"$(sym_range "$LIB" crash_write)" "the stack helper's offset (nm)"
}

# seccomp kills in the syscall: the IP is in the C library the victim uses.
test_crash_seccomp_in_libc() {
	local n p libc
	libc=$(ldd "$VICTIM" | awk '$1 ~ /^libc\.so/ { print $3; exit }')
	[ -n "$libc" ] || skip "the victim is not linked to a libc.so"
	libc=$(realpath "$libc")
	n=$(uname_for crs)
	trace_victim -j -- "$n" seccomp
	jq_expect "$p" "$n" ".signal == 31 and .cause.ip_map.path == \"$libc\" and .cause.ip_map.build_id == \"$(build_id_of "$libc")\"" \
		"SIGSYS in $libc (readelf -n)$(others_note)"
}

# A fault signal sent, not raised by a fault: no IP to give.
test_crash_not_for_sent_signals() {
	local n p
	n=$(uname_for crk)
	trace_victim -j -- "$n" raise 11
	jq_expect "$p" "$n" '.signal == 11 and .cause.kind == "self" and .cause.ip == null and .cause.ip_map == null and .cause.addr_map == null' \
		"raise(SIGSEGV)"
}

# -v says where the fault address's mapping is looked for: wherever it
# lies where the exit hook precedes exit_mm() (the kernel's BTF), else only
# in the IP's; nothing of it without the VMA lookup.
test_crash_addr_map_chosen() {
	local want="only in the IP's"
	exit_hook_before_exit_mm && want="wherever it lies"
	start_tracer -j -v
	stop_tracer
	grep -qF "crashes: the fault address's mapping $want" "$T/err" ||
		fail "-v does not say '$want': $(grep crashes "$T/err")"
	EXITSNOOP_FORCE_NO_FIND_VMA=1 start_tracer -j -v
	stop_tracer
	! grep -q "fault address's mapping" "$T/err" || fail "without the VMA lookup: $(grep crashes "$T/err")"
}

# Another BPF user (a second exitsnoop, started first) takes the lock's
# release at both signal hooks: ours are refused there, and where the exit
# hook precedes exit_mm() make the IP's mapping and build ID again there,
# then the address's (the library's read-only data).
test_crash_ip_map_with_another_tracer() {
	local n p id kline
	kernel_fault_log_on
	make_crash_lib
	id=$(build_id_of "$LIB")
	[ -n "$id" ] || fail "readelf: no build ID in $LIB"
	start_other_tracer
	n=$(uname_for cro)
	CRASH_MAPS="$T/maps" trace_victim -j -- "$n" call "$LIB" crash_write
	other_had_it "$p" "$n" "$id"
	wait_until 5 kernel_line_seen "$n" "$p" ": segfault at" || fail "no kernel segfault line"
	kline=$(kernel_line "$n" "$p" ": segfault at")
	[[ "$kline" =~ \ ip\ ([0-9a-f]+)\  ]] || fail "no ip in the kernel's line: $kline"
	expect_eq "$(($(records "$p" "$n" | jq -r .cause.ip)))" "$((0x${BASH_REMATCH[1]}))" \
		"cause.ip is the kernel's ip"
	refused_or_skip "$p" "$n"
	jq_expect "$p" "$n" ".cause.ip_map.path == \"$LIB\" and .cause.ip_map.build_id == \"$id\"" \
		"the IP's file and build ID (readelf -n) after the other tracer"
	expect_ip_map_from_maps "$p" "$n" "$T/maps" "$LIB"
	expect_in_range "$(records "$p" "$n" | jq .cause.ip_map.offset)" \
		"$(sym_range "$LIB" crash_write)" "IP offset in crash_write (nm)"
	expect_addr_in_file "$p" "$n" "$T/maps" "$LIB" "\"$id\""
}

# The same for a fault with no data address (SIGILL): the IP's alone.
test_crash_trap_with_another_tracer() {
	local n p id
	make_crash_lib
	id=$(build_id_of "$LIB")
	start_other_tracer
	n=$(uname_for crq)
	trace_victim -j -- "$n" call "$LIB" crash_trap
	other_had_it "$p" "$n" "$id"
	refused_or_skip "$p" "$n"
	jq_expect "$p" "$n" ".signal == 4 and .cause.ip_map.path == \"$LIB\" and .cause.ip_map.build_id == \"$id\" and .cause.addr_map == null" \
		"SIGILL: the IP's file and build ID (readelf -n) after the other tracer"
	expect_in_range "$(records "$p" "$n" | jq .cause.ip_map.offset)" \
		"$(sym_range "$LIB" crash_trap)" "IP offset in crash_trap (nm)"
}
