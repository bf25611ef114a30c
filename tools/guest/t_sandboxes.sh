#!/bin/sh
# t_sandboxes.sh: several sandboxes in one boot (issue 9).  Beside the
# insmod one ("default"), the top-level control creates "alpha" and "beta"
# of other sizes, nodes and min_free_kbytes: each has its folder, its
# kthreads, its tunables and counters, and what is done in one (control
# allocations, a held descriptor, a tunable written) shows in no other.
# Bad create lines (a duplicate, bad names, sizes the machine cannot give,
# unknown keys, malformed words) fail with their errno and leave nothing:
# the sandboxes file as it was, no folder, no kthread.  destroy of a
# sandbox a descriptor is attached to is EBUSY and changes nothing;
# attaching twice is EALREADY, to an unknown name ENOENT; without
# "default" an unattached descriptor gets ENODEV.  Sandboxes are created
# and destroyed in a loop while bbstress loads "default" and buddyctl and
# control writes load "alpha"; every check says ok after, and rmmod takes
# them all.  insmod name= names the first sandbox.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

BBSTRESS=${BBSTRESS:-$BB/bbstress}
TOP=$BBROOT/control
LIST=$BBROOT/sandboxes

debug=$BB_DEBUG_KERNEL
if [ "$debug" = 1 ]; then
	ROUNDS=${BB_SANDBOX_ROUNDS:-4} LOAD_S=20
else
	ROUNDS=${BB_SANDBOX_ROUNDS:-10} LOAD_S=30
fi
note "kernel $(uname -r) (debug $debug), $ROUNDS create/destroy rounds"

# in_sb NAME CMD...: run CMD with BBD set to the folder of sandbox NAME
in_sb() {
	_save=$BBD
	BBD=$BBROOT/$1
	shift
	"$@"
	_rc=$?
	BBD=$_save
	return $_rc
}

# top LINE: write LINE to the top-level control; the error in $BB_TMP/top.err
top() {
	( echo "$1" > "$TOP" ) > "$BB_TMP/top.err" 2>&1
}

check_top() {
	if top "$2"; then
		ok "$1"
	else
		not_ok "$1: '$2'"
		detail "$BB_TMP/top.err"
		bb_kmsg_since_mark | tail -n 5 | sed 's/^/#   /'
	fi
}

# kthreads NAME: the sandbox's kthreads, by their full names (the kernel
# keeps a kthread's whole name in /proc/PID/stat; comm has 15 characters)
kthreads() {
	cat /proc/[0-9]*/stat 2>/dev/null | sed -n 's/^[0-9]* (\(bb_k[a-z]*[0-9]*\/[^)]*\)).*/\1/p' |
		grep -E "/$1\$" | sort
}

nkthreads() {
	kthreads "$1" | grep -c .
}

# check_gone DESC NAME: no trace of NAME: not listed, no folder, no kthread
check_gone() {
	if awk -v n="$2" '$1 == n { f = 1 } END { exit !f }' "$LIST"; then
		not_ok "$1: $2 is listed"
	elif [ -e "$BBROOT/$2" ]; then
		not_ok "$1: $BBROOT/$2 is there"
	elif [ "$(nkthreads "$2")" != 0 ]; then
		not_ok "$1: kthreads of $2: $(kthreads "$2" | tr '\n' ' ')"
	else
		ok "$1"
	fi
}

# check_refused DESC ERRTEXT NAME LINE: the top-level control refuses LINE
# with ERRTEXT (the shell's strerror), the sandboxes file does not change,
# NAME leaves no trace, and the kernel log says why (a buddybox line)
check_refused() {
	cp "$LIST" "$BB_TMP/list.before"
	bb_kmsg_mark
	if top "$4"; then
		not_ok "$1: '$4' accepted"
		top "destroy $3"
		return
	fi
	if grep -q "$2" "$BB_TMP/top.err"; then
		ok "$1: '$4' refused ($2)"
	else
		not_ok "$1: '$4' refused, but not with $2"
		detail "$BB_TMP/top.err"
	fi
	check_same "$1: sandboxes unchanged" "$BB_TMP/list.before" "$LIST"
	[ -z "$3" ] || check_gone "$1: nothing of $3 left" "$3"
	bb_kmsg_since_mark > "$BB_TMP/kmsg.txt"
	check_grep "$1: the kernel log says why" 'buddybox: .*(create|destroy|control|=)' \
		"$BB_TMP/kmsg.txt"
	check_nogrep "$1: no splat" 'BUG:|WARNING:|Call Trace|Oops' "$BB_TMP/kmsg.txt"
}

