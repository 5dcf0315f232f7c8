# ganlab — two commands for a newcomer: `make demo` and `make test`.
SWIFT ?= swift
# bash for `make fuzz` (PIPESTATUS).
SHELL := /bin/bash
RELEASE_BIN = .build/release/ganlab
# Build the engine's hand-written product tiles 16 lanes wide when this machine has AVX-512
# (Package.swift; 5–11 % faster training on most configurations, docs/PERFORMANCE.md). The
# binary then needs an AVX-512 CPU: `make GANLAB_AVX512=0 ...` builds the portable AVX2 version.
ifndef GANLAB_AVX512
GANLAB_AVX512 := $(shell for x in avx512f avx512vl avx512bw avx512dq; do \
	grep -qw "$$x" /proc/cpuinfo 2>/dev/null || { echo 0; exit; }; done; echo 1)
endif
export GANLAB_AVX512
DEMO ?= spiral

.PHONY: deps deps-browser deps-video deps-slurm build install demo test slurm-test bench fuzz fuzz-build pictures tear-fixtures clean

deps:
	@.ci/install-deps.sh

deps-browser:
	@.ci/install-deps.sh --with-chromium

deps-video:
	@.ci/install-deps.sh --with-ffmpeg

# Slurm and MUNGE, for `make slurm-test` only (Tests/Slurm/node.sh install).
deps-slurm:
	@Tests/Slurm/node.sh install

build: deps
	$(SWIFT) build -c release --product ganlab

# Installs the release binary as PREFIX/bin/ganlab and the experiments as
# PREFIX/share/ganlab/experiments, where the binary finds them from any folder.
PREFIX ?= /usr/local
install: build
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/ganlab"
	install -m 755 $(RELEASE_BIN) "$(DESTDIR)$(PREFIX)/bin/ganlab"
	rm -rf "$(DESTDIR)$(PREFIX)/share/ganlab/experiments"
	cp -R experiments "$(DESTDIR)$(PREFIX)/share/ganlab/experiments"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/ganlab and $(DESTDIR)$(PREFIX)/share/ganlab/experiments/"

# Trains the default experiment in a release build, renders its stills, the timelapse and the
# morph, encodes both as mp4 (when ffmpeg is there), writes the run's report page, and prints
# where everything is.
demo: deps-video build
	$(RELEASE_BIN) run $(DEMO) --out output/demo/$(DEMO) --force
	$(RELEASE_BIN) frames output/demo/$(DEMO) --sequence morph
	$(RELEASE_BIN) video output/demo/$(DEMO) --sequence timelapse
	$(RELEASE_BIN) video output/demo/$(DEMO) --sequence morph
	$(RELEASE_BIN) report output/demo/$(DEMO)
	@echo
	@echo "pictures: output/demo/$(DEMO)/pictures/"
	@echo "frames:   output/demo/$(DEMO)/frames/{timelapse,morph}/"
	@echo "videos:   output/demo/$(DEMO)/videos/ (if ffmpeg was available)"
	@echo "report:   output/demo/$(DEMO)/report/index.html (open it in a browser)"

# The whole test suite (debug build; the end-to-end tests run the built binary, the report
# page's tests open it in headless Chromium). GANLAB_KERNELS=fixed makes `train.kernels: auto`
# mean the build's fixed kernel plan, so runs do not depend on what this machine measured; the
# planner's own tests measure regardless.
test: deps-browser
	$(SWIFT) build --build-tests
	GANLAB_KERNELS=fixed $(SWIFT) test --skip-build

# A real single-node Slurm cluster on this machine (docs/SLURM.md): as root, installs slurmctld,
# slurmd, slurm-client and munge when missing, starts munged, slurmctld and slurmd, runs a job
# array and a dependent job through them, then the `ganlab sweep --slurm` stage (skipped while the
# binary has no --slurm), and stops the daemons again. About 15 s.
slurm-test: build deps-slurm
	GANLAB_KERNELS=fixed Tests/Slurm/slurm-test.sh

# Training speed against the PyTorch and JAX references (release build): the sgemm ceiling, then
# ganlab, Benchmarks/torch_reference.py and Benchmarks/jax_reference.py alternately on
# spiral64/128/256/512 and u2n (docs/PERFORMANCE.md), each row with both ratios. Without PyTorch
# (pip install torch) or JAX (pip install jax optax) it still runs and says which ratios were
# skipped. The penalised comparisons are PyTorch's alone (the JAX reference has no penalties).
bench: build
	$(RELEASE_BIN) bench --compare
	$(RELEASE_BIN) bench --part penalty
	$(RELEASE_BIN) bench --compare --configs spiral64,spiral512 --penalty r1
	$(RELEASE_BIN) bench --compare --configs spiral64,spiral512 --penalty wgan-gp

