# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# tests/vm/lib.sh: Debian's archive through an apt source list of its own
# (the system's lists stay as they are) and Debian's cloud kernels from it,
# for the qemu harnesses (tests/vm/run.sh, tests/service/run.sh). Sourced;
# the caller sets W (a scratch directory), DEB_ARCH and ARCH, KERNEL_CACHE
# (where kernels are kept), LOG_PREFIX and die().
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# mirror SUFFIX: the Debian archive the machine uses (SUFFIX -security:
# its security archive), from its apt sources
mirror() {
	local uri
	uri=$(grep -hoE '(https?|file)://[^ ]*/debian'"$1"'/?( |$)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2> /dev/null | head -1 | tr -d ' ')
	echo "${uri:-http://deb.debian.org/debian$1}"
}

# private_apt SUITE...: apt options for a source list of these suites in $W
# (Debian's archive, main, this architecture) and lists of its own
APT=()
private_apt() {
	local a=$W/apt s
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/dl"
	: > "$a/status"
	for s in "$@"; do
		case $s in
		*-security) echo "deb [arch=$DEB_ARCH signed-by=$KEYRING] $(mirror -security) $s main" ;;
		*) echo "deb [arch=$DEB_ARCH signed-by=$KEYRING] $(mirror '') $s main" ;;
		esac
	done > "$a/sources.list"
	APT=(-o "Dir::Etc::sourcelist=$a/sources.list" -o Dir::Etc::sourceparts=-
		-o "Dir::State::Lists=$a/lists" -o "Dir::Cache=$a/cache"
		-o "Dir::State::status=$a/status" -o "APT::Architecture=$DEB_ARCH"
		-o "APT::Architectures::=$DEB_ARCH")
	apt-get "${APT[@]}" update -qq > "$a/update.log" 2>&1 ||
		die "apt-get update of $* failed: $(tail -3 "$a/update.log")"
}

# fetch_kernel SERIES: the path of Debian's cloud kernel of that series for
# $ARCH, from $KERNEL_CACHE or downloaded: the newest build whose package
# downloads (the security archive may not serve the newest yet)
fetch_kernel() {
	local series=$1 suites re dir=$KERNEL_CACHE/$1-$ARCH pv pkg deb
	if [ -s "$dir/vmlinuz" ]; then
		echo "$dir/vmlinuz"
		return 0
	fi
	case $series in
	5.10) suites="bullseye bullseye-security" re="linux-image-5\.10\.0-[0-9]+-cloud-$DEB_ARCH" ;;
	6.1) suites="bookworm bookworm-security" re="linux-image-6\.1\.0-[0-9]+-cloud-$DEB_ARCH" ;;
	6.12) suites="bookworm bookworm-security" re="linux-image-6\.12\.[0-9]+\+deb12-cloud-$DEB_ARCH" ;;
	*) die "unknown kernel series '$series' (5.10, 6.1 or 6.12)" ;;
	esac
	# shellcheck disable=SC2086 # a list of suites
	private_apt $suites
	for pv in $(apt-cache "${APT[@]}" pkgnames linux-image- | grep -xE "$re" |
		xargs -r apt-cache "${APT[@]}" madison |
		awk -F' *[|] *' '{ gsub(/ /, "", $1); print $2 "=" $1 "=" $2 }' |
		sort -rV | cut -d= -f2-); do
		pkg=${pv%%=*}
		echo "$LOG_PREFIX: downloading $pkg ${pv#*=}" >&2
		(cd "$W/apt/dl" && apt-get "${APT[@]}" download "$pv" > /dev/null 2>&1) && break
		echo "$LOG_PREFIX: $pkg ${pv#*=} did not download" >&2
		pkg=
	done
	[ -n "${pkg:-}" ] || die "no $series cloud kernel for $DEB_ARCH downloads"
	{ deb=$(ls "$W"/apt/dl/"$pkg"_*.deb) && dpkg-deb -x "$deb" "$W/k.$series"; } ||
		die "cannot unpack $pkg"
	{ mkdir -p "$dir" && rm -f "$dir"/* &&
		cp "$W/k.$series"/boot/config-* "$dir/config" &&
		cp "$W/k.$series"/boot/vmlinuz-* "$dir/vmlinuz.tmp" && mv "$dir/vmlinuz.tmp" "$dir/vmlinuz" &&
		echo "$pv" > "$dir/package"; } || die "cannot store the kernel in $dir"
	echo "$dir/vmlinuz"
}
