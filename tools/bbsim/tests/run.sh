#!/bin/bash
# The user-space tests of buddybox's core (the `usr` stage of
# tools/run-tests.sh), one PASS/FAIL line each:
#   usr:build            bbsim, and under ASan+UBSan bbsim-asan and bbtest
#   usr:checker-selftest the checker reports each of eight corruptions
#   usr:random           seeded random runs (ops.c) under ASan+UBSan, the
#                        checker after every operation (-n seeds)
#   usr:random-6.10      the same seeds under fallback=6.10, whose checker
#                        also wants every free block on its pageblock's lists
#   usr:random-6.3       the same seeds under reserves=6.3 (6.3's shares of
#                        the min watermark for the atomic and __GFP_HIGH ops)
#   usr:random-6.12      the same seeds under fallback=6.10 reserves=6.3
#                        highatomic=6.12, whose checker also wants the free
#                        highatomic pages no more than the reserved ones
#   usr:random-6.15      the same seeds under fallback=6.15 (claim from the
#                        top, steal the smallest; the hygiene's checker and
#                        the recount of nr_free_pages_blocks)
#   usr:random-6.15d     the same under fallback=6.15 defrag_mode=1
#   usr:random-6.7       the same seeds under generation=6.10 (pcp_high=6.7
#                        among them), whose checker also wants each list's
#                        high within its high_min and high_max
#   usr:replay           the fuzz corpus and tools/bbsim/tests/regressions/
#                        replayed the same way
#   usr:bbsim            bbsim's own behaviour: parameters, errors, files
#   usr:trace-*          tools/bbsim/tests/replay.sh: bbsim replay of the
#                        shipped trace of a real kernel (its invariants,
#                        a too small sandbox, determinism, bad input, the
#                        JSON and SVG)
#   usr:daemons-sync     kswapd and kcompactd in the core's sync mode (the
#                        work of each wake after the command) and as threads
#                        run one at a time (daemons=on): they do work, and
#                        twice the same input gives the same output
#   usr:daemons-threads  the same input with the daemons as free threads
#                        on two CPUs, under ASan, the checker at the end (not
#                        after each line: its pcp and zone passes are two
#                        lock holds, which a running kswapd may fall between)
#   usr:bench-policy     tools/bench-policy.sh --bbsim, fallback=6.1, 6.10,
#                        6.15 and 6.15 with defrag_mode=1:
#                        every page free and the checker ok after each run,
#                        the same order-9 requests in every column, kswapd
#                        and direct compaction at work, the requests served
#                        by compaction as many as compact_success, twice the
#                        same figures; defrag_mode with fewer pollutions and
#                        mixed pageblocks, more order-9 in the fast path
#   usr:map              the pageblock map (bbsim --map, tools/lib/bbmap.c):
#                        a fresh 1 GiB sandbox is 512 cells, all Movable and
#                        free; after a fragmenting workload some are of other
#                        types, mixed, highatomic, and the map agrees with
#                        vmstat and pagetypeinfo; rsvg-convert renders both
#                        and the pixels are the cells' colours (map-check.py);
#                        buddyctl map draws the same bytes from the same text,
#                        and names the line of a malformed one
#   usr:fuzz             libFuzzer (clang) for --fuzz-time seconds (60) from
#                        the committed corpus; a crash leaves its input in
#                        build/logs/usr-fuzz/ (make it a regression: copy it
#                        to tools/bbsim/tests/regressions/)
#   usr:callgrind        the instruction count of an order-0 pair is there
#   usr:agree-*          tools/bbsim/tests/agree.sh: bbsim and the module in
#                        a one-vCPU guest end on the same buddyinfo, with
#                        the daemons asleep, and (agree-busy-*) at work in
#                        daemons=sync; agree-busy-policy-* the same under
#                        generation=6.10, with vmstat rounds among the lines
#   usr:agree-replay     tools/bbsim/tests/agree-replay.sh: the shipped
#                        trace replayed by bbsim and by buddyctl into the
#                        module (one vCPU) gives the same checkpoints
#   tools/bbsim/tests/run.sh [--results FILE] [--seeds N] [--fuzz-time SEC]
#                            [--no-guest] [--no-fuzz]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
# shellcheck source=tools/lib.sh
. "$top/tools/lib.sh"