# listed NAME FIELD: a field (size_mb=...) of NAME's line in sandboxes
listed() {
	awk -v n="$1" -v f="$2" '$1 == n { for (i = 2; i <= NF; i++)
		if (index($i, f "=") == 1) print substr($i, length(f) + 2) }' "$LIST"
}

free_pages() {
	in_sb "$1" bb_vmstat nr_free_pages
}

bb_cleanup
bb_kmsg_mark
check_insmod "insmod: the sandbox default" size_mb=128 dma32_mb=16
bb_loaded || bb_done

# --- the top level and the default sandbox --------------------------------
check "the top-level control is there" test -w "$TOP"
check_eq "sandboxes lists default alone" "$(awk '{ print $1 }' "$LIST")" default
check_eq "... with its size" "$(listed default size_mb)" 128
check "the folder default/ has buddyinfo" test -r "$BBROOT/default/buddyinfo"
check_eq "default has a kswapd and a kcompactd, named for it" \
	"$(kthreads default | tr '\n' ' ')" "bb_kcompactd0/default bb_kswapd0/default "

# --- two more, side by side -------------------------------------------------
bb_kmsg_mark
check_top "create alpha: 64 MiB, 2 nodes, min_free_kbytes=1024" \
	"create alpha size_mb=64 nodes=2 dma_mb=0 dma32_mb=0 min_free_kbytes=1024"
check_top "create beta: 96 MiB, min_free_kbytes=4096, watermark_scale_factor=100" \
	"create beta size_mb=96 dma32_mb=16 min_free_kbytes=4096 watermark_scale_factor=100"
check_eq "sandboxes lists the three, in order" "$(awk '{ print $1 }' "$LIST" | tr '\n' ' ')" \
	"default alpha beta "
check_eq "... alpha's size and nodes" "$(listed alpha size_mb) $(listed alpha nodes)" "64 2"
check_eq "... beta's size" "$(listed beta size_mb)" 96
for f in buddyinfo pagetypeinfo zoneinfo extfrag/extfrag_index extfrag/unusable_index \
	vmstat min_free_kbytes watermark_scale_factor lowmem_reserve_ratio check control \
	allocations bench; do
	for s in alpha beta; do
		[ -e "$BBROOT/$s/$f" ] || not_ok "$s/$f missing"
	done
done
ok "alpha/ and beta/ have every file of a sandbox"
check_eq "alpha: region_pages" "$(in_sb alpha bb_vmstat region_pages)" 16384
check_eq "beta: region_pages" "$(in_sb beta bb_vmstat region_pages)" 24576
check_eq "default: region_pages" "$(bb_vmstat region_pages)" 32768
check_eq "alpha: buddyinfo counts every page" "$(in_sb alpha bb_buddyinfo_pages)" 16384
check_eq "alpha: two nodes in buddyinfo" \
	"$(awk '{ print $2 }' "$BBROOT/alpha/buddyinfo" | sort -u | tr '\n' ' ')" "0, 1, "
check_eq "alpha: min_free_kbytes 1024" "$(cat "$BBROOT/alpha/min_free_kbytes")" 1024
check_eq "beta: min_free_kbytes 4096" "$(cat "$BBROOT/beta/min_free_kbytes")" 4096
check_eq "beta: watermark_scale_factor 100" "$(cat "$BBROOT/beta/watermark_scale_factor")" 100
check_eq "default: watermark_scale_factor 10" "$(cat "$BBD/watermark_scale_factor")" 10
check_ne "default's min_free_kbytes is its own" "$(cat "$BBD/min_free_kbytes")" 4096
check_eq "alpha: a kswapd and a kcompactd per node" "$(kthreads alpha | tr '\n' ' ')" \
	"bb_kcompactd0/alpha bb_kcompactd1/alpha bb_kswapd0/alpha bb_kswapd1/alpha "
