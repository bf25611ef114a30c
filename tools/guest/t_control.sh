#!/bin/sh
# t_control.sh: allocating and freeing through debugfs' control file.
# Allocations show in the allocations file and in the counters; malformed
# lines are refused with EINVAL and change nothing; once everything is
# freed, buddyinfo is the initial one again and the checker says ok.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

bb_cleanup
check_insmod "insmod"
bb_loaded || bb_done

region=$(bb_vmstat region_pages)
bb_state initial
free0=$(bb_vmstat nr_free_pages)
pgfree0=$(bb_vmstat pgfree)
check_eq "nothing allocated at first" "$free0" "$region"
check_eq "the allocations file has only its header" "$(bb_nr_allocations)" 0

# --- allocations -----------------------------------------------------------
check_control "alloc order=3 gfp=GFP_KERNEL" "alloc order=3 gfp=GFP_KERNEL"
check_eq "one allocation listed" "$(bb_nr_allocations)" 1
tail -n 1 "$BBD/allocations" > "$BB_TMP/line"
check_eq "its line has 6 fields (handle pfn order migratetype zone node)" \
	"$(awk '{ print NF }' "$BB_TMP/line")" 6
check_eq "its order is 3" "$(awk '{ print $3 }' "$BB_TMP/line")" 3
check_eq "its node is 0" "$(awk '{ print $6 }' "$BB_TMP/line")" 0
first=$(awk '{ print $1 }' "$BB_TMP/line")

check_control "alloc count=4 of order 0, movable" \
	"alloc order=0 gfp=GFP_KERNEL|__GFP_MOVABLE count=4"
check_eq "five allocations listed" "$(bb_nr_allocations)" 5
check_eq "four of them of order 0" \
	"$(tail -n +2 "$BBD/allocations" | awk '$3 == 0' | wc -l)" 4
check_grep "the movable ones from Movable pageblocks" \
	'^ *[0-9]+ +[^ ]+ +0 +Movable ' "$BBD/allocations"

pgalloc_dma0=$(bb_vmstat pgalloc_dma)
check_control "alloc order=1 gfp=GFP_DMA" "alloc order=1 gfp=GFP_DMA"
check_grep "... from zone DMA" '^ *[0-9]+ +[^ ]+ +1 +[A-Za-z]+ +DMA +0 *$' "$BBD/allocations"
check_num "... pgalloc_dma rose by 2" "$(bb_vmstat pgalloc_dma)" -eq $((pgalloc_dma0 + 2))

check_control "alloc order=2 gfp=GFP_DMA32 nid=0" "alloc order=2 gfp=GFP_DMA32 nid=0"
check_grep "... from zone DMA32" '^ *[0-9]+ +[^ ]+ +2 +[A-Za-z]+ +DMA32 +0 *$' "$BBD/allocations"

check_control "alloc order=10 gfp=GFP_HIGHUSER_MOVABLE" "alloc order=10 gfp=GFP_HIGHUSER_MOVABLE"
check_control "alloc order=0 gfp=0x2 (a number)" "alloc order=0 gfp=0x2"
check_eq "nine allocations listed" "$(bb_nr_allocations)" 9
used=$((8 + 4 + 2 + 4 + 1024 + 1))
check_eq "nr_free_pages fell by the pages allocated ($used)" \
	"$(bb_vmstat nr_free_pages)" $((free0 - used))
check_eq "buddyinfo counts the rest" "$(bb_buddyinfo_pages)" $((free0 - used))
check_consistent "check ok while allocated"
cat "$BBD/buddyinfo" > "$BB_TMP/now.buddyinfo"
check_fails "buddyinfo changed" cmp -s "$BB_TMP/initial.buddyinfo" "$BB_TMP/now.buddyinfo"
for f in pagetypeinfo zoneinfo extfrag/unusable_index extfrag/extfrag_index; do
	check "$f is readable" cat "$BBD/$f"
done

# --- malformed lines: refused, nothing done --------------------------------
bb_state before
cp "$BBD/allocations" "$BB_TMP/before.allocations"
cp "$BBD/vmstat" "$BB_TMP/before.vmstat"
for line in \
	"" \
	"alloc" \
	"alloc order=3" \
	"alloc gfp=GFP_KERNEL" \
	"alloc order=0 gfp=GFP_KERNEL order=1" \
	"alloc order=0 gfp=GFP_KERNEL count=0" \
	"alloc order 3 gfp GFP_KERNEL" \
	"ALLOC order=0 gfp=GFP_KERNEL" \
	"alloc order=" \
	"alloc order=x gfp=GFP_KERNEL" \
	"alloc order=3 gfp=" \
	"alloc order=3 gfp=GFP_BOGUS" \
	"alloc order=3 gfp=GFP_KERNEL|" \
	"alloc order=3 gfp=GFP_KERNEL bogus=1" \
	"alloc order=0 gfp=GFP_KERNEL count=3 junk" \
	"alloc order=0 gfp=GFP_KERNEL count=x" \
	"alloc order=0 gfp=GFP_KERNEL nid=x" \
	"alloc order=-1 gfp=GFP_KERNEL" \
	"alloc order=11 gfp=GFP_KERNEL" \
	"alloc order=0 gfp=__GFP_DMA|__GFP_DMA32" \
	"alloc order=0 gfp=GFP_KERNEL nid=7" \
	"free" \
	"free handle=" \
	"free handle=abc" \
	"free handle=$first junk" \
	"free everything" \
	"frobnicate"; do
	check_control_einval "refused with EINVAL: '$line'" "$line"
done
# one write of two lines, the second malformed: neither runs
check_control_einval "refused with EINVAL: a write of two lines, the second malformed" \
	"alloc order=0 gfp=GFP_KERNEL
bogus"
check_same "malformed lines: allocations unchanged" \
	"$BB_TMP/before.allocations" "$BBD/allocations"
check_state "malformed lines: buddyinfo unchanged" before
check_eq "malformed lines: nr_free_pages unchanged" "$(bb_vmstat nr_free_pages)" \
	"$(awk '$1 == "nr_free_pages" { print $2 }' "$BB_TMP/before.vmstat")"

if bb_control "free handle=999999"; then
	not_ok "free of an unknown handle accepted"
else
	ok "free of an unknown handle refused"
fi

# --- freeing ---------------------------------------------------------------
check_control "free handle=$first" "free handle=$first"
check_eq "eight allocations left" "$(bb_nr_allocations)" 8
check_nogrep "handle $first is gone" "^ *$first " "$BBD/allocations"
check_eq "nr_free_pages rose by 8" "$(bb_vmstat nr_free_pages)" $((free0 - used + 8))
if bb_control "free handle=$first"; then
	not_ok "freeing handle $first twice accepted"
else
	ok "freeing handle $first twice refused"
fi

check_control "free all" "free all"
check_eq "no allocation left" "$(bb_nr_allocations)" 0
check_all_free "every page free"
check_state "buddyinfo identical to the initial one" initial
check_eq "pgfree rose by the pages allocated" "$(bb_vmstat pgfree)" $((pgfree0 + used))
check_consistent "check ok after free all"
check_control "free all with nothing allocated" "free all"

# --- allocations left to the module's unload -------------------------------
check_control "alloc order=5 before rmmod" "alloc order=5 gfp=GFP_KERNEL count=3"
check_rmmod "rmmod with control allocations outstanding"

bb_cleanup
bb_done
