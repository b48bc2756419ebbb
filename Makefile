# Quick start on a fresh Debian 12 machine (as root):  make run   |   make test
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
DEBIAN_PACKAGES := cmake make g++ pkg-config libyaml-cpp-dev nlohmann-json3-dev libfmt-dev \
                   catch2 python3 python3-yaml libzip-dev libyaml-dev valgrind strace
# make fuzz: clang with libFuzzer and the sanitizer runtimes.
FUZZ_PACKAGES := clang libclang-rt-14-dev
SAN_BUILD ?= build-asan
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# GCC 12's -Wmaybe-uninitialized gives false positives under -fsanitize=address (57 in the
# sanitized build of 2026-11-27, all inside std::regex, std::function and moves of variants that
# hold nlohmann::json); the normal build, where it reports none, keeps the warning.
SAN_CXX_FLAGS := $(SAN_FLAGS) -Wno-maybe-uninitialized
FUZZ_SECONDS ?= 180
FUZZ_TARGETS ?=
BENCH_PACKAGES := libbenchmark-dev hyperfine time valgrind
BENCH_FLAGS ?=
LAMBDAFORM := $(BUILD)/cli/lambdaform

.PHONY: all setup deps install-missing build run test test-sanitize fuzz bench clean

all: build

# Installs whatever Debian package is missing (nothing when all are there).
deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(DEBIAN_PACKAGES)"

install-missing:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

setup: deps $(BUILD)/CMakeCache.txt

build: setup
	cmake --build $(BUILD) -j $(JOBS)

# The main job: render every example stack in templates/ into its committed template.yaml.
run: build
	@for spec in templates/*/stack.yaml; do \
	  dir=$$(dirname $$spec); \
	  $(LAMBDAFORM) render $$spec -o $$dir/template.yaml || exit 1; \
	  echo "rendered $$dir/template.yaml"; \
	done

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite again, built with AddressSanitizer + UndefinedBehaviorSanitizer (CI runs it
# after `make test`). valgrind cannot run sanitized binaries: that test runs in `make test`.
test-sanitize: deps
	cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$(SAN_CXX_FLAGS)" \
	  -DCMAKE_EXE_LINKER_FLAGS="$(SAN_FLAGS)" -DCMAKE_SHARED_LINKER_FLAGS="$(SAN_FLAGS)" \
	  -DLAMBDAFORM_STATIC_RUNTIME=OFF
	cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -E '^valgrind\.'

# libFuzzer campaign: every target (or FUZZ_TARGETS) for FUZZ_SECONDS each (docs/fuzzing.md).
fuzz: deps
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(FUZZ_PACKAGES)"
	tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The benchmark (bench/README.md): its own Release build in bench/out/, not the default build.
bench: deps
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(BENCH_PACKAGES)"
	python3 bench/run.py $(BENCH_FLAGS)

clean:
	rm -rf $(BUILD) $(SAN_BUILD) build-fuzz
