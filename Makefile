# CityCode — common tasks. `make demo` and `make test` work on a fresh Debian 12 machine:
# they first run scripts/setup_env.sh, which installs whatever is missing (QGIS 3.22, .venv).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VERSION    := $(shell sed -n 's/^version=//p' metadata.txt)
VENV_PY    := .venv/bin/python
QGIS_PROC  := scripts/qgis_process.sh
SAMPLE     := resources/sample/sample_town.gpkg
DEMO_DIR   := build/demo
ZIP        := build/citycode-$(VERSION).zip
# Where `make install` links the plugin (QGIS's default profile).
QGIS_PROFILE ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default
LRELEASE   := $(firstword $(wildcard /usr/lib/qt5/bin/lrelease) lrelease)
TS         := i18n/citycode_zh_CN.ts
QM         := $(TS:.ts=.qm)

export QT_QPA_PLATFORM ?= offscreen

.PHONY: help env demo test matrix bench package install translations clean distclean

help:
	@echo "make demo          install what is missing, code the sample town, print where the results are"
	@echo "make test          install what is missing, run all tests with real QGIS (offscreen), then the matrix"
	@echo "make matrix        the plugin ZIP on QGIS 3.22, 3.40 and 3.44, table in build/matrix/summary.md"
	@echo "make env           only install / check the environment (Debian packages + .venv)"
	@echo "make bench         run scripts/bench.py"
	@echo "make package       build/citycode-$(VERSION).zip for QGIS 'Install from ZIP' (from git HEAD), checked"
	@echo "                   against plugins.qgis.org's rules; PUBLISH=1 REPOSITORY=... EMAIL=... for an upload"
	@echo "make install       link this checkout into your QGIS profile and enable it"
	@echo "make translations  refresh $(TS) from the sources and compile $(QM)"
	@echo "make clean         remove build/ and caches (distclean also removes .venv)"

env:
	@bash scripts/setup_env.sh

$(SAMPLE):
	$(VENV_PY) scripts/make_sample_data.py

demo: env $(SAMPLE)
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(QGIS_PROC) run citycode:assigncodes -- \
	  'BUILDINGS=$(SAMPLE)|layername=buildings' \
	  'DIVISIONS=$(SAMPLE)|layername=divisions' \
	  DIVISION_FIELD=code YEAR_FIELD=year ID_FIELD=id \
	  'PLANNING=$(SAMPLE)|layername=stbhhx' \
	  'PLANNING=$(SAMPLE)|layername=yjjbnt' \
	  'PLANNING=$(SAMPLE)|layername=czkfbj' \
	  REGISTRY=$(DEMO_DIR)/registry.sqlite \
	  OUTPUT=$(DEMO_DIR)/sample_coded.gpkg \
	  REPORT=$(DEMO_DIR)/report.html
	@echo
	@echo "Coded GeoPackage / 赋码结果: $(CURDIR)/$(DEMO_DIR)/sample_coded.gpkg"
	@echo "Report           / 报告:     $(CURDIR)/$(DEMO_DIR)/report.html"
	@echo "Code registry    / 编码库:   $(CURDIR)/$(DEMO_DIR)/registry.sqlite"

# The suite, the engine's modules again without speed-ups, then the QGIS matrix; ends with the matrix table.
test: env
	@PYTEST_ARGS="$(PYTEST_ARGS)" bash scripts/matrix/test_all.sh

# The plugin ZIP on QGIS 3.22 (this machine), 3.40 and 3.44 (Debian chroots, as root): build/matrix/summary.md.
matrix: env
	@bash scripts/qgis_matrix.sh

