# The two commands of the README: `make report` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := report
DAGSTER_HOME_DIR := $(CURDIR)/.dagster_home

.PHONY: setup report test lint dev bench dagster-home

setup:
	@tools/setup.sh >/dev/null

# The local Dagster instance: runs of `make report` and `make dev` are recorded there (run queue, telemetry off).
dagster-home:
	@mkdir -p $(DAGSTER_HOME_DIR) && cp deploy/dagster.local.yaml $(DAGSTER_HOME_DIR)/dagster.yaml

# exit 1 = published with findings to review (the sample's deliberately bad rows): still a report
report: dagster-home
	@uv=$$(tools/setup.sh) && { DAGSTER_HOME=$(DAGSTER_HOME_DIR) $$uv run szei run; rc=$$?; [ $$rc -le 1 ]; }

# the linters first: a finding fails in seconds (ruff) or half a minute (sqlfluff), before the ~10-minute suite
test:
	@uv=$$(tools/setup.sh) && $$uv run ruff check . && $$uv run sqlfluff lint sql && $$uv run pytest

# ruff on the Python, sqlfluff (DuckDB dialect, settings in pyproject.toml) on the SQL models and checks
lint:
	@uv=$$(tools/setup.sh) && $$uv run ruff check . && $$uv run sqlfluff lint sql

# The Dagster UI and daemon (dg dev) on http://127.0.0.1:3000; Ctrl-C stops it.
dev: dagster-home
	@uv=$$(tools/setup.sh) && DAGSTER_HOME=$(DAGSTER_HOME_DIR) exec $$uv run dg dev -h 127.0.0.1 -p 3000

bench:
	@uv=$$(tools/setup.sh) && $$uv run python -m benchmarks.run
