#!/usr/bin/env bash
# Runs `bash .ci/run` on a clean clone of this repository's HEAD inside a clean Debian 12 root (minbase: no
# GTK, no X, no Maven, no fonts), so that a missing install step in .ci/run shows here and not on a new
# machine. Only the JDK 25 is copied in (Debian 12 does not package it; CI machines have Temurin 25).
#
#   sudo packaging/check/check-ci.sh            uses this machine's Maven cache (~/.m2, bound in)
#   CLEAN_M2=1 sudo packaging/check/check-ci.sh  starts from an empty Maven cache (downloads everything)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$here/clean-root.sh"
trap umount_all EXIT

jdk=${JAVA_HOME:-}
[[ -x "$jdk/bin/java" ]] && "$jdk/bin/java" -version 2>&1 | grep -q '"25' \
  || jdk=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n 1)
[[ -n "$jdk" ]] || { echo "no JDK 25 under /usr/lib/jvm to copy into the root" >&2; exit 1; }

root=$(new_root ci)
mount_root "$root"
say "clean root $root"
for p in libgtk-3-0 xvfb maven fontconfig libgl1; do
  if in_root "$root" dpkg -s "$p" >/dev/null 2>&1; then echo "  $p: installed (the root is not clean)"; exit 1; fi
  echo "  $p: not installed"
done

mkdir -p "$root/usr/lib/jvm" "$root/work"
cp -a "$jdk" "$root/usr/lib/jvm/"
git clone -q "$repo" "$root/work/main"
say "clone of $(git -C "$repo" rev-parse --short HEAD) in /work/main; JDK $(basename "$jdk")"
if [[ -d "$repo/../shared" ]]; then bind "$(cd "$repo/../shared" && pwd)" /work/shared "$root" ro; fi
if [[ -z "${CLEAN_M2:-}" && -d "$HOME/.m2/repository" ]]; then bind "$HOME/.m2" /root/.m2 "$root"; fi

say "CI=true bash .ci/run (in the root)"
start=$SECONDS
set +e
in_root "$root" CI=true bash -c 'cd /work/main && bash .ci/run' 2>&1 | tee "$ROOTS/check-ci.log" | tail -n 40
rc=${PIPESTATUS[0]}
set -e
say ".ci/run exited $rc after $((SECONDS - start)) s; whole log: $ROOTS/check-ci.log"
grep -E 'Tests run: [0-9]+, Failures' "$ROOTS/check-ci.log" | tail -n 1 || true
exit "$rc"
