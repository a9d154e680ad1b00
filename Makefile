# The two commands of the README: `make report` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := report
DAGSTER_HOME_DIR := $(CURDIR)/.dagster_home

.PHONY: setup report test dev bench

setup:
	@tools/setup.sh >/dev/null

report:
	@uv=$$(tools/setup.sh) && $$uv run szei run

test:
	@uv=$$(tools/setup.sh) && $$uv run pytest

dev:
	@uv=$$(tools/setup.sh) && mkdir -p $(DAGSTER_HOME_DIR) \
	  && printf 'telemetry:\n  enabled: false\n' > $(DAGSTER_HOME_DIR)/dagster.yaml \
	  && DAGSTER_HOME=$(DAGSTER_HOME_DIR) exec $$uv run dagster dev -h 127.0.0.1 -p 3000

bench:
	@uv=$$(tools/setup.sh) && $$uv run python -m benchmarks.run
