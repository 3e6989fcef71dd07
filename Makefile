# The README's two commands live here: `make run` and `make test`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)

.PHONY: run test package package-check format-check test-asan test-tsan fuzz bench bench-soak build-release build-dev build-gateway deps test-deps

deps:
	./packaging/install-deps.sh

test-deps:
	./packaging/install-deps.sh --test

build-release: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

# Only what serving needs (the host and its plugins), so a first `make run` compiles no test.
build-gateway: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target sluice_gateway

build-dev: test-deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)

# Sets up and runs the gateway on 127.0.0.1:4000 with the embedded SQLite default.
run: build-gateway
	@mkdir -p var
	@test -s var/secret.key || (umask 077 && openssl rand -base64 32 > var/secret.key)
	SLUICE_SECRET_KEY="$$(cat var/secret.key)" ./build/release/bin/sluice serve --config config/sluice.yaml

# Sets up and runs every test suite (unit, loader, conformance, integration, e2e, fuzz-replay).
test: build-dev
	ctest --preset dev -j $(JOBS)

# The Debian packages (docs/packaging.md), in build/release: sluice_<version>_amd64.deb, the
# gateway and its plugins only, stripped, Depends computed by dpkg-shlibdeps; and
# sluice-sdk-dev_<version>_amd64.deb, the plugin SDK with its testing kit.
package: build-gateway
	cmake --build --preset release -j $(JOBS) --target sluice_sdk_testing
	cd build/release && cpack

# The package tests alone (`make test` runs them too): the host's .deb from the dev tree,
# unpacked with dpkg -x, started from there, /readyz 200, SIGTERM drains and exits 0; the SDK's,
# unpacked, the example plugin built and tested against it alone.
package-check: test-deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS) --target sluice_gateway sluice_sdk_testing
	ctest --preset dev -L package

# Every tracked C and C++ file must already be laid out by Debian's clang-format 14 with the
# repo's .clang-format; CI runs this first, so a layout slip fails in seconds.
format-check: test-deps
	git ls-files -z '*.cpp' '*.hpp' '*.h' '*.cc' | xargs -0 clang-format-14 --dry-run -Werror

# The unit, integration and fuzz-replay suites again under AddressSanitizer and
# UndefinedBehaviorSanitizer (the asan preset); any report fails the test that caused it.
# CI runs it after `make test`.
SANITIZED_LABELS := '^(unit|integration|fuzz-replay)$$'
test-asan: test-deps
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --preset asan -j $(JOBS) -L $(SANITIZED_LABELS)

# The unit and integration suites under ThreadSanitizer (the tsan preset). Not part of CI: a
# ThreadSanitizer build runs the suites several times slower. tests/sanitizers/tsan.supp holds
# the false positives of system libraries, each with its reason.
test-tsan: test-deps
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/sanitizers/tsan.supp \
	  ctest --preset tsan -j $(JOBS) -L '^(unit|integration)$$'

# Every libFuzzer target (tests/fuzz/*_fuzz.cpp), built with clang, run for FUZZ_RUNS
# executions each from its checked-in corpus. New inputs go to build/fuzz/corpus/<target>, crash
# reproducers to build/fuzz/findings/<target>/: once fixed, copy a reproducer into
# tests/fuzz/corpus/<target> so `make test` replays it. Hours at the default; not part of CI.
FUZZ_RUNS ?= 10000000
FUZZ_TARGETS := $(patsubst tests/fuzz/%_fuzz.cpp,%,$(wildcard tests/fuzz/*_fuzz.cpp))
fuzz:
	./packaging/install-deps.sh --fuzz
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS) --target $(addprefix sluice_fuzz_,$(FUZZ_TARGETS))
	set -e; for target in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus/$$target build/fuzz/findings/$$target; \
	  echo "== $$target: $(FUZZ_RUNS) runs"; \
	  ./build/fuzz/bin/sluice_fuzz_$$target -runs=$(FUZZ_RUNS) -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/findings/$$target/ \
	    build/fuzz/corpus/$$target tests/fuzz/corpus/$$target; \
	done

# Builds a release, measures it side by side with direct-to-emulator, nginx and the Portkey
# gateway (installed here, not by `make test`), serves turns beside thousands of slow and idle
# connections (the open-files limit raised to its hard limit for them), times every routing
# strategy's order() and counts Sluice's instructions per request under callgrind; writes
# docs/benchmarks.md.
bench: build-release
	./packaging/install-deps.sh --bench
	bench/portkey/install-portkey.sh build/release/portkey
	node bench/gateway_comparison.mjs build/release
	ulimit -n "$$(ulimit -Hn)" && node bench/slow_clients.mjs build/release
	node bench/strategies/order_benchmark.mjs build/release
	node bench/instructions_per_request.mjs build/release

# Ten minutes of steady load on a release build, watching Sluice's memory; writes the soak
# section of docs/benchmarks.md.
bench-soak: build-release
	node bench/soak.mjs build/release
