# The two commands of the README: `make run` and `make test`. Both bootstrap
# .venv from the project's own files only.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo
DEMO_COMPANY := amikeo
# The policy dev set's texts, fetched once by `python -m bench.fetch_policy_devset --out DIR`.
POLICY_DEVSET ?= $(HOME)/.cache/gardien/policy-devset

.PHONY: run test lint typecheck pytest bench clean clean-demo

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The demo: a sample company shaped like AMIKEO's privacy policy (examples/amikeo.yaml),
# its database of generated people, gardien's store and an admin key, built once in
# ./demo by `gardien demo`, then the server on http://127.0.0.1:8000 with a worker in the
# same process to carry out requests (Ctrl-C to stop).
# Another company: make clean-demo run DEMO_COMPANY=komin (docs/demo.md).
run: $(STAMP)
	test -f $(DEMO)/privacy.yaml || $(BIN)/gardien demo --dir $(DEMO) --company $(DEMO_COMPANY) --no-serve > /dev/null
	@test -f $(DEMO)/getting-started.txt || { echo "$(DEMO)/ was made by an older make run (a starter declaration): remove it (make clean-demo) to build the demo company"; exit 1; }
	@cat $(DEMO)/getting-started.txt
	$(BIN)/gardien serve --with-worker --config $(DEMO)/privacy.yaml

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# pytest exits 5 when it collected no test: that is a failure of the suite,
# not a pass, so it is reported as such. The suite is CPU-bound Python: it runs on
# every core (pytest-xdist), each worker with its own PostgreSQL schemas and files,
# plus one: the end-to-end tests wait on servers, workers, the browser and PostgreSQL,
# and a third worker on 2 cores fills that wait (pytest 15 min 35 s with `-n auto`,
# 13 min 45 s with 3 workers and worksteal, 2026-12-07). worksteal hands the long
# end-to-end tests left at the end to whichever worker is free.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
pytest: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q -n $(PYTEST_WORKERS) --dist worksteal

test: lint typecheck pytest

# Benchmarks and slow scale tests; Presidio is installed for the side-by-side run.
# The redaction benchmark also scores the real-text dev set when it is there
# (../shared/dev-data, kept outside the repository; absent on CI).
# The retention sweep runs over the issue's 10,000,000 rows on PostgreSQL
# (GARDIEN_TEST_POSTGRES_URL), over 1,000,000 in a SQLite file otherwise.
PII_DEV := ../shared/dev-data/pii
PII_DEV_DATA := $(if $(wildcard $(PII_DEV)/fr.dev.jsonl),--data $(PII_DEV)/fr.dev.jsonl $(PII_DEV)/en.dev.jsonl,)

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m pytest -m slow -q
	$(BIN)/python -m bench.checks
	@test -n "$(PII_DEV_DATA)" || echo "real-text dev set $(PII_DEV) not found: redaction scored on the synthetic sentences only"
	$(BIN)/python -m bench.redact_eval $(PII_DEV_DATA)
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m bench.redact_ner_speed
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m bench.redact_stream
	$(BIN)/python -m bench.policy_lint_eval $(if $(wildcard $(POLICY_DEVSET)),--data $(POLICY_DEVSET))
	$(BIN)/python -m bench.demo_fill --people 100000
	$(BIN)/python -m bench.requests --people 20000 --runs 5 --sample 3
	$(BIN)/python -m bench.request_intake_timing --requests 300
	$(BIN)/python -m bench.retention --rows $(if $(GARDIEN_TEST_POSTGRES_URL),10000000,1000000)

clean-demo:
	rm -rf $(DEMO)

clean: clean-demo
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
