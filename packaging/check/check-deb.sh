#!/usr/bin/env bash
# Release check of the Linux installer, as a new user's machine is: builds a clean minimal Debian root
# (debootstrap --variant=minbase bookworm: no desktop, no GTK, no X, no Java), installs the .deb there with
# apt, then, as an ordinary user of that root, runs the CLI (model-info, segment) and opens the window on an
# X server, takes a screenshot of it and removes the package again. Any error fails the check.
# Not part of the unit tests; run it before a release, as root:
#
#   mvn -B -Ppackage package && sudo packaging/check/check-deb.sh [target/seglight_*.deb] [IMAGE]
#   SUITE=trixie sudo packaging/check/check-deb.sh     the same on Debian 13 (the t64 names of Ubuntu 24.04+)
#
# The X server (Xvfb) runs outside the root and only its socket is shared, so nothing but the package and
# what it declares is installed in the root. The screenshot and logs go to $SEGLIGHT_ROOTS/deb-check/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$here/clean-root.sh"

deb=${1:-$(ls "$repo"/target/seglight_*_amd64.deb 2>/dev/null | head -n 1)}
[[ -f "$deb" ]] || { echo "no .deb given and none in target/ (mvn -B -Ppackage package builds it)" >&2; exit 1; }
image=${2:-$repo/../shared/data/camvid/val/images/0016E5_07959.jpg}
[[ -f "$image" ]] || image=$repo/docs/images/default-model-overlay.png
out=$ROOTS/deb-check-$SUITE
rm -rf "$out"; mkdir -p "$out"

# Outside the root: an X server and a screenshot tool only.
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends xvfb x11-apps netpbm >/dev/null

display=:$((70 + RANDOM % 20))
xvfb_pid=
cleanup() {
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
  umount_all
}
trap cleanup EXIT

root=$(new_root deb)
mount_root "$root"
say "clean root $root; package $(basename "$deb") ($(du -h "$deb" | cut -f1)); image $(basename "$image")"
for p in libgtk-3-0 libgl1 xdg-utils fontconfig; do
  in_root "$root" dpkg -s "$p" >/dev/null 2>&1 && { echo "  $p is already in the root: not clean" >&2; exit 1; }
done
echo "  the root has no libgtk-3-0, libgl1, xdg-utils, fontconfig"

mkdir -p "$root/tmp/check"
cp "$deb" "$root/tmp/check/"
cp "$image" "$root/tmp/check/"
name=$(basename "$image")

say "apt-get install ./$(basename "$deb")"
in_root "$root" apt-get update -qq
set +e
in_root "$root" bash -c "cd /tmp/check && apt-get install -y ./$(basename "$deb")" >"$out/apt-install.log" 2>&1
rc=$?
set -e
grep -E '^(Setting up seglight|Processing triggers|E:|W:|dpkg: error)|seglight:' "$out/apt-install.log" || true
if ((rc != 0)) || grep -qE '^(E:|dpkg: error)|returned error exit status' "$out/apt-install.log"; then
  tail -n 30 "$out/apt-install.log"; echo "FAIL: apt-get install exited $rc" >&2; exit 1
fi
echo "  installed: $(grep -c '^Setting up' "$out/apt-install.log") packages set up, exit 0, no error"
in_root "$root" dpkg-query -W -f='  ${Package} ${Version}: ${Depends}\n' seglight

in_root "$root" useradd -m -s /bin/bash ada
as_ada() { chroot --userspec=ada:ada "$root" /usr/bin/env -i HOME=/home/ada USER=ada PATH=/usr/bin:/bin \
  LANG=C.UTF-8 "$@"; }
cp "$image" "$root/home/ada/"; in_root "$root" chown ada:ada "/home/ada/$name"

say "CLI: Seglight model-info"
as_ada /opt/seglight/bin/Seglight model-info --preset lite --variant convformer --classes 11 --size 480x360 \
  2>&1 | tee "$out/model-info.log" | tail -n 6
say "CLI: Seglight segment --image $name --out out"
as_ada bash -c "cd /home/ada && /opt/seglight/bin/Seglight segment --image $name --out out" 2>&1 \
  | tee "$out/segment.log" | tail -n 4
stem=${name%.*}
[[ -s "$root/home/ada/out/masks/$stem.png" ]] || { echo "FAIL: segment wrote no mask" >&2; exit 1; }
cp "$root/home/ada/out/overlays/$stem.png" "$out/segment-overlay.png" 2>/dev/null || true
echo "  mask: $(file -b "$root/home/ada/out/masks/$stem.png")"

say "window: Xvfb $display (outside the root), Seglight $name (inside, as ada)"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
sleep 2
bind /tmp/.X11-unix /tmp/.X11-unix "$root"
as_ada bash -c "cd /home/ada && DISPLAY=$display exec /opt/seglight/bin/Seglight $name" >"$out/app.log" 2>&1 &
app=$!
# The model loads and the image is segmented in the background; give it WAIT_S seconds (default 40).
for ((i = 0; i < ${WAIT_S:-40}; i++)); do
  sleep 1
  kill -0 "$app" 2>/dev/null || break
done
if ! kill -0 "$app" 2>/dev/null; then
  tail -n 30 "$out/app.log"; echo "FAIL: the app exited on its own" >&2; exit 1
fi
xwd -root -display "$display" -silent | xwdtopnm 2>/dev/null | pnmtopng >"$out/window.png"
kill "$app" 2>/dev/null || true
pkill -u "$(stat -c %u "$root/home/ada")" -f /opt/seglight 2>/dev/null || true
wait "$app" 2>/dev/null || true
if grep -qE 'Unable to load glass|UnsupportedOperationException|Exception in|Error:' "$out/app.log"; then
  grep -nE 'Unable to load glass|Exception|Error' "$out/app.log" | head; echo "FAIL: errors in the app's log" >&2; exit 1
fi
echo "  screenshot: $out/window.png ($(pngtopnm "$out/window.png" | pnmfile | cut -d: -f2))"
umount -l "$root/tmp/.X11-unix" 2>/dev/null || true

say "apt-get remove seglight"
in_root "$root" apt-get remove -y seglight >"$out/apt-remove.log" 2>&1 || { tail "$out/apt-remove.log"; exit 1; }
grep -E 'Removing seglight|seglight:' "$out/apt-remove.log" || true
[[ ! -e "$root/opt/seglight" ]] || { echo "FAIL: /opt/seglight is still there" >&2; exit 1; }
say "PASS: installed with apt on a minimal Debian $SUITE, CLI and window work, removed cleanly; logs in $out"
