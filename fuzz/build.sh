#!/usr/bin/env bash
# Builds the libFuzzer targets with swiftc directly (no Package.swift change needed):
# every library module under Sources/ is compiled on its own, like SwiftPM would (C modules
# with clang and a generated module map, Swift modules in the order their imports give),
# with -sanitize=fuzzer,address; then each fuzz main is linked against those objects.
#
#   fuzz/build.sh            # builds into $FUZZ_OUT (default .build-fuzz/fuzz)
#
# Environment: FUZZ_OUT (output dir), FUZZ_SOURCES (the Sources/ tree to build, default
# the checkout's), SWIFTC / CLANG (default: the toolchain on PATH or /opt/swift/usr/bin),
# FUZZ_OPT (default -O; use -Onone for easier debugging).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${FUZZ_OUT:-$ROOT/.build-fuzz/fuzz}"
SRC="${FUZZ_SOURCES:-$ROOT/Sources}"
OPT="${FUZZ_OPT:--O}"

find_tool() {
    local name="$1"
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    if [[ -x "/opt/swift/usr/bin/$name" ]]; then echo "/opt/swift/usr/bin/$name"; return; fi
    echo "fuzz/build.sh: $name not found (install the Swift toolchain)" >&2
    exit 2
}
SWIFTC="${SWIFTC:-$(find_tool swiftc)}"
CLANG="${CLANG:-$(dirname "$SWIFTC")/clang}"
[[ -x "$CLANG" ]] || CLANG="$(find_tool clang)"

# libFuzzer ships with the toolchain's clang runtime; say so clearly if it does not.
resource_dir="$("$CLANG" -print-resource-dir)"
if ! ls "$resource_dir"/lib/*/libclang_rt.fuzzer*.a >/dev/null 2>&1 &&
   ! ls "$resource_dir"/lib/*/*/libclang_rt.fuzzer*.a >/dev/null 2>&1; then
    echo "fuzz/build.sh: no libclang_rt.fuzzer in $resource_dir: this toolchain cannot build libFuzzer targets" >&2
    exit 2
fi

MODS="$OUT/modules"
OBJS="$OUT/objects"
BIN="$OUT/bin"
MODULE_MAP="$OUT/c-modules/module.modulemap"
rm -rf "$OBJS"
mkdir -p "$MODS" "$OBJS" "$BIN" "$OUT/c-modules"

# The targets of Sources/, found the way SwiftPM finds them: a directory with Swift files is a
# Swift module (one with main.swift is an executable, not needed here); one with only C files
# and an include/ directory is a C module.
C_MODULES=()
SWIFT_MODULES=()
for dir in "$SRC"/*/; do
    name="$(basename "$dir")"
    if [[ -n "$(find "$dir" -name '*.swift' -print -quit)" ]]; then
        [[ -e "$dir/main.swift" ]] || SWIFT_MODULES+=("$name")
    elif [[ -d "$dir/include" ]]; then
        C_MODULES+=("$name")
    fi
done

SANITIZE=(-sanitize=fuzzer,address)
# The same language settings as Package.swift's `strict`.
SWIFT_FLAGS=(
    "$OPT" -g -swift-version 6
    -package-name paylinksandbox
    -enable-upcoming-feature ExistentialAny
    -enable-upcoming-feature MemberImportVisibility
    "${SANITIZE[@]}"
    -I "$MODS"
    -Xcc -fmodule-map-file="$MODULE_MAP"
)

# C modules: SwiftPM writes their module maps (umbrella header include/<Name>.h, else the
# include/ directory); so do we. Their .c files are compiled with the toolchain's clang.
LIB_OBJECTS=()
: > "$MODULE_MAP.tmp"
for module in "${C_MODULES[@]}"; do
    include="$SRC/$module/include"
    if [[ -f "$include/$module.h" ]]; then umbrella="umbrella header \"$include/$module.h\""; else umbrella="umbrella \"$include\""; fi
    printf 'module %s {\n    %s\n    export *\n}\n' "$module" "$umbrella" >> "$MODULE_MAP.tmp"
    echo "build: $module (C)"
    while IFS= read -r source; do
        object="$OBJS/$module-$(basename "$source" .c).o"
        "$CLANG" -c -O1 -g -fsanitize=address,fuzzer-no-link -I "$include" "$source" -o "$object"
        LIB_OBJECTS+=("$object")
    done < <(find "$SRC/$module" -name '*.c' | LC_ALL=C sort)
done
mv "$MODULE_MAP.tmp" "$MODULE_MAP"

# Swift modules in dependency order, read from their import lines.
declare -A DEPS
for module in "${SWIFT_MODULES[@]}"; do
    DEPS[$module]="$(grep -rhoE '^[[:space:]]*(@testable[[:space:]]+)?import[[:space:]]+[A-Za-z0-9_]+' "$SRC/$module" --include='*.swift' |
        awk '{print $NF}' | sort -u | tr '\n' ' ' || true)"
done
ORDERED=()
remaining=("${SWIFT_MODULES[@]}")
while [[ ${#remaining[@]} -gt 0 ]]; do
    next=()
    for module in "${remaining[@]}"; do
        ready=1
        for dep in ${DEPS[$module]}; do
            [[ "$dep" == "$module" ]] && continue
            for other in "${remaining[@]}"; do [[ "$other" == "$dep" ]] && ready=0; done
        done
        if [[ $ready == 1 ]]; then ORDERED+=("$module"); else next+=("$module"); fi
    done
    if [[ ${#next[@]} -eq ${#remaining[@]} ]]; then
        echo "fuzz/build.sh: import cycle among ${remaining[*]}" >&2
        exit 2
    fi
    remaining=("${next[@]}")
done

for module in "${ORDERED[@]}"; do
    echo "build: $module"
    mapfile -t sources < <(find "$SRC/$module" -name '*.swift' | LC_ALL=C sort)
    "$SWIFTC" "${SWIFT_FLAGS[@]}" -parse-as-library -wmo -module-name "$module" \
        -emit-module -emit-module-path "$MODS/$module.swiftmodule" \
        -c -o "$OBJS/$module.o" "${sources[@]}"
    LIB_OBJECTS+=("$OBJS/$module.o")
done

# The fuzz targets: each a single main.swift with @_cdecl("LLVMFuzzerTestOneInput");
# -parse-as-library because libFuzzer provides main().
for target in HTTPParserFuzzer APSRequestFuzzer; do
    echo "build: $target"
    "$SWIFTC" "${SWIFT_FLAGS[@]}" -parse-as-library -module-name "$target" \
        -use-ld=lld "$ROOT/fuzz/$target/main.swift" "${LIB_OBJECTS[@]}" -o "$BIN/$target"
done
echo "build: done -> $BIN"
