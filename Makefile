# Two commands on a fresh machine: `make run` and `make test`. Everything else is a convenience.
# Installs only what is missing (node_modules newer than package-lock.json), builds only what changed.

NPM ?= npm
SOURCES := $(shell find src -name '*.ts' 2>/dev/null)

.PHONY: run test test-node26 install build check lint typecheck bench clean browser

run: build
	$(NPM) start

test: node_modules/.installed browser
	$(NPM) run typecheck
	$(NPM) run lint
	$(NPM) test

# The whole suite again on Node 26, the current LTS (CI runs it after `make test`): Node from the npm
# registry, better-sqlite3 compiled against it, both kept in .artifacts/ (see .ci/test-on-node).
NODE_NEXT ?= 26.12.1
test-node26: node_modules/.installed browser
	.ci/test-on-node $(NODE_NEXT)

install: node_modules/.installed

# `npm ci` reproduces package-lock.json exactly; better-sqlite3 compiles from source here (~1 min).
node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

# The web page's end-to-end tests drive Debian's Chromium; fonts so Chinese and emoji render.
browser:
	@test -x /usr/bin/chromium || { apt-get update && apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji; }

build: dist/.built

dist/.built: node_modules/.installed $(SOURCES) tsconfig.json tsconfig.build.json
	rm -rf dist
	$(NPM) run build
	@touch $@

check: test

lint: node_modules/.installed
	$(NPM) run lint

typecheck: node_modules/.installed
	$(NPM) run typecheck

bench: node_modules/.installed
	$(NPM) run bench

clean:
	rm -rf dist node_modules .artifacts
