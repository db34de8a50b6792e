# Two commands do everything on a fresh Debian 12 / Ubuntu machine:
#   make run   - builds Pustaka and opens it on the bundled starter corpus
#   make test  - installs what is missing, then runs every check and test
.PHONY: run test setup fmt lint rust-test bench

CARGO ?= cargo

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

test: setup fmt lint rust-test

fmt:
	$(CARGO) fmt --all --check

lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

rust-test:
	$(CARGO) test --workspace --locked

# Benchmark (not part of `make test`): SIZE_MB=100 or 1000.
SIZE_MB ?= 100
bench:
	$(CARGO) build --release --locked -p pustaka-bench
	./target/release/pustaka-bench all --size-mb $(SIZE_MB) --work /tmp/pustaka-bench-$(SIZE_MB)
