# ganlab — two commands for a newcomer: `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN = .build/release/ganlab
DEMO ?= spiral

.PHONY: deps deps-video build demo test bench clean

deps:
	@.ci/install-deps.sh

deps-video:
	@.ci/install-deps.sh --with-ffmpeg

build: deps
	$(SWIFT) build -c release --product ganlab

# Trains the default experiment in a release build, renders its stills, the timelapse and the
# morph, encodes both as mp4 (when ffmpeg is there), and prints where everything is.
demo: deps-video build
	$(RELEASE_BIN) run $(DEMO) --out output/demo/$(DEMO) --force
	$(RELEASE_BIN) frames output/demo/$(DEMO) --sequence morph
	$(RELEASE_BIN) video output/demo/$(DEMO) --sequence timelapse
	$(RELEASE_BIN) video output/demo/$(DEMO) --sequence morph
	@echo
	@echo "pictures: output/demo/$(DEMO)/pictures/"
	@echo "frames:   output/demo/$(DEMO)/frames/{timelapse,morph}/"
	@echo "videos:   output/demo/$(DEMO)/videos/ (if ffmpeg was available)"

# The whole test suite (debug build; the end-to-end tests run the built binary).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Training speed against the PyTorch reference (release build): the sgemm ceiling, then ganlab and
# ../shared/bench/torch_reference.py alternately on spiral64/128/256/512 and u2n (README "Performance").
# Without PyTorch (pip install torch) it still runs and says the ratios were skipped.
bench: build
	$(RELEASE_BIN) bench --compare-torch

clean:
	rm -rf .build output/demo
