# The README's commands. Each one sets up what it needs first (virtualenv, packages, fonts, browser).
PY      := .venv/bin/python
TODAY   ?= $(shell date +%F)
SCALE   ?= small

.PHONY: build test bench check serve lint format clean setup gallery screenshots audit

build:          ## Build the demo county into site/ (pages, PDF sheets, search)
	@scripts/setup.sh build
	$(PY) -m gongkai build --today $(TODAY)

test:           ## Lint, type-check and run the whole test suite
	@scripts/setup.sh test
	$(PY) -m ruff check gongkai tests benchmarks build.py
	$(PY) -m mypy
	$(PY) -m pytest -n 2 -q

bench:          ## Benchmark against plain MkDocs + Material search, a 500-page layout sample and Lighthouse page speed: make bench [SCALE=small|county] [BENCH_ARGS=--builds-only]
	@scripts/setup.sh test
	$(PY) benchmarks/run.py --scale $(SCALE) $(BENCH_ARGS)

gallery:        ## Every sheet kind and size as PDF and PNG in gallery/ (open gallery/index.html)
	@scripts/setup.sh test
	$(PY) -m gongkai.render.sheets.gallery --out gallery

screenshots:    ## Home, a catalogue, a document, the 年报, 依申请公开 and a village at 1366 and 390 px, normal and 大字
	@scripts/setup.sh test
	$(PY) -m gongkai build --today $(TODAY) -q
	$(PY) tests/e2e/screenshots.py --site site --out screenshots

audit:          ## Self-inspection report of the demo county in audit/ (exit 5, a 单项否决 failing, is reported, not an error)
	@scripts/setup.sh test
	$(PY) -m gongkai build --today $(TODAY) -q
	$(PY) -m gongkai audit --today $(TODAY) || [ $$? -eq 5 ]

check:          ## Check the sources without building
	@scripts/setup.sh build
	$(PY) -m gongkai check --today $(TODAY)

serve:          ## Local preview with reload on change
	@scripts/setup.sh build
	$(PY) -m gongkai serve --today $(TODAY)

lint:
	$(PY) -m ruff check gongkai tests benchmarks build.py
	$(PY) -m ruff format --check gongkai tests benchmarks build.py

format:
	$(PY) -m ruff format gongkai tests benchmarks build.py
	$(PY) -m ruff check --fix gongkai tests benchmarks build.py

clean:
	rm -rf site .cache .site.* benchmarks/out gallery screenshots
