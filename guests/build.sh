#!/usr/bin/env bash
# Build every wasm-bind guest to wasm32 (no libc) into target/guests/<guest>/.
#
#   bash guests/build.sh            # callable from any cwd; idempotent
#
# Output (git-ignored):
#   target/guests/monocypher/monocypher.wasm
#   target/guests/monocypher/monocypher.h
#   target/guests/monocypher/monocypher-ed25519.h
#   target/guests/twosum/twosum.wasm
#   target/guests/twosum/twosum.h
#   target/guests/lz4/lz4.wasm
#   target/guests/lz4/lz4.h
#   target/guests/callbacks/callbacks.wasm (tests/headers/shape_callbacks.h)
#   target/guests/libc_check/libc_check.wasm (+ .h; a libc guest, built with wasm-bind guest --wasi)
#   target/guests/owned/owned.wasm (+ .h; library-owned handle tests, a libc guest)
#   target/guests/lz4stream/lz4.wasm (+ lz4.h; LZ4 with malloc, a libc guest)
#   target/guests/zlib/zlib.wasm (+ zlib.h, zconf.h; a libc guest)
#   target/guests/cubature/cubature.wasm (+ cubature.h; a libc guest with callbacks)
#   target/guests/sqlite/sqlite.wasm (+ sqlite3.h, sqlite_probe.h; a libc guest, rebuilt only when an input changed)
#
# Monocypher's C sources come from the crates.io crate monocypher-sys =4.0.2
# (a dev-dependency of tests/), LZ4's from lz4-sys =1.11.1 (LZ4 1.10.0),
# both located with `cargo metadata`; they are never copied into the
# repository. Every guest links wasm-bind's guest kit (guest-kit/: the arena
# ABI wb_arena.c and the freestanding libc subset wb_libc.c, whose headers are
# added with -isystem). See guests/README.md and guest-kit/README.md.
set -euo pipefail

GUESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$GUESTS_DIR/.." && pwd)"
KIT="$ROOT/guest-kit"
OUT="$ROOT/target/guests"

CC="${WB_CLANG:-clang-19}"
LD="${WB_WASM_LD:-wasm-ld-19}"

