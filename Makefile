# Two commands do everything on a fresh Debian 12 / Ubuntu machine:
#   make run   - builds Pustaka and opens the desktop app on the bundled starter corpus
#   make test  - installs what is missing, then runs every check and test
.PHONY: run test setup fmt ui lint ui-check ui-test rust-test bindings starter package bench bench-desktop link-order soak-notes

CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

# fmt, the interface (build, type check, unit tests), clippy, then every Rust test: unit,
# integration, and the end-to-end tests of the real app window under Xvfb.
test: setup fmt ui ui-check ui-test lint rust-test

fmt:
	$(CARGO) fmt --all --check

# The desktop shell embeds ui/dist: build it before compiling the shell.
ui:
	npm --prefix ui run build --silent

ui-check:
	npm --prefix ui run check

ui-test:
	npm --prefix ui test

lint:
	$(CARGO) clippy --workspace --all-targets --all-features --locked -- -D warnings

rust-test:
	$(CARGO) test --workspace --all-features --locked

# Regenerates ui/src/lib/ipc/types.ts from the Rust IPC types (a test checks it is current).
bindings:
	$(CARGO) run --quiet --locked -p pustaka-app --bin pustaka-bindings

# The starter content pack the app bundles (target/starter/starter.pustakacorpus and its .pub),
# built from corpus/starter; `make run` and `make package` build it too.
starter:
	bash scripts/starter-pack.sh

# The Linux installer (.deb) in target/release/bundle/deb/, with the starter pack (built by
# tauri.conf.json's beforeBuildCommand).
package: setup
	npm ci --no-audit --no-fund --loglevel=error
	npx tauri build --features desktop --bundles deb

# Benchmark (not part of `make test`): SIZE_MB=100 or 1000.
SIZE_MB ?= 100
bench:
	$(CARGO) build --release --locked -p pustaka-bench
	./target/release/pustaka-bench all --size-mb $(SIZE_MB) --work /tmp/pustaka-bench-$(SIZE_MB)

# Desktop figures (not part of `make test`): start to a usable search box, keystroke to
# updated results and the memory of the release app on the benchmark library (made by
# `make bench` first if missing). SIZE_MB=1000 for the issue's figures.
bench-desktop: ui
	$(CARGO) build --release --locked --features desktop --bin pustaka-desktop
	test -d /tmp/pustaka-bench-$(SIZE_MB)/library-$(SIZE_MB)mb-seed1 || $(MAKE) bench SIZE_MB=$(SIZE_MB)
	PUSTAKA_APP=target/release/pustaka-desktop $(CARGO) test --locked --features desktop --test e2e -- \
		--perf /tmp/pustaka-bench-$(SIZE_MB)/library-$(SIZE_MB)mb-seed1

# Remakes src-tauri/link-order.txt (root: read-ahead is turned off while the window test
# runs): the functions the release app runs at start and while searching, which the linker
# then places side by side. Run after a toolchain or dependency update.
link-order: ui
	PUSTAKA_LINK_ORDER=0 $(CARGO) build --release --locked --features desktop --bin pustaka-desktop
	test -d /tmp/pustaka-bench-$(SIZE_MB)/library-$(SIZE_MB)mb-seed1 || $(MAKE) bench SIZE_MB=$(SIZE_MB)
	python3 scripts/link-order.py /tmp/pustaka-bench-$(SIZE_MB)/library-$(SIZE_MB)mb-seed1
	$(CARGO) build --release --locked --features desktop --bin pustaka-desktop

# The long crash soak of the notes store (not part of `make test`, which runs 150 kills):
# a writer is killed with SIGKILL KILLS times; every acknowledged change must survive.
KILLS ?= 1000
soak-notes:
	PUSTAKA_CRASH_KILLS=$(KILLS) $(CARGO) test --release --locked -p pustaka-notes --test faults -- crash
