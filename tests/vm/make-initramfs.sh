#!/usr/bin/env bash
# Usage: make-initramfs.sh <source dir> <build dir> <kernel root> <out.cpio>
# Builds the guest's whole root file system as one uncompressed initramfs:
# Debian's static busybox, guest-init.sh as /init, the kernel test binaries
# and what they open at run time, their shared libraries and loader, and the
# modules the tests need with their dependencies.
#
# The tests find their BPF objects, the example and CLI binaries, the BPF
# sources and the expectation lists by absolute paths compiled in
# (BPFXX_TEST_BPF_DIR, BPFXX_BINARY_DIR, BPFXX_SOURCE_DIR), so every file goes
# in at the same absolute path it has on the host.
#
# VM_TEST_BINARIES (paths under the build dir) and VM_GTEST_ARGS pass through
# to the guest's /vm/config.
set -euo pipefail

src=$(realpath "$1")
build=$(realpath "$2")
kroot=$(realpath "$3")
out=$4
here=$(dirname "$(realpath "$0")")

test_binaries=${VM_TEST_BINARIES:-tests/bpfxx_kernel_tests}
# Binaries the tests run themselves (mmapsnoop_test, cli_test).
helper_binaries="examples/mmapsnoop/mmapsnoop tools/bpfxx/bpfxx"
# veth, clsact and cls_bpf are modules in Debian's 6.1 (built in on the 6.18
# host): loaded up front for the network tests. nf_conntrack too, for its
# kfuncs (module kfunc calls; KfuncModuleTest), and veth's BTF serves the
# CO-RE-against-module-BTF test (CoreModuleTest). crc32c_generic first:
# nf_conntrack needs libcrc32c, whose init finds the crc32c algorithm only
# through a softdep, which insmod does not follow.
modules=${VM_MODULES:-veth sch_ingress cls_bpf crc32c_generic nf_conntrack}

stage=$(dirname "$out")/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,run,vm}

cp /bin/busybox "$stage/bin/busybox"
# The kernel's config where Debian installs it (/boot/config-<release>):
# Debian's 6.1 has no /proc/config.gz, and .kconfig externs read this file.
mkdir -p "$stage/boot"
cp "$kroot"/boot/config-* "$stage/boot/"
ldd /bin/busybox >/dev/null 2>&1 && { echo "make-initramfs: /bin/busybox is not static (install busybox-static)" >&2; exit 1; }
install -m 0755 "$here/guest-init.sh" "$stage/init"

# put <file> [<stripped>]: the file at its own absolute path in the image.
put() {
  mkdir -p "$stage$(dirname "$1")"
  if [ "${2:-}" = stripped ]; then
    # Debug info is half the binary and never read in the guest.
    objcopy --strip-debug "$1" "$stage$1"
  else
    cp -L "$1" "$stage$1"
  fi
}

# Executables, stripped, and the shared objects ldd resolves for them (ldd
# prints "name => /path (addr)" and the loader as "/lib64/ld-... (addr)").
for rel in $test_binaries $helper_binaries; do
  bin=$build/$rel
  [ -x "$bin" ] || { echo "make-initramfs: $bin is not built" >&2; exit 1; }
  put "$bin" stripped
  ldd "$bin" | awk '/=> \// {print $3} /^\t\// {print $1}' | while read -r lib; do
    [ -e "$stage$lib" ] || put "$lib"
  done
done

# Data the tests open: compiled test objects, the BPF sources (source-line
# checks), and the per-kernel expectation lists.
for f in "$build"/tests/*.bpf.o "$build"/tests/*.bpfeb.o "$build"/examples/mmapsnoop/*.bpf.o \
         "$src"/tests/bpf/*.c "$src"/tests/vm/expect-*.txt; do
  put "$f"
done

# Kernel modules and their dependencies, in load order (modules.dep lists a
# module's dependencies after it, deepest last).
version=$(ls "$kroot/lib/modules")
moddir=$kroot/lib/modules/$version
: > "$stage/vm/modules"
declare -A loaded=()
add_module() {  # add_module <path relative to moddir>
  local rel=$1 dep
  [ -z "${loaded[$rel]:-}" ] || return 0
  loaded[$rel]=1
  for dep in $(awk -v m="$rel:" '$1 == m { $1 = ""; print }' "$moddir/modules.dep" | tr ' ' '\n' | tac); do
    add_module "$dep"
  done
  mkdir -p "$stage/lib/modules/$version/$(dirname "$rel")"
  cp "$moddir/$rel" "$stage/lib/modules/$version/$rel"
  echo "/lib/modules/$version/$rel" >> "$stage/vm/modules"
}
for m in $modules; do
  rel=$(awk -F: -v m="/$m.ko" 'substr($1, length($1) - length(m) + 1) == m { print $1; exit }' "$moddir/modules.dep")
  [ -n "$rel" ] || { echo "make-initramfs: no module $m in $moddir" >&2; exit 1; }
  add_module "$rel"
done

{
  echo "VM_TEST_BINARIES='$(for rel in $test_binaries; do printf '%s ' "$build/$rel"; done)'"
  echo "VM_GTEST_ARGS='${VM_GTEST_ARGS:-}'"
} > "$stage/vm/config"

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | busybox cpio -o -H newc -R 0:0) > "$out"
echo "make-initramfs: $out ($(du -h "$out" | cut -f1)): $(wc -l < "$stage/vm/modules") modules, binaries: $test_binaries" >&2
