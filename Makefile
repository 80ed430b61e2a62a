# landatlas: `make run` serves the demo on http://127.0.0.1:8080, `make test` runs every test.
# Both install what is missing first (Debian packages, Go modules, npm packages).

SHELL := /bin/bash
BIN := bin/landatlas
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
GO_LDFLAGS := -X main.version=$(VERSION)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_EXTENSION := /usr/share/postgresql/15/extension/postgis.control
TEST_DB_DIR := .data/test
TEST_DB_PORT := 55433
BENCH_DB_PORT := 55434

.PHONY: run test deps web build bench fuzz fmt vet clean

run: deps web build
	./$(BIN) dev

# The test cluster is thrown away before and after, so every run starts from the migrations.
# Tests start streaming standbys of it under TEST_STANDBY_DIR (pgtest.StartStandby); any a killed
# test left running are stopped at the end too.
TEST_STANDBY_DIR := .data/test-standbys
test: deps web build
	@rm -rf $(TEST_DB_DIR) $(TEST_STANDBY_DIR)
	@set -euo pipefail; \
	url=$$(./$(BIN) devdb start -dir $(TEST_DB_DIR) -port $(TEST_DB_PORT) -fast); \
	trap 'for d in $(TEST_STANDBY_DIR)/*/standby; do [ -d "$$d" ] && ./$(BIN) devdb stop -dir "$$d"; done; \
		./$(BIN) devdb stop -dir $(TEST_DB_DIR) -port $(TEST_DB_PORT); rm -rf $(TEST_DB_DIR) $(TEST_STANDBY_DIR)' EXIT; \
	mkdir -p $(TEST_STANDBY_DIR); \
	export LANDATLAS_TEST_DATABASE_URL=$$url LANDATLAS_BIN=$(CURDIR)/$(BIN) LANDATLAS_TEST_STANDBY_DIR=$(CURDIR)/$(TEST_STANDBY_DIR); \
	go vet ./...; \
	go test -count=1 -timeout 30m ./...; \
	$(MAKE) --no-print-directory fuzz; \
	if [ -f web/package.json ]; then (cd web && npm test); fi

# Every fuzz target runs FUZZTIME new inputs (its seeds run with every go test); a failing input is
# written to the package's testdata/fuzz, to be kept as a regression seed. FUZZTIME is a count, not
# a duration: when a duration runs out mid-input, go test reports "context deadline exceeded" as a failure.
FUZZTIME ?= 3000x
fuzz:
	@set -euo pipefail; \
	for f in $$(grep -rl --include='*_test.go' '^func Fuzz' internal cmd); do \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "fuzz $$t ($$(dirname $$f), $(FUZZTIME))"; \
			if ! out=$$(go test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) ./$$(dirname $$f)/ 2>&1); then echo "$$out"; exit 1; fi; \
		done; \
	done

# Benchmarks on their own cluster with 100,000 demo parcels (BENCH_PARCELS to change); BENCH and
# BENCH_PKGS pick benchmarks and packages (go test -bench), e.g. BENCH=Tile BENCH_PKGS=./internal/tiles/.
# Each size has its own cluster (.data/bench for 100,000 parcels, .data/bench-N for others).
BENCH_PARCELS ?= 100000
BENCH_DB_DIR ?= $(if $(filter 100000,$(BENCH_PARCELS)),.data/bench,.data/bench-$(BENCH_PARCELS))
BENCH ?= .
BENCH_PKGS ?= ./...
bench: deps build
	@set -euo pipefail; \
	url=$$(./$(BIN) devdb start -dir $(BENCH_DB_DIR) -port $(BENCH_DB_PORT) -fast -database bench); \
	trap './$(BIN) devdb stop -dir $(BENCH_DB_DIR) -port $(BENCH_DB_PORT)' EXIT; \
	./$(BIN) migrate -database-url $$url; \
	n=$$(psql -tA "$$url" -c 'SELECT count(*) FROM parcels'); \
	if [ "$$n" = 0 ]; then \
		./$(BIN) seed -database-url $$url -demo -parcels $(BENCH_PARCELS); \
	elif [ "$$n" != $(BENCH_PARCELS) ]; then \
		echo "$(BENCH_DB_DIR) holds $$n parcels, not BENCH_PARCELS=$(BENCH_PARCELS): give another BENCH_DB_DIR or remove it" >&2; exit 1; \
	else ./$(BIN) seed -database-url $$url; fi; \
	LANDATLAS_BENCH_DATABASE_URL=$$url go test -run '^$$' -bench '$(BENCH)' -benchtime 3s -timeout 60m $(BENCH_PKGS)

deps: .data/.deps-apt .data/.deps-go $(if $(wildcard web/package.json),web/node_modules/.package-lock.json)

# Debian packages: PostGIS for the local cluster, GDAL for imports and the OGC client checks,
# Chromium for the browser tests and the monitoring report's PDF, poppler-utils to read a PDF back. apt-get runs only when something is missing.
.data/.deps-apt:
	@mkdir -p .data
	@if [ ! -f $(PG_EXTENSION) ] || ! command -v ogr2ogr >/dev/null || ! command -v psql >/dev/null \
		|| ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then \
		echo "installing Debian packages (postgresql-15-postgis-3 gdal-bin chromium poppler-utils)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			postgresql-15 postgresql-15-postgis-3 postgresql-client-15 gdal-bin chromium poppler-utils fonts-dejavu-core >/dev/null; \
	fi
	@touch $@

.data/.deps-go: go.mod go.sum
	@mkdir -p .data
	go mod download
	@touch $@

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web: deps
	@if [ -f web/package.json ]; then cd web && npm run build; fi

build: deps
	go build -ldflags "$(GO_LDFLAGS)" -o $(BIN) ./cmd/landatlas

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	go vet ./...

clean:
	rm -rf bin $(TEST_DB_DIR) $(BENCH_DB_DIR)
