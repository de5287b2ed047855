# Helpers for checks in a clean Debian root, as a new user's machine is (sourced by check-deb.sh and
# check-ci.sh). Needs root, debootstrap and a Debian mirror reachable through apt's normal client.
#
#   SUITE            the Debian release (default bookworm, Debian 12; trixie, Debian 13, has the "t64" package
#                    names of Ubuntu 24.04 and later, such as libgtk-3-0t64)
#   SEGLIGHT_ROOTS   where the roots live (default /tmp/seglight-roots); a pristine minbase root is kept there
#                    as base-SUITE/ and copied for each check, so a second check does not bootstrap again
#   DEBIAN_MIRROR    default: the first bookworm URI of this machine's apt sources, else deb.debian.org

ROOTS=${SEGLIGHT_ROOTS:-/tmp/seglight-roots}
SUITE=${SUITE:-bookworm}
MOUNTED=()

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

mirror() {
  if [[ -n "${DEBIAN_MIRROR:-}" ]]; then echo "$DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | grep -v security | head -n 1 | awk '{print ($1=="deb") ? ($2 ~ /^\[/ ? $3 : $2) : $2}')
  echo "${uri:-http://deb.debian.org/debian}"
}

# new_root NAME: a fresh copy of the pristine minimal root of $SUITE, path on stdout.
new_root() {
  local name=$1-$SUITE base="$ROOTS/base-$SUITE"
  mkdir -p "$ROOTS"
  if [[ ! -x "$base/bin/bash" ]]; then
    command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
    say "debootstrap --variant=minbase $SUITE $base ($(mirror))" >&2
    rm -rf "$base.tmp"
    debootstrap --variant=minbase "$SUITE" "$base.tmp" "$(mirror)" >"$ROOTS/debootstrap-$SUITE.log" 2>&1 \
      || { tail -n 20 "$ROOTS/debootstrap-$SUITE.log" >&2; return 1; }
    mv "$base.tmp" "$base"
  fi
  rm -rf "${ROOTS:?}/$name"
  cp -a "$base" "$ROOTS/$name"
  cp /etc/resolv.conf "$ROOTS/$name/etc/resolv.conf" 2>/dev/null || true
  echo "$ROOTS/$name"
}

# bind SRC DEST-IN-ROOT ROOT [ro]
bind() {
  local src=$1 dest="$3$2"
  mkdir -p "$dest"
  mount --bind "$src" "$dest"
  [[ "${4:-}" == ro ]] && mount -o remount,bind,ro "$dest"
  MOUNTED+=("$dest")
}

mount_root() {
  local root=$1
  mount -t proc proc "$root/proc"; MOUNTED+=("$root/proc")
  bind /dev /dev "$root"
  bind /dev/pts /dev/pts "$root"
  bind /sys /sys "$root"
}

umount_all() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
    umount -l "${MOUNTED[i]}" 2>/dev/null || true
  done
  MOUNTED=()
}

# in_root ROOT CMD...: runs a command in the root with a clean environment.
in_root() {
  local root=$1; shift
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
