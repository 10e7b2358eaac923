# mltrack: build, test, benchmark and fuzz. Every target installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

SWIFT ?= swift
CONFIG ?= release
APT_PACKAGES := libopenblas-dev liblapacke-dev libsnappy-dev libzstd-dev liblz4-dev libbrotli-dev zlib1g-dev libsqlite3-dev pkg-config curl
VENV := .venv
PY := $(VENV)/bin/python
BIN := .build/$(CONFIG)/mltrack
DEMO_DIR := .tmp/demo

.PHONY: deps build test test-swift bench bench-tools soak fuzz demo venv clean sample

## deps: install the Debian packages mltrack links against (only those missing).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## venv: the Python peers used by interoperability tests and benchmarks (pinned in requirements.txt).
venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

## build: the release binary at .build/release/mltrack.
build: deps
	$(SWIFT) build -c $(CONFIG) --product mltrack

## test: every test, with the Python peers installed (what CI runs).
test: deps venv
	@mkdir -p .build
	MLTRACK_PYTHON=$(abspath $(PY)) $(SWIFT) test --parallel 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}

## demo: the main job on the sample Gold tables.
demo: build
	@bash tools/demo.sh $(BIN)

## bench-tools: wrk, the HTTP load generator of the serving benchmark and the soak test (only if missing).
bench-tools:
	@if ! command -v wrk > /dev/null; then \
	  echo "installing: wrk"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; \
	fi

## bench: throughput against the peers (pyarrow, scikit-learn, implicit, mlflow models serve, mlflow server),
## recorded in docs/BENCHMARKS.md. BENCH_ONLY=serve,score runs only the scoring groups, BENCH_ONLY=tracking
## only the tracking server against mlflow server.
bench: build venv bench-tools
	@bash Benchmarks/run.sh $(BIN) $(PY)

## soak: `mltrack serve` under wrk load for SOAK_SECONDS (default 180) with a promotion half-way: zero
## errors, the new version served, bounded memory, /metrics matching wrk's count.
soak: build bench-tools
	@bash Benchmarks/soak.sh $(BIN)

## fuzz: libFuzzer + ASan over the Parquet and Delta-log decoders, the scoring-row JSON parser, the
## scoring server's request JSON parser and the tracking server's request parser (FUZZ_SECONDS each,
## default 300).
fuzz: deps
	@bash Fuzz/run.sh && bash Fuzz/run-delta.sh && bash Fuzz/run-features.sh && bash Fuzz/run-serving.sh && bash Fuzz/run-tracking.sh

## sample: regenerate the shipped sample Gold tables under Experiments/gold/ (deterministic).
sample: build
	rm -rf Experiments/gold/customers Experiments/gold/interactions
	$(BIN) gold synth churn --rows 5000 --seed 7 --batch-rows 2500 --out Experiments/gold/customers
	$(BIN) gold synth interactions --rows 50000 --seed 7 --out Experiments/gold/interactions

clean:
	rm -rf .build .tmp