# libFuzzer on the experiment-file and sweep-file parsers, the snapshot/trace readers and the PNG
# decoder (docs/ROBUSTNESS.md): release build with the fuzzer and AddressSanitizer in .build-fuzz
# (the fuzz targets exist only when GANLAB_FUZZ=1), then each target for FUZZ_SECONDS on its seed
# corpus in Tests/FuzzCorpus, one after the other. New corpus entries, crash/timeout/oom inputs and
# logs go to fuzz-findings/ (git-ignored); a finding stops `make fuzz` with libFuzzer's report and
# the input's path.
FUZZ_SECONDS ?= 600
FUZZ_SWIFT = GANLAB_FUZZ=1 $(SWIFT) build --scratch-path .build-fuzz -c release \
	--sanitize fuzzer --sanitize address \
	-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp,indirect-calls
# target:corpus folder pairs
FUZZ_TARGETS = FuzzExperimentFile:experiment-file FuzzSnapshot:snapshot FuzzSweepFile:sweep-file FuzzPicture:picture FuzzPointSet:point-set

fuzz-build:
	@for pair in $(FUZZ_TARGETS); do \
		$(FUZZ_SWIFT) --product $${pair%%:*} || exit 1; \
	done

fuzz: fuzz-build
	@for pair in $(FUZZ_TARGETS); do \
		target=$${pair%%:*}; corpus=$${pair##*:}; out=fuzz-findings/$$corpus; \
		mkdir -p $$out/corpus; \
		echo "== $$target: $(FUZZ_SECONDS) s on Tests/FuzzCorpus/$$corpus (log: $$out/fuzz.log)"; \
		SWIFT_BACKTRACE=enable=no .build-fuzz/release/$$target \
			-max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix=$$out/ \
			$$out/corpus Tests/FuzzCorpus/$$corpus 2>&1 | tee $$out/fuzz.log | grep -v -E '^(#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)|[[:space:]]+NEW_FUNC)'; \
		status=$${PIPESTATUS[0]}; [ $$status -eq 0 ] || { echo "$$target found a problem: see $$out/"; exit $$status; }; \
	done

# The pictures committed under docs/images/ and shown by README.md and docs/GALLERY.md (a few
# minutes: trains the spiral demo, spiral-residual and spiral-shallow-wide into output/pictures/).
# Small panels keep each PNG well under 300 KB.
IMAGES = docs/images
PICTURE_RUNS = output/pictures
pictures: build
	mkdir -p $(IMAGES) $(PICTURE_RUNS)
	$(RELEASE_BIN) run spiral --out $(PICTURE_RUNS)/spiral --force --no-render
	$(RELEASE_BIN) render $(PICTURE_RUNS)/spiral --view mapping --size 280 --out $(IMAGES)/spiral-mapping.png
	$(RELEASE_BIN) render $(PICTURE_RUNS)/spiral --view tears --size 320 --out $(IMAGES)/spiral-tears.png
	$(RELEASE_BIN) cppn cppn-tanh-8x16 --size 320 --out $(IMAGES)/cppn-tanh-8x16.png
	$(RELEASE_BIN) run spiral-residual --out $(PICTURE_RUNS)/spiral-residual --force --no-render
	$(RELEASE_BIN) run spiral-shallow-wide --out $(PICTURE_RUNS)/spiral-shallow-wide --force --no-render
	$(RELEASE_BIN) compare $(PICTURE_RUNS)/spiral-residual $(PICTURE_RUNS)/spiral-shallow-wide \
		--size 200 --out $(IMAGES)/compare-residual-vs-shallow.png --csv $(PICTURE_RUNS)/residual-vs-shallow.csv
	$(RELEASE_BIN) run ring8 --seed 1 --out $(PICTURE_RUNS)/ring8 --force --no-render
	$(RELEASE_BIN) run ring8-instance-noise --seed 1 --out $(PICTURE_RUNS)/ring8-instance-noise --force --no-render
	$(RELEASE_BIN) compare $(PICTURE_RUNS)/ring8 $(PICTURE_RUNS)/ring8-instance-noise \
		--size 200 --out $(IMAGES)/remedy-ring8-instance-noise.png --csv $(PICTURE_RUNS)/ring8-instance-noise.csv
	$(RELEASE_BIN) run ring8-pacgan --seed 1 --set train.threads=1 --out $(PICTURE_RUNS)/ring8-pacgan --force --no-render
	$(RELEASE_BIN) run ring8-pacgan-pac2 --seed 1 --set train.threads=1 --out $(PICTURE_RUNS)/ring8-pacgan-pac2 --force --no-render
	$(RELEASE_BIN) compare $(PICTURE_RUNS)/ring8-pacgan $(PICTURE_RUNS)/ring8-pacgan-pac2 \
		--size 200 --out $(IMAGES)/remedy-ring8-pacgan-pac2.png --csv $(PICTURE_RUNS)/ring8-pacgan-pac2.csv
	$(RELEASE_BIN) run eight-gaussians-ema --seed 1 --out $(PICTURE_RUNS)/eight-gaussians-ema --force --no-render
	$(RELEASE_BIN) compare $(PICTURE_RUNS)/eight-gaussians-ema $(PICTURE_RUNS)/eight-gaussians-ema+ema \
		--size 200 --out $(IMAGES)/remedy-eight-gaussians-ema.png --csv $(PICTURE_RUNS)/eight-gaussians-ema.csv
	$(RELEASE_BIN) run spiral --seed 1 --out $(PICTURE_RUNS)/spiral-seed1 --force --no-render
	$(RELEASE_BIN) run spiral-r1 --seed 1 --out $(PICTURE_RUNS)/spiral-r1 --force --no-render
	$(RELEASE_BIN) compare $(PICTURE_RUNS)/spiral-seed1 $(PICTURE_RUNS)/spiral-r1 \
		--size 200 --out $(IMAGES)/remedy-spiral-r1.png --csv $(PICTURE_RUNS)/spiral-r1.csv
	$(RELEASE_BIN) run eight-gaussians --seed 1 --out $(PICTURE_RUNS)/eight-gaussians --force --no-render
	for remedy in eight-gaussians-r1 eight-gaussians-sn; do \
		$(RELEASE_BIN) run $$remedy --seed 1 --out $(PICTURE_RUNS)/$$remedy --force --no-render && \
		$(RELEASE_BIN) compare $(PICTURE_RUNS)/eight-gaussians $(PICTURE_RUNS)/$$remedy \
			--size 200 --out $(IMAGES)/remedy-$$remedy.png --csv $(PICTURE_RUNS)/$$remedy.csv || exit 1; \
	done
	$(RELEASE_BIN) run grid25 --seed 1 --out $(PICTURE_RUNS)/grid25 --force --no-render
	$(RELEASE_BIN) run grid25-wgan-gp --seed 1 --out $(PICTURE_RUNS)/grid25-wgan-gp --force --no-render
	$(RELEASE_BIN) compare $(PICTURE_RUNS)/grid25 $(PICTURE_RUNS)/grid25-wgan-gp \
		--size 200 --out $(IMAGES)/remedy-grid25-wgan-gp.png --csv $(PICTURE_RUNS)/grid25-wgan-gp.csv
	$(RELEASE_BIN) render $(PICTURE_RUNS)/grid25-wgan-gp --view discriminator --size 360 \
		--out $(IMAGES)/remedy-grid25-wgan-gp-critic.png
	for target in two-moons face; do \
		$(RELEASE_BIN) run $$target --seed 1 --out $(PICTURE_RUNS)/$$target --force --no-render && \
		$(RELEASE_BIN) render $(PICTURE_RUNS)/$$target --view mapping --size 280 --out $(IMAGES)/target-$$target-mapping.png && \
		$(RELEASE_BIN) render $(PICTURE_RUNS)/$$target --view tears --size 280 --out $(IMAGES)/target-$$target-tears.png || exit 1; \
	done
	@ls -l $(IMAGES)/*.png

# The trained snapshots of Tests/Fixtures/tears (README there): train, then strip the optimizer state.
TEAR_RUNS = output/tear-fixtures
SMALL = --set "generator.hidden=[64,64,64]" --set "discriminator.hidden=[64,64,64]"
tear-fixtures: build
	$(RELEASE_BIN) run spiral --seed 1 --out $(TEAR_RUNS)/spiral --force --no-render
	$(RELEASE_BIN) run eight-gaussians --seed 3 $(SMALL) --out $(TEAR_RUNS)/eight-gaussians --force --no-render
	$(RELEASE_BIN) run ring8 --seed 1 $(SMALL) --set train.steps=4000 --out $(TEAR_RUNS)/ring8 --force --no-render
	$(RELEASE_BIN) run grid25 --seed 1 --set "generator.hidden=[128,128,128]" --set "discriminator.hidden=[128,128,128]" \
		--out $(TEAR_RUNS)/grid25 --force --no-render
	$(SWIFT) build --build-tests
	GANLAB_TEAR_FIXTURE_RUNS=$(TEAR_RUNS) $(SWIFT) test --skip-build --filter TearFixtureMaker
	@ls -l Tests/Fixtures/tears/*.snap

clean:
	rm -rf .build .build-fuzz output/demo
