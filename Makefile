# Two commands on a fresh Debian or Ubuntu machine with Rust and Node.js:
#   make run    installs what is missing, then starts Proxi on a demo store
#   make test   installs what is missing, then runs every test
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_STORE ?= $(CURDIR)/target/demo/proxi.db
DEMO_PASSPHRASE ?= demo
CARGO_BIN := $(HOME)/.cargo/bin

APT_PACKAGES := libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev \
  librsvg2-dev libayatana-appindicator3-dev build-essential pkg-config libssl-dev \
  xvfb xauth webkit2gtk-driver imagemagick poppler-utils qpdf fonts-dejavu-core chromium \
  postgresql libdbus-1-dev dbus gnome-keyring \
  cups cups-client cups-bsd printer-driver-cups-pdf dunst libharfbuzz-bin espeak-ng

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
# The WebDriver suites drive the installed package's binaries (make deb-install).
INSTALLED_APP ?= /usr/bin/proxi-desktop
INSTALLED_CLI ?= /usr/bin/proxi

.PHONY: deb deb-install run test deps system-deps ui-deps tauri-driver ui shell demo-store rust-checks rust-tests relay-postgres ui-tests a11y e2e bench measure-ui bindings-fresh fhir-check

## Start the desktop app on a demo store of fictional people (passphrase: demo).
run: deps shell demo-store
	PROXI_STORE=$(DEMO_STORE) PROXI_PASSPHRASE=$(DEMO_PASSPHRASE) ./target/debug/proxi-desktop

## Every test: formatting, lints, core tests, generated types, UI tests, the real window.
test: deps ui rust-checks rust-tests relay-postgres bindings-fresh ui-tests a11y shell fhir-check deb-install e2e

deps: system-deps ui-deps tauri-driver

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

ui-deps:
	cd ui && npm ci --no-audit --no-fund

tauri-driver:
	@command -v tauri-driver >/dev/null || [ -x $(CARGO_BIN)/tauri-driver ] || cargo install tauri-driver --version 2.1.0 --locked

ui:
	cd ui && npm run build

## The desktop binary, serving the built UI; the CLI and the relay (the WebDriver suite uses both).
shell: ui
	cargo build -p proxi-desktop -p proxi -p proxi-relay --bins

## The Debian package for users (release build): proxi-desktop and the `proxi` command line in
## /usr/bin, the desktop entry, icons in every size. Install it with `sudo apt install ./target/release/bundle/deb/Proxi_*.deb`.
deb: deps ui
	cargo build --release -p proxi --bin proxi
	ui/node_modules/.bin/tauri build --bundles deb
	@ls -l target/release/bundle/deb/Proxi_$(VERSION)_amd64.deb

## The same package made from the debug build the tests already have, then installed on this machine
## with apt (as a user would): the WebDriver suites drive the installed binaries.
deb-install: shell
	ui/node_modules/.bin/tauri build --debug --bundles deb --config '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/proxi":"../target/debug/proxi"}}}}}'
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall ./target/debug/bundle/deb/Proxi_$(VERSION)_amd64.deb
	dpkg -s proxi | grep -E '^(Status|Version|Depends)'
	test -x $(INSTALLED_APP) && test -x $(INSTALLED_CLI) && test -f /usr/share/applications/Proxi.desktop

demo-store:
	@[ -f $(DEMO_STORE) ] || PROXI_PASSPHRASE=$(DEMO_PASSPHRASE) ./target/debug/proxi --store $(DEMO_STORE) demo

rust-checks:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	bash .ci/layout.sh

## Inside a D-Bus session with GNOME Keyring (.ci/keyring-session.sh): "remember on this computer" is
## tested against a real Secret Service.
rust-tests:
	bash .ci/keyring-session.sh cargo test --workspace

## The relay's acceptance suite again, on PostgreSQL: a throwaway server on loopback (.ci/postgres.sh).
## (--workspace keeps the features, and so the build, of rust-tests.)
relay-postgres:
	PROXI_TEST_POSTGRES=$$(bash .ci/postgres.sh) cargo test --workspace --test relay --test team --test meetings

## Every FHIR Bundle of the demo store, parsed by fhir.resources (R4B) and checked against the HL7
## Belgium profile rules in FHIRPath (fhirpathpy), in a virtual environment from PyPI.
fhir-check: shell
	bash .ci/fhir-check.sh

## The TypeScript types generated from Rust (ts-rs, written by `cargo test`) must be committed as generated.
bindings-fresh:
	@git diff --exit-code --stat -- ui/src/lib/bindings || { echo "ui/src/lib/bindings is stale: run cargo test and commit it"; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- ui/src/lib/bindings); \
	if [ -n "$$untracked" ]; then echo "new generated types are not committed: $$untracked"; exit 1; fi

ui-tests:
	cd ui && npm run check && npm test

## axe-core on every screen of the browser build (fictional data in memory), in Debian's Chromium.
a11y:
	cd ui && npm run build:mock && npm run a11y

## The real window under Xvfb through WebDriver; screenshots go to target/shots. Printing goes to a
## real CUPS queue that writes PDFs (.ci/cups.sh).
e2e:
	bash .ci/cups.sh
	PATH=$(CARGO_BIN):$$PATH PROXI_APP=$(INSTALLED_APP) PROXI_CLI=$(INSTALLED_CLI) xvfb-run -a -s "-screen 0 1280x800x24" bash .ci/keyring-session.sh bash -c 'cd ui && npm run e2e'

## Launch time with 2,000 people and memory after 50 plans, on the release build under Xvfb.
measure-ui: deps ui
	cargo build --release -p proxi-desktop -p proxi --bins
	PATH=$(CARGO_BIN):$$PATH PROXI_APP=$(CURDIR)/target/release/proxi-desktop xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/measure.mjs

bench:
	cargo bench --bench store
	cargo bench --bench sheet
	cargo bench --bench directory
	cargo bench -p proxi-relay --bench sync
