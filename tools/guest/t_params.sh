#!/bin/sh
# t_params.sh: module parameters.  Each good set loads, its buddyinfo
# accounts for every page of the region (sum of count << order ==
# vmstat region_pages == size_mb * 256), its nodes and zones are there, and
# it unloads.  Each bad set is refused with EINVAL or ENOMEM and a kernel
# log line naming the parameter, and a good load works right after.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

# bb_param NAME DEFAULT PARAMS...: the value of NAME= in PARAMS
bb_param() {
	_n=$1 _v=$2
	shift 2
	for _a in "$@"; do
		case "$_a" in "$_n"=*) _v=${_a#"$_n"=} ;; esac
	done
	echo "$_v"
}

# bb_node0_zones DIR: node 0's zones and their sizes in MiB from DIR's
# buddyinfo, "DMA=4 DMA32=28 Normal=32" (right after the load every page is
# free, so a zone's free pages are its size)
bb_node0_zones() {
	awk '$2 == "0," {
		p = 0
		b = 1
		for (i = 5; i <= NF; i++) {
			p += $i * b
			b *= 2
		}
		printf "%s%s=%d", sep, $4, p / 256
		sep = " "
	} END { print "" }' "$1/buddyinfo"
}

# layout ZONES PARAMS...: PARAMS load (as good) with node 0's zones ZONES
layout() {
	want_zones=$1
	shift
	good "$@"
	want_zones=
}

# bb_control_top LINE: write LINE to the top control file
bb_control_top() {
	( echo "$1" > "$BBROOT/control" ) > "$BB_TMP/top.err" 2>&1
}

# good PARAMS...: a set that loads
good() {
	desc="insmod ${*:-(defaults)}"
	size_mb=$(bb_param size_mb 256 "$@")
	nodes=$(bb_param nodes 1 "$@")
	movable_mb=$(bb_param movable_mb 0 "$@")
	dma_mb=$(bb_param dma_mb -1 "$@")
	pages=$((size_mb * 256))

	bb_kmsg_mark
	check_insmod "$desc" "$@"
	if ! bb_loaded; then
		return
	fi
	check "$desc: buddyinfo has /proc/buddyinfo's format" bb_buddyinfo_ok
	check_eq "$desc: vmstat region_pages is size_mb * 256" \
		"$(bb_vmstat region_pages)" "$pages"
	check_eq "$desc: buddyinfo counts every page" "$(bb_buddyinfo_pages)" "$pages"
	check_eq "$desc: nr_free_pages is every page" "$(bb_vmstat nr_free_pages)" "$pages"
	check_eq "$desc: $nodes node(s) in buddyinfo" \
		"$(awk '{ print $2 }' "$BBD/buddyinfo" | sort -u | wc -l)" "$nodes"
	awk '{ print $1, $2, $3, $4 }' "$BBD/buddyinfo" > "$BB_TMP/zones"
	for f in extfrag/unusable_index extfrag/extfrag_index; do
		awk '{ print $1, $2, $3, $4 }' "$BBD/$f" > "$BB_TMP/zones.f"
		check_same "$desc: $f lists the zones of buddyinfo" "$BB_TMP/zones" \
			"$BB_TMP/zones.f"
	done
	n_movable=$(awk '$4 == "Movable"' "$BBD/buddyinfo" | wc -l)
	n_dma=$(awk '$4 == "DMA"' "$BBD/buddyinfo" | wc -l)
	if [ "$movable_mb" -gt 0 ]; then
		check_eq "$desc: a Movable zone on every node" "$n_movable" "$nodes"
	else
		check_eq "$desc: no Movable zone" "$n_movable" 0
	fi
	if [ "$dma_mb" -gt 0 ]; then
		check_eq "$desc: a DMA zone on node 0 only" "$n_dma" 1
	elif [ "$dma_mb" -eq 0 ]; then
		check_eq "$desc: no DMA zone" "$n_dma" 0
	fi
	if [ -n "$want_zones" ]; then
		check_eq "$desc: node 0's zones in MiB" "$(bb_node0_zones "$BBD")" \
			"$want_zones"
	fi
	if [ "$dma_mb" = -1 ]; then
		check_eq "$desc: parameter dma_mb, not given, reads back -1" \
			"$(cat /sys/module/buddybox/parameters/dma_mb 2>&1)" -1
	fi
	check_eq "$desc: parameter size_mb reads back" \
		"$(cat /sys/module/buddybox/parameters/size_mb 2>&1)" "$size_mb"
	check_consistent "$desc: check ok"

	"$BUDDYCTL" stats > "$BB_TMP/stats.out" 2>&1
	check_grep "$desc: buddyctl stats: region_pages" "^region_pages $pages\$" "$BB_TMP/stats.out"
	check_grep "$desc: buddyctl stats: nr_nodes" "^nr_nodes $nodes\$" "$BB_TMP/stats.out"

	# one allocation on each node, and from ZONE_MOVABLE where there is one
	n=0
	while [ "$n" -lt "$nodes" ]; do
		"$BUDDYCTL" alloc --order 2 --nid "$n" --gfp 'GFP_KERNEL|__GFP_THISNODE' \
			> "$BB_TMP/alloc.out" 2>&1
		check_grep "$desc: __GFP_THISNODE allocation on node $n" \
			"^handle=1 pfn=[0-9]+ order=2 zone=[A-Za-z0-9]+ node=$n " "$BB_TMP/alloc.out"
		if [ "$movable_mb" -gt 0 ]; then
			"$BUDDYCTL" alloc --order 0 --nid "$n" \
				--gfp 'GFP_HIGHUSER_MOVABLE|__GFP_THISNODE' > "$BB_TMP/alloc.out" 2>&1
			check_grep "$desc: GFP_HIGHUSER_MOVABLE from Movable on node $n" \
				"zone=Movable node=$n " "$BB_TMP/alloc.out"
		fi
		n=$((n + 1))
	done
	check_eq "$desc: all free again after buddyctl" "$(bb_buddyinfo_pages)" "$pages"
	check_rmmod "$desc: rmmod"
}

