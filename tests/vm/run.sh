#!/usr/bin/env bash
# Usage: run.sh <build dir>     (what `make test-vm` runs, as root)
# The kernel tests on a second kernel: Debian's 6.1 under qemu.
#  1. fetch and unpack Debian's newest linux-image-6.1.0-*-amd64;
#  2. extract its BTF (and copy the host's) into <build>/vm/btf/ and run the
#     unit test that reads both (it skips under plain `make test`);
#  3. build the initramfs, boot it, stream the guest's test output, and exit
#     with the guest's status (boot.py).
# Knobs: VM_ACCEL=auto|kvm|tcg, VM_SMP (vCPUs, 1), VM_TIMEOUT (s, whole guest run),
# VM_BOOT_TIMEOUT (s), VM_GTEST_ARGS (e.g. --gtest_filter=...; turns off the
# must-pass check), VM_TEST_BINARIES, VM_KERNEL_PACKAGE, VM_MEMORY.
set -euo pipefail

here=$(dirname "$(realpath "$0")")
src=$(realpath "$here/../..")
build=$(realpath "$1")
vm=$build/vm
mkdir -p "$vm/btf"

kroot=$("$here/fetch-kernel.sh" "$vm/kernel")
version=$(ls "$kroot/lib/modules")
vmlinuz=$kroot/boot/vmlinuz-$version

# 2. Two real kernels' BTF as fixtures. The host's file is named by its
#    major.minor, like the expectation lists.
host_mm=$(uname -r | grep -oE '^[0-9]+\.[0-9]+')
python3 "$here/vmlinuz-to-elf.py" "$vmlinuz" "$vm/vmlinux-6.1"
llvm-objcopy --dump-section ".BTF=$vm/btf/vmlinux-6.1.btf" "$vm/vmlinux-6.1" /dev/null
rm -f "$vm/vmlinux-6.1"
install -m 0644 /sys/kernel/btf/vmlinux "$vm/btf/vmlinux-$host_mm.btf"
echo "bpfxx-vm: kernel BTF fixtures in $vm/btf:" "$(cd "$vm/btf" && echo *.btf)"
btf_status=0
# The pure tests that need both kernels' BTF skip in make test (which runs
# first); here the fixtures exist, and a missing one fails.
BPFXX_REQUIRE_VM_BTF=1 "$build/tests/bpfxx_unit_btf" --gtest_filter='KernelBtfFixture.*' || btf_status=$?
BPFXX_REQUIRE_VM_BTF=1 "$build/tests/bpfxx_unit_reloc" --gtest_filter='CoreObject.TaskStructOffsetsFollowEachKernel' ||
  btf_status=$?
BPFXX_REQUIRE_VM_BTF=1 "$build/tests/bpfxx_unit_codegen" \
  --gtest_filter='CHeaderClang.Debian61VmlinuxCompilesWithEveryLayoutKept' || btf_status=$?

# 3. The guest.
"$here/make-initramfs.sh" "$src" "$build" "$kroot" "$vm/initramfs.cpio"
must_pass=(--must-pass "$here/must-pass-6.1.txt")
if [ -n "${VM_GTEST_ARGS:-}${VM_TEST_BINARIES:-}" ]; then
  echo "bpfxx-vm: VM_GTEST_ARGS or VM_TEST_BINARIES set: not checking must-pass-6.1.txt"
  must_pass=()
fi
vm_status=0
python3 "$here/boot.py" \
  --kernel "$vmlinuz" --initrd "$vm/initramfs.cpio" --log "$vm/console.log" \
  --label "Debian $(basename "$kroot")" \
  --append "console=ttyS0 quiet panic=-1 lsm=lockdown,capability,landlock,yama,bpf" \
  --accel "${VM_ACCEL:-auto}" --memory "${VM_MEMORY:-3G}" --smp "${VM_SMP:-1}" \
  --boot-timeout "${VM_BOOT_TIMEOUT:-180}" --timeout "${VM_TIMEOUT:-1200}" \
  "${must_pass[@]}" || vm_status=$?

if [ "$btf_status" != 0 ]; then
  echo "bpfxx-vm: FAIL: a kernel BTF fixture test (KernelBtfFixture.*, CoreObject.TaskStructOffsetsFollowEachKernel or CHeaderClang.Debian61VmlinuxCompilesWithEveryLayoutKept, above) failed"
  exit "$btf_status"
fi
exit "$vm_status"
