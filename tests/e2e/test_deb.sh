# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make deb: the package installs beside libbpf-tools' exitsnoop, its
# binary traces, and removing and purging it leaves nothing behind.

DEB_BIN=/usr/libexec/exitsnoop/exitsnoop
# Directories the package puts files in: listed whole before and after.
DEB_DIRS=(/usr/libexec /lib/systemd/system /usr/share/man/man8 /usr/share/doc/exitsnoop
	/usr/share/lintian/overrides /usr/sbin)

deb_tree() {
	find "${DEB_DIRS[@]}" 2> /dev/null | sort
}

test_deb_install_run_remove() {
	local deb n p arch
	default_path_only
	need dpkg-deb dpkg
	arch=$(dpkg --print-architecture)
	[ "$arch" = amd64 ] || skip "packages are tested on amd64 only, this is $arch"
	dpkg-query -W -f='${Status}' exitsnoop 2> /dev/null | grep -q 'ok installed' &&
		skip "a package named exitsnoop is already installed"
	make -s -C "$ROOT" deb DEBDIR="$T" > make.log 2>&1 || fail "make deb: $(tail -3 make.log)"
	deb="$T/exitsnoop_$(cat "$ROOT/VERSION")_amd64.deb"
	[ -f "$deb" ] || fail "no $deb: $(ls "$T")"
	need lintian lintian
	lintian "$deb" > lintian.log 2>&1
	! grep '^E:' lintian.log || fail "lintian errors: $(grep '^E:' lintian.log)"

	deb_tree > before
	CLEANUP+=("dpkg -P exitsnoop > /dev/null")
	dpkg -i "$deb" > dpkg.log 2>&1 || fail "dpkg -i: $(tail -3 dpkg.log)"
	dpkg -L exitsnoop > files || fail "dpkg -L"
	grep -qx "$DEB_BIN" files || fail "no $DEB_BIN in $(cat files)"
	grep -qx /usr/sbin/exitsnoop files && fail "the package claims /usr/sbin/exitsnoop"
	grep -qx '/lib/systemd/system/exitsnoop.service' files || fail "no unit"
	expect_eq "$(grep '^ExecStart=' /lib/systemd/system/exitsnoop.service | cut -d' ' -f1)" \
		"ExecStart=$DEB_BIN" "the unit runs the installed binary"
	expect_eq "$("$DEB_BIN" --version | cut -d' ' -f1-2)" "exitsnoop $(cat "$ROOT/VERSION")" \
		"--version"

	n=$(uname_for deb)
	EXITSNOOP=$DEB_BIN start_tracer -j
	"$VICTIM" "$n" exit 9 & p=$!
	wait $p
	stop_tracer
	expect_eq "$TRACER_STATUS" 0 "exit status of the installed binary"
	jq_expect $p "$n" ".exit_code == 9" "the installed binary traces"

	dpkg -r exitsnoop > dpkg.log 2>&1 || fail "dpkg -r: $(tail -3 dpkg.log)"
	dpkg -P exitsnoop > dpkg.log 2>&1 || fail "dpkg -P: $(tail -3 dpkg.log)"
	deb_tree > after
	diff before after > tree.diff || fail "files left or taken: $(head -5 tree.diff)"
	local f
	while read -r f; do
		[ -d "$f" ] && continue
		[ -e "$f" ] && fail "left behind: $f"
	done < files
	dpkg-query -W exitsnoop > /dev/null 2>&1 && fail "still known to dpkg after purge"
	return 0
}
