# `make run` and `make test` do all set-up on a fresh machine; `make ci` is what .ci/run calls.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD := trainer/static/build
ASSETS := $(BUILD)/app.css $(BUILD)/govuk-frontend.min.js $(BUILD)/assets/manifest.json $(BUILD)/fonts/DejaVuSans.ttf
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test ci lint format lock assets db test-postgres test-browser chromium bench clean

run: $(STAMP) assets db
	$(BIN)/trainer serve

test: $(STAMP) assets
	$(BIN)/pytest

ci: lint test test-postgres test-browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Dependencies come from the lock, pinned with hashes; `make lock` writes it from pyproject.toml.
$(STAMP): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --no-header -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --no-header -o requirements-dev.lock

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: $(ASSETS)

$(BUILD)/app.css: node_modules/.package-lock.json trainer/static/src/app.scss
	mkdir -p $(BUILD)
	npx sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps trainer/static/src/app.scss $@

$(BUILD)/govuk-frontend.min.js: node_modules/.package-lock.json
	mkdir -p $(BUILD)
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

$(BUILD)/assets/manifest.json: node_modules/.package-lock.json
	mkdir -p $(BUILD)/assets
	cp -R node_modules/govuk-frontend/dist/govuk/assets/images $(BUILD)/assets/
	cp node_modules/govuk-frontend/dist/govuk/assets/manifest.json $@

# PDFs embed DejaVu Sans (free licence, covers £ and accented names), from the npm package.
$(BUILD)/fonts/DejaVuSans.ttf: node_modules/.package-lock.json
	mkdir -p $(BUILD)/fonts
	cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf node_modules/dejavu-fonts-ttf/LICENSE $(BUILD)/fonts/

db: $(STAMP)
	$(BIN)/trainer init-db
	$(BIN)/trainer seed-demo

test-postgres: $(STAMP) assets
	TRAINER_TEST_DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest tests/app -m "not browser"

chromium:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

test-browser: $(STAMP) assets chromium
	TRAINER_REQUIRE_BROWSER=1 $(BIN)/pytest tests/browser

# Every benchmark, then docs/performance.md rewritten (bench/run.py); BENCH_ARGS=--quick for a short run.
bench: $(STAMP) assets
	@test -x /usr/bin/wrk || (apt-get update && apt-get install -y wrk)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(BUILD) instance/*.db
