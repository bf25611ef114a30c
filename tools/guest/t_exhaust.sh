#!/bin/sh
# t_exhaust.sh: order-0 GFP_KERNEL allocations until ENOMEM.  The failure
# counters rise, GFP_KERNEL stops at the watermarks (GFP_ATOMIC may still
# dip below), and once everything is freed - by `free all`, by a killed
# process, through control - buddyinfo is the initial one again.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

# a small region: tens of thousands of ioctls are slow in an emulated guest
SIZE_MB=64
# GFP_KERNEL that may fail: plain GFP_KERNEL would call the OOM killer
# (t_oom.sh), which would choose the exhausting process itself
KERNEL_MAYFAIL='GFP_KERNEL|__GFP_RETRY_MAYFAIL'


bb_cleanup
check_insmod "insmod size_mb=$SIZE_MB" size_mb=$SIZE_MB dma32_mb=16
bb_loaded || bb_done

region=$(bb_vmstat region_pages)
check_eq "region_pages" "$region" $((SIZE_MB * 256))
bb_state initial

# pgalloc over all zones
pgalloc() {
	echo $(($(bb_vmstat pgalloc_dma) + $(bb_vmstat pgalloc_dma32) + \
		$(bb_vmstat pgalloc_normal) + $(bb_vmstat pgalloc_movable)))
}

# fd_pages of the last `stats` in a buddyctl output
fd_pages() {
	awk '$1 == "fd_pages" { v = $2 } END { print v }' "$1"
}

# --- round 1: exhaust and look, then kill the process ------------------------
fails0=$(bb_vmstat_fails)
wmark0=$(bb_vmstat alloc_fail_watermark)
nozone0=$(bb_vmstat alloc_fail_no_zone)
pgalloc0=$(pgalloc)
cat > "$BB_TMP/exhaust.bb" <<'EOF'
expect-fail ENOMEM alloc --order 0 --gfp GFP_KERNEL|__GFP_RETRY_MAYFAIL --count 10000000 --quiet
stats
echo @@ exhausted
sleep 600000
EOF
bb_bg_start r1 "$BB_TMP/exhaust.bb"
if bb_bg_wait_for r1 exhausted 300; then
	ok "GFP_KERNEL order 0 until ENOMEM"
else
	not_ok "GFP_KERNEL order 0 until ENOMEM"
	detail "$BB_TMP/r1.out"
fi
held=$(fd_pages "$BB_TMP/r1.out")
free=$(bb_vmstat nr_free_pages)
note "exhausted: $held pages allocated, $free free of $region"
check_num "most of the region allocated" "$held" -gt $((region * 9 / 10))
check_eq "allocated + free = region" $((held + free)) "$region"
check_eq "buddyinfo counts the free pages" "$(bb_buddyinfo_pages)" "$free"
check_num "some pages kept free (watermarks)" "$free" -gt 0
check_num "Normal stopped at its min watermark" "$(bb_zoneinfo 0 Normal free)" -le \
	"$(bb_zoneinfo 0 Normal min)"
check_eq "pgalloc_* rose by the pages allocated" "$(pgalloc)" $((pgalloc0 + held))
check_num "alloc_fail_watermark rose" "$(bb_vmstat alloc_fail_watermark)" -gt "$wmark0"
check_eq "alloc_fail_no_zone did not" "$(bb_vmstat alloc_fail_no_zone)" "$nozone0"
fails1=$(bb_vmstat_fails)
check_num "the failure counters rose" "$fails1" -gt "$fails0"
check_consistent "check ok while exhausted"

check "another GFP_KERNEL order 0: ENOMEM" "$BUDDYCTL" expect-fail ENOMEM alloc --order 0 \
	--gfp "$KERNEL_MAYFAIL"
check "GFP_KERNEL order 3: ENOMEM" "$BUDDYCTL" expect-fail ENOMEM alloc --order 3 \
	--gfp "$KERNEL_MAYFAIL"
check_num "... each counted" "$(bb_vmstat_fails)" -ge $((fails1 + 2))
# lowmem_reserve kept DMA's pages from GFP_KERNEL, not from GFP_DMA
check "GFP_DMA order 0 still served: lowmem_reserve protected ZONE_DMA" \
	"$BUDDYCTL" alloc --order 0 --gfp GFP_DMA
check "GFP_ATOMIC order 0 dips below the min watermark" \
	"$BUDDYCTL" alloc --order 0 --gfp GFP_ATOMIC
check "__GFP_HIGH order 0 too" \
	"$BUDDYCTL" alloc --order 0 --gfp 'GFP_NOWAIT|__GFP_HIGH|__GFP_NOWARN'
check_eq "... and gave it back on exit" "$(bb_vmstat nr_free_pages)" "$free"

bb_bg_stop KILL
check_all_free "killed: every page free"
check_state "killed: buddyinfo identical to the initial one" initial
check_consistent "check ok"

# --- round 2: exhaust, then free all on the open descriptor -------------------
cat > "$BB_TMP/exhaust-free.bb" <<'EOF'
expect-fail ENOMEM alloc --order 0 --gfp GFP_KERNEL|__GFP_RETRY_MAYFAIL --count 10000000 --quiet
stats
free all
stats
echo @@ freed
sleep 600000
EOF
bb_bg_start r2 "$BB_TMP/exhaust-free.bb"
if bb_bg_wait_for r2 freed 300; then
	ok "exhausted again, then free all"
else
	not_ok "exhausted again, then free all"
	detail "$BB_TMP/r2.out"
fi
check_eq "the same number of pages as before" \
	"$(awk '$1 == "fd_pages" { print $2; exit }' "$BB_TMP/r2.out")" "$held"
check_eq "free all: nothing held by the descriptor" "$(fd_pages "$BB_TMP/r2.out")" 0
check_all_free "free all: every page free, descriptor still open"
check_state "free all: buddyinfo identical to the initial one" initial
bb_bg_stop TERM
check_state "closed: buddyinfo still the initial one" initial
check_consistent "check ok"

# --- round 3: through control --------------------------------------------------
n=0
while [ "$n" -lt 200 ] && bb_control "alloc order=0 gfp=GFP_KERNEL count=256"; do
	n=$((n + 1))
done
if grep -q 'Cannot allocate memory' "$BB_TMP/control.err"; then
	ok "control: alloc count=256 until ENOMEM ($n writes)"
else
	not_ok "control: alloc count=256 until ENOMEM ($n writes)"
	detail "$BB_TMP/control.err"
fi
check_num "control: most of the region allocated" \
	$((region - $(bb_vmstat nr_free_pages))) -gt $((region * 9 / 10))
check_consistent "control: check ok while exhausted"
check_control "control: free all" "free all"
check_all_free "control: every page free"
check_state "control: buddyinfo identical to the initial one" initial

check_rmmod "rmmod"
bb_cleanup
bb_done
