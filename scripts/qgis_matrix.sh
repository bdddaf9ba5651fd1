#!/usr/bin/env bash
# The QGIS matrix: the plugin as users get it (the `make package` ZIP, installed into a fresh QGIS profile,
# nothing of this checkout on the path) on the QGIS versions people run:
#
#   host    Debian 12's QGIS 3.22 on this machine (system Python, no .venv)
#   trixie  Debian 13's QGIS 3.40 LTR, in a chroot made with debootstrap (scripts/matrix/chroot.sh)
#   sid     Debian unstable's QGIS 3.44, likewise
#
# each with the speed-ups absent (what the distribution installs with qgis) and present (shapely, pyogrio,
# pyarrow: the .venv's on the host, a pip venv in a chroot, on PYTHONPATH). In every cell:
#   - qgis_process: plugins enable citycode, list (every algorithm of the provider), every algorithm run on
#     resources/sample with its outputs checked (scripts/matrix/run_algorithms.py);
#   - the QGIS desktop on a virtual X server (Xvfb: on Qt's offscreen platform QGIS's desktop crashes at
#     start, in QgsClipboard), menu, code form, batch task, screenshot (scripts/matrix/gui_check.py).
# Results in build/matrix/<target>/<mode>/, the table in build/matrix/summary.md; exits 1 if a cell failed.
#
#   scripts/qgis_matrix.sh                    # all of it (as root: chroots and bind mounts)
#   CITYCODE_MATRIX_TARGETS=host scripts/qgis_matrix.sh
#   CITYCODE_CHROOT_CACHE=/elsewhere ...      # where the chroots are kept (default /var/cache/citycode/chroots)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=matrix/chroot.sh
source "$ROOT/scripts/matrix/chroot.sh"
OUT=${CITYCODE_MATRIX_OUT:-$ROOT/build/matrix}
TARGETS=${CITYCODE_MATRIX_TARGETS:-host trixie sid}
MODES=${CITYCODE_MATRIX_MODES:-absent present}
GUI_TIMEOUT=${CITYCODE_MATRIX_GUI_TIMEOUT:-600}
MATRIX=$ROOT/scripts/matrix
SAMPLE=$ROOT/resources/sample
ENV_PATH=/usr/sbin:/usr/bin:/sbin:/bin  # no /usr/local: only what the distribution installed

BUILDS=()  # background chroot builds
trap chroot_umount_all EXIT
trap 'kill "${BUILDS[@]}" 2>/dev/null; chroot_umount_all; exit 130' INT TERM

log() { echo "matrix: $*"; }
seconds_since() { echo $(( $(date +%s) - $1 )); }

# The plugin as users get it: git HEAD through `make package`.
make -s -C "$ROOT" package >/dev/null
ZIP="$ROOT/build/citycode-$(sed -n 's/^version=//p' "$ROOT/metadata.txt").zip"
[ -f "$ZIP" ] || { echo "matrix: $ZIP was not built" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"

# in_target <root or ""> <env assignments...> -- <command...>: a clean environment (env -i), nothing inherited
in_target() {
  local root=$1; shift
  local vars=()
  while [ "$1" != "--" ]; do vars+=("$1"); shift; done
  shift
  if [ -n "$root" ]; then
    chroot "$root" /usr/bin/env -i PATH="$ENV_PATH" LANG=C.UTF-8 "${vars[@]}" "$@"
  else
    /usr/bin/env -i PATH="$ENV_PATH" LANG=C.UTF-8 "${vars[@]}" "$@"
  fi
}

# A fresh profile folder with the ZIP installed as "Install from ZIP" does: profiles/default/python/plugins/citycode.
fresh_profile() {
  local config=$1
  mkdir -p "$config/profiles/default/python/plugins" "$config/profiles/default/QGIS"
  /usr/bin/python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$ZIP" "$config/profiles/default/python/plugins"
}

run_cell() {  # run_cell <target> <root or ""> <mode> <speed-ups PYTHONPATH or "">
  local target=$1 root=$2 mode=$3 speedups=$4
  local cell="$OUT/$target/$mode" start
  mkdir -p "$cell/xdg" "$cell/home" "$cell/gui" && chmod 700 "$cell/xdg"
  local vars=(HOME="$cell/home" XDG_RUNTIME_DIR="$cell/xdg")
  [ -z "$speedups" ] || vars+=(PYTHONPATH="$speedups")

  start=$(date +%s)
  fresh_profile "$cell/config"
  log "$target/$mode: qgis_process (list, every algorithm)"
  in_target "$root" "${vars[@]}" QT_QPA_PLATFORM=offscreen QGIS_CUSTOM_CONFIG_PATH="$cell/config" -- \
    python3 "$MATRIX/run_algorithms.py" --plugin "$cell/config/profiles/default/python/plugins/citycode" \
      --sample "$SAMPLE" --work "$cell/algorithms" --out "$cell/algorithms.json" \
    > "$cell/algorithms.log" 2>&1 || true
  sed 's/^/    /' "$cell/algorithms.log" | grep -E '^\s+citycode:' || tail -n 20 "$cell/algorithms.log"
  echo "algorithms $(seconds_since "$start")" >> "$cell/times"

  start=$(date +%s)
  fresh_profile "$cell/gui-config"
  # enabled as the plugin manager does it
  printf '[PythonPlugins]\ncitycode=true\n' > "$cell/gui-config/profiles/default/QGIS/QGIS3.ini"
  log "$target/$mode: QGIS desktop on Xvfb (menu, code form, batch task)"
  in_target "$root" "${vars[@]}" PYQGIS_STARTUP="$MATRIX/gui_startup.py" CITYCODE_MATRIX_OUT="$cell/gui" \
      CITYCODE_MATRIX_SAMPLE="$SAMPLE/sample_town.gpkg" -- \
    timeout -k 10 "$GUI_TIMEOUT" xvfb-run -a -s "-screen 0 1600x1000x24" \
      qgis --nologo --noversioncheck --profiles-path "$cell/gui-config" --code "$MATRIX/gui_check.py" \
    > "$cell/gui.log" 2>&1 || echo "exit $?" >> "$cell/gui.log"
  echo "gui $(seconds_since "$start")" >> "$cell/times"
  log "$target/$mode: GUI $(/usr/bin/python3 -c 'import json, sys; print("ok" if json.load(open(sys.argv[1]))["ok"]
    else "FAILED")' "$cell/gui/gui.json" 2>/dev/null || echo "wrote no result (see $cell/gui.log)")"
}

