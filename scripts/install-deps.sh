#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Installs the Debian packages that building and testing exitsnoop need,
# only those missing. Run as root (or with sudo available).
set -e
# libelf-dev and zlib1g-dev: pkg-config checks them for libbpf.pc (Requires.private)
PKGS="clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config gcc musl-tools make jq util-linux"
# the metrics test: the real node_exporter and Prometheus, queried with curl
PKGS="$PKGS prometheus prometheus-node-exporter curl"
# the Kubernetes manifest is checked as YAML
PKGS="$PKGS python3-yaml"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