check_eq "beta: its kswapd and kcompactd" "$(kthreads beta | tr '\n' ' ')" \
	"bb_kcompactd0/beta bb_kswapd0/beta "
bb_kmsg_since_mark > "$BB_TMP/kmsg.txt"
check_grep "the kernel log has alpha's creation" 'buddybox: sandbox alpha: 64 MiB' "$BB_TMP/kmsg.txt"
for s in default alpha beta; do
	in_sb $s check_consistent "$s: check ok"
done

# --- independence -----------------------------------------------------------
in_sb default bb_state default0
in_sb beta bb_state beta0
a0=$(free_pages alpha)
check_control_in() {	# check_control_in NAME DESC LINE
	_n=$1
	shift
	in_sb "$_n" check_control "$@"
}
check_control_in alpha "alpha: control alloc of 8 order-3 blocks" \
	"alloc order=3 gfp=GFP_KERNEL count=8"
check_eq "alpha: 64 pages fewer free" "$(free_pages alpha)" $((a0 - 64))
check_eq "alpha: its allocations file lists 8" "$(in_sb alpha bb_nr_allocations)" 8
check_eq "beta: no allocation of alpha's in its allocations" "$(in_sb beta bb_nr_allocations)" 0
in_sb default check_state "default: buddyinfo unchanged by alpha's allocations" default0
in_sb beta check_state "beta: buddyinfo unchanged by alpha's allocations" beta0
check_eq "beta: pgalloc_normal still 0" "$(in_sb beta bb_vmstat pgalloc_normal)" 0
check "beta: watermark_scale_factor 200 written" bb_write "$BBROOT/beta/watermark_scale_factor" 200
check_eq "... alpha's stays 10" "$(cat "$BBROOT/alpha/watermark_scale_factor")" 10
check_eq "... default's stays 10" "$(cat "$BBD/watermark_scale_factor")" 10
# a descriptor attached to beta holds 16 pages there, and only there
printf '%s\n' 'alloc --order 4' 'echo @@ held' 'sleep 120000' > "$BB_TMP/held.bb"
"$BUDDYCTL" --sandbox beta script "$BB_TMP/held.bb" > "$BB_TMP/held.out" 2>&1 &
bb_bg_pid=$!	# for bb_bg_wait_for and bb_bg_stop
if bb_bg_wait_for held held 60; then
	ok "buddyctl --sandbox beta holds an order-4 block"
else
	not_ok "buddyctl --sandbox beta did not allocate"
	detail "$BB_TMP/held.out"
fi
check_eq "beta: 16 pages fewer free" "$(free_pages beta)" $((24576 - 16))
check_eq "beta: attached=1 in sandboxes" "$(listed beta attached)" 1
check_eq "alpha: attached=0" "$(listed alpha attached)" 0
check_eq "beta: buddyinfo too" "$(in_sb beta bb_buddyinfo_pages)" $((24576 - 16))
in_sb default check_state "default: buddyinfo unchanged by beta's descriptor" default0
"$BUDDYCTL" --sandbox alpha stats > "$BB_TMP/stats.out" 2>&1
check_grep "buddyctl --sandbox alpha stats: alpha's region" '^region_pages 16384$' "$BB_TMP/stats.out"
check_grep "... alpha's free pages, control's 64 out" "^free_pages $((16384 - 64))\$" "$BB_TMP/stats.out"
"$BUDDYCTL" stats > "$BB_TMP/stats.out" 2>&1
check_grep "buddyctl stats (no --sandbox): default's region" '^region_pages 32768$' "$BB_TMP/stats.out"

# --- attach errors ------------------------------------------------------------
"$BUDDYCTL" --sandbox alpha expect-fail EALREADY attach alpha -- \
	expect-fail EALREADY attach beta -- stats > "$BB_TMP/att.out" 2>&1
