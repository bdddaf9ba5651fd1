#!/usr/bin/env bash
# Run QGIS's qgis_process with the CityCode plugin from this checkout, headless and isolated.
#
#   scripts/qgis_process.sh run citycode:assigncodes -- BUILDINGS=... OUTPUT=...
#   scripts/qgis_process.sh help citycode:overlaycheck
#   scripts/qgis_process.sh plugins
#
# - QGIS settings live in build/qgis-profile (QGIS_CUSTOM_CONFIG_PATH), never in your own profile;
#   this checkout is linked there as python/plugins/citycode and enabled once.
# - Headless by default (QT_QPA_PLATFORM=offscreen); CITYCODE_USE_DISPLAY=1 keeps your $DISPLAY.
# - The .venv's site-packages go on PYTHONPATH so shapely 2 / pyogrio are used when installed.
# - Uses /usr/bin/qgis_process.bin: Debian's qgis_process wrapper passes --noversioncheck,
#   which 3.22's executable rejects. Override with QGIS_PROCESS_BIN=/path/to/qgis_process.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
QGIS_PROCESS_BIN=${QGIS_PROCESS_BIN:-/usr/bin/qgis_process.bin}

if [ ! -x "$QGIS_PROCESS_BIN" ]; then
  echo "qgis_process.sh: $QGIS_PROCESS_BIN not found; run 'make env' (scripts/setup_env.sh) first." >&2
  echo "qgis_process.sh: 未找到 $QGIS_PROCESS_BIN，请先运行 make env。" >&2
  exit 127
fi

if [ -z "${DISPLAY:-}" ] || [ "${CITYCODE_USE_DISPLAY:-0}" != "1" ]; then
  export QT_QPA_PLATFORM=offscreen
fi
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then  # silences "XDG_RUNTIME_DIR not set"
  export XDG_RUNTIME_DIR="$ROOT/build/xdg-runtime"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi

export QGIS_CUSTOM_CONFIG_PATH="$ROOT/build/qgis-profile"
PROFILE="$QGIS_CUSTOM_CONFIG_PATH/profiles/default"
PLUGIN_LINK="$PROFILE/python/plugins/citycode"
mkdir -p "$PROFILE/python/plugins"
if [ "$(readlink "$PLUGIN_LINK" 2>/dev/null || true)" != "$ROOT" ]; then
  rm -rf "$PLUGIN_LINK"
  ln -s "$ROOT" "$PLUGIN_LINK"
fi

site_packages=$(ls -d "$ROOT"/.venv/lib/python3*/site-packages 2>/dev/null | head -n 1 || true)
if [ -n "$site_packages" ]; then
  export PYTHONPATH="$site_packages${PYTHONPATH:+:$PYTHONPATH}"
fi

# Enable the plugin once (qgis_process only loads enabled plugins); QGIS records it in QGIS3.ini.
INI="$PROFILE/QGIS/QGIS3.ini"
if ! grep -qx 'citycode=true' "$INI" 2>/dev/null; then
  "$QGIS_PROCESS_BIN" plugins enable citycode >/dev/null 2>&1 || true
  if ! grep -qx 'citycode=true' "$INI" 2>/dev/null; then
    # Fallback: write the setting QGIS would write.
    mkdir -p "$(dirname "$INI")"
    if grep -q '^\[PythonPlugins\]' "$INI" 2>/dev/null; then
      sed -i '/^\[PythonPlugins\]/a citycode=true' "$INI"
    else
      printf '\n[PythonPlugins]\ncitycode=true\n' >> "$INI"
    fi
  fi
fi

exec "$QGIS_PROCESS_BIN" "$@"
