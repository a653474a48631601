# modeldb — build, test, demo. `make help` lists the targets.
GO ?= go
BIN := bin/modeldb
# A static binary (no cgo: no dynamic loader at start-up) without urfave/cli's
# man-page generator: both shave milliseconds off every command.
BUILD := CGO_ENABLED=0 $(GO) build -trimpath -tags urfave_cli_no_docs

.PHONY: all build test test-go test-python deps test-short fuzz vet fmt demo bench clean help

# The Debian Python, whose scikit-learn comes from apt (not pip).
PY := /usr/bin/python3

all: build

build: ## build bin/modeldb
	$(BUILD) -o $(BIN) ./cmd/modeldb

test: vet deps test-go test-python ## run every test (what CI runs)

test-go:
	$(GO) test -count=1 ./...

test-python: ## the Python client's tests, against Debian's scikit-learn
	$(PY) -m pytest -q clients/python/tests

deps: ## install the Debian packages the tests need, when missing (needs root)
	@$(PY) -c 'import sklearn, pandas, pytest' 2>/dev/null || { \
	  echo "installing python3-sklearn python3-pandas python3-pytest (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    python3-sklearn python3-pandas python3-pytest >/dev/null; }

test-short: ## the quick subset
	$(GO) test -short ./...

vet: ## gofmt check and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

FUZZTIME ?= 10s
fuzz: ## run every fuzz target for FUZZTIME each
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list 'Fuzz.*' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; done

demo: ## end-to-end demo: real scikit-learn runs on two branches, log, show, restore
	bash docs/examples/demo.sh

bench: ## modeldb vs git benchmarks (docs/benchmarks.md)
	bash bench/run.sh

clean:
	rm -rf bin bench/out

help:
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'
