#!/usr/bin/env bash
# Prepare a machine for CityCode development: Debian packages (QGIS 3.22 & co.) and the .venv.
#
# Idempotent and quick when already done: packages are checked with dpkg-query, the venv step is
# skipped while build/setup_env.stamp matches (it records requirements-dev.txt, this script and
# Debian's numpy version). Works as root or through sudo; on a fresh Debian 12 it installs everything.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DEB_PACKAGES=(
  qgis python3-qgis qgis-providers
  python3-rasterio python3-fiona python3-pyproj python3-venv python3-stdnum
  python3-gdal python3-matplotlib python3-psycopg2  # XLSX/CSV via GDAL, observation charts, shared registry
  xvfb poppler-utils zbar-tools pyqt5-dev-tools qttools5-dev-tools zip
  fonts-noto-cjk  # Chinese text in screenshots, print layouts and PDFs
  postgresql postgis postgresql-15-postgis-3
)
SYS_PYTHON=/usr/bin/python3
VENV=.venv
STAMP=build/setup_env.stamp

log() { printf '[setup_env] %s\n' "$*"; }

# --- 1. Debian packages ---------------------------------------------------------------------
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "setup_env: missing packages (${missing[*]}) and not root, no sudo. Install them as root." >&2
    echo "setup_env: 缺少软件包且无 root/sudo 权限，请以 root 身份安装上述软件包。" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# --- 2. Python venv ---------------------------------------------------------------------------
NUMPY_VERSION=$("$SYS_PYTHON" -c 'import numpy; print(numpy.__version__)')
stamp_value=$(cat requirements-dev.txt scripts/setup_env.sh | sha256sum | cut -d' ' -f1)
stamp_value="$stamp_value numpy==$NUMPY_VERSION"

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$stamp_value" ]; then
  log "environment up to date ($VENV)"
  exit 0
fi

if [ -d "$VENV" ] && ! "$VENV/bin/python" -c 'import qgis.core' >/dev/null 2>&1; then
  log "$VENV cannot import qgis; recreating it"
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV from $SYS_PYTHON (with system site-packages for QGIS)"
  "$SYS_PYTHON" -m venv --system-site-packages "$VENV"
fi

log "installing Python packages (numpy pinned to Debian's $NUMPY_VERSION)"
"$VENV/bin/python" -m pip install --disable-pip-version-check --quiet \
  "numpy==$NUMPY_VERSION" -r requirements-dev.txt

"$VENV/bin/python" - <<'PY'
import numpy, shapely, pyogrio, pyarrow, pytest, pytest_qgis  # noqa: F401
from qgis.core import Qgis
print("[setup_env] ok: QGIS %s, numpy %s, shapely %s, pyogrio %s"
      % (Qgis.QGIS_VERSION, numpy.__version__, shapely.__version__, pyogrio.__version__))
PY

mkdir -p build
printf '%s' "$stamp_value" > "$STAMP"