# bad NAME PARAMS...: a set refused, the kernel log naming NAME
bad() {
	name=$1
	shift
	desc="insmod $* refused"
	bb_kmsg_mark
	if bb_insmod "$@"; then
		not_ok "$desc: it loaded"
		check_rmmod "$desc: rmmod"
		return
	fi
	if grep -qE 'Invalid argument|Cannot allocate memory' "$BB_TMP/insmod.err"; then
		ok "$desc with EINVAL or ENOMEM"
	else
		not_ok "$desc, but not with EINVAL or ENOMEM"
		detail "$BB_TMP/insmod.err"
	fi
	bb_kmsg_since_mark > "$BB_TMP/kmsg.txt"
	check_grep "$desc: the kernel log names $name" "buddybox: .*$name" "$BB_TMP/kmsg.txt"
	check_nogrep "$desc: no splat in the kernel log" \
		'BUG:|WARNING:|Call Trace|Oops' "$BB_TMP/kmsg.txt"
	if bb_loaded; then
		not_ok "$desc: the module is loaded"
	else
		ok "$desc: the module is not loaded"
	fi
	# the host is fine: a good set loads right after
	check_insmod "$desc: a good insmod right after" size_mb=64 dma32_mb=16
	if bb_loaded; then
		check_eq "$desc: ... whose buddyinfo counts every page" \
			"$(bb_buddyinfo_pages)" 16384
		check_rmmod "$desc: ... and rmmod"
	fi
}

# bb_zone_keys FILE NODE: the keys, first occurrence each, of NODE's zone
# block that carries the per-node stats, as a /proc/zoneinfo parser sees them
bb_zone_keys() {
	awk -v n="$2," '
		function flush() {
			if (want && pernode && !done) {
				printf "%s", out
				done = 1
			}
		}
		$1 == "Node" {
			flush()
			want = ($2 == n)
			pernode = 0
			out = ""
			split("", seen)
			next
		}
		$1 == "per-node" { pernode = 1 }
		!($1 in seen) { seen[$1] = 1; out = out $1 "\n" }
		END { flush() }' "$1"
}

# numa_expect NODE ZONE HIT MISS FOREIGN LOCAL OTHER: that zone's counters
numa_expect() {
	got=""
	for k in numa_hit numa_miss numa_foreign numa_local numa_other; do
		got="$got${got:+ }$(bb_zoneinfo "$1" "$2" "$k")"
	done
	check_eq "$desc: node $1 $2: numa_hit, miss, foreign, local, other" \
		"$got" "$3 $4 $5 $6 $7"
}

