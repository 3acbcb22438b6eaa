#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Keeps --help, the README and the man page telling the same story: every
# option and exit status in --help is documented in both, and the man
# page's version is the build's. Prints "docs: N passed, N failed".
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh
CHECK_PREFIX=docs CHECK_OK_LINES=0
help=$(./exitsnoop --help)
man_text=$(sed 's/\\-/-/g; s/\\f[BIR]//g' man/exitsnoop.8)

for opt in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
	check "readme$opt" grep -qF -- "\`$opt" README.md
	check "man$opt" grep -qF -- "$opt" <<< "$man_text"
done
for st in $(printf '%s\n' "$help" | sed -n 's/^ *\([0-9]\{1,3\}\) .*/\1/p'); do
	check "readme-status-$st" grep -qE "^\| $st \|" README.md
	check "man-status-$st" grep -qx "$st" <<< "$man_text"
done
check man-version grep -q "\"exitsnoop $(cat VERSION)\"" man/exitsnoop.8
check readme-commands grep -qF 'make deps && make && ./exitsnoop' README.md
check ci-runs-readme-test-command grep -qx 'make deps test' .ci/run
check_summary