missing=()
command -v "$CC" >/dev/null 2>&1 || missing+=("$CC (Debian package: clang-19)")
command -v "$LD" >/dev/null 2>&1 || missing+=("$LD (Debian package: lld-19)")
command -v python3 >/dev/null 2>&1 || missing+=("python3")
command -v cargo >/dev/null 2>&1 || missing+=("cargo (rustup)")
if ((${#missing[@]})); then
    echo "guests/build.sh: missing tools:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    echo "Install with: apt-get install -y clang-19 lld-19   (or run scripts/setup.sh)" >&2
    exit 1
fi

CFLAGS=(--target=wasm32 -nostdlib -ffreestanding -O2 -mbulk-memory
        -fvisibility=default -Wall -Wextra -Werror=implicit-function-declaration
        -isystem "$KIT/include" -I "$KIT")
# -fvisibility=default + --export-dynamic export every non-static
# function/global (clang defaults to hidden on wasm32); memory is
# exported by default. 1 MiB of stack (argon2/eddsa use large frames);
# stack is placed first so an overflow traps instead of corrupting data.
# Per-guest extra compiler flags (set just before a build_guest call).
EXTRA_CFLAGS=()
LDFLAGS=(--no-entry --export-dynamic --export=__heap_base
         -z stack-size=1048576 --stack-first)

# The kit's sources, linked into every guest.
KIT_SRC=("$KIT/wb_arena.c" "$KIT/wb_libc.c")

# build_guest NAME OBJDIR SOURCES...  (the kit is appended)
build_guest() {
    local name="$1" dir="$2"; shift 2
    local objs=() src obj
    mkdir -p "$dir/obj"
    for src in "$@" "${KIT_SRC[@]}"; do
        obj="$dir/obj/$(basename "${src%.c}").o"
        "$CC" "${CFLAGS[@]}" "${EXTRA_CFLAGS[@]}" "${INCLUDES[@]}" -c "$src" -o "$obj"
        objs+=("$obj")
    done
    "$LD" "${LDFLAGS[@]}" "${objs[@]}" -o "$dir/$name.wasm.tmp"
    mv -f "$dir/$name.wasm.tmp" "$dir/$name.wasm"
    rm -rf "$dir/obj"
    echo "built $dir/$name.wasm ($(wc -c <"$dir/$name.wasm") bytes)"
}

# --- monocypher -----------------------------------------------------------
MONO="$(python3 "$GUESTS_DIR/locate_monocypher.py" "$ROOT")"
MONO_SRC="$MONO/src"
D="$OUT/monocypher"
mkdir -p "$D"
INCLUDES=(-I "$MONO_SRC")
# Aggressive unrolling: crypto_aead_lock/unlock of 1 MiB 2.03 -> 1.66 ms each
# under wasmtime with epoch interruption (the fully unrolled hot loops carry
# no back edges, hence no epoch checks); module 83 -> 145 KB. See README.
EXTRA_CFLAGS=(-funroll-loops -mllvm -unroll-threshold=2000)
build_guest monocypher "$D" \
    "$MONO_SRC/monocypher.c" \
    "$MONO_SRC/optional/monocypher-ed25519.c"
EXTRA_CFLAGS=()
# Headers, flattened exactly as the sources include them
# (monocypher-ed25519.h does #include "monocypher.h").
install -m 0644 "$MONO_SRC/monocypher.h" "$D/monocypher.h"
install -m 0644 "$MONO_SRC/optional/monocypher-ed25519.h" "$D/monocypher-ed25519.h"

# --- twosum ---------------------------------------------------------------
D="$OUT/twosum"
mkdir -p "$D"
INCLUDES=(-I "$GUESTS_DIR/twosum")
build_guest twosum "$D" "$GUESTS_DIR/twosum/twosum.c"
install -m 0644 "$GUESTS_DIR/twosum/twosum.h" "$D/twosum.h"

# --- callbacks (tests/headers/shape_callbacks.h) ----------------------------
# Callbacks are passed as indices into the guest's function table, which the
# host grows: the table is exported and growable.
D="$OUT/callbacks"
mkdir -p "$D"
INCLUDES=(-I "$ROOT/tests/headers" -I "$ROOT/bindgen-core/include")
SAVED_LDFLAGS=("${LDFLAGS[@]}")
LDFLAGS+=(--export-table --growable-table)
build_guest callbacks "$D" "$GUESTS_DIR/callbacks/callbacks.c"
LDFLAGS=("${SAVED_LDFLAGS[@]}")

# --- lz4 ------------------------------------------------------------------
# lz4.c only (the block API of lz4.h). LZ4_FREESTANDING=1 drops every libc
# use and the malloc-based API (LZ4_createStream, ...; it also forces
# LZ4_HEAPMODE=0: the 16 KiB compression state lives on the stack) and needs
# LZ4_memcpy/memmove/memset, which map to the builtins (memory.copy/fill).
LZ4_SRC="$(python3 "$GUESTS_DIR/locate_lz4.py" "$ROOT")"
D="$OUT/lz4"
mkdir -p "$D"
INCLUDES=(-I "$LZ4_SRC"
          -DLZ4_FREESTANDING=1 -DLZ4_HEAPMODE=0
          "-DLZ4_memcpy(d,s,n)=__builtin_memcpy((d),(s),(n))"
          "-DLZ4_memmove(d,s,n)=__builtin_memmove((d),(s),(n))"
          "-DLZ4_memset(p,v,n)=__builtin_memset((p),(v),(n))")
build_guest lz4 "$D" "$LZ4_SRC/lz4.c"
# The unmodified upstream header (its API without LZ4_FREESTANDING also
# declares LZ4_createStream & co., which this module does not export).
install -m 0644 "$LZ4_SRC/lz4.h" "$D/lz4.h"

# --- libc guests (wasm-bind guest --wasi) -----------------------------------
# Built by the tool itself against Debian's wasi-libc (packages wasi-libc and
# libclang-rt-19-dev-wasm32, installed by scripts/setup.sh): reactor modules that
# import only WASI preview 1 functions. See README "Libc guests".
WASM_BIND=(cargo run -q --manifest-path "$ROOT/Cargo.toml" -p gen --)

# libc_check: the runtimes' WASI tests (tests/libc_guest/).
D="$OUT/libc_check"
mkdir -p "$D"
install -m 0644 "$ROOT/tests/libc_guest/libc_check.h" "$D/libc_check.h"
"${WASM_BIND[@]}" guest "$ROOT/tests/libc_guest/libc_check.c" --header "$D/libc_check.h" --wasi \
    -o "$D/libc_check.wasm" 2>"$D/build.log" || { cat "$D/build.log" >&2; exit 1; }
echo "built $D/libc_check.wasm ($(wc -c <"$D/libc_check.wasm") bytes)"

# owned: the library-owned handle tests (tests/owned_guest/: opaque structs it mallocs itself).
D="$OUT/owned"
mkdir -p "$D"
install -m 0644 "$ROOT/tests/owned_guest/owned.h" "$D/owned.h"
"${WASM_BIND[@]}" guest "$ROOT/tests/owned_guest/owned.c" --header "$D/owned.h" \
    --config "$ROOT/tests/owned_guest/owned.toml" --wasi \
    -o "$D/owned.wasm" 2>"$D/build.log" || { cat "$D/build.log" >&2; exit 1; }
echo "built $D/owned.wasm ($(wc -c <"$D/owned.wasm") bytes)"

# lz4stream: the same lz4.c as a libc guest (no LZ4_FREESTANDING): LZ4's malloc-based streaming
# API, its state objects bound as library-owned handles by guests/lz4/lz4_stream.toml.
D="$OUT/lz4stream"
mkdir -p "$D"
install -m 0644 "$LZ4_SRC/lz4.h" "$D/lz4.h"
"${WASM_BIND[@]}" guest "$LZ4_SRC/lz4.c" --header "$D/lz4.h" --config "$GUESTS_DIR/lz4/lz4_stream.toml" --wasi \
    -o "$D/lz4.wasm" 2>"$D/build.log" || { cat "$D/build.log" >&2; exit 1; }
echo "built $D/lz4.wasm ($(wc -c <"$D/lz4.wasm") bytes)"

# zlib (bundled by libz-sys =1.1.33): its core (compress2, compressBound, crc32, adler32, ...),
# which needs malloc, and the gz* file API (WASI files, library-owned gzFile handles); the unmodified zlib.h + zconf.h, bound by guests/zlib/zlib.toml.
# -include unistd.h: gzlib.c calls lseek, which zconf.h declares only with Z_HAVE_UNISTD_H (that
# would also make z_off_t 64-bit and change the signatures the unmodified header is bound with).
ZLIB_SRC="$(python3 "$GUESTS_DIR/locate_zlib.py" "$ROOT")"
D="$OUT/zlib"
mkdir -p "$D"
install -m 0644 "$ZLIB_SRC/zlib.h" "$ZLIB_SRC/zconf.h" "$D/"
"${WASM_BIND[@]}" guest "$ZLIB_SRC"/{adler32,compress,crc32,deflate,inflate,infback,inftrees,inffast,trees,uncompr,zutil,gzlib,gzread,gzwrite,gzclose}.c \
    --header "$D/zlib.h" --config "$GUESTS_DIR/zlib/zlib.toml" --wasi --clang-arg=-include --clang-arg=unistd.h \
    -o "$D/zlib.wasm" 2>"$D/build.log" || { cat "$D/build.log" >&2; exit 1; }
echo "built $D/zlib.wasm ($(wc -c <"$D/zlib.wasm") bytes)"

# cubature (Steven G. Johnson's adaptive multidimensional integration, from the PyPI sdist
# cubature==0.18.8, downloaded into target/ by locate_cubature.py): hcubature.c + pcubature.c,
# doubles, an integrand callback, malloc and libm; the unmodified cubature.h, bound by
# guests/cubature/cubature.toml.
CUB_SRC="$(python3 "$GUESTS_DIR/locate_cubature.py" "$ROOT")"
D="$OUT/cubature"
mkdir -p "$D"
install -m 0644 "$CUB_SRC/cubature.h" "$D/"
"${WASM_BIND[@]}" guest "$CUB_SRC/hcubature.c" "$CUB_SRC/pcubature.c" \
    --header "$D/cubature.h" --config "$GUESTS_DIR/cubature/cubature.toml" --wasi \
    -o "$D/cubature.wasm" 2>"$D/build.log" || { cat "$D/build.log" >&2; exit 1; }
echo "built $D/cubature.wasm ($(wc -c <"$D/cubature.wasm") bytes)"

# SQLite (the amalgamation bundled by libsqlite3-sys =0.30.1: SQLite 3.46.0): sqlite3.c +
# sqlite/wb_sqlite_init.c (SQLITE_EXTRA_INIT: the default VFS's xRandomness draws from WASI
# random_get) + sqlite/sqlite_probe.c (two driver functions for the WASI tests, exported with
# --export and bound from sqlite/sqlite_probe.h). The unmodified sqlite3.h, bound by
# guests/sqlite/sqlite.toml. Compiling sqlite3.c takes ~20 s, so the module is rebuilt only when an
# input changed: the sources, the config, these flags, or the wasm-bind binary (which decides the
# exports); the inputs' sha256 is kept in target/guests/sqlite/inputs.sha256.
SQLITE_SRC="$(python3 "$GUESTS_DIR/locate_sqlite.py" "$ROOT")"
D="$OUT/sqlite"
mkdir -p "$D"
install -m 0644 "$SQLITE_SRC/sqlite3.h" "$D/"
install -m 0644 "$GUESTS_DIR/sqlite/sqlite_probe.h" "$D/"
# SQLITE_OMIT_PROGRESS_CALLBACK drops a check from the bytecode loop (sqlite3_progress_handler, a
# callback SQLite keeps, is not bound): 3% less CPU time for the bench's binding and script, same size.
SQLITE_FLAGS=(-Os -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_TEMP_STORE=3
              -DSQLITE_OMIT_WAL -DSQLITE_OMIT_SHARED_CACHE -DSQLITE_OMIT_PROGRESS_CALLBACK
              -DSQLITE_EXTRA_INIT=wb_sqlite_init)
SQLITE_ARGS=("$SQLITE_SRC/sqlite3.c" "$GUESTS_DIR/sqlite/wb_sqlite_init.c" "$GUESTS_DIR/sqlite/sqlite_probe.c"
             --header "$D/sqlite3.h" --config "$GUESTS_DIR/sqlite/sqlite.toml" --wasi
             --export wbs_run --export wbs_environ_count)
for f in "${SQLITE_FLAGS[@]}"; do
    case "$f" in -O*) SQLITE_ARGS+=("$f") ;; *) SQLITE_ARGS+=(--clang-arg "$f") ;; esac
done
cargo build -q --manifest-path "$ROOT/Cargo.toml" -p gen
GEN_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/wasm-bind"
stamp="$( { printf '%s\n' "${SQLITE_ARGS[@]}" | sed "s|$ROOT|ROOT|; s|$SQLITE_SRC|SQLITE|";
            cat "$SQLITE_SRC/sqlite3.c" "$SQLITE_SRC/sqlite3.h" "$GUESTS_DIR/sqlite/"* "$GEN_BIN"; } | sha256sum | cut -c1-64)"
if [[ -f "$D/sqlite.wasm" && "$(cat "$D/inputs.sha256" 2>/dev/null)" == "$stamp" ]]; then
    echo "up to date $D/sqlite.wasm ($(wc -c <"$D/sqlite.wasm") bytes)"
else
    rm -f "$D/inputs.sha256"
    "${WASM_BIND[@]}" guest "${SQLITE_ARGS[@]}" -o "$D/sqlite.wasm" 2>"$D/build.log" || { cat "$D/build.log" >&2; exit 1; }
    echo "$stamp" >"$D/inputs.sha256"
    echo "built $D/sqlite.wasm ($(wc -c <"$D/sqlite.wasm") bytes)"
fi
