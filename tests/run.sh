#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The whole suite: unit tests, docs consistency, static checks (make lint),
# then end-to-end tests (root). The last line
# is "N passed, N failed, N skipped"; the status is non-zero if any failed.
cd "$(dirname "$0")/.." || exit 1

count() { # "<what>: N passed, N failed[, N skipped]" -> "N N N"
	sed -n 's/^[a-z0-9]*: \([0-9]*\) passed, \([0-9]*\) failed\(, \([0-9]*\) skipped\)\?$/\1 \2 \4/p' |
		tail -1
}

unit_out=$(tests/unit/run_unit)
unit_rc=$?
echo "$unit_out"
docs_out=$(tests/check_docs.sh)
docs_rc=$?
echo "$docs_out"
lint_out=$(tests/lint.sh 2>&1)
lint_rc=$?
echo "$lint_out"
# The end-to-end suite through the combinations kernels really take (see
# src/load/tracer.c; tests/e2e/test_loaders.sh forces each switch on its own):
# as this kernel chooses (6.16+: light skeleton, tp_btf, ring buffer,
# group_dead); the light skeleton with the pre-6.16 hook (5.17-6.15); the
# libbpf loader with the ring buffer, the pre-6.16 hook and the kernel's BTF
# read, not mapped (5.8-5.16); and, on paper, every fallback at once.
E2E_PATHS=(
	""
	"EXITSNOOP_FORCE_COMPAT=1"
	"EXITSNOOP_FORCE_LIBBPF=1 EXITSNOOP_FORCE_COMPAT=1 EXITSNOOP_FORCE_BTF_READ=1"
	"EXITSNOOP_FORCE_RAW_TP=1 EXITSNOOP_FORCE_PERFBUF=1 EXITSNOOP_FORCE_COMPAT=1 EXITSNOOP_FORCE_BTF_READ=1"
)
e2e_log=$(mktemp)
e2e_rc=0
for path in "${E2E_PATHS[@]}"; do
	label=default
	[ -n "$path" ] && label=$(echo "$path" | sed 's/EXITSNOOP_FORCE_//g; s/=1//g; s/ /+/g' |
		tr '[:upper:]' '[:lower:]')
	echo "--- e2e through the $label path"
	# shellcheck disable=SC2086 # the path is a list of VAR=1 words
	env $path E2E_LABEL="$label" tests/e2e/run.sh 2>&1 | tee -a "$e2e_log"
	[ "${PIPESTATUS[0]}" = 0 ] || e2e_rc=1
done
e2e_out=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$e2e_log" |
	awk '{ p += $1; f += $2; s += $3 } END { printf "e2e: %d passed, %d failed, %d skipped\n", p, f, s }')
[ "$(grep -c '^e2e: ' "$e2e_log")" = ${#E2E_PATHS[@]} ] || e2e_rc=1
rm -f "$e2e_log"

read -r up uf us <<< "$(echo "$unit_out" | count)"
read -r ep ef es <<< "$(echo "$e2e_out" | count)"
read -r dp df _ <<< "$(echo "$docs_out" | count)"
read -r lp lf _ <<< "$(echo "$lint_out" | count)"
passed=$((${up:-0} + ${ep:-0} + ${dp:-0} + ${lp:-0}))
failed=$((${uf:-0} + ${ef:-0} + ${df:-0} + ${lf:-0}))
[ -z "$lp" ] && failed=$((failed + 1))
[ $lint_rc != 0 ] && [ "${lf:-0}" = 0 ] && failed=$((failed + 1))
[ -z "$dp" ] && failed=$((failed + 1))
[ $docs_rc != 0 ] && [ "${df:-0}" = 0 ] && failed=$((failed + 1))
# a runner that crashed before its summary counts as a failure
[ -z "$up" ] && failed=$((failed + 1))
[ -z "$ep" ] && failed=$((failed + 1))
[ $unit_rc != 0 ] && [ "${uf:-0}" = 0 ] && failed=$((failed + 1))
[ $e2e_rc != 0 ] && [ "${ef:-0}" = 0 ] && failed=$((failed + 1))
echo "$passed passed, $failed failed, $((${es:-0} + ${us:-0})) skipped"
[ $failed = 0 ]
