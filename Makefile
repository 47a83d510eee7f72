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

# The embedded demo: a starter declaration, its notice and register, a service
# API key, then the server on http://127.0.0.1:8000 (Ctrl-C to stop).
run: $(STAMP)
	test -f $(DEMO)/privacy.yaml || $(BIN)/gardien init $(DEMO)
	$(BIN)/gardien validate $(DEMO)/privacy.yaml
	$(BIN)/gardien notice $(DEMO)/privacy.yaml --lang fr --format html -o $(DEMO)/notice.fr.html
	$(BIN)/gardien notice $(DEMO)/privacy.yaml --lang en --format html -o $(DEMO)/notice.en.html
	$(BIN)/gardien register $(DEMO)/privacy.yaml --format xlsx -o $(DEMO)/register.xlsx
	test -f $(DEMO)/service.key || (umask 077 && $(BIN)/gardien keys create --role service \
		--label demo --config $(DEMO)/privacy.yaml | tail -n 1 > $(DEMO)/service.key)
	@echo "API key of the demo's product: $$(cat $(DEMO)/service.key) (in $(DEMO)/service.key)"
	@echo "Try: curl -s -X POST http://127.0.0.1:8000/api/v1/checks -H \"Authorization: Bearer \$$(cat $(DEMO)/service.key)\" -H 'Content-Type: application/json' -d '{\"identity\": {\"email\": \"alice@example.com\"}, \"purpose\": \"newsletter\"}'"
	@echo "Redact: curl -s -X POST http://127.0.0.1:8000/api/v1/redact -H \"Authorization: Bearer \$$(cat $(DEMO)/service.key)\" -H 'Content-Type: application/json' -d '{\"text\": \"Bonjour, je suis Marie Dubois, tél. 06 12 34 56 78.\"}'"
	@echo "The notice is served at http://127.0.0.1:8000/notice/fr and /notice/en"
	$(BIN)/gardien serve --config $(DEMO)/privacy.yaml

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

# Benchmarks and slow scale tests; Presidio is installed for the side-by-side run.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m pytest -m slow -q
	$(BIN)/python -m bench.checks
	$(BIN)/python -m bench.redact_eval
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m bench.redact_ner_speed
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m bench.redact_stream
	$(BIN)/python -m bench.policy_lint_eval

clean:
	rm -rf $(VENV) $(DEMO) .mypy_cache .pytest_cache .ruff_cache
