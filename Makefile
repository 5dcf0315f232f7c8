# ganlab — two commands for a newcomer: `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN = .build/release/ganlab
DEMO ?= spiral

.PHONY: deps deps-video build demo test bench clean

deps:
	@scripts/install-deps.sh

deps-video:
	@scripts/install-deps.sh --with-ffmpeg

build: deps
	$(SWIFT) build -c release --product ganlab

# Trains the default experiment in a release build and prints where its files are.
demo: deps-video build
	$(RELEASE_BIN) run $(DEMO) --out output/demo/$(DEMO) --force

# The whole test suite (debug build; the end-to-end tests run the built binary).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Training speed (release build).
bench: build
	$(RELEASE_BIN) bench

clean:
	rm -rf .build output/demo
