#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Builds exitsnoop_VERSION_ARCH.deb from a built tree with dpkg-deb alone:
#   scripts/mkdeb.sh BINARY VERSION DEB_ARCH OUTDIR
# Debian's libbpf-tools owns /usr/sbin/exitsnoop, so the binary goes to
# /usr/libexec/exitsnoop/exitsnoop: nothing in PATH is shadowed or
# replaced, no file is shared with another package, and the unit names a
# fixed path. STRIP= names the strip for the binary's architecture;
# BUILT_USING= the static libraries' source packages, as policy 7.8 asks.
set -e
bin=$1 version=$2 arch=$3 out=$4
: "${STRIP:=strip}"
: "${MAINTAINER:=exitsnoop maintainers <maintainers@users.noreply.r-seed-2e4984d6.example>}"
if [ -z "$bin" ] || [ -z "$version" ] || [ -z "$arch" ] || [ -z "$out" ]; then
	echo "usage: $0 BINARY VERSION DEB_ARCH OUTDIR" >&2
	exit 2
fi

# ELF e_machine (little-endian 16 bits at offset 18): refuse a binary of
# another architecture under this one's name.
machine=$(od -An -tx1 -j18 -N2 "$bin" | tr -d ' \n')
case $arch:$machine in
amd64:3e00 | arm64:b700) ;;
*)
	echo "mkdeb: $bin (e_machine $machine) is not an $arch binary" >&2
	exit 1
	;;
esac

root=$out/deb-root
rm -rf "$root"
mkdir -p "$root/DEBIAN"
doc=$root/usr/share/doc/exitsnoop

install -D -m 0755 "$bin" "$root/usr/libexec/exitsnoop/exitsnoop"
"$STRIP" --remove-section=.comment --remove-section=.note "$root/usr/libexec/exitsnoop/exitsnoop"
install -d "$root/usr/share/man/man8" "$root/lib/systemd/system" "$doc/examples"
gzip -9n < man/exitsnoop.8 > "$root/usr/share/man/man8/exitsnoop.8.gz"
sed 's|^ExecStart=/usr/local/sbin/exitsnoop |ExecStart=/usr/libexec/exitsnoop/exitsnoop |' \
	contrib/systemd/exitsnoop.service > "$root/lib/systemd/system/exitsnoop.service"
install -m 0644 contrib/prometheus/exitsnoop-rules.yml contrib/prometheus/exitsnoop-rules.test.yml \
	contrib/kubernetes/exitsnoop-daemonset.yaml contrib/kubernetes/exitsnoop-seccomp.json \
	"$doc/examples/"
gzip -9n < README.md > "$doc/README.md.gz"
[ -f docs/FLEET.md ] && gzip -9n < docs/FLEET.md > "$doc/FLEET.md.gz"

date=$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")
gzip -9n > "$doc/changelog.gz" <<EOC
exitsnoop ($version) unstable; urgency=medium

  * Release $version: see README.md for what it does and how.

 -- $MAINTAINER  $date
EOC

year=$(date -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y)
sed "s/^Copyright: YEAR /Copyright: $year /" > "$doc/copyright" <<'EOC'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: exitsnoop

Files: *
Copyright: YEAR the exitsnoop authors
License: LGPL-2.1 or BSD-2-Clause

License: LGPL-2.1
 On Debian systems, the complete text of the GNU Lesser General Public
 License version 2.1 can be found in "/usr/share/common-licenses/LGPL-2.1".

License: BSD-2-Clause
 Redistribution and use in source and binary forms, with or without
 modification, are permitted provided that the following conditions are met:
 .
 1. Redistributions of source code must retain the above copyright notice,
    this list of conditions and the following disclaimer.
 2. Redistributions in binary form must reproduce the above copyright notice,
    this list of conditions and the following disclaimer in the documentation
    and/or other materials provided with the distribution.
 .
 THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
 AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE
 LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
 CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
 SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
 INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
 CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE)
 ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
 POSSIBILITY OF SUCH DAMAGE.
EOC

# The static binary is the point of the package: one file, no run-time
# dependency, the same on every Debian release the kernel allows.
install -d "$root/usr/share/lintian/overrides"
cat > "$root/usr/share/lintian/overrides/exitsnoop" <<'EOC'
# Static on purpose: one self-contained binary, no run-time dependency.
# libbpf, libelf and zlib are linked in for the fallback loader, and named
# in Built-Using with the C library.
exitsnoop: statically-linked-binary [usr/libexec/exitsnoop/exitsnoop]
exitsnoop: embedded-library zlib [usr/libexec/exitsnoop/exitsnoop]
EOC

chmod -R u=rwX,go=rX "$root"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOC
Package: exitsnoop
Version: $version
Architecture: $arch
Maintainer: $MAINTAINER
Installed-Size: $size
Section: admin
Priority: optional
${BUILT_USING:+Built-Using: $BUILT_USING
}Description: trace process exits and say why they ended (BPF, CO-RE)
 exitsnoop traces every process termination on the machine with BPF and
 reports the exit code or fatal signal, the process's age and parent, and
 why it ended: the sender of a signal, the fault and its address, or the
 OOM killer's choice with its memory cgroup. Output as bcc's exitsnoop
 table or JSON Lines; Prometheus counters for node_exporter's textfile
 collector; a hardened systemd unit (not enabled on install).
 .
 The binary is /usr/libexec/exitsnoop/exitsnoop, so that libbpf-tools'
 /usr/sbin/exitsnoop can stay installed beside it.
EOC
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
	xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/exitsnoop_${version}_${arch}.deb" > /dev/null
rm -rf "$root"
echo "$out/exitsnoop_${version}_${arch}.deb"
