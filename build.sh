#!/usr/bin/env bash
# The project's one entry point. On a fresh Debian 12 machine:
#
#   ./build.sh boot    install what is missing, build, boot on QEMU virt
#   ./build.sh test    install what is missing, build everything, run every
#                      test (unit, boot, proof, spec, system), CTest summary
#   ./build.sh build   install what is missing and build, nothing else
#   ./build.sh --list-packages MODE   the Debian packages MODE installs
#
# QEMU_OPTS adds QEMU options to the boot (e.g. QEMU_OPTS="-m 1G -smp 2").
# Packages come from Debian only. Set BUILD_DIR to build elsewhere.
set -euo pipefail
cd "$(dirname "$0")"
usage() {
  echo "usage: $0 [boot|build|test]     (default: boot)" >&2
  echo "       $0 --list-packages boot|build|test" >&2
  echo "Extra QEMU options for the boot: QEMU_OPTS=\"-m 1G\" $0 boot" >&2
  exit 2
}
list_only=0
if [ "${1:-}" = --list-packages ]; then list_only=1; shift; fi
(($# <= 1)) || { echo "build.sh: unexpected arguments: ${*:2}" >&2; usage; }
mode=${1:-boot}
BUILD_DIR=${BUILD_DIR:-build}

# libc6-dev: the host C library's start files and headers, for CMake's
# check of the host compiler (gcc only recommends it, and recommends are
# not installed).
boot_pkgs=(cmake make gcc libc6-dev gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf
           picolibc-riscv64-unknown-elf qemu-system-misc opensbi u-boot-qemu
           device-tree-compiler python3)
test_pkgs=("${boot_pkgs[@]}" frama-c-base why3 z3 cvc4 coq ocaml-nox
           ocaml-findlib gdb-multiarch)

case "$mode" in
  boot|build) want=("${boot_pkgs[@]}") ;;
  test)       want=("${test_pkgs[@]}") ;;
  *) echo "build.sh: unknown command '$mode'" >&2; usage ;;
esac
if ((list_only)); then echo "${want[@]}"; exit 0; fi

# --- install what is missing -------------------------------------------------
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "build.sh: installing missing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "build.sh: all ${#want[@]} required Debian packages are installed"
fi

# Why3 must know the provers; detect them once (or again when they change).
if [ "$mode" = test ]; then
  if ! why3 config list-provers 2>/dev/null | grep -q '^Z3' \
     || ! why3 config list-provers 2>/dev/null | grep -q '^CVC4'; then
    echo "build.sh: registering provers with Why3 (why3 config detect)"
    why3 config detect >/dev/null
  fi
fi

# --- check the tools and their versions --------------------------------------
fail=0
need() {  # need TOOL VERSION-REGEX FIX [VERSION-ARGS...] (default --version)
  local tool=$1 re=$2 fix=$3 v
  shift 3
  (($#)) || set -- --version
  if ! command -v "$tool" >/dev/null; then
    echo "build.sh: missing tool '$tool'. Fix: $fix" >&2; fail=1; return
  fi
  v=$("$tool" "$@" 2>&1 | head -n 3 | tr '\n' ' ' || true)
  if ! grep -Eq "$re" <<<"$v"; then
    echo "build.sh: '$tool' has an unsupported version ($v); expected /$re/. Fix: $fix" >&2
    fail=1
  fi
}
need cmake 'version 3\.(2[0-9]|[3-9][0-9])' "apt-get install cmake (3.20 or newer)"
need riscv64-unknown-elf-gcc 'riscv64-unknown-elf-gcc' "apt-get install gcc-riscv64-unknown-elf"
need qemu-system-riscv64 'version ([7-9]|[1-9][0-9])\.' "apt-get install qemu-system-misc (7.2 or newer)"
need dtc 'Version' "apt-get install device-tree-compiler"
[ -e /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin ] \
  || { echo "build.sh: missing U-Boot for QEMU. Fix: apt-get install u-boot-qemu" >&2; fail=1; }
if [ "$mode" = test ]; then
  need frama-c '^25\.' "apt-get install frama-c-base (Frama-C 25 Manganese)"
  need why3 '1\.5' "apt-get install why3 (1.5)"
  need z3 'Z3 version 4\.' "apt-get install z3"
  need cvc4 'version 1\.8' "apt-get install cvc4"
  need coqc 'version 8\.16' "apt-get install coq (8.16)"
  need ocamlfind '^4\.' "apt-get install ocaml-findlib ocaml-nox" ocamlopt -version
fi
if ((fail)); then exit 1; fi

# --- build ----------------------------------------------------------------
jobs=$(nproc)
extra=()
[ "$mode" = test ] && extra+=(-DREQUIRE_ALL=ON)
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug "${extra[@]}"

case "$mode" in
  # boot builds what the boot needs: the cross build (kernel images and
  # programs), not the spec, the proofs or the host tests
  boot)  cmake --build "$BUILD_DIR" -j "$jobs" --target riscv
         cmake --build "$BUILD_DIR" --target run-virt ;;
  build) cmake --build "$BUILD_DIR" -j "$jobs" ;;
  test)  cmake --build "$BUILD_DIR" -j "$jobs"
         ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$jobs" ;;
esac
