#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# tests/vm/matrix.sh: the guest suite (tests/vm/run.sh) on every kernel
# exitsnoop is proven on, one boot each: Debian 11's 5.10, Debian 12's 6.1
# and 6.12 on x86-64 with ./exitsnoop, Debian 12's 6.1 on arm64 with
# ./exitsnoop-arm64 (`make vmtest` builds both). Ends with
# "vmtest: N passed, N failed" over all of them; fails if any check did.
set -u
cd "$(dirname "$0")/../.." || exit 1
passed=0 failed=0 summary=()

run() { # run ARCH SERIES BINARY
	local out last p f
	echo "### vm $1 $2"
	out=$(mktemp /tmp/exitsnoop-vmtest.XXXXXX)
	EXITSNOOP=$3 tests/vm/run.sh --arch "$1" --kernel "$2" 2>&1 | tee "$out"
	last=$(grep -E '^vm: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)
	rm -f "$out"
	if [ -z "$last" ]; then
		last="vm: 0 passed, 1 failed (no result)"
		p=0 f=1
	else
		read -r p f < <(echo "$last" | awk '{ print $2, $4 }')
	fi
	passed=$((passed + p)) failed=$((failed + f))
	summary+=("$(printf '%-7s %-5s %s' "$1" "$2" "${last#vm: }")")
}

run x86_64 5.10 ./exitsnoop
run x86_64 6.1 ./exitsnoop
run x86_64 6.12 ./exitsnoop
run arm64 6.1 ./exitsnoop-arm64
echo "### vmtest"
printf '%s\n' "${summary[@]}"
echo "vmtest: $passed passed, $failed failed"
[ $failed = 0 ]
