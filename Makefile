# LBOS appliance firmware. `make demo` and `make test` set up everything they
# need on Debian 12 (apt packages, npm ci) and are safe to run again.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help deps build lint test test-unit test-integration demo bench bench-plan clean

help:
	@echo "make demo    - build and start a simulated pair of appliances (Ctrl-C stops and cleans)"
	@echo "make test    - unit and integration tests; closing line 'N passed, N failed, N skipped'"
	@echo "make bench   - benchmarks -> bench/results/*.json and BENCHMARKS.md (BENCH=name to pick; about 1 h 15 min for all, see bench-plan)"
	@echo "make bench-plan - what make bench would run and how long each part should take"
	@echo "make build   - compile TypeScript to dist/"
	@echo "make lint    - eslint: floating promises, exhaustive switches"
	@echo "make clean   - remove dist/ and leftovers of crashed simulations"

deps:
	@scripts/install-deps.sh

build: deps
	@node scripts/prune-dist.mjs
	@node_modules/.bin/tsc -p tsconfig.json

lint: build
	@node_modules/.bin/eslint --max-warnings 0 services scripts bench hw-test

test: build lint
	@scripts/run-tests.sh

test-unit: build
	@node_modules/.bin/ava --config ava.unit.config.mjs

test-integration: build
	@node_modules/.bin/ava --config ava.integration.config.mjs

demo: build
	@node dist/scripts/demo.js

bench: build
	@node dist/bench/run.js $(BENCH)

bench-plan: build
	@node dist/bench/run.js --plan $(BENCH)

clean:
	-@[ -f dist/scripts/sim/clean.js ] && node dist/scripts/sim/clean.js
	-@[ -f dist/hw-test/main.js ] && bin/hw-test --clean
	rm -rf dist

# --- appliance images (issue 8): rootfs/README.md. Need root (mmdebstrap, chroot). ---
.PHONY: image image-kvm image-vmware image-hyperv image-xen image-raw image-test image-pair-test image-quickstart-test
image: deps build
	@rootfs/build.sh all
image-kvm image-vmware image-hyperv image-xen image-raw: deps build
	@rootfs/build.sh $(@:image-%=%)
image-test: deps build
	@rootfs/test/image-test.sh $(CASES)
image-pair-test: deps build
	@rootfs/test/pair-test.sh
image-quickstart-test: deps build
	@rootfs/test/quickstart-test.sh

# --- hardware test harness (issue 9): hw-test/README.md. Needs root (namespaces, loop devices, raw disks). ---
# HW=real on an appliance, HW=sim for the simulated rig; unset: real on the firmware image when the
# system model matches a profile in hw-test/profiles, else sim. More: HWTEST_ARGS='--interactive ...'.
.PHONY: hw-test
hw-test: deps build
	@bin/hw-test --hw $(or $(HW),auto) $(HWTEST_ARGS)
