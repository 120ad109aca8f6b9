# The two set-up commands of the README:
#   make run    start the server on embedded SQLite (http://127.0.0.1:8080/docs)
#   make test   run the whole test suite
# Both provision the ONNX Runtime library from the pinned PyPI wheel first.

SHELL := /bin/bash
ORT_DYLIB_PATH ?= $(shell scripts/provision-ort.sh)
export ORT_DYLIB_PATH

.PHONY: run run-gpu test ort lint bench

ort:
	@echo "ONNX Runtime: $(ORT_DYLIB_PATH)"

run: ort
	cargo run --release -p blueprint-server -- serve

# The server on the GPU: ONNX Runtime's CUDA build and the pinned CUDA runtime wheels from PyPI
# (scripts/provision-ort.sh, scripts/cuda-wheels.txt; about 2.4 GB once), no system CUDA; the
# NVIDIA driver must be installed. Without a usable GPU it serves on the CPU and readyz says why.
run-gpu:
	lib="$$(ORT_PACKAGE=onnxruntime-gpu scripts/provision-ort.sh)" && dir="$$(dirname "$$lib")" && \
	LD_LIBRARY_PATH="$$dir/cuda:$$dir$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}" ORT_DYLIB_PATH="$$lib" \
		cargo run --release -p blueprint-server -- serve --execution-provider cuda

test: ort
	# A single-node Slurm for the study's array-job test (root and Debian's packages; where that
	# cannot be had, the test says loudly that it did not run).
	-scripts/slurm-local.sh
	# Default targets: libraries, binaries and tests (benchmarks run with `make bench`), the
	# store and API on SQLite.
	cargo test --workspace --locked
	# The API suite again on a throwaway PostgreSQL (Debian's package), with the tests only it
	# can run: catalogues compared, migrate both ways, two replicas with one killed. Where no
	# PostgreSQL can be had it says SKIPPED loudly (and fails under .ci/run).
	scripts/test-postgres.sh
	# The spec against the live server on the demo store, with a token (schemathesis from PyPI).
	scripts/schemathesis.sh 50
	# The results browser in Debian's chromium: every page, screenshots in target/browser-check.
	scripts/browser-check.sh target/browser-check
	# The Python client is what the spec generates, and the quickstart runs against a live
	# server (its psychometric plot in target/quickstart).
	scripts/python-client.sh check
	scripts/python-client.sh quickstart target/quickstart

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

# Benchmarks (not part of the test suite). PyTorch comes from PyPI into a cached venv.
BENCH_VENV := .cache/bench-venv
$(BENCH_VENV)/bin/python:
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check torch==2.15.0 numpy \
		scipy networkx==3.6.1 bctpy==0.6.1 leidenalg

bench: ort $(BENCH_VENV)/bin/python
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	BLUEPRINT_TORCH_PYTHON=$(abspath $(BENCH_VENV))/bin/python cargo bench -p blueprint-trainer --bench update
	cargo bench -p blueprint-trainer --bench study
	BLUEPRINT_METRICS_PYTHON=$(abspath $(BENCH_VENV))/bin/python cargo bench -p blueprint-server --bench http
	cargo bench -p blueprint-server --bench store
	BLUEPRINT_METRICS_PYTHON=$(abspath $(BENCH_VENV))/bin/python cargo bench -p blueprint-core --bench metrics
