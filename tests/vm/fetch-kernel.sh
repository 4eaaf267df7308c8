#!/usr/bin/env bash
# Usage: fetch-kernel.sh <dir>
# Downloads Debian's newest linux-image-6.1.0-<N>-amd64 (the plain build: not
# -rt, not -cloud) and unpacks it under <dir>/<package>/ without installing it,
# so the host's /boot and /lib/modules stay untouched and no postinst hook
# runs. Prints the unpacked directory. VM_KERNEL_PACKAGE=<name> pins another.
#
# The package ships no modules.dep (depmod makes it at install time), so
# depmod makes it here for the initramfs's module closure.
set -euo pipefail

dir=$1
newest() {
  apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{print $1}' | sort -V | tail -n 1
}

pkg=${VM_KERNEL_PACKAGE:-}
if [ -z "$pkg" ]; then
  pkg=$(newest)
  if [ -z "$pkg" ]; then  # package lists never fetched on this machine
    apt-get update -qq >&2
    pkg=$(newest)
  fi
  [ -n "$pkg" ] || { echo "fetch-kernel: apt knows no linux-image-6.1.0-*-amd64" >&2; exit 1; }
fi

root=$dir/$pkg
if [ ! -f "$root/.unpacked" ]; then
  rm -rf "$dir"/linux-image-* "$dir/deb"  # an older kernel's unpacked tree too
  mkdir -p "$root" "$dir/deb"
  echo "fetch-kernel: downloading $pkg" >&2
  # apt-get download warns that it runs unsandboxed as root here; harmless.
  (cd "$dir/deb" && apt-get download -q "$pkg") 2>&1 | { grep -v 'unsandboxed' || true; } >&2
  deb=$(find "$dir/deb" -name "${pkg}_*.deb" | head -n 1)
  [ -n "$deb" ] || { echo "fetch-kernel: apt-get download $pkg fetched nothing" >&2; exit 1; }
  dpkg-deb -x "$deb" "$root"
  version=$(ls "$root/lib/modules")
  depmod -b "$root" "$version"
  rm -rf "$dir/deb"
  touch "$root/.unpacked"
fi
echo "$root"