results=/dev/null seeds=300 fuzz_time=60 guest=1 fuzz=1
while [ $# -gt 0 ]; do
	case "$1" in
	--results) results=$2; shift 2 ;;
	--seeds) seeds=$2; shift 2 ;;
	--fuzz-time) fuzz_time=$2; shift 2 ;;
	--no-guest) guest=0; shift ;;
	--no-fuzz) fuzz=0; shift ;;
	*) sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
bb_lock
logs=$top/build/logs
out=$top/build/bbsim
mkdir -p "$logs"
failed=0
# shellcheck source=tools/bbsim/tests/result.sh
. "$here/result.sh"

# --- builds ---------------------------------------------------------------
log=$logs/usr-build.log
if ! make -C "$top/tools/bbsim" all asan > "$log" 2>&1; then
	result build 1 "$log"
	exit 1
fi
result build 0

# --- the checker, and seeded runs under the sanitizers --------------------
log=$logs/usr-checker-selftest.log
"$out/bbtest" -x > "$log" 2>&1
result checker-selftest $? "$log"

# seeded_runs NAME [POLICY]: bbtest's seeded runs (checker after every
# step), under POLICY's words when given; every seed must pass
seeded_runs() {
	local name=$1 policy=${2:-} log=$logs/usr-$1.log rc=0 n
	local args=(-s 1 -n "$seeds")
	[ -z "$policy" ] || args=(-P "$policy" "${args[@]}")
	"$out/bbtest" "${args[@]}" > "$log" 2>&1 || rc=$?
	n=$(grep -c '^PASS seed' "$log")
	[ "$n" -eq "$seeds" ] || rc=1
	echo "usr: $n of $seeds seeded runs passed${policy:+ under $policy}" >&2
	result "$name" "$rc" "$log"
}
seeded_runs random
seeded_runs random-6.10 "fallback=6.10"
seeded_runs random-6.3 "reserves=6.3"
seeded_runs random-6.12 "fallback=6.10 reserves=6.3 highatomic=6.12"
seeded_runs random-6.15 "fallback=6.15"
seeded_runs random-6.15d "fallback=6.15 defrag_mode=1"
seeded_runs random-6.7 "generation=6.10"

