#!/bin/sh
# t_buddyctl.sh: /dev/buddybox through buddyctl.  Allocations of several
# orders and gfps, data written and read back, the errors (EINVAL, ENOENT,
# ENOTTY), handles private to their descriptor, and a closed descriptor -
# even a killed process's - freeing everything it held.  buddyctl map: the
# pageblock map drawn from debugfs, one cell per pageblock.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

bb_cleanup
check_insmod "insmod"
bb_loaded || bb_done

region=$(bb_vmstat region_pages)
bb_state initial
check "buddyctl --help" "$BUDDYCTL" --help
check_fails "buddyctl without a command fails" "$BUDDYCTL"

# --- one descriptor: allocations, data, errors ------------------------------
cat > "$BB_TMP/main.bb" <<'EOF'
# $1 .. $9
alloc --order 0 --gfp GFP_KERNEL
alloc --order 3 --gfp GFP_KERNEL|__GFP_MOVABLE
alloc --order 1 --gfp GFP_DMA
alloc --order 2 --gfp GFP_DMA32
alloc --order 10 --gfp GFP_HIGHUSER_MOVABLE
alloc --order 5 --gfp GFP_ATOMIC
alloc --order 4 --gfp GFP_NOWAIT|__GFP_RECLAIMABLE
alloc --order 0 --gfp GFP_NOIO|__GFP_NORETRY
alloc --order 0 --gfp GFP_NOFS|__GFP_ZERO
# $10 .. $13: four more with --count
alloc --order 1 --gfp GFP_USER --count 4
# data
write $1 --pattern 0xa5
read $1 --verify-pattern 0xa5
write $2 --seed 1234
read $2 --verify-seed 1234
write $3 --seed 3
write $4 --seed 4
write $5 --seed 5
write $6 --seed 6
write $7 --seed 7
read $3 --verify-seed 3
read $4 --verify-seed 4
read $5 --verify-seed 5
read $6 --verify-seed 6
read $7 --verify-seed 7
read $9 --verify-pattern 0
write $5 --seed 55 --offset 4190000
read $5 --verify-seed 55 --offset 4190000
read $5 --verify-seed 5 --length 4190000
expect-fail MISMATCH read $5 --verify-seed 5
write $2 --pattern 0x5a --offset 100 --length 10
read $2 --verify-pattern 0x5a --offset 100 --length 10
read $2 --verify-seed 1234 --length 100
read $2 --verify-seed 1234 --offset 110
read $2 --offset 96 --length 32
# EINVAL
expect-fail EINVAL alloc --order 11
expect-fail EINVAL alloc --order 4294967295
expect-fail EINVAL alloc --order 0 --gfp __GFP_DMA|__GFP_DMA32
expect-fail EINVAL alloc --order 0 --gfp __GFP_MOVABLE|__GFP_RECLAIMABLE
expect-fail EINVAL alloc --order 0 --gfp 0x200000
expect-fail EINVAL alloc --order 0 --gfp __GFP_ATOMIC|__GFP_DIRECT_RECLAIM
expect-fail EINVAL alloc --order 2 --gfp GFP_KERNEL|__GFP_NOFAIL
expect-fail EINVAL alloc --order 0 --nid 1
expect-fail EINVAL alloc --order 0 --nid 4
expect-fail EINVAL alloc --order 0 --nid -2
expect-fail EINVAL alloc --order 0 --nodemask 2
expect-fail EINVAL alloc --order 0 --flags 4
expect-fail EINVAL write $1 --pattern 1 --offset 4096 --length 1
expect-fail EINVAL write $1 --pattern 1 --offset 4097 --length 0
expect-fail EINVAL read $1 --offset 0 --length 4097
expect-fail EINVAL read $5 --length 4194305
expect-fail EINVAL read $5 --offset 18446744073709551615 --length 2
# ENOENT: never given, beyond 32 bits, freed
expect-fail ENOENT free 999999
expect-fail ENOENT read 999999
expect-fail ENOENT write 999999 --pattern 0
expect-fail ENOENT free 0
expect-fail ENOENT free 4294967297
expect-fail ENOENT read 4294967297 --length 1
free $1
expect-fail ENOENT free $1
expect-fail ENOENT read $1
expect-fail ENOENT write $1 --pattern 0
# ENOTTY: an unknown number, a known number with the wrong size or direction
expect-fail ENOTTY ioctl 0xbb63
expect-fail ENOTTY ioctl 0xbb00
expect-fail ENOTTY ioctl 0xc020bb01
expect-fail ENOTTY ioctl 0x8008bb02
expect-fail ENOTTY ioctl 0x5401
# the survivors are intact
read $2 --verify-pattern 0x5a --offset 100 --length 10
read $9 --verify-pattern 0
free $3
stats
echo main script done
EOF
"$BUDDYCTL" script "$BB_TMP/main.bb" > "$BB_TMP/main.out" 2>&1
rc=$?
check_eq "the main script succeeds" "$rc" 0
[ "$rc" -eq 0 ] || detail "$BB_TMP/main.out" 60
check_grep "... to its end" '^main script done$' "$BB_TMP/main.out"
o=$BB_TMP/main.out
check_grep "order 0 GFP_KERNEL: from Normal, node 0" \
	'^handle=1 pfn=[0-9]+ order=0 zone=Normal node=0 migratetype=[A-Za-z]+$' "$o"