check_eq "attach twice: EALREADY (and the first one holds)" "$?" 0
check_grep "... still on alpha" '^region_pages 16384$' "$BB_TMP/att.out"
"$BUDDYCTL" stats -- expect-fail EALREADY attach alpha > "$BB_TMP/att.out" 2>&1
check_eq "attach after the first ioctl (bound to default): EALREADY" "$?" 0
check_fails "buddyctl --sandbox nosuch: fails" "$BUDDYCTL" --sandbox nosuch stats
check_grep "... with ENOENT" 'ENOENT' "$BB_TMP/check.out"
"$BUDDYCTL" expect-fail EINVAL attach 'Bad!' -- expect-fail EINVAL attach control \
	-- expect-fail EINVAL attach abcdefghijklmnop > "$BB_TMP/att.out" 2>&1
check_eq "attach to bad names: EINVAL" "$?" 0

# --- destroy while attached -----------------------------------------------------
cp "$LIST" "$BB_TMP/list.before"
in_sb beta bb_state beta1
bb_kmsg_mark
if top "destroy beta"; then
	not_ok "destroy beta while a descriptor is attached: accepted"
else
	check_grep "destroy beta while a descriptor is attached: EBUSY" 'busy' "$BB_TMP/top.err"
fi
check_same "... sandboxes unchanged" "$BB_TMP/list.before" "$LIST"
in_sb beta check_state "... beta's buddyinfo unchanged" beta1
check_eq "... its kthreads still there" "$(nkthreads beta)" 2
bb_kmsg_since_mark > "$BB_TMP/kmsg.txt"
check_grep "... the kernel log says why" 'buddybox: destroy beta: 1 descriptor' "$BB_TMP/kmsg.txt"
check_grep "the holder is still fine" '^handle=1 ' "$BB_TMP/held.out"
bb_bg_stop
check_eq "beta: attached=0 once the descriptor is closed" "$(listed beta attached)" 0
check_eq "beta: the block came back" "$(in_sb beta bb_buddyinfo_pages)" 24576
check_top "destroy beta, nothing attached" "destroy beta"
check_gone "beta is gone: not listed, no folder, no kthread" beta
check_fails "buddyctl --sandbox beta: fails once destroyed" "$BUDDYCTL" --sandbox beta stats
check_grep "... with ENOENT" 'ENOENT' "$BB_TMP/check.out"

# --- bad lines ------------------------------------------------------------
check_refused "duplicate name" 'File exists' '' "create alpha size_mb=32"
check_refused "upper case name" 'Invalid argument' Alpha "create Alpha size_mb=32"
check_refused "name with a dot" 'Invalid argument' a.b "create a.b size_mb=32"
check_refused "name 'control'" 'Invalid argument' '' "create control size_mb=32"
check_refused "name 'sandboxes'" 'Invalid argument' '' "create sandboxes size_mb=32"
check_refused "16-character name" 'Invalid argument' abcdefghijklmnop \
	"create abcdefghijklmnop size_mb=32"
check_refused "create without a name" 'Invalid argument' '' "create"
mem_mb=$(awk '$1 == "MemTotal:" { print int($2 / 1024) }' /proc/meminfo)
big=$(((mem_mb + 4) / 4 * 4))
check_refused "size_mb=$big, more than the guest's $mem_mb MiB" 'Cannot allocate memory' \
	huge "create huge size_mb=$big"
check_refused "size_mb=1048576" 'Cannot allocate memory' huge "create huge size_mb=1048576"
avail_mb=$(awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo)
near=$(((avail_mb - 16) / 4 * 4))
note "MemTotal $mem_mb MiB, MemAvailable $avail_mb MiB"
check_refused "size_mb=$near, all but 16 MiB of what is available" 'Cannot allocate memory' \
	huge "create huge size_mb=$near"
check_refused "unknown key" 'Invalid argument' gamma "create gamma size_mb=32 colour=blue"
check_refused "name= is not a key" 'Invalid argument' gamma "create gamma name=gamma"
check_refused "a word without =" 'Invalid argument' gamma "create gamma size_mb=32 contig"
check_refused "bad number" 'Invalid argument' gamma "create gamma size_mb=lots"
check_refused "a key twice" 'Invalid argument' gamma "create gamma size_mb=32 size_mb=64"
check_refused "size not a multiple of 4 MiB" 'Invalid argument' gamma "create gamma size_mb=6"
check_refused "nodes=5" 'Invalid argument' gamma "create gamma size_mb=64 nodes=5"
check_refused "distance of the wrong count" 'Invalid argument' gamma \
	"create gamma size_mb=64 dma32_mb=16 nodes=2 distance=10,20,10"
