#!/bin/sh
# demo.sh: buddybox for newcomers.  Loads the module, allocates a mix of
# orders through debugfs and through /dev/buddybox, shows how the free
# lists change, frees everything, shows the blocks merged back, asks the
# consistency checker, and unloads.  Exits non-zero if a step failed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

say() {
	echo
	echo ">>> $*"
}

show() {
	echo "\$ cat $1"
	sed 's/^/    /' "$BBD/$1"
}

# step DESC CMD...: run a step that must work; its failure is counted
step() {
	_d=$1
	shift
	if "$@"; then
		return 0
	fi
	not_ok "$_d"
	return 1
}

bb_cleanup
say "buddybox runs its own copy of the kernel's zoned buddy page allocator"
echo "    over a region of memory it reserves at load time: a sandbox whose"
echo "    free lists you can watch and poke without touching the real ones."

say "Loading it: a 256 MiB region, one node, zones DMA (16 MiB), DMA32"
echo "    (112 MiB) and Normal (the rest), like a small x86_64 machine."
echo "\$ insmod buddybox.ko"
if ! bb_insmod; then
	not_ok "insmod"
	detail "$BB_TMP/insmod.err"
	bb_done
fi
ok "insmod"
dmesg | grep 'buddybox:' | tail -n 1 | sed 's/^/    /'

say "buddyinfo, in /proc/buddyinfo's format: for each zone, the number of"
echo "    free blocks of order 0, 1, ... 10 (a block of order n is 2^n pages)."
echo "    Everything is free, so it all sits in order-10 blocks (4 MiB each)."
echo "    (The files are in $BBD.)"
show buddyinfo
bb_state initial

say "Allocating through debugfs: one line per request written to 'control'."
for req in "alloc order=0 gfp=GFP_KERNEL count=3" \
	"alloc order=2 gfp=GFP_KERNEL|__GFP_MOVABLE" \
	"alloc order=5 gfp=GFP_DMA" \
	"alloc order=3 gfp=GFP_DMA32|__GFP_RECLAIMABLE"; do
	echo "\$ echo '$req' > control"
	step "control: $req" bb_control "$req" || detail "$BB_TMP/control.err"
done
echo "    Each allocation, with the zone and the pageblock migratetype it got:"
show allocations

say "Allocating through /dev/buddybox with buddyctl.  A descriptor owns what"
echo "    it allocates and frees it on close, so buddyctl holds its allocations"
echo "    (sleeping) while we look.  Writes and reads check the memory is real."
cat > "$BB_TMP/demo.bb" <<'EOF'
alloc --order 1 --gfp GFP_KERNEL
alloc --order 4 --gfp GFP_HIGHUSER_MOVABLE
alloc --order 9 --gfp GFP_KERNEL
alloc --order 0 --gfp GFP_ATOMIC
write $2 --seed 2024
read $2 --verify-seed 2024
write $1 --pattern 0x42 --length 32
read $1 --length 32
echo @@ holding
sleep 600000
EOF
sed 's/^/    | /' "$BB_TMP/demo.bb"
bb_bg_start demo "$BB_TMP/demo.bb"
if bb_bg_wait_for demo holding 60; then
	ok "buddyctl allocations"
else
	not_ok "buddyctl allocations"
fi
sed 's/^/    /' "$BB_TMP/demo.out"

say "buddyinfo now: the big blocks were split to serve the small requests;"
echo "    the halves not handed out wait on the lower-order lists."
show buddyinfo
say "pagetypeinfo: the same free blocks by migratetype.  Unmovable and"
echo "    Reclaimable requests took pageblocks from the Movable ones."
show pagetypeinfo
say "Some counters (vmstat):"
grep -E '^(pgalloc_|pgfree|alloc_success|alloc_fallback|alloc_steal|alloc_claim|nr_free_pages|region_pages)' \
	"$BBD/vmstat" | sed 's/^/    /'

say "Freeing everything: buddyctl exits (closing its descriptor), and"
echo "    'free all' goes to control."
bb_bg_stop TERM
echo "\$ echo 'free all' > control"
step "control: free all" bb_control "free all" || detail "$BB_TMP/control.err"

say "Small freed blocks wait on per-CPU lists first (zoneinfo's pagesets):"
grep -E '^Node|cpu:|count:' "$BBD/zoneinfo" | sed 's/^/    /'
echo "\$ echo drain > control     # drain_all_pages()"
step "control: drain" bb_control drain || detail "$BB_TMP/control.err"

say "buddyinfo again: every freed block merged with its buddy, up to order 10."
show buddyinfo
cat "$BBD/buddyinfo" > "$BB_TMP/after.buddyinfo"
if cmp -s "$BB_TMP/initial.buddyinfo" "$BB_TMP/after.buddyinfo"; then
	ok "buddyinfo is exactly what it was at load"
else
	not_ok "buddyinfo is not what it was at load"
fi

say "The consistency checker walks every free list and page: 'ok' or the problems."
show check
check_consistent "check says ok"

say "Unloading."
echo "\$ rmmod buddybox"
check_rmmod "rmmod"
bb_cleanup
bb_done
