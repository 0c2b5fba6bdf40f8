#!/usr/bin/env bash
# Builds the release binary of paylink-sandbox with the Swift runtime linked statically
# (--static-swift-stdlib), strips it and packs it for people without a Swift toolchain:
#
#   dist/paylink-sandbox-<version>-linux-<arch>.tar.gz         the binary and README.md
#   dist/paylink-sandbox-<version>-linux-<arch>.tar.gz.sha256  its SHA-256, in sha256sum format
#
# The binary then needs only libc, libm, libstdc++ and libgcc_s from the system (any glibc
# distribution from the one it was built on onwards): scripts/test-static-chroot.sh proves it
# in a minimal Debian root. It builds in .build/static, apart from the ordinary release build,
# so the two do not rebuild each other. The archive is reproducible (fixed order, owner and
# times; SOURCE_DATE_EPOCH or the last commit's time).
#
# Prints the archive's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v strip >/dev/null 2>&1; then
  echo "build-static: installing binutils (for strip)" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq binutils >/dev/null
fi

scratch=.build/static
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product paylink-sandbox >&2
built="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/paylink-sandbox"

version="$("$built" --version | awk '{print $2}')"
case "$(uname -m)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) arch="$(uname -m)" ;;
esac
name="paylink-sandbox-${version}-linux-${arch}"

staging="$scratch/package/$name"
rm -rf "$scratch/package"
mkdir -p "$staging" dist
cp "$built" "$staging/paylink-sandbox"
strip "$staging/paylink-sandbox"
cp README.md "$staging/README.md"

epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    -C "$scratch/package" -cf - "$name" | gzip -9n > "dist/$name.tar.gz"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

echo "build-static: $(stat -c %s "$staging/paylink-sandbox") bytes stripped; needs:" >&2
ldd "$staging/paylink-sandbox" | awk '{print "  " $1}' >&2 || true
echo "build-static: $(cat "dist/$name.tar.gz.sha256")" >&2
echo "dist/$name.tar.gz"