check_refused "zones larger than the node" 'Invalid argument' gamma \
	"create gamma size_mb=32 dma32_mb=112"
check_refused "min_free_kbytes the size of the region" 'Invalid argument' gamma \
	"create gamma size_mb=32 dma_mb=0 dma32_mb=0 min_free_kbytes=32768"
check_refused "unknown command" 'Invalid argument' gamma "make gamma size_mb=32"
check_refused "destroy of an unknown name" 'No such file or directory' '' "destroy nosuch"
check_refused "destroy without a name" 'Invalid argument' '' "destroy"
check_refused "destroy of two names" 'Invalid argument' '' "destroy alpha default"
check_eq "alpha still there after all that" "$(listed alpha size_mb)" 64
for s in default alpha; do
	in_sb $s check_consistent "$s: check ok after the bad lines"
done

# --- create and destroy while the others are loaded -------------------------
# default: bbstress (unattached descriptors); alpha: buddyctl scripts and
# control writes
if [ -x "$BBSTRESS" ]; then
	"$BBSTRESS" -p 2 -t 2 -s "$LOAD_S" -o 6 --seed 9 > "$BB_TMP/stress.out" 2>&1 &
	stress_pid=$!
else
	not_ok "$BBSTRESS missing"
	stress_pid=
fi
i=0
: > "$BB_TMP/load.bb"
while [ $i -lt 40 ]; do
	echo "alloc --order $((i % 5)) --count 8 --quiet --gfp GFP_KERNEL|__GFP_MOVABLE" >> "$BB_TMP/load.bb"
	echo "write all --seed $i" >> "$BB_TMP/load.bb"
	echo "read all --verify-seed $i" >> "$BB_TMP/load.bb"
	echo "free all" >> "$BB_TMP/load.bb"
	i=$((i + 1))
done
(
	end=$(($(date +%s) + LOAD_S))
	while [ "$(date +%s)" -lt "$end" ]; do
		"$BUDDYCTL" --sandbox alpha script "$BB_TMP/load.bb" > /dev/null 2>> "$BB_TMP/alpha-load.err" ||
			echo "buddyctl failed" >> "$BB_TMP/alpha-load.err"
	done
) &
alpha_pid=$!
(
	end=$(($(date +%s) + LOAD_S))
	while [ "$(date +%s)" -lt "$end" ]; do
		{ echo "alloc order=2 gfp=GFP_KERNEL count=16" > "$BBROOT/alpha/control" &&
			echo "free all" > "$BBROOT/alpha/control"; } 2>> "$BB_TMP/alpha-ctl.err" ||
			echo "control failed" >> "$BB_TMP/alpha-ctl.err"
	done
) &
ctl_pid=$!

r=0 churn_ok=0
while [ $r -lt "$ROUNDS" ]; do
	n=c$r
	if top "create $n size_mb=$((16 + (r % 3) * 16)) dma_mb=0 dma32_mb=0 nodes=$((1 + r % 2)) min_free_kbytes=$((512 * (r + 1)))" &&
		[ "$(nkthreads "$n")" = $((2 * (1 + r % 2))) ] &&
		( echo "alloc order=$((r % 4)) gfp=GFP_KERNEL count=4" > "$BBROOT/$n/control" ) 2>/dev/null &&
		[ "$(cat "$BBROOT/$n/check")" = ok ] &&
		top "destroy $n" && [ ! -e "$BBROOT/$n" ] && [ "$(nkthreads "$n")" = 0 ]; then
		churn_ok=$((churn_ok + 1))
	else
		note "round $r: $(cat "$BB_TMP/top.err")"
		top "destroy $n"
	fi
	r=$((r + 1))
done
check_eq "create, allocate through control, destroy with them held: $ROUNDS rounds under load" \
	"$churn_ok" "$ROUNDS"