check_grep "GFP_KERNEL|__GFP_MOVABLE: a Movable pageblock" \
	'^handle=2 pfn=[0-9]+ order=3 zone=Normal node=0 migratetype=Movable$' "$o"
check_grep "GFP_DMA: zone DMA" '^handle=3 pfn=[0-9]+ order=1 zone=DMA node=0 ' "$o"
check_grep "GFP_DMA32: zone DMA32" '^handle=4 pfn=[0-9]+ order=2 zone=DMA32 node=0 ' "$o"
check_grep "GFP_HIGHUSER_MOVABLE without ZONE_MOVABLE: Normal, Movable pageblock" \
	'^handle=5 pfn=[0-9]+ order=10 zone=Normal node=0 migratetype=Movable$' "$o"
check_grep "GFP_ATOMIC order 5" '^handle=6 pfn=[0-9]+ order=5 zone=Normal ' "$o"
check_grep "GFP_NOWAIT|__GFP_RECLAIMABLE order 4" '^handle=7 pfn=[0-9]+ order=4 ' "$o"
check_grep "--count 4: four handles" '^handle=13 pfn=[0-9]+ order=1 ' "$o"
check_eq "pfns are aligned to their order" \
	"$(awk -F'[= ]' '/^handle=/ { p = 1; for (i = 0; i < $6; i++) p *= 2; if ($4 % p) print }' \
		"$o" | wc -l)" 0
check_eq "no pfn given twice" \
	"$(awk -F'[= ]' '/^handle=/ { print $4 }' "$o" | sort | uniq -d | wc -l)" 0
check_grep "hexdump of written data" \
	'^00000060  ([0-9a-f]{2} ){4}5a 5a 5a 5a  5a 5a 5a 5a 5a 5a ' "$o"
check_grep "stats: this descriptor's allocations" '^fd_allocations 11$' "$o"
check_grep "stats: region_pages" "^region_pages $region\$" "$o"
check_nogrep "no unexpected error" '^buddyctl: ' "$o"

check_all_free "descriptor closed: every page free"
check_state "descriptor closed: buddyinfo identical to the initial one" initial
check_consistent "check ok"

# --- --json and error reporting ---------------------------------------------
# shellcheck disable=SC2016  # $1 is buddyctl's
"$BUDDYCTL" --json alloc --order 2 -- stats -- free '$1' > "$BB_TMP/json.out" 2>&1
check_eq "--json: three objects" "$(grep -c '^{"cmd":' "$BB_TMP/json.out")" 3
check_grep "--json: the alloc" \
	'^\{"cmd":"alloc","ref":1,"handle":1,"pfn":[0-9]+,"order":2,"zone":"Normal","node":0,' \
	"$BB_TMP/json.out"
