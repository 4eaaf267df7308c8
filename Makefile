# The two commands of the README, run as root on a fresh Debian 12 machine:
#   make demo   installs what is missing, builds, runs mmapsnoop
#   make test   installs what is missing, builds, runs every test through ctest
# and make bench, the side-by-side benchmarks against libbpf, and make
# test-vm, the kernel tests again on Debian's 6.1 kernel under qemu.
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
DEMO_ARGS ?= -d 10
CTEST_ARGS ?=

# Debian packages: the build, the tests, and the benchmark peers (libbpf-dev
# and bpftool are peers only: nothing of bpfxx links them).
PACKAGES := cmake ninja-build make g++ clang llvm ccache pkg-config \
	libgtest-dev libgmock-dev libbenchmark-dev libfmt-dev libcli11-dev nlohmann-json3-dev \
	zlib1g-dev linux-libc-dev libbpf-dev libelf-dev bpftool iproute2 util-linux valgrind
# Only for make test-vm (tests/vm/run.sh): the emulator, the guest's static
# busybox, and depmod for the kernel package's module dependencies. The
# kernel package itself is downloaded, not installed.
VM_PACKAGES := qemu-system-x86 busybox-static kmod

.PHONY: all deps vm-deps configure build test test-vm demo bench mounts clean fuzz

all: build

deps: DEPS_PACKAGES = $(PACKAGES)
vm-deps: DEPS_PACKAGES = $(VM_PACKAGES)
deps vm-deps:
	@missing=""; for p in $(DEPS_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing Debian packages:$$missing (run as root to install them)"; exit 1; fi; \
	  echo "installing:$$missing"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

configure: deps
	@if [ ! -f $(BUILD)/build.ninja ]; then \
	  cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DBPFXX_WERROR=ON; \
	fi

build: configure
	cmake --build $(BUILD)

# tracefs for tracepoints and kprobes, bpffs for pins (root only).
mounts:
	@if [ "$$(id -u)" = 0 ]; then \
	  mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing; \
	  mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf; \
	fi

# As root, kernel tests must run: BPFXX_REQUIRE_KERNEL_TESTS turns their
# "needs root" skip into a failure, so CI can never skip them silently.
test: build mounts
	cd $(BUILD) && BPFXX_REQUIRE_KERNEL_TESTS=$$([ "$$(id -u)" = 0 ] && echo 1 || echo 0) \
	  ctest --output-on-failure -j2 $(CTEST_ARGS)

# The kernel test binary again, inside Debian's 6.1 kernel under qemu, where
# kprobes (and later fentry, LSM) run for real; see the README.
test-vm: build vm-deps
	tests/vm/run.sh $(BUILD)

demo: build mounts
	$(BUILD)/examples/mmapsnoop/mmapsnoop $(DEMO_ARGS)

bench: build mounts
	$(BUILD)/bench/bpfxx_bench
	$(BUILD)/bench/bpfxx_bench --no-core
	$(BUILD)/bench/bpfxx_bench_btf
	$(BUILD)/bench/bpfxx_bench_btf_open
	$(BUILD)/bench/bpfxx_bench_core
	$(BUILD)/bench/bpfxx_bench_open_mem
	@if [ -x $(BUILD)/bench/bpfxx_bench_instr ]; then $(BUILD)/bench/bpfxx_bench_instr; else \
	  echo "bpfxx_bench_instr not built: valgrind/callgrind.h was missing when $(BUILD) was configured (rm $(BUILD)/CMakeCache.txt and rerun)"; fi

# libFuzzer + ASan + UBSan on every parser, FUZZ_SECONDS each, seeded from
# the test objects of a normal build. Crashes land in the working directory.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := elf btf btf_ext object_spec section_name verifier_log
fuzz: build
	@[ -f $(FUZZ_BUILD)/build.ninja ] || cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_CXX_COMPILER=clang++ -DBPFXX_BUILD_FUZZ=ON -DBPFXX_BUILD_TESTS=OFF -DBPFXX_BUILD_BENCH=OFF \
	  -DBPFXX_BUILD_EXAMPLES=OFF
	cmake --build $(FUZZ_BUILD) --target $(addprefix bpfxx_fuzz_,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	  seeds=""; \
	  case $$t in elf|object_spec) seeds="$(BUILD)/tests";; btf) seeds="$(BUILD)/fuzz/seeds/btf";; \
	    btf_ext) seeds="$(BUILD)/fuzz/seeds/btf_ext";; esac; \
	  dirs=""; for d in fuzz/corpus/$$t $$seeds; do [ -d $$d ] && dirs="$$dirs $$d"; done; \
	  echo "== fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/fuzz/bpfxx_fuzz_$$t $(FUZZ_BUILD)/corpus/$$t $$dirs \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 || exit 1; \
	done

clean:
	rm -rf $(BUILD)
