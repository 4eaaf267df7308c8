#!/usr/bin/env python3
"""Boots the make test-vm guest under qemu and judges its run.

Streams the guest's serial console to stdout (and, raw, to --log), enforces a
boot timeout and an overall timeout, turns the guest's "BPFXX-VM-EXIT <status>"
line into the exit status, and then reads the GoogleTest output: every skip
must name the feature probe that justifies it (a "BPFXX-SKIP" line from
tests/support/kernel_expect), and every test of --must-pass must have passed.

KVM: /dev/kvm exists on the development host but Debian's qemu 7.2 cannot use
it (-cpu host aborts on MSR 0x10a, -cpu qemu64 hangs), so with --accel auto KVM
is tried first under a short boot timeout and TCG takes over on any failure.

Exit status: the guest's, or 124 on a timeout, 125 when the guest died without
an exit line, 1 when the output breaks a rule above.
"""
import argparse
import os
import re
import select
import signal
import subprocess
import sys
import time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1bc|\r")
BOOTED = re.compile(r"BPFXX-VM-BOOTED (.*)")
EXIT = re.compile(r"BPFXX-VM-EXIT (\d+)")
# A guest kernel that reports a soft lockup does not recover in a test run:
# stop at the second report rather than wait for the overall timeout.
LOCKUP = re.compile(r"watchdog: BUG: soft lockup")
# GoogleTest's per-test lines; its closing summary repeats names without "(N ms)".
RESULT = re.compile(r"\[ +(OK|FAILED|SKIPPED) +\] (\S+) \(\d+ ms\)")


def say(msg):
    print(f"bpfxx-vm: {msg}", flush=True)


class Attempt:
    """One qemu run: its outcome, console lines and timings."""

    def __init__(self):
        self.lines = []
        self.booted_at = None  # seconds from qemu start to BPFXX-VM-BOOTED
        self.exit_at = None
        self.guest_status = None
        self.error = None  # why the run did not give an exit line
        self.timed_out = False
        self.lockups = 0  # soft lockup reports seen


def qemu_command(args, accel):
    return [
        "qemu-system-x86_64", "-accel", accel, "-cpu", "host" if accel == "kvm" else "max",
        "-smp", str(args.smp), "-m", args.memory,
        "-kernel", args.kernel, "-initrd", args.initrd, "-append", args.append,
        # No default devices (no NIC, so no iPXE ROM); the console is ttyS0.
        "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot",
    ]


def running_test(lines):
    """The GoogleTest test started last and not finished, if any."""
    for line in reversed(lines):
        if RESULT.search(line):
            return None
        m = re.search(r"\[ RUN +\] (\S+)", line)
        if m:
            return m.group(1)
    return None


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_qemu(args, accel, boot_timeout, log):
    """Runs qemu until the guest's exit line, a timeout, or qemu's end."""
    a = Attempt()
    start = time.monotonic()
    log.write(f"=== qemu {accel} ===\n".encode())
    proc = subprocess.Popen(qemu_command(args, accel), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    pending = b""
    try:
        while True:
            now = time.monotonic() - start
            if a.booted_at is None and now > boot_timeout:
                a.error = f"BOOT TIMEOUT: no BPFXX-VM-BOOTED line within {boot_timeout:.0f} s of starting qemu ({accel})"
                a.timed_out = True
                return a
            if now > args.timeout:
                booted = "never booted" if a.booted_at is None else f"booted after {a.booted_at:.1f} s"
                running = running_test(a.lines)
                a.error = (f"TIMEOUT: the guest did not finish within {args.timeout:.0f} s ({booted}"
                           + (f"; still running {running}" if running else "")
                           + "); raise VM_TIMEOUT if the suite has grown")
                a.timed_out = True
                return a
            if a.exit_at is not None and now > a.exit_at + 30:
                say("the guest printed its exit line but did not power off in 30 s; stopping qemu")
                return a
            ready, _, _ = select.select([proc.stdout], [], [], 1.0)
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break  # qemu exited
            log.write(chunk)
            log.flush()
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                line = ANSI.sub(b"", raw).decode("utf-8", "replace")
                print(line, flush=True)
                a.lines.append(line)
                if a.booted_at is None and BOOTED.search(line):
                    a.booted_at = time.monotonic() - start
                if LOCKUP.search(line):
                    a.lockups += 1
                    if a.lockups >= 2:
                        running = running_test(a.lines)
                        a.error = ("the guest kernel is stuck (repeated soft lockups)"
                                   + (f" while running {running}" if running else "")
                                   + f"; console log: {args.log}")
                        a.timed_out = True
                        return a
                m = EXIT.search(line)
                if m and a.exit_at is None:
                    a.exit_at = time.monotonic() - start
                    a.guest_status = int(m.group(1))
        proc.wait()
        if a.guest_status is None:
            last = next((l for l in reversed(a.lines) if l.strip()), "(no output)")
            a.error = (f"qemu ({accel}) exited with status {proc.returncode} before the guest's exit line; "
                       f"last line: {last}")
        return a
    finally:
        stop(proc)


def read_names(path):
    names = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line)
    return names


