#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# tests/deps_skew.sh: `make deps ARCH=arm64` on a machine whose packages
# are older than the archive's point release. It makes that machine up: a
# copy of dpkg's status database with this machine's arm64 packages taken
# out and, for every source whose older version the archive still serves
# (zlib's 1.2.13.dfsg-1 under bookworm-security's +deb12u1, say), the
# installed packages set back to that version. Then it runs
# scripts/install-deps.sh against that database with apt's real resolver,
# simulating (apt-get -s: nothing is installed), and checks that the
# install goes through with each arm64 package at the version of the
# machine's own. A control shows the skew is real: pinning a -dev package
# to the machine's old version leaves apt with "held broken packages".
# Ends with "deps: N passed, N failed, N skipped". No root needed.
set -u
cd "$(dirname "$0")/.." || exit 1
TARGET=arm64
host=$(dpkg --print-architecture)
W=$(mktemp -d /tmp/exitsnoop-deps.XXXXXX)
trap 'rm -rf "$W"' EXIT
APT=(-o "Dir::State::status=$W/status" -o "APT::Architectures::=$host"
	-o "APT::Architectures::=$TARGET")
# the sources of the packages the cross build installs for the target
SOURCES="zlib elfutils libbpf linux musl glibc libzstd gcc-12"
# shellcheck source=tests/lib/check.sh
. tests/lib/check.sh
CHECK_PREFIX=deps

skip() {
	echo "skip deps/skew: $*"
	echo "deps: 0 passed, 0 failed, 1 skipped"
	exit 0
}

# oldest SOURCE: "PACKAGE ARCH INSTALLED OLDEST" for each installed
# package of the machine's (or all) built from SOURCE whose oldest version
# in the archive is older
oldest() {
	local p a v o
	dpkg-query -W -f='${source:Package} ${Package} ${Architecture} ${Version} ${Status}\n' \
		2> /dev/null | awk -v s="$1" -v h="$host" \
		'$1 == s && ($3 == h || $3 == "all") && $NF == "installed" { print $2, $3, $4 }' |
		while read -r p a v; do
			o=$(apt-cache "${APT[@]}" madison "$p:$a" | awk -F' *[|] *' '{ print $2 }' |
				sort -V | head -1)
			[ -n "$o" ] && dpkg --compare-versions "$o" lt "$v" && echo "$p $a $v $o"
		done
}

# make_status: the machine as it would be without arm64 and with older
# packages of every source in SOURCES that allows it, into $W/status
make_status() {
	local s p v o
	: > "$W/rewrite"
	for s in $SOURCES; do
		oldest "$s" > "$W/src"
		# only a whole source goes back: its packages depend on each other by version
		[ -s "$W/src" ] || continue
		[ "$(awk '{ print $4 }' "$W/src" | sort -u | wc -l)" = 1 ] || continue
		cat "$W/src" >> "$W/rewrite"
	done
	awk -v host="$host" -v target="$TARGET" '
		FNR == NR { ver[$1] = $3; old[$1] = $4; next }
		/^$/ { flush(); next }
		{ st = st $0 "\n"
		  if ($1 == "Package:") pkg = $2
		  if ($1 == "Architecture:") arch = $2 }
		END { flush() }
		function flush(   p) {
			if (st != "" && arch != target) {
				p = pkg
				if ((p in old) && (arch == host || arch == "all"))
					st = replace(st, "\nVersion: " ver[p] "\n", "\nVersion: " old[p] "\n")
				for (q in old)
					st = replace(st, "(= " ver[q] ")", "(= " old[q] ")")
				printf "%s\n", st
			}
			st = ""; pkg = ""; arch = ""
		}
		function replace(s, from, to,   i, r) { # every literal from in s
			r = ""
			while ((i = index(s, from)) > 0) {
				r = r substr(s, 1, i - 1) to
				s = substr(s, i + length(from))
			}
			return r s
		}' "$W/rewrite" /var/lib/dpkg/status > "$W/status"
}

apt-cache "${APT[@]}" show "zlib1g:$TARGET" > /dev/null 2>&1 ||
	skip "apt has no $TARGET package lists here (make deps ARCH=$TARGET adds them)"
make_status
[ -s "$W/rewrite" ] ||
	skip "the archive serves no older version of any of: $SOURCES (no skew to make)"
echo "deps: set back to the archive's older versions:"
sed 's/^/deps:   /' "$W/rewrite"

lacks() { ! grep -q "$@"; } # lacks PATTERN FILE
check status-without-target lacks -x "Architecture: $TARGET" "$W/status"
while read -r p a v o; do
	check "$p-set-back-to-$o" test "$(dpkg-query --admindir="$W" -W -f='${Version}' "$p:$a")" = "$o"
done < "$W/rewrite"

# the control: the -dev package pinned to the machine's old version
read -r p a v o < <(grep -- '-dev ' "$W/rewrite" | head -1)
if [ -n "${p:-}" ]; then
	check "pinned-$p-$TARGET-breaks" bash -c '! apt-get "${@:3}" install -s -q "$1:'"$TARGET"'=$2" 2>&1 |
		grep -q "^Inst "' _ "$p" "$o" "${APT[@]}"
fi

DPKG_ADMINDIR=$W DEPS_SIMULATE=1 scripts/install-deps.sh $TARGET > "$W/plan" 2>&1
rc=$?
check install-deps-succeeds test $rc = 0
check install-deps-no-broken lacks 'broken packages' "$W/plan"
for p in libbpf-dev libelf-dev zlib1g-dev linux-libc-dev musl-dev; do
	check "installs-$p-$TARGET" grep -q "^Inst $p:$TARGET " "$W/plan"
done
# Inst PKG [OLD] (NEW ...): each target package the plan installs at the
# version the machine's own package of that name has after the plan
while read -r p a v o; do
	[ "$a" = all ] && continue
	t=$(sed -n "s/^Inst $p:$TARGET (\([^ ]*\) .*/\1/p" "$W/plan")
	[ -n "$t" ] || continue
	h=$(sed -n "s/^Inst $p \[[^]]*\] (\([^ ]*\) .*/\1/p" "$W/plan")
	check "$p-$host-upgraded-to-$t" test "$h" = "$t"
done < "$W/rewrite"
if [ $check_failed -gt 0 ]; then
	echo "--- plan"
	cat "$W/plan"
fi
CHECK_SKIPPED=0
check_summary
