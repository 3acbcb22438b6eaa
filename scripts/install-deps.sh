#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Installs the Debian packages that building and testing exitsnoop need,
# only those missing. Run as root (or with sudo available).
#
#   scripts/install-deps.sh [ARCH]
#
# With an ARCH other than the machine's (arm64 on x86-64, as `make deps
# ARCH=arm64` passes it): also the cross compiler and that architecture's
# libraries and headers, through dpkg's multiarch.
#
# DPKG_ADMINDIR (default /var/lib/dpkg) and DEPS_SIMULATE=1 (apt-get -s,
# nothing changed) let tests/deps_skew.sh run the same choice against a
# made-up set of installed versions.
set -e
ADMINDIR=${DPKG_ADMINDIR:-/var/lib/dpkg}
# libelf-dev and zlib1g-dev: pkg-config checks them for libbpf.pc (Requires.private)
PKGS="clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config gcc musl-tools make jq util-linux"
# the metrics test: the real node_exporter and Prometheus, queried with curl
PKGS="$PKGS prometheus prometheus-node-exporter curl"
# the Kubernetes manifest is checked as YAML
PKGS="$PKGS python3 python3-yaml"
# make lint; the package (lintian), capability, unit and namespace tests
PKGS="$PKGS shellcheck lintian libcap2-bin systemd procps"
# the crash tests: nm and readelf are their witnesses for offsets and build IDs
PKGS="$PKGS binutils"
# the container tests: the real runtimes, and busybox-static for their image
# (podman with --no-install-recommends: its CNI plugins and init named too)
PKGS="$PKGS podman runc docker.io containerd busybox-static containernetworking-plugins catatonit"
# the target's static libraries, UAPI headers and musl (Multi-Arch: same)
CROSS_LIBS="libbpf-dev libelf-dev zlib1g-dev linux-libc-dev musl-dev"

host=$(dpkg --print-architecture)
case ${1:-} in
"") deb_arch=$host ;;
x86 | x86_64 | amd64) deb_arch=amd64 ;;
arm64 | aarch64) deb_arch=arm64 ;;
*) deb_arch=$1 ;;
esac
if [ "$deb_arch" != "$host" ] && [ "$host/$deb_arch" != amd64/arm64 ]; then
	echo "install-deps: no cross-build from $host to $deb_arch set up" >&2
	exit 1
fi

installed() {
	dpkg-query --admindir="$ADMINDIR" -W -f='${Status}' "$1" 2>/dev/null |
		grep -q 'install ok installed'
}

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
missing=
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done
if [ "$deb_arch" != "$host" ]; then
	case $deb_arch in
	arm64) installed gcc-aarch64-linux-gnu || missing="$missing gcc-aarch64-linux-gnu" ;;
	esac
	# Multi-Arch: same packages (these and the libraries they pull in)
	# must have one version on every architecture. The archive serves
	# its current point release only, older versions drop out of it, so
	# the target's packages are taken at the archive's version, unpinned:
	# apt then upgrades the machine's own packages of the same name to
	# that version in the same run. Pinning the -dev packages to the
	# machine's versions instead left their libraries at the archive's
	# ("held broken packages") as soon as the two differed.
	for p in $CROSS_LIBS; do
		installed "$p:$deb_arch" || missing="$missing $p:$deb_arch"
	done
fi
[ -z "$missing" ] && exit 0
echo "installing:$missing"
APT_OPTS="-y -qq --no-install-recommends"
if [ "${DEPS_SIMULATE:-0}" = 1 ]; then
	APT_OPTS="-s -qq --no-install-recommends -o Dir::State::status=$ADMINDIR/status"
	[ "$deb_arch" = "$host" ] || APT_OPTS="$APT_OPTS -o APT::Architectures::=$host -o APT::Architectures::=$deb_arch"
	SUDO=
else
	if [ "$deb_arch" != "$host" ] && ! dpkg --print-foreign-architectures | grep -qx "$deb_arch"; then
		$SUDO dpkg --add-architecture "$deb_arch"
	fi
	$SUDO apt-get update -qq
fi
# shellcheck disable=SC2086 # lists of options and packages
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install $APT_OPTS $missing
