#!/bin/busybox sh
# shellcheck shell=dash
# PID 1 of the make test-vm guest (installed as /init in the initramfs that
# make-initramfs.sh builds). Mounts what the kernel tests need, loads the
# modules listed in /vm/modules, runs each test binary of /vm/config as root
# with its output on the serial console, then prints the status for the host
# (boot.py) and powers off. Init must never exit: the kernel would panic.

/bin/busybox --install -s /bin
export PATH=/bin

# Every failure ends here, so the host always gets an exit line.
finish() {
  echo "BPFXX-VM-EXIT $1"
  sync
  poweroff -f
  sleep 3600  # poweroff -f does not return; never let init exit
}
die() {
  echo "bpfxx-vm guest: $*"
  finish 125
}

mount -t proc proc /proc || die "cannot mount /proc"
mount -t sysfs sysfs /sys || die "cannot mount /sys"
mount -t devtmpfs devtmpfs /dev || die "cannot mount /dev"
# No tmpfs on /tmp: the root file system is already in RAM and writable, and
# a build tree under /tmp (CI's clones) must stay visible.
# What the kernel tests use (the 6.18 host has them at the same places):
# tracefs for tracepoint and kprobe events, bpffs for pins, cgroup2, and
# securityfs to show the active LSMs.
mount -t tracefs tracefs /sys/kernel/tracing || die "cannot mount tracefs"
mount -t bpf bpf /sys/fs/bpf || die "cannot mount bpffs"
mount -t cgroup2 cgroup2 /sys/fs/cgroup || die "cannot mount cgroup2"
mount -t securityfs securityfs /sys/kernel/security || die "cannot mount securityfs"
mount -t debugfs debugfs /sys/kernel/debug || die "cannot mount debugfs"
ip link set lo up || die "cannot bring lo up"

for ko in $(cat /vm/modules); do
  insmod "$ko" || die "insmod $ko failed"
done

. /vm/config  # VM_TEST_BINARIES, VM_GTEST_ARGS

echo "BPFXX-VM-BOOTED kernel=$(uname -r) uptime=$(cut -d' ' -f1 /proc/uptime)s lsm=$(cat /sys/kernel/security/lsm)"

set -f  # VM_GTEST_ARGS may hold a filter with '*': no globbing
status=0
for bin in $VM_TEST_BINARIES; do
  echo "BPFXX-VM-RUN $bin"
  # As root, kernel tests must run: a "needs root" skip becomes a failure.
  # shellcheck disable=SC2086  # VM_GTEST_ARGS is a list of words
  BPFXX_REQUIRE_KERNEL_TESTS=1 "$bin" $VM_GTEST_ARGS
  rc=$?
  echo "BPFXX-VM-DONE $bin status=$rc"
  [ "$rc" = 0 ] || status=$rc
done
finish "$status"