# zoneinfo_keys: the kernel's zoneinfo keys in the sandbox's, in the kernel's
# order (the guest's own /proc/zoneinfo is the reference), and the NUMA
# counters counted as zone_statistics() does: hit or miss by the preferred
# zone's node, local or other by the requester's node (the request's nid)
zoneinfo_keys() {
	desc="zoneinfo keys"
	check_insmod "$desc: insmod nodes=2 size_mb=8" nodes=2 size_mb=8
	if ! bb_loaded; then
		return
	fi
	bb_zone_keys /proc/zoneinfo 0 > "$BB_TMP/k.keys"
	bb_zone_keys "$BBD/zoneinfo" 0 > "$BB_TMP/s.keys"
	for f in k s; do
		missing=""
		for k in nr_free_pages nr_zone_inactive_file nr_zone_active_file \
			numa_hit numa_miss numa_foreign numa_local numa_other \
			nr_inactive_file nr_active_file pages boost min low high \
			spanned present managed cma protection: pagesets cpu: count: \
			high: batch: node_unreclaimable: start_pfn:; do
			grep -qx -- "$k" "$BB_TMP/$f.keys" || missing="$missing $k"
		done
		check_eq "$desc: keys missing in $([ $f = k ] && echo "the guest's /proc/zoneinfo" ||
			echo "the sandbox's zoneinfo")" "$missing" ""
	done
	grep -Fxf "$BB_TMP/k.keys" "$BB_TMP/s.keys" > "$BB_TMP/s.common"
	grep -Fxf "$BB_TMP/s.keys" "$BB_TMP/k.keys" > "$BB_TMP/k.common"
	check_same "$desc: the keys both have come in the kernel's order" \
		"$BB_TMP/k.common" "$BB_TMP/s.common"

	# node 0: DMA32 4 MiB; node 1: Normal 4 MiB.  Node 0's one block for
	# node 0 (hit, local); node 0 asks again, node 1 serves (miss, other;
	# foreign on node 0); node 1 for itself (hit, local); node 0 asks with
	# nodemask {1}: the preferred zone is node 1's (hit, other); a bulk of
	# 5 for node 1 (5 hits, 5 local)
	"$BUDDYCTL" alloc --order 10 --nid 0 --nodemask 1 --gfp 'GFP_KERNEL|__GFP_MEMALLOC' \
		-- alloc --order 0 --nid 0 -- alloc --order 3 --nid 1 \
		-- alloc --order 0 --nid 0 --nodemask 2 -- bulk-alloc 5 --nid 1 \
		> "$BB_TMP/numa.out" 2>&1
	check_grep "$desc: node 0's block from node 0" \
		"^handle=1 .* zone=DMA32 node=0 " "$BB_TMP/numa.out"
	check_grep "$desc: node 0's next page from node 1" \
		"^handle=2 .* zone=Normal node=1 " "$BB_TMP/numa.out"
	# the counters stay when buddyctl's exit frees it all
	numa_expect 0 DMA32 1 0 1 1 0
	numa_expect 1 Normal 7 1 0 6 2
	got=""
	for k in numa_hit numa_miss numa_foreign numa_local numa_other; do
		got="$got${got:+ }$(bb_vmstat "$k")"
	done
	check_eq "$desc: vmstat numa_hit, miss, foreign, local, other" "$got" "8 1 1 7 2"
	check_consistent "$desc: check ok"
	check_rmmod "$desc: rmmod"
}

bb_cleanup

