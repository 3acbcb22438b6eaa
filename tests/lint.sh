#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Static checks: shellcheck on every shell script, and gcc's static
# analyzer (-fanalyzer) on every user-space C file. One line per file;
# ends with "lint: N passed, N failed". Needs the generated skeleton
# headers in OUTPUT (make lint builds them first).
cd "$(dirname "$0")/.." || exit 1
OUTPUT=${OUTPUT:-.output}
CC=${HOSTCC:-cc}
passed=0 failed=0

check() { # check NAME CMD...: quiet on success
	local name=$1 out
	shift
	if out=$("$@" 2>&1) && [ -z "$out" ]; then
		echo "ok   lint/$name"
		passed=$((passed + 1))
	else
		echo "FAIL lint/$name"
		printf '%s\n' "$out" | sed 's/^/    /' | head -20
		failed=$((failed + 1))
	fi
}

scripts() {
	git ls-files '*.sh' .ci/run 2> /dev/null
}

analyze() { # analyze FILE
	"$CC" -std=gnu11 -O1 -fanalyzer -Wall -Wextra -Wno-unused-parameter -Werror \
		-I"$OUTPUT" -Isrc -Itests/unit -DEXITSNOOP_VERSION='"lint"' -c "$1" -o /dev/null
}

if command -v shellcheck > /dev/null; then
	for f in $(scripts); do
		check "$f" shellcheck -x "$f"
	done
else
	echo "FAIL lint/shellcheck: not installed (make deps installs it)"
	failed=$((failed + 1))
fi
# bench/floor/ is built by bench/floor.sh with a skeleton of its own
for f in $(git ls-files 'src/*.c' 'tests/unit/*.c' 'tests/e2e/*.c' 'bench/*.c' | grep -v -e '\.bpf\.c$' -e '^bench/floor/'); do
	check "$f" analyze "$f"
done
# outside a git checkout nothing is listed: that is no pass
if [ $passed = 0 ] && [ $failed = 0 ]; then
	echo "FAIL lint: no file to check (not a git checkout?)"
	failed=1
fi
echo "lint: $passed passed, $failed failed"
[ $failed = 0 ]
