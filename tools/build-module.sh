#!/bin/bash
# Build the buddybox modules out of tree, in a copy of the sources:
#   tools/build-module.sh KDIR OUTDIR [make args...]
# copies module/ kunit/ Kbuild Makefile into OUTDIR and runs
# `make -C KDIR M=OUTDIR modules [make args...]` there, so one checkout can
# be built for several kernels (or with W=1 / C=2) without clobbering.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# BB_SRC: build another source tree laid out the same way (a stand-in)
top=$(cd "${BB_SRC:-$here/..}" && pwd)

[ $# -ge 2 ] || { echo "usage: $0 KDIR OUTDIR [make args...]" >&2; exit 2; }
kdir=$1 out=$2
shift 2
[ -f "$kdir/Makefile" ] || { echo "build-module: $kdir is not a kernel build tree" >&2; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
srcs=()
for f in module kunit Kbuild Makefile; do
	[ -e "$top/$f" ] && srcs+=("$top/$f")
done
# --checksum: make must see a change whenever a source changed, but an
# unchanged file keeps its timestamp so that rebuilds stay incremental
rsync -a --checksum --delete \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='*.a' --exclude='.*.d' \
	"${srcs[@]}" "$out/"
make -C "$kdir" M="$out" "$@" modules