"$BUDDYCTL" free 1 > "$BB_TMP/err.out" 2>&1
rc=$?
check_num "free of a handle never given: exit status non-zero" "$rc" -ne 0
check_grep "... errno by name" 'free 1: No such file or directory \(ENOENT\)' "$BB_TMP/err.out"
"$BUDDYCTL" alloc --order 11 > "$BB_TMP/err.out" 2>&1
check_grep "order 11: EINVAL by name" 'alloc --order 11: Invalid argument \(EINVAL\)' \
	"$BB_TMP/err.out"
"$BUDDYCTL" expect-fail ENOENT alloc --order 0 > "$BB_TMP/err.out" 2>&1
rc=$?
check_num "expect-fail of a success fails" "$rc" -ne 0
"$BUDDYCTL" -d /dev/nonexistent stats > "$BB_TMP/err.out" 2>&1
check_grep "missing device named" '/dev/nonexistent: No such file or directory' "$BB_TMP/err.out"

# --- handles belong to their descriptor ------------------------------------
free0=$(bb_vmstat nr_free_pages)
cat > "$BB_TMP/holder.bb" <<'EOF'
alloc --order 6 --gfp GFP_KERNEL
write $1 --pattern 0x77
echo @@ holding
sleep 600000
EOF
bb_bg_start holder "$BB_TMP/holder.bb"
if bb_bg_wait_for holder holding 60; then
	ok "a second process holds an order-6 allocation (handle 1)"
else
	not_ok "a second process holds an order-6 allocation"
	detail "$BB_TMP/holder.out"
fi
check_eq "its 64 pages are in use" "$(bb_vmstat nr_free_pages)" $((free0 - 64))
cat > "$BB_TMP/other.bb" <<'EOF'
# handle 1 is the holder's, not this descriptor's
expect-fail ENOENT free 1
expect-fail ENOENT read 1
expect-fail ENOENT write 1 --pattern 0
alloc --order 0
free $1
expect-fail ENOENT free 1
stats
EOF
check "another descriptor cannot touch handle 1: ENOENT" "$BUDDYCTL" script "$BB_TMP/other.bb"
check_eq "the holder's pages are still in use" "$(bb_vmstat nr_free_pages)" $((free0 - 64))
check_fails "rmmod refused while /dev/buddybox is open" rmmod buddybox
check "the module is still there" test -c "$BB_DEV"
bb_bg_stop KILL
check_eq "holder killed: its pages are free again" "$(bb_vmstat nr_free_pages)" "$free0"

# a process in the middle of a script, killed
cat > "$BB_TMP/victim.bb" <<'EOF'
alloc --order 0 --count 100 --quiet
alloc --order 3 --count 20 --gfp GFP_KERNEL|__GFP_MOVABLE --quiet
alloc --order 9 --count 2 --gfp GFP_KERNEL|__GFP_RECLAIMABLE --quiet
echo @@ allocated
sleep 600000
EOF
bb_bg_start victim "$BB_TMP/victim.bb"
if bb_bg_wait_for victim allocated 60; then
	ok "a process allocated 122 blocks"
else
	not_ok "a process allocated 122 blocks"
	detail "$BB_TMP/victim.out"
fi
check_eq "... in use" "$(bb_vmstat nr_free_pages)" $((free0 - 100 - 160 - 1024))
bb_bg_stop TERM
check_all_free "killed: every page free"
check_state "killed: buddyinfo identical to the initial one" initial
check_consistent "check ok after the kills"

