# shellcheck shell=bash
# Where it crashed: the fault's IP, the file and offset it falls in, the
# file's build ID, and the fault address's mapping. Witnesses: the kernel's
# own line for an unhandled fault, nm's symbols, readelf's program headers
# and build ID note.

# A library with known symbols, built here: writes to its read-only data
# and to its own code (SEGV_ACCERR, the address in the library), and a
# trap (SIGILL).
make_crash_lib() {
	cat > "$T/crashlib.c" <<-'EOF'
	const int crash_ro = 1;
	void crash_write(void) { *(volatile int *)&crash_ro = 2; }
	void crash_write_code(void) { *(volatile char *)(void *)crash_write_code = 0; }
	void crash_trap(void) { __builtin_trap(); }
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

test_crash_executable_table() {
	local n p line off kline
	kernel_fault_log_on
	n=$(uname_for cre)
	trace_victim -w -- "$n" segv
	line=$(table_line "$p" "$n")
	expect_match "$line" 'SEGV_MAPERR at 0x0, ip victim\+0x([0-9a-f]+)$' "-w names the file"
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
	trace_victim -j -- "$n" call "$LIB" crash_write
	jq_expect "$p" "$n" '.signal == 11 and .cause.si_code_name == "SEGV_ACCERR"' "a write to read-only data"
	jq_expect "$p" "$n" ".cause.ip_map.path == \"$LIB\" and .cause.ip_map.build_id == \"$id\"" \
		"the IP's file and build ID (readelf -n)"
	expect_in_range "$(records "$p" "$n" | jq .cause.ip_map.offset)" \
		"$(sym_range "$LIB" crash_write)" "IP offset in crash_write (nm)"
	# the address is in another mapping than the IP's: one lookup per hook (crash.bpf.h)
	jq_expect "$p" "$n" '.cause.addr_map == null' "crash_ro's mapping is not the IP's"
	wait_until 5 kernel_line_seen "$n" "$p" ": segfault at" || fail "no kernel segfault line"
	kline=$(kernel_line "$n" "$p" ": segfault at")
	[[ "$kline" =~ \ ip\ ([0-9a-f]+)\  ]] || fail "no ip in the kernel's line: $kline"
	ip=$((0x${BASH_REMATCH[1]}))
	expect_eq "$(($(records "$p" "$n" | jq -r .cause.ip)))" "$ip" "cause.ip is the kernel's ip"
	[[ "$kline" == *" in libcrash.so.1["* ]] || fail "the kernel puts it elsewhere: $kline"
}

test_crash_library_write_to_code() {
	local n p id code
	make_crash_lib
	id=$(build_id_of "$LIB")
	n=$(uname_for crc)
	trace_victim -j -- "$n" call "$LIB" crash_write_code
	read -r code _ < <(sym_range "$LIB" crash_write_code)
	jq_expect "$p" "$n" ".cause.si_code_name == \"SEGV_ACCERR\" and .cause.addr_map == {\"path\": \"$LIB\", \"offset\": $code, \"build_id\": \"$id\"}" \
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
		"SIGILL: the IP's file, no data address"
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
		"build ID without the VMA lookup"
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
		"SIGSYS in $libc (readelf -n)"
}

# A fault signal sent, not raised by a fault: no IP to give.
test_crash_not_for_sent_signals() {
	local n p
	n=$(uname_for crk)
	trace_victim -j -- "$n" raise 11
	jq_expect "$p" "$n" '.signal == 11 and .cause.kind == "self" and .cause.ip == null and .cause.ip_map == null and .cause.addr_map == null' \
		"raise(SIGSEGV)"
}
