#!/usr/bin/env bash
# What `make test` runs, in order, each part to its end even when an earlier one failed:
#   1. lint: ruff (its rules in pyproject.toml) over the plugin, scripts and tests;
#   2. the full pytest suite on the host's QGIS 3.22 (with the .venv's speed-ups);
#   3. the engine's modules again with CITYCODE_SPEEDUPS=off (as a QGIS without shapely/pyogrio/pyarrow runs them);
#   4. the QGIS matrix (scripts/qgis_matrix.sh): the ZIP on QGIS 3.22, 3.40 and 3.44.
# Ends with the time and result of each part and the matrix table; exits 1 if any part failed.
# Extra pytest arguments: PYTEST_ARGS. CITYCODE_SKIP_MATRIX=1 leaves the matrix out.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=.venv/bin/python
SPEEDUP_FREE_TESTS="tests/test_core_engine.py tests/test_headless_demo.py tests/test_monitoring.py
  tests/test_exports.py tests/test_field_package.py tests/test_bad_input.py tests/test_identities_inputs.py"
results=()
failed=0

part() {  # part <title> <command...>
  local title=$1 start status; shift
  echo; echo "=== $title"
  start=$(date +%s)
  "$@"; status=$?
  results+=("$(printf '%-44s %-7s %5ss' "$title" "$([ $status -eq 0 ] && echo passed || echo FAILED)" \
    $(( $(date +%s) - start )))")
  [ $status -eq 0 ] || failed=1
}

part "lint (ruff)" .venv/bin/ruff check plugin scripts tests
# shellcheck disable=SC2086 # word splitting of the test list and PYTEST_ARGS is meant
part "pytest (host QGIS, speed-ups on)" $PY -m pytest tests -ra ${PYTEST_ARGS:-}
# shellcheck disable=SC2086
part "pytest engine modules, CITYCODE_SPEEDUPS=off" env CITYCODE_SPEEDUPS=off $PY -m pytest $SPEEDUP_FREE_TESTS \
  -ra ${PYTEST_ARGS:-}
[ "${CITYCODE_SKIP_MATRIX:-0}" = 1 ] || part "QGIS matrix (scripts/qgis_matrix.sh)" bash scripts/qgis_matrix.sh

echo; echo "=== make test"
printf '%s\n' "${results[@]}"
if [ -f build/matrix/summary.md ] && [ "${CITYCODE_SKIP_MATRIX:-0}" != 1 ]; then
  echo; grep -E '^(\||Result)' build/matrix/summary.md
fi
exit $failed
