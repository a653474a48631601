# modeldb — build, test, demo. `make help` lists the targets.
GO ?= go
BIN := bin/modeldb
# A static binary (no cgo: no dynamic loader at start-up) without urfave/cli's
# man-page generator: both shave milliseconds off every command.
BUILD := CGO_ENABLED=0 $(GO) build -trimpath -tags urfave_cli_no_docs

.PHONY: all build test test-short fuzz vet fmt demo bench clean help

all: build

build: ## build bin/modeldb
	$(BUILD) -o $(BIN) ./cmd/modeldb

test: vet ## run every test (what CI runs)
	$(GO) test -count=1 ./...

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
