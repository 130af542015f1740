# Two commands for a fresh machine: `make run` and `make test` (see README).
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
# llama-cpp-python compiles from source; use both cores (pip caches the wheel afterwards).
export CMAKE_BUILD_PARALLEL_LEVEL := 2

# The chat page listens on this machine only; `make chat ADDRESS=0.0.0.0` exposes it deliberately.
ADDRESS ?= 127.0.0.1
PORT ?= 8501

.PHONY: setup test-setup run index chat test test-fast bench chaos clean-index

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# The pinned CPU torch first: a plain `torch` requirement would pull a multi-GB CUDA build.
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e .
	touch $@

setup: $(VENV)/.installed

$(VENV)/.test-installed: $(VENV)/.installed
	$(PIP) install -q -e '.[test]'
	# Debian's Chromium for the browser test (never a downloaded browser).
	command -v chromium >/dev/null || bash scripts/install-chromium.sh || echo "chromium unavailable: the browser test will skip"
	touch $@

test-setup: $(VENV)/.test-installed

index: setup
	$(VENV)/bin/archivist index

chat: setup
	$(VENV)/bin/streamlit run app.py --browser.gatherUsageStats false --server.address $(ADDRESS) --server.port $(PORT)

run: index chat

test: test-setup
	$(VENV)/bin/pytest -q

test-fast: test-setup
	$(VENV)/bin/pytest -q -m "not slow"

bench: test-setup
	$(PY) benchmarks/run_all.py

# Fault injection: builds killed with SIGKILL, concurrent builds, a rebuild while answering.
chaos: setup
	$(PY) benchmarks/chaos.py

clean-index:
	rm -rf index/manifest.json index/data-*
