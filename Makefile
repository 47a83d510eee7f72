# The two commands of the README: `make run` and `make test`. Both bootstrap
# .venv from the project's own files only.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo

.PHONY: run test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	test -f $(DEMO)/privacy.yaml || $(BIN)/gardien init $(DEMO)
	$(BIN)/gardien validate $(DEMO)/privacy.yaml
	$(BIN)/gardien notice $(DEMO)/privacy.yaml --lang en --format md

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# pytest exits 5 when it collected no test: that is a failure of the suite,
# not a pass, so it is reported as such.
pytest: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m pytest -m slow -q
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO) .mypy_cache .pytest_cache .ruff_cache
