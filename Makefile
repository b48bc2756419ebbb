# Quick start on a fresh Debian 12 machine (as root):  make run   |   make test
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
DEBIAN_PACKAGES := cmake make g++ pkg-config libyaml-cpp-dev nlohmann-json3-dev libfmt-dev \
                   libcxxopts-dev catch2 python3 python3-yaml libzip-dev
BENCH_PACKAGES := libbenchmark-dev hyperfine time valgrind
BENCH_FLAGS ?=
LAMBDAFORM := $(BUILD)/cli/lambdaform

.PHONY: all setup deps build run test bench clean

all: build

# Installs whatever Debian package is missing (nothing when all are there).
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES) $(EXTRA_PACKAGES); do \
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

# The benchmark (bench/README.md): its own Release build in bench/out/, not the default build.
bench: EXTRA_PACKAGES = $(BENCH_PACKAGES)
bench: deps
	python3 bench/run.py $(BENCH_FLAGS)

clean:
	rm -rf $(BUILD)
