#!/usr/bin/env bash
# Proves the static binary runs without Swift: builds the release archive
# (scripts/build-static.sh), checks its SHA-256, unpacks it into a minimal Debian root made
# with `debootstrap --variant=minbase` (no Swift, no compiler; cached in .build/chroot-root
# so later runs reuse it), and drives it there with scripts/static_chroot_check.py: starts on
# port 0 as an unprivileged user, answers a signed PAYMENT_LINK, `healthcheck` exits 0, and
# SIGTERM stops it within 2 s. Stands in for the container image, which no engine here builds.
#
# Needs root (or sudo) for debootstrap and chroot; installs debootstrap from Debian if missing.
# DEBIAN_MIRROR and DEBIAN_SUITE (default bookworm, the suite the image runs) choose the root.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "static-chroot: needs root or sudo (debootstrap, chroot)" >&2
  exit 1
fi

need=()
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "static-chroot: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "${need[@]}" >/dev/null
fi

archive="$(scripts/build-static.sh | tail -n 1)"
(cd dist && sha256sum --quiet -c "$(basename "$archive").sha256")
name="$(basename "$archive" .tar.gz)"

suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
root=.build/chroot-root
if [ ! -f "$root/.paylink-$suite" ]; then
  echo "static-chroot: making a minbase $suite root in $root (cached for later runs)"
  as_root umount "$root/proc" 2>/dev/null || true   # left mounted by an interrupted run
  as_root rm -rf "$root" "$root.partial"
  as_root debootstrap --variant=minbase "$suite" "$root.partial" "$mirror" >/dev/null
  as_root touch "$root.partial/.paylink-$suite"
  as_root mv "$root.partial" "$root"
fi
# The point of the test: nothing of Swift in the root.
if as_root find "$root" -name 'libswift*' -print -quit | grep -q .; then
  echo "static-chroot: $root holds a Swift runtime; it cannot prove anything" >&2
  exit 1
fi

# The image's layout: the binary in /usr/local/bin, state in /var/lib/paylink-sandbox.
as_root rm -rf "$root/opt/$name" "$root/var/lib/paylink-sandbox"
as_root tar -xzf "$archive" -C "$root/opt"
as_root install -m 0755 "$root/opt/$name/paylink-sandbox" "$root/usr/local/bin/paylink-sandbox"
as_root install -d -o 10001 -g 10001 -m 0750 "$root/var/lib/paylink-sandbox"

# /proc, as every container has: Swift on Linux reads CommandLine.arguments from
# /proc/self/cmdline, and without it the binary sees no arguments at all.
as_root mount -t proc proc "$root/proc"
trap 'as_root umount "$root/proc" 2>/dev/null || true' EXIT

python3 scripts/static_chroot_check.py --root "$root" --binary /usr/local/bin/paylink-sandbox \
  --state-dir /var/lib/paylink-sandbox
kept="$(as_root ls -A "$root/var/lib/paylink-sandbox")"
[ -n "$kept" ] || { echo "static-chroot: nothing written to PAYLINK_STATE_DIR" >&2; exit 1; }
echo "static-chroot: state kept in /var/lib/paylink-sandbox: $(echo $kept)"
echo "static-chroot: passed ($name in a minbase $suite root)"