# The building engine against its peers, then the other jobs; their tables go into docs/BENCHMARKS.md too.
bench: env
	$(VENV_PY) scripts/bench.py --no-doc
	@mkdir -p build/bench/extra
	$(VENV_PY) scripts/bench_floor.py --md build/bench/extra/05_floor.md
	@{ echo "## Monitoring points (issue 6)"; echo; echo "100k stations from a CSV: imported, coded, placed in the 300 divisions, red line and farmland, sampled on a 4000² DEM (scripts/bench_points.py)."; echo; \
	  $(VENV_PY) scripts/bench_points.py --points 10k,100k; } > build/bench/extra/10_points.md
	@{ echo "## Data export (issue 7)"; echo; echo "Coded buildings written by citycode:exportcodes, each case in its own process (scripts/bench_export.py)."; echo; \
	  $(VENV_PY) scripts/bench_export.py; } > build/bench/extra/20_export.md
	@{ echo "## Atlas (issue 7)"; echo; echo "One A4 page per division, 40 coded buildings each, PDF at 150 dpi (scripts/bench_atlas.py)."; echo; \
	  $(VENV_PY) scripts/bench_atlas.py 300; } > build/bench/extra/30_atlas.md
	$(VENV_PY) scripts/bench_postgis.py --sizes 1M,3M,10M --md build/bench/extra/40_postgis.md
	$(VENV_PY) scripts/bench_latency.py --codes 1M --runs 50 --postgres --md build/bench/extra/50_latency.md
	$(VENV_PY) scripts/bench_vintage.py --size 1M --md build/bench/extra/55_vintage.md
	$(VENV_PY) scripts/bench_postgis_floor.py --md build/bench/extra/45_postgis_floor.md
	$(VENV_PY) scripts/bench_qgis_versions.py --sizes 100k,1M --md build/bench/extra/06_qgis_versions.md
	$(VENV_PY) scripts/bench.py --doc-only

# The zip holds what git HEAD holds, minus the paths marked export-ignore in .gitattributes
# (tests, CI, docs, scripts, ...); its metadata.txt gets the addresses of release.env (override them here:
# make package REPOSITORY=https://... EMAIL=...) and the changelog of CHANGELOG.md. The zip is then checked
# against plugins.qgis.org's rules (scripts/check_package.py); PUBLISH=1 also fails without the addresses.
# Commit first: uncommitted changes are not packaged.
package:
	@git rev-parse --verify -q HEAD >/dev/null || { echo "make package: no commit yet (git archive packs HEAD)"; exit 1; }
	@[ -z "$$(git status --porcelain --untracked-files=no)" ] || echo "make package: note: uncommitted changes are not in the zip"
	@/usr/bin/python3 scripts/package.py --out $(ZIP) $(if $(PUBLISH),--publish) \
	  EMAIL='$(EMAIL)' REPOSITORY='$(REPOSITORY)' TRACKER='$(TRACKER)' HOMEPAGE='$(HOMEPAGE)'
	@echo "Plugin zip / 插件安装包: $(abspath $(ZIP))  (QGIS: Plugins > Manage and Install Plugins > Install from ZIP)"

install:
	@dest="$(QGIS_PROFILE)/python/plugins/citycode"; \
	mkdir -p "$(QGIS_PROFILE)/python/plugins"; \
	if [ -e "$$dest" ] && [ ! -L "$$dest" ]; then \
	  echo "$$dest exists and is not a link (installed from a zip?). Remove it first. / 目标已存在，请先删除。"; exit 1; \
	fi; \
	ln -sfn "$(CURDIR)" "$$dest" && echo "Linked $$dest -> $(CURDIR)"
	@config="$$(dirname "$$(dirname "$(QGIS_PROFILE)")")"; ini="$(QGIS_PROFILE)/QGIS/QGIS3.ini"; \
	QGIS_CUSTOM_CONFIG_PATH="$$config" /usr/bin/qgis_process.bin plugins enable citycode >/dev/null 2>&1 || true; \
	if ! grep -qx 'citycode=true' "$$ini" 2>/dev/null; then \
	  /usr/bin/python3 -c 'import sys; from PyQt5.QtCore import QSettings; s = QSettings(sys.argv[1], QSettings.IniFormat); s.setValue("PythonPlugins/citycode", True); s.sync()' "$$ini"; \
	fi; \
	echo "Enabled citycode in $$ini — restart QGIS. / 已启用，请重启 QGIS。"

# pylupdate5 files module-level tr("...") under "@default" and self.tr("...") under the class name, while
# CityCode translates everything in context "CityCode": scripts/update_translations.py takes care of that.
translations:
	/usr/bin/python3 scripts/update_translations.py $(TS)
	$(LRELEASE) -silent $(TS) -qm $(QM)

clean:
	rm -rf build .pytest_cache
	find . -name __pycache__ -type d -not -path './.venv/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf .venv
