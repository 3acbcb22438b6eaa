#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Static checks: shellcheck on every shell script, gcc's static analyzer
# (-fanalyzer) on every user-space C file, and the rules between src/'s
# folders (src/README.md). One line per file (per folder for the rules);
# ends with "lint: N passed, N failed". Needs the generated skeleton
# headers in OUTPUT (make lint builds them first).
cd "$(dirname "$0")/.." || exit 1
OUTPUT=${OUTPUT:-.output}
CC=${HOSTCC:-cc}
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh
CHECK_PREFIX=lint

scripts() {
	git ls-files '*.sh' .ci/run 2> /dev/null
}

analyze() { # analyze FILE
	"$CC" -std=gnu11 -O1 -fanalyzer -Wall -Wextra -Wno-unused-parameter -Werror \
		-I"$OUTPUT" -Isrc -Itests/unit -DEXITSNOOP_VERSION='"lint"' -c "$1" -o /dev/null
}

# may_use LAYER: the folders LAYER's files may include (src/README.md).
may_use() {
	case $1 in
	lib) echo lib ;;
	bpf) echo bpf ;;
	record | load) echo "$1 bpf lib" ;;
	output | metrics) echo "$1 record bpf lib" ;;
	run) echo "run load output metrics record bpf lib" ;;
	esac
}

# layer_rules LAYER: prints each include that breaks LAYER's rules.
layer_rules() {
	local layer=$1 f line inc dir
	[ -n "$(may_use "$layer")" ] || echo "src/$layer: a folder no rule names"
	for f in $(git ls-files "src/$layer/*.[ch]"); do
		while IFS= read -r line; do
			inc=${line#*\"}
			inc=${inc%%\"*}
			dir=${inc%%/*}
			if [ "$dir" = "$inc" ]; then
				# generated skeletons are found in the build directory
				case $layer:$inc in
				load:*.skel.h | load:*.lskel.h) ;;
				*) echo "$f: \"$inc\" does not name its folder" ;;
				esac
			elif ! [[ " $(may_use "$layer") " == *" $dir "* ]]; then
				echo "$f: $layer may not use $dir (\"$inc\")"
			elif [ "$dir" = bpf ] && [ "$layer" != bpf ] && [ "$inc" != bpf/exitsnoop.h ]; then
				echo "$f: only bpf/exitsnoop.h is shared with user space (\"$inc\")"
			fi
		done < <(grep '^#include "' "$f")
		case $layer in
		load | bpf) ;;
		*) grep -H '^#include <bpf/' "$f" | sed 's/$/: only load\/ uses libbpf/' ;;
		esac
	done
}

# every source file belongs to a folder, and so to a layer
check_silent layers/src git ls-files ':(glob)src/*.[ch]'
for d in src/*/; do
	d=${d%/}
	check_silent "layers/${d#src/}" layer_rules "${d#src/}"
done

if command -v shellcheck > /dev/null; then
	for f in $(scripts); do
		check_silent "$f" shellcheck -x "$f"
	done
else
	check_fail shellcheck "not installed (make deps installs it)"
fi
# bench/floor/ is built by bench/floor.sh with a skeleton of its own
for f in $(git ls-files 'src/*.c' 'tests/unit/*.c' 'tests/e2e/*.c' 'bench/*.c' | grep -v -e '\.bpf\.c$' -e '^bench/floor/'); do
	check_silent "$f" analyze "$f"
done
# outside a git checkout nothing is listed: that is no pass
if [ $check_passed = 0 ] && [ $check_failed = 0 ]; then
	check_fail files "no file to check (not a git checkout?)"
fi
check_summary