# The chroots build (or are checked) in the background while the host's cells run.
declare -A BUILD_PID
for target in $TARGETS; do
  if [ "$target" != host ] && [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$OUT/$target"
    ( start=$(date +%s); status=0
      chroot_build "$target" > "$OUT/$target/chroot.log" 2>&1 || status=$?
      echo "chroot $(seconds_since "$start")" >> "$OUT/$target/times"; exit $status ) &
    BUILD_PID[$target]=$!
    BUILDS+=($!)
  fi
done

for target in $TARGETS; do
  mkdir -p "$OUT/$target"
  case $target in
    host)
      root=""
      speedups=$(ls -d "$ROOT"/.venv/lib/python3*/site-packages 2>/dev/null | head -n 1 || true)
      ;;
    *)
      if [ "$(id -u)" -ne 0 ]; then
        log "$target: skipped, chroots need root"; echo "skipped: chroots need root" > "$OUT/$target/skipped"
        continue
      fi
      root=$(chroot_path "$target")
      wait "${BUILD_PID[$target]}" || {
        log "$target: chroot build failed:"; tail -n 30 "$OUT/$target/chroot.log"
        echo "chroot build failed (see chroot.log)" > "$OUT/$target/skipped"; continue; }
      chroot_mount "$root" "$ROOT" $([[ $OUT == "$ROOT"/* ]] || echo "$OUT")
      start=$(date +%s)
      speedups=$(chroot_speedups "$root" 2>> "$OUT/$target/chroot.log") || speedups=""
      echo "speedups $(seconds_since "$start")" >> "$OUT/$target/times"
      ;;
  esac
  in_target "$root" QT_QPA_PLATFORM=offscreen -- qgis_process.bin --version 2>&1 | grep -m1 -oE '^QGIS [0-9.]+' \
    > "$OUT/$target/version" || true
  in_target "$root" -- sh -c 'grep -m1 PRETTY_NAME /etc/os-release | cut -d\" -f2' > "$OUT/$target/os" || true
  # what the distribution installed that matters here ("-" = not installed: e.g. whether qgis pulled in shapely)
  in_target "$root" -- sh -c 'for p in qgis python3 python3-numpy python3-gdal python3-shapely python3-pyogrio \
      python3-pyarrow; do echo "$p $(dpkg-query -W -f "\${db:Status-Abbrev}\${Version}" "$p" 2>/dev/null \
      | sed -n "s/^ii *//p" | grep . || echo -)"; done' > "$OUT/$target/packages" || true
  log "$target: $(cat "$OUT/$target/version") on $(cat "$OUT/$target/os")"
  for mode in $MODES; do
    if [ "$mode" = present ] && [ -z "$speedups" ]; then
      echo "skipped: no speed-ups venv (see chroot.log / make env)" > "$OUT/$target/present.skipped"
      continue
    fi
    run_cell "$target" "$root" "$mode" "$([ "$mode" = present ] && echo "$speedups")"
  done
  chroot_umount_all
done

/usr/bin/python3 "$MATRIX/summary.py" "$OUT"
