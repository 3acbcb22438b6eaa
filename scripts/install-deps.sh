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
set -e
# libelf-dev and zlib1g-dev: pkg-config checks them for libbpf.pc (Requires.private)
PKGS="clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config gcc musl-tools make jq util-linux"
# the metrics test: the real node_exporter and Prometheus, queried with curl
PKGS="$PKGS prometheus prometheus-node-exporter curl"
# the Kubernetes manifest is checked as YAML
PKGS="$PKGS python3 python3-yaml"
# make lint; the package (lintian), capability, unit and namespace tests
PKGS="$PKGS shellcheck lintian libcap2-bin systemd procps"
# the DaemonSet's image, built and run by a real runtime; busybox-static
# makes a second container's image
PKGS="$PKGS podman runc busybox-static"
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
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
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
	for p in $CROSS_LIBS; do
		installed "$p:$deb_arch" && continue
		# the same version as the machine's own, which dpkg requires
		v=$(dpkg-query -W -f='${Version}' "$p:$host" 2>/dev/null || true)
		if [ -n "$v" ] && apt-cache madison "$p" | awk -F' *[|] *' '{ print $2 }' | grep -qxF "$v"; then
			missing="$missing $p:$deb_arch=$v"
		else
			missing="$missing $p:$deb_arch"
		fi
	done
fi
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$deb_arch" != "$host" ] && ! dpkg --print-foreign-architectures | grep -qx "$deb_arch"; then
	$SUDO dpkg --add-architecture "$deb_arch"
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # a list of packages
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
