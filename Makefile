# rtwsim: every target the README names. The virtual environment is created on first use.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Find a Python >= 3.12 (pyenv selects 3.12 via .python-version).
PYTHON := $(shell for p in python3.12 python3.13 python3.14 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
	  echo $$p; break; fi; done)

.PHONY: run test app bench docs clean venv

venv: $(STAMP)

# --compile-bytecode: uv writes no .pyc by default, and where PYTHONDONTWRITEBYTECODE is set (these machines)
# every process would compile pandas, scipy and numba from source again: 5.7 s CPU for `import model`, 2.4 s with it.
$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "ERROR: rtwsim needs Python 3.12 or newer, and none was found (tried python3.12, python3.13, python3.14, python3)." >&2; \
	  echo "       Install Python 3.12 (e.g. 'pyenv install 3.12') and run make again." >&2; exit 1; fi
	@[ -x $(BIN)/python ] && $(BIN)/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -e '.[dev]'
	@touch $(STAMP)

# The default comparison under every shipped evidence base (calibration/evidence/), side by side; each
# carries its calibration uncertainty: one replication per accepted parameter set.
run: $(STAMP)
	$(BIN)/rtwsim compare baseline_standard copenhagen_ibbis --seed 20261125 --evidence all

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	bash scripts/install_browser.sh
	$(BIN)/python -m pytest -q -n 2

app: $(STAMP)
	$(BIN)/streamlit run app.py --server.headless true

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_sensitivity.py

docs: $(STAMP)
	$(BIN)/python scripts/gen_parameters_doc.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