# two at once, destroyed in the other order
check_top "create two at once, one line each" "$(printf 'create d1 size_mb=16 dma_mb=0 dma32_mb=0\ncreate d2 size_mb=16 dma_mb=0 dma32_mb=0')"
check_eq "... both listed" "$(awk '$1 ~ /^d[12]$/ { print $1 }' "$LIST" | tr '\n' ' ')" "d1 d2 "
check_top "destroy them, the second first" "$(printf 'destroy d2\ndestroy d1')"
check_gone "... d1 gone" d1
check_gone "... d2 gone" d2

wait "$alpha_pid" "$ctl_pid"
if [ -n "$stress_pid" ]; then
	wait "$stress_pid"
	check_eq "bbstress on default under the churn: ok" "$(tail -n 1 "$BB_TMP/stress.out")" "bbstress: ok"
	detail "$BB_TMP/stress.out" 5
fi
if [ -s "$BB_TMP/alpha-load.err" ] || [ -s "$BB_TMP/alpha-ctl.err" ]; then
	not_ok "alpha's load: errors"
	detail "$BB_TMP/alpha-load.err"
	detail "$BB_TMP/alpha-ctl.err"
else
	ok "alpha's load (buddyctl --sandbox alpha, control writes): no error"
fi
for s in default alpha; do
	in_sb $s check_consistent "$s: check ok after the load"
done
in_sb alpha check_control "alpha: free control's 8 blocks" "free all"
in_sb alpha check_all_free "alpha: every page free again"
check_all_free "default: every page free again"
check_eq "sandboxes: default and alpha" "$(awk '{ print $1 }' "$LIST" | tr '\n' ' ')" "default alpha "

# --- policies side by side (issue 11) -----------------------------------------
# the same control lines into a 6.1, a 6.10 (freelist hygiene) and a 6.15
# sandbox with defrag_mode: each shows its policy, the first two fall back
# (every pageblock starts movable), defrag_mode's only by claiming whole
# pageblocks, and each checker holds its rule (under 6.10 and later every
# free block is on its pageblock's lists, and 6.15 recounts the free pages
# in whole pageblocks); defrag_mode is written to the 6.15 sandbox only
check_top "create g61, g610 and g615" \
	"$(printf 'create g61 size_mb=32 dma_mb=0 dma32_mb=0 fallback=6.1\ncreate g610 size_mb=32 dma_mb=0 dma32_mb=0 fallback=6.10\ncreate g615 size_mb=32 dma_mb=0 dma32_mb=0 fallback=6.15 defrag_mode=1')"
check_grep "g61: its policy says fallback=6.1" '^fallback=6\.1 ' "$BBROOT/g61/policy"
check_grep "g610: its policy says fallback=6.10" '^fallback=6\.10 ' "$BBROOT/g610/policy"
check_grep "g615: its policy says fallback=6.15 defrag_mode=1" '^fallback=6\.15 defrag_mode=1 ' "$BBROOT/g615/policy"
check_grep "g615: zoneinfo has nr_free_pages_blocks" '^ *nr_free_pages_blocks 8192$' "$BBROOT/g615/zoneinfo"
check_fails "g61: defrag_mode 1 refused" bb_write "$BBROOT/g61/defrag_mode" 1
check_eq "... g61's defrag_mode stays 0" "$(cat "$BBROOT/g61/defrag_mode")" 0
check "g615: defrag_mode 0 written" bb_write "$BBROOT/g615/defrag_mode" 0
check_grep "... its policy says defrag_mode=0" '^fallback=6\.15 defrag_mode=0 ' "$BBROOT/g615/policy"
check "g615: defrag_mode 1 written again" bb_write "$BBROOT/g615/defrag_mode" 1
for g in g61 g610 g615; do
	for line in "alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=4000" \
		"alloc order=0 gfp=GFP_KERNEL count=600" \
		"alloc order=2 gfp=GFP_KERNEL|__GFP_RECLAIMABLE count=100" \
		"alloc order=9 gfp=GFP_HIGHUSER_MOVABLE count=1"; do
		in_sb $g check_control "$g: $line" "$line"
	done
	check_num "$g: fell back" "$(in_sb $g bb_vmstat alloc_fallback)" -gt 0
	[ $g = g615 ] && check_eq "$g: no fallback stole part of a block" \
		"$(in_sb $g bb_vmstat alloc_steal)" 0
	in_sb $g check_consistent "$g: check ok (its policy's invariants)"
	in_sb $g check_control "$g: free all" "free all"
	in_sb $g check_consistent "$g: check ok after free all"