want_zones=
good
# DMA and DMA32 not given end at 1/16 and 1/2 of the region (16 and 128 MiB
# at most), in whole pageblocks, within node 0 less Movable and given zones
layout "DMA=16 DMA32=112 Normal=128"
layout "DMA32=2 Normal=2" size_mb=4
layout "DMA32=4 Normal=4" size_mb=8
layout "DMA32=8 Normal=8" size_mb=16
layout "DMA=4 DMA32=28 Normal=32" size_mb=64
layout "DMA=8 DMA32=56 Normal=64" size_mb=128
layout "DMA=16 DMA32=112 Normal=896" size_mb=1024
layout "DMA32=4" nodes=2 size_mb=8
layout "DMA32=4" nodes=4 size_mb=16
layout "DMA=16 DMA32=48" nodes=4 size_mb=256
layout "DMA=4 DMA32=12 Movable=48" size_mb=64 movable_mb=48
layout "DMA=2 DMA32=62" size_mb=64 dma32_mb=62
layout "DMA32=32 Normal=32" size_mb=64 dma_mb=0
good backing=vmalloc size_mb=64 dma32_mb=16
good backing=contig size_mb=64 dma32_mb=16
good size_mb=32 dma_mb=0 dma32_mb=0
good nodes=2 size_mb=256 dma32_mb=48 movable_mb=32 distance=10,20,20,10
good nodes=4 size_mb=128 dma_mb=4 dma32_mb=12 movable_mb=8 \
	distance=10,15,20,25,15,10,15,20,20,15,10,15,25,20,15,10
good nodes=3 size_mb=96 dma_mb=2 dma32_mb=6
zoneinfo_keys

# parameters that become tunables start there
check_insmod "insmod with tunables" size_mb=64 dma32_mb=16 min_free_kbytes=2048 \
	watermark_scale_factor=200
if bb_loaded; then
	check_eq "min_free_kbytes=2048 reads back" "$(cat "$BBD/min_free_kbytes")" 2048
	check_eq "watermark_scale_factor=200 reads back" \
		"$(cat "$BBD/watermark_scale_factor")" 200
	check_rmmod "rmmod (tunables)"
fi

bad dma32_mb size_mb=64 dma32_mb=112
bad dma32_mb size_mb=64 dma32_mb=66
bad dma_mb size_mb=8 dma_mb=16
bad dma_mb dma_mb=-2
bad size_mb size_mb=2
bad size_mb nodes=4 size_mb=8
bad size_mb size_mb=0
bad size_mb size_mb=1000000
bad size_mb size_mb=6
bad size_mb nodes=2 size_mb=260
bad nodes nodes=5
bad nodes nodes=0
bad backing backing=foo
bad dma_mb dma_mb=3
bad dma_mb dma_mb=64 dma32_mb=256
bad movable_mb movable_mb=512
bad distance nodes=2 distance=10,20
bad distance nodes=2 distance=10,5,5,10
bad watermark_scale_factor watermark_scale_factor=0
bad min_free_kbytes size_mb=64 dma32_mb=16 min_free_kbytes=65536

# a create line goes through the same config: the same layouts, the same refusals
bb_kmsg_mark
check_insmod "insmod for create lines" size_mb=4
if bb_loaded; then
	for line in "small:DMA=4 DMA32=28 Normal=32:size_mb=64" \
		"tiny:DMA32=2 Normal=2:size_mb=4" \
		"four:DMA32=4:size_mb=16 nodes=4" \
		"given:DMA=2 DMA32=62:size_mb=64 dma32_mb=62" \
		"auto:DMA=4 DMA32=28 Normal=32:size_mb=64 dma_mb=auto dma32_mb=auto"; do
		n=${line%%:*} rest=${line#*:}
		zones=${rest%%:*} args=${rest#*:}
		if bb_control_top "create $n $args"; then
			ok "create $n $args"
			check_eq "create $n $args: node 0's zones in MiB" \
				"$(bb_node0_zones "$BBROOT/$n")" "$zones"
			bb_control_top "destroy $n"
		else
			not_ok "create $n $args"
			detail "$BB_TMP/top.err"
		fi
	done
	for line in "dma32_mb:size_mb=64 dma32_mb=112" "dma_mb:size_mb=8 dma_mb=16" \
		"dma_mb:size_mb=64 dma_mb=-1"; do
		name=${line%%:*} args=${line#*:}
		bb_kmsg_mark
		if bb_control_top "create bad $args"; then
			not_ok "create bad $args: it was made"
			bb_control_top "destroy bad"
			continue
		fi
		check_grep "create bad $args: EINVAL" 'Invalid argument' "$BB_TMP/top.err"
		bb_kmsg_since_mark > "$BB_TMP/kmsg.txt"
		check_grep "create bad $args: the kernel log names $name" \
			"buddybox: .*$name" "$BB_TMP/kmsg.txt"
	done
	check_rmmod "rmmod (create lines)"
fi

bb_cleanup
bb_done