log=$logs/usr-replay.log
shopt -s nullglob
inputs=()
for f in "$here"/corpus/* "$here"/regressions/*; do
	case "$f" in *.md) ;; *) inputs+=("$f") ;; esac
done
shopt -u nullglob
rc=0
"$out/bbtest" "${inputs[@]}" > "$log" 2>&1 || rc=$?
[ "$(grep -c '^PASS ' "$log")" -eq "${#inputs[@]}" ] || rc=1
result replay "$rc" "$log"

# --- bbsim ----------------------------------------------------------------
log=$logs/usr-bbsim.log
bbsim=$out/bbsim-asan
(
	rc=0
	fail() { echo "bbsim: $*"; rc=1; }
	initial=$("$bbsim" size_mb=64 dma_mb=16 dma32_mb=16 < /dev/null 2>/dev/null)
	[ "$(echo "$initial" | wc -l)" -eq 3 ] || fail "buddyinfo of three zones: $initial"
	# everything allocated and freed again: the first buddyinfo, and ok
	got=$(printf '%s\n' 'alloc order=3 gfp=GFP_KERNEL count=5' \
		'alloc order=0 gfp=GFP_KERNEL|__GFP_MOVABLE count=40' \
		'show allocations' 'free all' 'drain' |
		"$bbsim" -C -p buddyinfo,check size_mb=64 dma_mb=16 dma32_mb=16 2>/dev/null)
	[ "$(echo "$got" | grep -c '^[0-9]* [0-9]* [03] ')" -eq 45 ] ||
		fail "show allocations lists 45: $got"
	[ "$(echo "$got" | grep '^Node')" = "$initial" ] || fail "after free all: $got"
	[ "$(echo "$got" | tail -n 1)" = ok ] || fail "check after free all: $got"
	# a bad line fails and the next runs; a blank line or a comment is no command
	err=$(printf 'alloc order=11 gfp=GFP_KERNEL\n\n# c\nalloc order=0 gfp=GFP_KERNEL\n' |
		"$bbsim" -p allocations 2>&1 >/dev/null)
	echo "$err" | grep -q '^bbsim: line 1: order out of range' || fail "bad order: $err"
	echo "$err" | grep -q '^bbsim: 2 commands, 1 failed$' || fail "counts: $err"
	# the tunables, as control's set writes them
	got=$(echo 'set watermark_scale_factor=77' | "$bbsim" -p tunables 2>/dev/null)
	echo "$got" | grep -qx 'watermark_scale_factor 77' || fail "set: $got"
	# parameters: the same words as a create line, refused with a message
	"$bbsim" size_mb=3 < /dev/null > /dev/null 2>&1 && fail "size_mb=3 accepted"
	got=$("$bbsim" no_such=1 < /dev/null 2>&1) && fail "no_such=1 accepted"
	echo "$got" | grep -q 'no_such: unknown parameter' || fail "no_such=1: $got"
	got=$("$bbsim" backing=contig < /dev/null 2>&1) && fail "backing=contig accepted"
	echo "$got" | grep -q 'not in user space' || fail "backing=contig: $got"
	"$bbsim" -p nothing < /dev/null > /dev/null 2>&1 && fail "-p nothing accepted"
	# the policy: the default is 6.1's; a bad value, a combination no
	# kernel had and a rule not implemented are refused with a message
	got=$("$bbsim" -p policy < /dev/null 2>/dev/null)
	[ "$got" = "fallback=6.1 defrag_mode=0 reserves=6.1 highatomic=6.1 pcp_high=6.1 generation=6.1" ] ||
		fail "policy: $got"
	got=$("$bbsim" fallback=6.2 < /dev/null 2>&1) && fail "fallback=6.2 accepted"
	echo "$got" | grep -q 'fallback: bad value: 6.1, 6.10 or 6.15' || fail "fallback=6.2: $got"
	got=$("$bbsim" defrag_mode=1 < /dev/null 2>&1) && fail "defrag_mode=1 accepted"
	echo "$got" | grep -q 'defrag_mode=1: only with fallback=6.15' || fail "defrag_mode=1: $got"
	got=$("$bbsim" -p policy pcp_high=6.7 < /dev/null 2>/dev/null)
	[ "$got" = "fallback=6.1 defrag_mode=0 reserves=6.1 highatomic=6.1 pcp_high=6.7 generation=6.1" ] ||
		fail "policy pcp_high=6.7: $got"
	got=$("$bbsim" pcp_high=6.10 < /dev/null 2>&1) && fail "pcp_high=6.10 accepted"
	echo "$got" | grep -q 'pcp_high: bad value: 6.1 or 6.7' || fail "pcp_high=6.10: $got"
	got=$("$bbsim" -p policy generation=6.15 < /dev/null 2>/dev/null)
	[ "$got" = "fallback=6.15 defrag_mode=0 reserves=6.3 highatomic=6.12 pcp_high=6.7 generation=6.15" ] ||
		fail "policy generation=6.15: $got"
	# fallback=6.10 runs alone, and generation=6.10 whole
	got=$("$bbsim" -p policy fallback=6.10 < /dev/null 2>/dev/null)
	[ "$got" = "fallback=6.10 defrag_mode=0 reserves=6.1 highatomic=6.1 pcp_high=6.1 generation=6.1" ] ||
		fail "policy fallback=6.10: $got"
	got=$("$bbsim" -p policy generation=6.10 < /dev/null 2>/dev/null)
	[ "$got" = "fallback=6.10 defrag_mode=0 reserves=6.3 highatomic=6.1 pcp_high=6.7 generation=6.10" ] ||
		fail "policy generation=6.10: $got"
	# pcp_high=6.7: 20000 pages freed raise the Normal list's high from
	# 6.1's value towards high_max; each vmstat round brings it down (an
	# eighth, or to count - 32 batches when the list is fuller), never
	# below 6.1's high, and drains what is above; 6.1's high never moves
	pcph() {
		{ echo 'alloc order=0 gfp=GFP_KERNEL count=20000'; echo 'free all'
		  for _ in $(seq "$1"); do echo vmstat; done; } |
		"$bbsim" -p zoneinfo,check size_mb=512 "${@:2}" 2>/dev/null |
		awk '/^Node/ { z = $4 } /^ok$/ { ok = 1 }
		     z == "Normal" && $1 == "count:" { c = $2 }
		     z == "Normal" && $1 == "high:" { h = $2 }
		     END { print c, h, ok ? "ok" : "bad" }'
	}
	read -r c61 h61 ok61 <<< "$(pcph 0 pcp_high=6.1)"
	read -r c61b h61b ok61b <<< "$(pcph 5 pcp_high=6.1)"
	read -r c0 h0 ok0 <<< "$(pcph 0 pcp_high=6.7)"
	read -r c1 h1 ok1 <<< "$(pcph 1 pcp_high=6.7)"
	read -r c60 h60 ok60 <<< "$(pcph 60 pcp_high=6.7)"
	[ "$ok61$ok61b$ok0$ok1$ok60" = okokokokok ] &&
		[ "$h61" = "$h61b" ] && [ "$c61" -lt "$h61" ] &&
		[ "$h0" -gt $((4 * h61)) ] && [ "$c0" -le "$h0" ] &&
		[ "$h1" -lt "$h0" ] && [ "$h1" -ge $((h0 - h0 / 8)) ] &&
		[ "$c1" -le "$h1" ] && [ "$h60" = "$h61" ] && [ "$c60" -le "$h60" ] ||
		fail "pcp_high: 6.1 $c61/$h61 $c61b/$h61b, 6.7 after 0, 1, 60 rounds $c0/$h0 $c1/$h1 $c60/$h60 (count/high)"
	# daemons=on: the vmstat thread's rounds, one each HZ (250) lines of a
	# clock that moves a jiffy a line: 1000 lines, 4 rounds, each 32
	# batches of 31 lower (12288 10881 9889 8897 7905), the same each run;
	# daemons=sync has no thread
	{ echo 'alloc order=0 gfp=GFP_KERNEL count=20000'; echo 'free all'
	  for _ in $(seq 1000); do echo 'set extfrag_threshold=500'; done; } > "$out/pcph-on.txt"
	on1=$("$bbsim" -f "$out/pcph-on.txt" -p zoneinfo size_mb=512 generation=6.10 daemons=on 2>/dev/null |
		awk '/^Node/ { z = $4 } z == "Normal" && $1 == "high:" { print $2 }')
	on2=$("$bbsim" -f "$out/pcph-on.txt" -p zoneinfo size_mb=512 generation=6.10 daemons=on 2>/dev/null |
		awk '/^Node/ { z = $4 } z == "Normal" && $1 == "high:" { print $2 }')
	sync=$("$bbsim" -f "$out/pcph-on.txt" -p zoneinfo size_mb=512 generation=6.10 daemons=sync 2>/dev/null |
		awk '/^Node/ { z = $4 } z == "Normal" && $1 == "high:" { print $2 }')
	[ "$on1" = 7905 ] && [ "$on2" = 7905 ] && [ "$sync" = 12288 ] ||
		fail "pcp_high=6.7 with daemons=on: high $on1 and $on2 (7905), daemons=sync $sync (12288)"
	got=$("$bbsim" highatomic=6.12 < /dev/null 2>&1) && fail "highatomic=6.12 with fallback=6.1 accepted"
	echo "$got" | grep -q 'highatomic=6.12: only with fallback=6.10' || fail "highatomic=6.12: $got"
	got=$("$bbsim" -p policy fallback=6.10 highatomic=6.12 < /dev/null 2>/dev/null)
	[ "$got" = "fallback=6.10 defrag_mode=0 reserves=6.1 highatomic=6.12 pcp_high=6.1 generation=6.1" ] ||
		fail "policy fallback=6.10 highatomic=6.12: $got"
	got=$("$bbsim" -p policy generation=6.10 pcp_high=6.1 < /dev/null 2>/dev/null)
	[ "$got" = "fallback=6.10 defrag_mode=0 reserves=6.3 highatomic=6.1 pcp_high=6.1 generation=6.10" ] ||
		fail "policy generation=6.10 pcp_high=6.1: $got"
	# fallback=6.15 runs, with defrag_mode too; generation=6.15 without
	# pcp_high=6.7; defrag_mode is a tunable of fallback=6.15 sandboxes
	# only, and the policy file shows it; zoneinfo has 6.15's
	# nr_free_pages_blocks there only
	got=$("$bbsim" -p policy generation=6.15 pcp_high=6.1 < /dev/null 2>/dev/null)
	[ "$got" = "fallback=6.15 defrag_mode=0 reserves=6.3 highatomic=6.12 pcp_high=6.1 generation=6.15" ] ||
		fail "policy generation=6.15 pcp_high=6.1: $got"
	got=$("$bbsim" -p policy fallback=6.15 defrag_mode=1 < /dev/null 2>/dev/null)
	[ "$got" = "fallback=6.15 defrag_mode=1 reserves=6.1 highatomic=6.1 pcp_high=6.1 generation=6.1" ] ||
		fail "policy fallback=6.15 defrag_mode=1: $got"
	got=$(echo 'set defrag_mode=1' | "$bbsim" -p policy,tunables fallback=6.15 2>/dev/null)
	echo "$got" | grep -qx 'defrag_mode 1' || fail "set defrag_mode=1 (tunables): $got"
	echo "$got" | grep -q '^fallback=6.15 defrag_mode=1 ' || fail "set defrag_mode=1 (policy): $got"
	got=$(echo 'set defrag_mode=1' | "$bbsim" -p policy fallback=6.10 2>&1)
	echo "$got" | grep -q 'defrag_mode: only with fallback=6.15' || fail "set defrag_mode=1 on 6.10: $got"
	echo "$got" | grep -q 'line 1: the command failed (Invalid argument)' || fail "set defrag_mode=1 on 6.10: $got"
	echo "$got" | grep -q '^fallback=6.10 defrag_mode=0 ' || fail "set defrag_mode=1 on 6.10 (policy): $got"
	got=$(echo 'set defrag_mode=2' | "$bbsim" -p none fallback=6.15 2>&1)
	echo "$got" | grep -q 'defrag_mode=2: must be 0 or 1' || fail "set defrag_mode=2: $got"
	got=$("$bbsim" -p zoneinfo size_mb=64 dma_mb=0 dma32_mb=0 fallback=6.15 < /dev/null 2>/dev/null)
	echo "$got" | grep -qx '      nr_free_pages_blocks 16384' || fail "zoneinfo of 6.15: $got"
	got=$("$bbsim" -p zoneinfo size_mb=64 dma_mb=0 dma32_mb=0 < /dev/null 2>/dev/null)
	echo "$got" | grep -q 'nr_free_pages_blocks' && fail "zoneinfo of 6.1 has nr_free_pages_blocks"
	# fallbacks: claims and steals are 6.1's alloc_claim, pollutions its
	# alloc_steal; pageblocks: every pageblock of the 32 MiB is counted once
	got=$(python3 "$here/gen-control.py" 5 3000 |
		"$bbsim" -q -p fallbacks,pageblocks,vmstat size_mb=32 dma_mb=0 dma32_mb=8 2>/dev/null)
	sums=$(echo "$got" | awk '$1 == "Node" && NF == 9 { c += $7 + $8; p += $9 }
		$1 == "Node" && NF == 8 { b += $6 + $7 + $8 }
		$1 == "alloc_claim" { vc = $2 } $1 == "alloc_steal" { vs = $2 }
		END { print c, p, b, vc, vs }')
	read -r c p b vc vs <<< "$sums"
	[ "$c" = "$vc" ] && [ "$p" = "$vs" ] && [ "$b" = 16 ] && [ "$c" -gt 0 ] ||
		fail "fallbacks/pageblocks against vmstat (claim+steal pollute pageblocks alloc_claim alloc_steal): $sums"
	# nodes, movable and pcp=off reach the sandbox
	got=$("$bbsim" nodes=2 size_mb=64 dma_mb=0 dma32_mb=0 movable_mb=8 pcp=off \
		< /dev/null 2>/dev/null)
	[ "$(echo "$got" | grep -c '^Node 1, zone  *Movable')" -eq 1 ] || fail "nodes=2: $got"
	# pcp high follows the CPUs, as in the kernel
	z1=$("$bbsim" -c 1 -p zoneinfo < /dev/null 2>/dev/null | grep -m1 ' high:')
	z4=$("$bbsim" -c 4 -p zoneinfo < /dev/null 2>/dev/null | grep -m1 ' high:')
	[ -n "$z1" ] && [ "$z1" != "$z4" ] || fail "pcp high with 1 and 4 CPUs: '$z1' '$z4'"
	exit "$rc"
) > "$log" 2>&1
result bbsim $? "$log"

# --- replaying a real kernel's trace ----------------------------------------
"$here/replay.sh" --results "$results" || failed=1

# --- the daemons ----------------------------------------------------------
work=$out/daemons
mkdir -p "$work"
python3 "$here/gen-control.py" 3 4000 --busy 32 > "$work/busy"
params="size_mb=32 dma_mb=0 dma32_mb=8"
log=$logs/usr-daemons-sync.log
(
	rc=0
	for mode in sync on; do
		for i in 1 2; do
			# shellcheck disable=SC2086 # the parameters are words
			"$out/bbsim" -q -f "$work/busy" -p buddyinfo,allocations,vmstat \
				$params daemons=$mode | grep -v '^compact_stall_ns ' \
				> "$work/$mode.$i" || rc=1
		done
		cmp "$work/$mode.1" "$work/$mode.2" ||
			{ echo "daemons=$mode: two runs differ"; rc=1; }
		for ev in kswapd_wake pgsteal_kswapd; do
			v=$(awk -v k="$ev" '$1 == k {print $2}' "$work/$mode.1")
			[ "${v:-0}" -gt 0 ] ||
				{ echo "daemons=$mode: $ev is '$v': kswapd did nothing"; rc=1; }
		done
		echo "daemons=$mode:" $(grep -E '^(kswapd_wake|pgsteal_kswapd|compact_daemon_wake) ' "$work/$mode.1")
	done
	exit "$rc"
) > "$log" 2>&1
result daemons-sync $? "$log"

log=$logs/usr-daemons-threads.log
# shellcheck disable=SC2086 # the parameters are words
timeout 300 "$out/bbsim-asan" -c 2 -f "$work/busy" -p vmstat,check $params daemons=threads \
	> "$work/threads.vmstat" 2> "$log"
rc=$?
[ "$(tail -n 1 "$work/threads.vmstat")" = ok ] || rc=1
grep -E '^(kswapd_wake|pgsteal_kswapd) ' "$work/threads.vmstat" >> "$log"
result daemons-threads "$rc" "$log"

# --- bench-policy --bbsim: bbmix's steps through the core -------------------
# the 6.1, 6.10 and 6.15 fallbacks (and 6.15's defrag_mode) on the same
# seeded steps: each run ends
# with every page free and the checker ok (bbmix-sim), the columns saw the
# same order-9 requests (policy-report.py), the workload did what it says
# (kswapd reclaimed and direct compaction ran in each column), the
# order-9 requests bbmix-sim says compaction served are vmstat's
# compact_success (its reading of the paths), and a second run gives the
# same figures but the wall time
log=$logs/usr-bench-policy.log
(
	rc=0
	for i in 1 2; do
		"$top/tools/bench-policy.sh" --bbsim --policies 'fallback=6.1;fallback=6.10;fallback=6.15;fallback=6.15 defrag_mode=1' ||
			{ echo "bench-policy --bbsim: exit status $?"; rc=1; }
		cp "$top/build/bench-policy-bbsim.json" "$out/bench-policy.$i.json"
	done
	python3 - "$out/bench-policy.1.json" "$out/bench-policy.2.json" <<'PY' || rc=1
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
rc = 0
cols = [c["words"] for c in a["columns"]]
if cols != ["fallback=6.1", "fallback=6.10", "fallback=6.15", "fallback=6.15 defrag_mode=1"]:
    print("columns: %s" % cols); rc = 1
for c in a["columns"]:
    m = c["measures"]
    for k in ("pgsteal_kswapd", "compact_stall", "thp_requests"):
        if not m.get(k):
            print("%s: %s is %r" % (c["words"], k, m.get(k))); rc = 1
    # the paths' count of blocks made by direct compaction is vmstat's
    if m["thp_after_compaction"] != m["compact_success"]:
        print("%s: %d order-9 requests served by compaction, compact_success %d" % (
            c["words"], m["thp_after_compaction"], m["compact_success"])); rc = 1
    print("%s: %s" % (c["words"], {k: m[k] for k in ("alloc_fallback", "mixed_pageblocks", "thp_fast_path", "thp_after_compaction")}))
# defrag_mode: fewer polluting fallbacks and mixed pageblocks than the
# same rules without it, more order-9 blocks had in the fast path
m615, mdm = (c["measures"] for c in a["columns"][2:4])
for k in ("fallback_pollutions", "mixed_pageblocks"):
    if not mdm[k] < m615[k]:
        print("defrag_mode=1: %s %d, not fewer than fallback=6.15's %d" % (k, mdm[k], m615[k])); rc = 1
if not mdm["thp_fast_path"] > m615["thp_fast_path"]:
    print("defrag_mode=1: %d order-9 requests in the fast path, fallback=6.15 %d" % (
        mdm["thp_fast_path"], m615["thp_fast_path"])); rc = 1
for x, y in zip(a["columns"], b["columns"]):
    mx = dict(x["measures"]); my = dict(y["measures"])
    mx.pop("wall_s"); my.pop("wall_s")
    if mx != my:
        print("%s: two runs differ" % x["words"]); rc = 1
sys.exit(rc)
PY
	exit "$rc"
) > "$log" 2>&1
result bench-policy $? "$log"

# --- the pageblock map ----------------------------------------------------
log=$logs/usr-map.log
work=$out/map
mkdir -p "$work"
(
	rc=0
	fail() { echo "map: $*"; rc=1; }
	chk=$here/map-check.py
	command -v rsvg-convert > /dev/null || fail "no rsvg-convert: tools/deps.sh installs librsvg2-bin"
	# fresh: 512 pageblocks, all Movable and free
	"$bbsim" --map "$work/fresh.svg" -p pageblock_map size_mb=1024 \
		< /dev/null > "$work/fresh.txt" 2>/dev/null || fail "bbsim --map of a fresh sandbox"
	[ "$(grep -c '^[0-9]' "$work/fresh.txt")" -eq 512 ] ||
		fail "-p pageblock_map: not 512 pageblock lines"
	rsvg-convert -o "$work/fresh.png" "$work/fresh.svg" || fail "rsvg-convert fresh.svg"
	python3 "$chk" "$work/fresh.svg" --cells 512 --fresh --png "$work/fresh.png" || rc=1
	# two nodes, four zones each: as many cells as pagetypeinfo's pageblocks
	"$bbsim" --map "$work/nodes.svg" -p pagetypeinfo nodes=2 size_mb=3072 movable_mb=512 \
		< /dev/null > "$work/nodes.pti" 2>/dev/null || fail "bbsim --map with nodes=2"
	n=$(awk '/^Node [0-9]+, zone +[A-Za-z0-9]+ +[0-9]/ { for (i = 5; i <= NF; i++) n += $i }
		END { print n + 0 }' "$work/nodes.pti")
	[ "$n" -eq 1536 ] || fail "nodes=2 size_mb=3072: pagetypeinfo counts $n pageblocks"
	python3 "$chk" "$work/nodes.svg" --cells "$n" --fresh || rc=1
	[ "$(grep -c '>Node [01]</text>' "$work/nodes.svg")" -eq 2 ] || fail "nodes=2: not two node labels"
	[ "$(grep -c 'class="zone"' "$work/nodes.svg")" -eq 6 ] || fail "nodes=2: not six zone labels"
	# fragmenting: memory filled with movable pages, one page in 16 freed,
	# then unmovable, reclaimable and atomic requests: they fall back into
	# movable pageblocks, and the atomic ones get a highatomic reserve
	python3 - > "$work/frag.ctl" <<-'EOF'
		for i in range(300):
		    print("alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=1024")
		for i in range(200):
		    print("alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=64")
		print("map checkpoint-full.svg")
		for h in range(1, 262144, 16):
		    print("free handle=%d" % h)
		print("alloc order=0 gfp=GFP_KERNEL count=3000")
		print("alloc order=0 gfp=GFP_KERNEL|__GFP_RECLAIMABLE count=1000")
		print("alloc order=2 gfp=GFP_ATOMIC count=300")
	EOF
	(cd "$work" && "$bbsim" -q -f frag.ctl --map frag.svg \
		-p pageblock_map,vmstat,pagetypeinfo,zoneinfo,check size_mb=1024 > frag.out 2>&1) ||
		fail "bbsim --map of the fragmenting workload"
	[ "$(tail -n 1 "$work/frag.out")" = ok ] || fail "check after the workload"
	python3 "$chk" "$work/checkpoint-full.svg" --cells 512 || fail "the map line's checkpoint"
	rsvg-convert -o "$work/frag.png" "$work/frag.svg" || fail "rsvg-convert frag.svg"
	python3 "$chk" "$work/frag.svg" --cells 512 --fragmented --png "$work/frag.png" || rc=1
	# the checker itself: another map's picture must fail it
	python3 "$chk" "$work/frag.svg" --png "$work/fresh.png" > /dev/null &&
		fail "map-check took the fresh sandbox's picture for the fragmented one"
	# the map's free pages (buddy and pcp lists) and pageblock types are
	# vmstat's nr_free_pages and zoneinfo's pcp counts, and pagetypeinfo's
	free_map=$(awk '/^[0-9]/ { s += $3 } END { print s }' "$work/frag.out")
	free_vm=$(awk '/^nr_free_pages / { print $2 }' "$work/frag.out")
	pcp=$(awk '$1 == "count:" { s += $2 } END { print s + 0 }' "$work/frag.out")
	[ "$free_map" = "$((free_vm + pcp))" ] ||
		fail "free pages: map $free_map, vmstat $free_vm + pcp $pcp"
	for t in Unmovable Movable Reclaimable HighAtomic; do
		n_map=$(awk -v t="$t" '/^[0-9]/ && $2 == t { n++ } END { print n + 0 }' "$work/frag.out")
		col=$(awk -v t="$t" '/^Number of blocks type/ { for (i = 1; i <= NF; i++) if ($i == t) print i - 4 }' \
			"$work/frag.out")
		n_pti=$(awk -v c="$col" '/^Node [0-9]+, zone +[A-Za-z0-9]+ +[0-9]/ { n += $(c + 4) } END { print n + 0 }' \
			"$work/frag.out")
		[ "$n_map" = "$n_pti" ] || fail "$t pageblocks: map $n_map, pagetypeinfo $n_pti"
		echo "map: $t pageblocks $n_map (pagetypeinfo $n_pti)"
	done
	n=$(grep -c '<g class="pb" [^>]*data-type="HighAtomic".*class="reserve"' "$work/frag.svg")
	[ "$n" -gt 0 ] || fail "no highatomic reserve marked"
	echo "map: free pages $free_map (vmstat $free_vm + pcp $pcp), $n highatomic pageblocks marked"
	# buddyctl map: the same parser and renderer, the same bytes
	if make -C "$top" buddyctl > "$work/buddyctl-build.log" 2>&1; then
		bctl=$top/tools/buddyctl/buddyctl
		# -p's first file, up to vmstat's first line
		awk '/^pageblock_map / { p = 1 } p && /^pgalloc_dma / { exit } p' \
			"$work/frag.out" > "$work/frag.txt"
		"$bctl" -s bbsim map --svg "$work/frag-buddyctl.svg" --from "$work/frag.txt" > /dev/null ||
			fail "buddyctl map --from"
		cmp "$work/frag.svg" "$work/frag-buddyctl.svg" || fail "buddyctl and bbsim draw different maps"
		sed '100s/^\([0-9]*\) Movable /\1 Movabel /' "$work/frag.txt" > "$work/bad.txt"
		got=$("$bctl" map --svg "$work/bad.svg" --from "$work/bad.txt" 2>&1) &&
			fail "a malformed line accepted"
		echo "$got" | grep -q 'line 100: unknown migratetype "Movabel"' ||
			fail "a malformed line: $got"
	else
		cat "$work/buddyctl-build.log"
		fail "make buddyctl"
	fi
	ls -l "$work"/*.svg "$work"/*.png
	exit "$rc"
) > "$log" 2>&1
result map $? "$log"

# --- libFuzzer ------------------------------------------------------------
if [ "$fuzz" -eq 1 ]; then
	log=$logs/usr-fuzz.log
	fdir=$logs/usr-fuzz
	rm -rf "$fdir"
	mkdir -p "$fdir/corpus"
	cp "$here"/corpus/* "$fdir/corpus/"
	rc=0
	if make -C "$top/tools/bbsim" fuzz > "$log" 2>&1; then
		# -fork would need more cores than CI has: one process, bounded time
		(cd "$fdir" && timeout $((fuzz_time + 120)) "$out/bbfuzz" \
			-max_total_time="$fuzz_time" -timeout=20 -rss_limit_mb=2048 \
			-artifact_prefix="$fdir/" -print_final_stats=1 \
			"$fdir/corpus") >> "$log" 2>&1 || rc=$?
		ls "$fdir"/crash-* "$fdir"/leak-* "$fdir"/timeout-* "$fdir"/oom-* > /dev/null 2>&1 && rc=1
		grep -E '^stat::number_of_executed_units|^Done ' "$log" >&2 || true
	else
		rc=1
	fi
	result fuzz "$rc" "$log"
fi

# --- callgrind's count ----------------------------------------------------
log=$logs/usr-callgrind.log
rc=0
line=$("$here/callgrind.sh" 2000 2> "$log") || rc=$?
echo "$line" >> "$log"
n=$(echo "$line" | sed -n 's/^usr_order0_instructions=\([0-9]*\) .*/\1/p')
{ [ -n "$n" ] && [ "$n" -gt 50 ] && [ "$n" -lt 100000 ]; } || rc=1
echo "usr: an order-0 pair takes ${n:-?} instructions" >&2
result callgrind "$rc" "$log"

# --- the module in a guest ------------------------------------------------
if [ "$guest" -eq 1 ]; then
	"$here/agree.sh" --results "$results" || failed=1
	"$here/agree.sh" --busy --results "$results" || failed=1
	"$here/agree.sh" --busy --policy generation=6.10 --results "$results" || failed=1
	"$here/agree-replay.sh" --results "$results" || failed=1
fi
exit "$failed"
