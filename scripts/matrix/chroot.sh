#!/usr/bin/env bash
# Debian chroots with a distribution's own QGIS, for the QGIS matrix (scripts/qgis_matrix.sh).
#
#   scripts/matrix/chroot.sh build trixie     # make (or reuse) the cached chroot of a suite
#   scripts/matrix/chroot.sh path trixie      # where it lives
#
# Sourced by qgis_matrix.sh for chroot_build / chroot_mount / chroot_umount_all.
# Chroots live outside the repository, in ${CITYCODE_CHROOT_CACHE:-/var/cache/citycode/chroots}/<suite>;
# a stamp file there lists the packages asked for and the versions installed. A chroot whose stamp is
# missing, was made for another package list, or whose qgis_process does not start is built again.
# Needs root (debootstrap, chroot, mount).
set -euo pipefail

CHROOT_CACHE=${CITYCODE_CHROOT_CACHE:-/var/cache/citycode/chroots}
# What a user gets with `apt-get install qgis python3-qgis` (no recommends: they pull in GRASS and
# friends, which the plugin does not use), CJK fonts for the screenshots, Xvfb for the desktop,
# python3-venv + pip for the speed-ups venv.
CHROOT_PACKAGES="qgis python3-qgis qgis-providers fonts-noto-cjk xvfb xauth python3-venv python3-pip ca-certificates"
CHROOT_STAMP=.citycode-chroot-stamp

chroot_path() { echo "$CHROOT_CACHE/$1"; }

# The Debian mirror the host already uses (first non-security URI), else Debian's default.
chroot_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
        | grep -v '^\s*#' | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n 1 | tr -d ' ' || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# Mount points made under a chroot, innermost last; chroot_umount_all undoes them in reverse order.
CHROOT_MOUNTS=()

chroot_mount() {  # chroot_mount <root> [<host dir> ...]: /proc /sys /dev /dev/pts /dev/shm + host dirs at the same path
  local root=$1; shift
  mkdir -p "$root/proc" "$root/sys" "$root/dev"
  mount -t proc proc "$root/proc" && CHROOT_MOUNTS+=("$root/proc")
  mount -t sysfs sysfs "$root/sys" && CHROOT_MOUNTS+=("$root/sys")
  mount --bind /dev "$root/dev" && CHROOT_MOUNTS+=("$root/dev")
  mkdir -p "$root/dev/pts" "$root/dev/shm"
  mount --bind /dev/pts "$root/dev/pts" && CHROOT_MOUNTS+=("$root/dev/pts")
  mount --bind /dev/shm "$root/dev/shm" && CHROOT_MOUNTS+=("$root/dev/shm")
  local dir
  for dir in "$@"; do
    mkdir -p "$root$dir"
    mount --bind "$dir" "$root$dir" && CHROOT_MOUNTS+=("$root$dir")
  done
  cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
}

chroot_umount_all() {
  local i
  for ((i = ${#CHROOT_MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${CHROOT_MOUNTS[i]}" 2>/dev/null || umount -l "${CHROOT_MOUNTS[i]}" 2>/dev/null || true
  done
  CHROOT_MOUNTS=()
}

chroot_umount_under() {  # left-over mounts under a path (an interrupted run), before it is removed
  local mnt
  for mnt in $(awk -v p="$1/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r); do
    umount "$mnt" 2>/dev/null || umount -l "$mnt"
  done
}

chroot_ok() {  # the cached chroot is complete, made for this package list, and its QGIS starts
  local root=$1
  [ -f "$root/$CHROOT_STAMP" ] || return 1
  [ "$(sed -n 's/^packages: //p' "$root/$CHROOT_STAMP")" = "$CHROOT_PACKAGES" ] || return 1
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin QT_QPA_PLATFORM=offscreen \
    qgis_process.bin --version >/dev/null 2>&1 || return 1
}

chroot_build() {  # chroot_build <suite>: reuse the cached chroot or build it (in <root>.new, moved in place when done)
  local suite=$1 root new mirror
  root=$(chroot_path "$suite")
  if chroot_ok "$root"; then
    echo "chroot $suite: cached in $root"
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || { echo "chroot $suite: building a chroot needs root" >&2; return 1; }
  command -v debootstrap >/dev/null ||
    { apt-get update -q && apt-get install -y -q --no-install-recommends debootstrap; }
  new="$root.new"
  mirror=$(chroot_mirror)
  echo "chroot $suite: building in $root from $mirror (takes several minutes)"
  chroot_umount_under "$new"
  rm -rf "$new" && mkdir -p "$new"
  debootstrap --variant=minbase "$suite" "$new" "$mirror"
  # The archive's Release files may be past Valid-Until on a machine whose clock is ahead of the mirror.
  echo 'Acquire::Check-Valid-Until "false";' > "$new/etc/apt/apt.conf.d/99citycode"
  echo "deb $mirror $suite main" > "$new/etc/apt/sources.list"
  (
    trap chroot_umount_all EXIT
    chroot_mount "$new"
    chroot "$new" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
      sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends $CHROOT_PACKAGES && apt-get clean"
  )
  {
    echo "suite: $suite"
    echo "packages: $CHROOT_PACKAGES"
    echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    chroot "$new" dpkg-query -W -f '${Package} ${Version}\n'
  } > "$new/$CHROOT_STAMP"
  chroot_umount_under "$root"
  rm -rf "$root" && mv "$new" "$root"
  chroot_ok "$root" || { echo "chroot $suite: QGIS does not start in $root" >&2; return 1; }
  echo "chroot $suite: ready ($(sed -n 's/^qgis //p' "$root/$CHROOT_STAMP"))"
}

# The speed-ups a user adds with pip, in a venv that sees the distribution's packages (PyQGIS, numpy):
# numpy is pinned to the distribution's so pip never brings a second one. Made once per chroot.
SPEEDUPS_VENV=/opt/citycode-speedups

chroot_speedups() {  # chroot_speedups <root>: prints the venv's site-packages (inside the chroot)
  local root=$1
  if [ ! -f "$root$SPEEDUPS_VENV/.complete" ]; then
    rm -rf "${root:?}$SPEEDUPS_VENV"
    # pip reaches PyPI as the host does: through the certificate authorities the host added locally
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
      mkdir -p "$root/usr/local/share/ca-certificates"
      cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
      chroot "$root" update-ca-certificates >/dev/null
    fi
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root sh -ec "
      python3 -m venv --system-site-packages $SPEEDUPS_VENV
      python3 -c 'import numpy; print(\"numpy==\" + numpy.__version__)' > $SPEEDUPS_VENV/constraints.txt
      $SPEEDUPS_VENV/bin/pip install -q --disable-pip-version-check -c $SPEEDUPS_VENV/constraints.txt \
        shapely pyogrio pyarrow
      $SPEEDUPS_VENV/bin/pip freeze > $SPEEDUPS_VENV/.complete" >&2
  fi
  chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin "$SPEEDUPS_VENV/bin/python" -c \
    'import sysconfig; print(sysconfig.get_paths()["purelib"])'
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    build) chroot_build "$2" ;;
    path) chroot_path "$2" ;;
    *) echo "usage: $0 build|path <suite>" >&2; exit 2 ;;
  esac
fi