done
check_refused "defrag_mode=1 with fallback=6.1" 'Invalid argument' gdm \
	"create gdm size_mb=16 fallback=6.1 defrag_mode=1"
check_top "destroy g61, g610 and g615" "$(printf 'destroy g61\ndestroy g610\ndestroy g615')"

# --- without default ---------------------------------------------------------
check_top "destroy default" "destroy default"
check_gone "default is gone" default
check_fails "an unattached descriptor without default: fails" "$BUDDYCTL" stats
check_grep "... with ENODEV, and says to name a sandbox" 'ENODEV.*--sandbox' "$BB_TMP/check.out"
check "... --sandbox alpha works" "$BUDDYCTL" --sandbox alpha alloc --order 0
check_top "create default again" "create default size_mb=32 dma_mb=0 dma32_mb=0"
check "an unattached descriptor works on the new default" "$BUDDYCTL" stats
check_grep "... of 32 MiB" '^region_pages 8192$' "$BB_TMP/check.out"

# --- rmmod with several --------------------------------------------------------
check_top "create e1, e2 (nodes=2)" \
	"$(printf 'create e1 size_mb=16 dma_mb=0 dma32_mb=0\ncreate e2 size_mb=32 nodes=2 dma_mb=0 dma32_mb=0')"
in_sb e2 check_control "e2: control holds allocations at rmmod" "alloc order=5 gfp=GFP_KERNEL count=4"
check_eq "four sandboxes" "$(grep -c . "$LIST")" 4
bb_kmsg_mark
check_rmmod "rmmod with four sandboxes"
check_eq "no buddybox kthread left" "$(cat /proc/[0-9]*/stat 2>/dev/null | grep -c '(bb_k')" 0
bb_kmsg_since_mark > "$BB_TMP/kmsg.txt"
check_eq "the kernel log has the four destroyed" "$(grep -c 'buddybox: sandbox [a-z0-9]* destroyed' "$BB_TMP/kmsg.txt")" 4

# --- insmod name= -------------------------------------------------------------
bb_kmsg_mark
if bb_insmod name=Bad! size_mb=32; then
	not_ok "insmod name=Bad!: loaded"
	bb_rmmod
else
	check_grep "insmod name=Bad!: EINVAL" 'Invalid argument' "$BB_TMP/insmod.err"
	bb_kmsg_since_mark > "$BB_TMP/kmsg.txt"
	check_grep "... the kernel log names name=" 'buddybox: name=Bad!' "$BB_TMP/kmsg.txt"
fi
if bb_insmod name=solo size_mb=32 dma_mb=0 dma32_mb=0; then
	ok "insmod name=solo"
	check_eq "sandboxes lists solo alone" "$(awk '{ print $1 }' "$LIST")" solo
	check "solo/ has buddyinfo" test -r "$BBROOT/solo/buddyinfo"
	check_fails "no default/ folder" test -e "$BBROOT/default"
	check_eq "solo's kthreads" "$(kthreads solo | tr '\n' ' ')" "bb_kcompactd0/solo bb_kswapd0/solo "
	check_fails "an unattached descriptor: fails (no default)" "$BUDDYCTL" stats
	check_grep "... ENODEV" 'ENODEV' "$BB_TMP/check.out"
	check "buddyctl --sandbox solo works" "$BUDDYCTL" --sandbox solo alloc --order 3 -- stats
	check_grep "... on solo" '^region_pages 8192$' "$BB_TMP/check.out"
	in_sb solo check_consistent "solo: check ok"
	check_rmmod "rmmod"
else
	not_ok "insmod name=solo"
	detail "$BB_TMP/insmod.err"
fi

bb_cleanup
bb_done