def judge(a, must_pass):
    """GoogleTest results from the console; returns the list of problems."""
    result = {}  # test -> OK / FAILED / SKIPPED
    for line in a.lines:
        m = RESULT.search(line)
        if m:
            result[m.group(2)] = m.group(1)
    skip_reason = {}
    features = {}
    for line in a.lines:
        m = re.search(r"BPFXX-SKIP (\S+): (.*)", line)
        if m:
            skip_reason[m.group(1)] = m.group(2)
        m = re.search(r"BPFXX-FEATURE (\S+) (\S+)", line)
        if m and features.get(m.group(1)) != "mismatch":
            features[m.group(1)] = m.group(2)
    counts = {k: sum(1 for v in result.values() if v == k) for k in ("OK", "FAILED", "SKIPPED")}
    problems = []
    if not result:
        problems.append("no GoogleTest result lines in the guest's output")

    say("features on this kernel (probe: state): " +
        (", ".join(f"{f}: {s}" for f, s in sorted(features.items())) or "none reported"))
    skipped = sorted(t for t, r in result.items() if r == "SKIPPED")
    if skipped:
        say(f"skipped in the guest ({len(skipped)}):")
        for t in skipped:
            reason = skip_reason.get(t)
            say(f"  {t}: {reason or 'NO NAMED FEATURE PROBE'}")
            if reason is None:
                problems.append(f"{t} skipped without naming a feature probe (BPFXX_NEEDS_FEATURE)")
    else:
        say("skipped in the guest: none")
    for t in must_pass:
        state = result.get(t, "NOT RUN")
        if state != "OK":
            problems.append(f"{t} must pass for real in the guest but is {state}")
    if must_pass:
        say(f"must pass for real in the guest: {len(must_pass)} tests, "
            f"{sum(1 for t in must_pass if result.get(t) == 'OK')} passed")
    return counts, problems


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--append", required=True, help="kernel command line")
    p.add_argument("--log", required=True, help="raw console log")
    p.add_argument("--label", default="", help="what is booted, for the summary")
    p.add_argument("--must-pass", help="file of test names that must pass in the guest")
    p.add_argument("--accel", default="auto", choices=["auto", "kvm", "tcg"])
    p.add_argument("--memory", default="3G")
    # One vCPU: under TCG on this 2-core host a second vCPU once stopped
    # taking timer interrupts mid-suite, and the other then spun forever in
    # a cross-CPU call (RCU stall, soft lockup, the run lost to the timeout).
    p.add_argument("--smp", type=int, default=1)
    p.add_argument("--boot-timeout", type=float, default=180, help="seconds to the guest's init (TCG)")
    p.add_argument("--kvm-probe-timeout", type=float, default=20, help="seconds KVM gets to boot")
    p.add_argument("--timeout", type=float, default=1200, help="seconds for the whole run")
    args = p.parse_args()
    # A killed make must not leave qemu running: SIGTERM unwinds through
    # run_qemu's finally, which stops it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    accels = {"auto": ["kvm", "tcg"], "kvm": ["kvm"], "tcg": ["tcg"]}[args.accel]
    if args.accel == "auto" and not os.access("/dev/kvm", os.R_OK | os.W_OK):
        accels = ["tcg"]
    with open(args.log, "wb") as log:
        for accel in accels:
            fallback = accel == "kvm" and len(accels) > 1
            say(f"booting {args.label} under qemu {accel.upper()}" +
                (f" (probe: {args.kvm_probe_timeout:.0f} s to boot, else TCG)" if fallback else ""))
            a = run_qemu(args, accel, args.kvm_probe_timeout if fallback else args.boot_timeout, log)
            if fallback and a.booted_at is None:
                say(f"KVM unusable here ({a.error}); falling back to TCG")
                continue
            break

    if a.error and a.guest_status is None:
        say(a.error)
        say(f"full console log: {args.log}")
        sys.exit(124 if a.timed_out else 125)

    must_pass = read_names(args.must_pass) if args.must_pass else []
    counts, problems = judge(a, must_pass)
    if a.booted_at is None:  # the guest gave up before its tests (status 125)
        timing = "the guest failed before booting its tests"
    else:
        timing = (f"boot {a.booted_at:.1f} s (qemu start to the guest's init), "
                  f"guest suite {a.exit_at - a.booted_at:.1f} s")
    say(f"{args.label}, qemu {accel.upper()}: {timing}; guest exit status {a.guest_status}")
    for problem in problems:
        say(f"FAIL: {problem}")
    status = a.guest_status or (1 if problems else 0)
    if status != 0:
        say(f"FAILED (status {status}); full console log: {args.log}")
    print(f"test-vm: {counts['OK']} passed, {counts['FAILED']} failed, {counts['SKIPPED']} skipped", flush=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