# --- map: the pageblock map, drawn from debugfs ----------------------------
# (the PNG rendering and an XML parser are the host's: usr:map)
# pagetypeinfo's "Number of blocks type" lines, summed
blocks=$(awk '/^Node [0-9]+, zone +[A-Za-z0-9]+ +[0-9]/ { for (i = 5; i <= NF; i++) n += $i }
	END { print n + 0 }' "$BBD/pagetypeinfo")
svg=$BB_TMP/map.svg
bb_drain
check "buddyctl map --svg of the default sandbox" "$BUDDYCTL" map --svg "$svg"
check_grep "... says what it drew" "^map: $blocks pageblocks in [0-9]+ zones drawn into $svg\$" \
	"$BB_TMP/check.out"
check_eq "... one cell per pageblock (pagetypeinfo: $blocks)" \
	"$(grep -c '<g class="pb"' "$svg")" "$blocks"
check_eq "... every one free (all freed above)" \
	"$(grep -c '<g class="pb".* data-state="empty"' "$svg")" "$blocks"
check_eq "... an XML declaration first and </svg> last" \
	"$(head -n 1 "$svg" | cut -c1-5) $(tail -n 1 "$svg")" "<?xml </svg>"
check_eq "... every <g> closed" "$(grep -o '<g[ >]' "$svg" | wc -l)" \
	"$(grep -o '</g>' "$svg" | wc -l)"
check_grep "... titled with the sandbox's name" 'buddybox sandbox default: ' "$svg"
# the debugfs text: the pageblocks' free pages are vmstat's nr_free_pages
check_eq "pageblock_map: the free pages are nr_free_pages (pcp drained)" \
	"$(awk '/^[0-9]/ { s += $3 } END { print s }' "$BBD/pageblock_map")" \
	"$(bb_vmstat nr_free_pages)"

# with unmovable and reclaimable pages held among movable ones
cat > "$BB_TMP/mapper.bb" <<'EOF'
alloc --order 0 --gfp GFP_HIGHUSER_MOVABLE --count 3000 --quiet
alloc --order 0 --gfp GFP_KERNEL --count 300 --quiet
alloc --order 3 --gfp GFP_KERNEL|__GFP_RECLAIMABLE --count 40 --quiet
alloc --order 0 --gfp GFP_HIGHUSER_MOVABLE --count 3000 --quiet
echo @@ allocated
sleep 600000
EOF
bb_bg_start mapper "$BB_TMP/mapper.bb"
if bb_bg_wait_for mapper allocated 60; then
	ok "a process holds movable, unmovable and reclaimable pages"
else
	not_ok "a process holds movable, unmovable and reclaimable pages"
	detail "$BB_TMP/mapper.out"
fi
check "buddyctl -s default map --svg while they are held" \
	"$BUDDYCTL" -s default map --svg "$svg"
check_eq "... one cell per pageblock" "$(grep -c '<g class="pb"' "$svg")" "$blocks"
check_num "... some cells hold allocations" \
	"$(grep -cE '<g class="pb".* data-state="(pure|mixed)"' "$svg")" -gt 0
check_num "... some cells are not Movable" \
	"$(grep '<g class="pb"' "$svg" | grep -vc 'data-type="Movable"')" -gt 0
check_grep "pageblock_map: an Unmovable pageblock with unmovable pages" \
	'^[0-9]+ Unmovable [0-9]+ 512 [A-Z]*U[A-Z]* (pure|mixed)$' "$BBD/pageblock_map"
check_grep "pageblock_map: a Reclaimable pageblock with reclaimable pages" \
	'^[0-9]+ Reclaimable [0-9]+ 512 [A-Z]*R[A-Z]* (pure|mixed)$' "$BBD/pageblock_map"
bb_bg_stop TERM
check_all_free "map holder killed: every page free"
check_fails "buddyctl map of a sandbox that is not there" \
	"$BUDDYCTL" -s nosuch map --svg "$svg"
check_grep "... names the file" 'nosuch/pageblock_map: No such file' "$BB_TMP/check.out"

# daemons=sync: the kswapd wakes of requests made through the device run
# when the ioctl is done, as those of a control line do (no control line
# comes here: before, they waited for one)
check "create syncd (16 MiB, daemons=sync)" \
	sh -c "echo 'create syncd size_mb=16 dma_mb=0 dma32_mb=0 daemons=sync' > $BBROOT/control"
check "buddyctl -s syncd: 4060 cache pages of 4096, below the min mark" \
	"$BUDDYCTL" -s syncd alloc --order 0 --count 4060 --cache --quiet
check_num "... woke kswapd" \
	"$(sed -n 's/^kswapd_wake //p' "$BBROOT/syncd/vmstat")" -gt 0
check_num "... which ran and reclaimed (pgsteal_kswapd)" \
	"$(sed -n 's/^pgsteal_kswapd //p' "$BBROOT/syncd/vmstat")" -gt 0
check "destroy syncd" sh -c "echo 'destroy syncd' > $BBROOT/control"

check_rmmod "rmmod"
bb_cleanup
bb_done
