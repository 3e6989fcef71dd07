# The README's two commands live here: `make run` and `make test`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)

.PHONY: run test bench bench-soak build-release build-dev deps test-deps

deps:
	./packaging/install-deps.sh

test-deps:
	./packaging/install-deps.sh --test

build-release: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

build-dev: test-deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)

# Sets up and runs the gateway on 127.0.0.1:4000 with the embedded SQLite default.
run: build-release
	@mkdir -p var
	@test -s var/secret.key || (umask 077 && openssl rand -base64 32 > var/secret.key)
	SLUICE_SECRET_KEY="$$(cat var/secret.key)" ./build/release/bin/sluice serve --config config/sluice.yaml

# Sets up and runs every test suite (unit, loader, conformance, integration, e2e, fuzz-replay).
test: build-dev
	ctest --preset dev -j $(JOBS)

# Builds a release, measures it side by side with direct-to-emulator, nginx and the Portkey
# gateway (installed here, not by `make test`), times every routing strategy's order() and
# counts Sluice's instructions per request under callgrind; writes docs/benchmarks.md.
bench: build-release
	./packaging/install-deps.sh --bench
	bench/portkey/install-portkey.sh build/release/portkey
	node bench/gateway_comparison.mjs build/release
	node bench/strategies/order_benchmark.mjs build/release
	node bench/instructions_per_request.mjs build/release

# Ten minutes of steady load on a release build, watching Sluice's memory; writes the soak
# section of docs/benchmarks.md.
bench-soak: build-release
	node bench/soak.mjs build/release
