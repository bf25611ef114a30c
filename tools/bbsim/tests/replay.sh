#!/bin/bash
# bbsim replay (tools/bbsim/replay.c) on the shipped trace of a real 6.1
# kernel (tools/replay/data/), one PASS/FAIL line each:
#   usr:trace-replay       the trace replays under ASan+UBSan: every alloc
#                          event is an allocation or counted as skipped,
#                          every free is matched or counted as never seen,
#                          the event counts are those of the trace's text,
#                          the sandbox's own counters agree, check says ok
#   usr:trace-small        into a sandbox far too small: allocations fail in
#                          the sandbox's own way, counted, and it ends
#   usr:trace-determinism  twice the same replay (daemons=sync): the same
#                          summary, files, JSON and SVG, byte for byte
#   usr:trace-bad-input    bad lines (unknown event, malformed, truncated,
#                          order out of range, unknown gfp) are counted and
#                          reported with their line numbers; --strict stops
#                          at the first
#   usr:trace-mutations    the first 3000 lines of the trace, mutated
#                          (truncated, bytes inserted, shuffled, overlong)
#                          with five seeds, under ASan+UBSan: no crash,
#                          bad lines counted, the invariants still hold
#   usr:trace-outputs      the JSON parses (python3), every pageblock is
#                          counted, the SVG is well formed with one line per
#                          run and each of seven panels (two runs with
#                          --compare), and rsvg-convert renders it
#   usr:trace-policies     --policy fallback=6.1 --policy fallback=6.10 in a
#                          small sandbox (fallbacks happen) under ASan:
#                          for each, the replay's invariants, fallbacks by
#                          kind against the sandbox's counters at every
#                          checkpoint (claim + steal = alloc_claim, claim +
#                          steal + pollute = alloc_fallback; 6.10: pollute =
#                          alloc_steal), mixed pageblocks within the
#                          pageblocks; twice the same output byte for byte,
#                          and a policy alone the same JSON as beside the
#                          other; bad --policy words refused
#   usr:trace-maps         --map at the checkpoints: a map per --map-every
#                          and one at the end, for each policy, well formed
#                          with one cell per pageblock (map-check.py), the
#                          last one rendered by rsvg-convert
#   tools/bbsim/tests/replay.sh [--results FILE]
# Expects build/bbsim/bbsim and bbsim-asan (make -C tools/bbsim all asan).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)

results=/dev/null
case "${1:-}" in
--results) results=$2 ;;
'') ;;
*) sed -n '2,41p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
logs=$top/build/logs
out=$top/build/bbsim
work=$out/replay
data=$top/tools/replay/data
trace=$data/files-6.1.trace.xz
mkdir -p "$logs" "$work"
failed=0
# shellcheck source=tools/bbsim/tests/result.sh
. "$here/result.sh"

# --- the shipped trace ------------------------------------------------------
log=$logs/usr-trace-replay.log
(
	rc=0
	fail() { echo "trace-replay: $*"; rc=1; }
	start=$(date +%s%N)
	timeout 300 "$out/bbsim-asan" replay "$trace" --zoneinfo "$data/files-6.1.zoneinfo" \
		--buddyinfo "$data/files-6.1.buddyinfo" --every 2000 \
		--json "$work/asan.json" -p vmstat,allocations \
		> "$work/asan.out" 2> "$work/asan.err" || fail "exit status $?"
	echo "asan replay: $(( ($(date +%s%N) - start) / 1000000 )) ms"
	cat "$work/asan.out" "$work/asan.err"
	grep -qx ok "$work/asan.out" || fail "check is not ok"
	if ! grep -q '^kernel   0 DMA32 ' "$work/asan.out" ||
	   ! grep -q '^sandbox  0 DMA32 ' "$work/asan.out"; then
		fail "no buddyinfo side by side"
	fi
	# the trace's own counts, read apart from the parser
	xz -dc "$trace" > "$work/trace.txt" || fail "xz -dc"
	for ev in mm_page_alloc mm_page_free mm_page_free_batched mm_page_pcpu_drain; do
		echo "$ev $(grep -c ": $ev: " "$work/trace.txt")"
	done > "$work/grep.counts"
	python3 - "$work/asan.json" "$work/grep.counts" "$work/asan.out" <<'EOF' || rc=1
import json, sys
d = json.load(open(sys.argv[1]))
grep = dict(l.split() for l in open(sys.argv[2]))
out = open(sys.argv[3]).read().splitlines()
r, ev, bad = d["replay"], d["events"], []
def want(cond, what):
    if not cond:
        bad.append(what)
for k, v in grep.items():
    want(ev[k] == int(v), f"{k}: parser {ev[k]}, grep {v}")
want(sum(d["errors"].values()) == 0, f"bad lines in the shipped trace: {d['errors']}")
want(r["alloc_events"] == ev["mm_page_alloc"], "alloc events")
want(r["allocated"] + r["trace_failed"] + r["sandbox_failed"] == r["alloc_events"],
     "allocated + skipped != alloc events")
want(r["free_events"] == ev["mm_page_free"], "free events")
want(r["freed"] + r["unseen_frees"] == r["free_events"], "freed + unseen != free events")
want(r["allocated"] > 10000 and r["freed"] > 10000, "too little replayed")
want(r["batched"] == ev["mm_page_free_batched"] and r["drains"] == ev["mm_page_pcpu_drain"],
     "batched or drains not counted")
want(d["points"][-1]["event"] == sum(ev.values()), "the last checkpoint is not at the end")
want(len(d["points"]) == sum(ev.values()) // 2000 + 1, "a checkpoint every 2000 events")
# the sandbox's own counters: its successes, and what is still allocated
vm = dict(l.split() for l in out if len(l.split()) == 2 and l.split()[1].isdigit())
want(int(vm["alloc_success"]) == r["allocated"], f"alloc_success {vm['alloc_success']}")
live = sum(1 for l in out if l.split()[:1] and l.split()[0].isdigit() and len(l.split()) == 6)
want(live == r["allocated"] - r["freed"] - r["pfn_reused"],
     f"{live} live allocations, counts say {r['allocated'] - r['freed'] - r['pfn_reused']}")
print("replay:", r)
for b in bad:
    print("trace-replay:", b)
sys.exit(1 if bad else 0)
EOF
	exit "$rc"
) > "$log" 2>&1
result trace-replay $? "$log"

log=$logs/usr-trace-small.log
(
	rc=0
	timeout 300 "$out/bbsim-asan" replay "$trace" size_mb=16 dma_mb=0 dma32_mb=0 \
		--json "$work/small.json" > "$work/small.out" 2>&1 || rc=1
	cat "$work/small.out"
	python3 - "$work/small.json" <<'EOF' || rc=1
import json, sys
r = json.load(open(sys.argv[1]))["replay"]
p = json.load(open(sys.argv[1]))["points"][-1]
ok = r["sandbox_failed"] > 0 and \
    r["allocated"] + r["trace_failed"] + r["sandbox_failed"] == r["alloc_events"]
print("small:", r["allocated"], "allocated,", r["sandbox_failed"], "failed; oom_kill",
      p["oom_kill"], "allocstall", p["allocstall"])
sys.exit(0 if ok else 1)
EOF
	grep -qx ok "$work/small.out" || rc=1
	exit "$rc"
) > "$log" 2>&1
result trace-small $? "$log"

# --- determinism ------------------------------------------------------------
log=$logs/usr-trace-determinism.log
(
	rc=0
	for i in 1 2; do
		"$out/bbsim" replay "$trace" --zoneinfo "$data/files-6.1.zoneinfo" \
			--buddyinfo "$data/files-6.1.buddyinfo" --every 500 \
			--json "$work/det.$i.json" --svg "$work/det.$i.svg" \
			-p buddyinfo,pagetypeinfo,vmstat,allocations |
			grep -v '^compact_stall_ns ' > "$work/det.$i.out" || rc=1
	done
	for f in out json svg; do
		cmp "$work/det.1.$f" "$work/det.2.$f" || { echo "the two $f differ"; rc=1; }
	done
	wc -c "$work"/det.1.*
	exit "$rc"
) > "$log" 2>&1
result trace-determinism $? "$log"

# --- bad input --------------------------------------------------------------
log=$logs/usr-trace-bad-input.log
(
	rc=0
	fail() { echo "trace-bad-input: $*"; rc=1; }
	bad=$work/bad.trace
	{
		echo '# tracer: nop'
		echo '  a-1 [000] ..... 1.000001: mm_page_alloc: page=00000000aa pfn=0x100 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE'
		echo '  a-1 [000] ..... 1.000002: mm_page_alloc: page=00000000ab pfn=0x200 order=2 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP'
		echo '  a-1 [000] ..... 1.000003: sched_switch: prev_comm=a prev_pid=1'
		echo '  a-1 [000] ..... 1.000004: mm_page_alloc: page=00000000ac order=0 migratetype=0 gfp_flags=GFP_KERNEL'
		echo '  a-1 [000] ..... 1.000005: mm_page_alloc: page=00000000ad pfn=0x300 order=11 migratetype=0 gfp_flags=GFP_KERNEL'
		echo '  a-1 [000] ..... 1.000006: mm_page_alloc: page=00000000ae pfn=0x400 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_BOGUS'
		echo 'CPU:0 [LOST 7 EVENTS]'
		echo '  a-1 [000] ..... 1.000007: mm_page_free: page=00000000aa pfn=0x100 order=0'
		echo '  a-1 [000] ..... 1.000008: mm_page_free: page=00000000af pfn=0x999 order=0'
		echo 'garbage without a timestamp'
		printf '  a-1 [000] ..... 1.000009: mm_page_free: page=00000000ab pfn=0x2'
	} > "$bad"
	"$out/bbsim-asan" replay "$bad" size_mb=64 --json "$work/bad.json" \
		> "$work/bad.out" 2> "$work/bad.err" || fail "exit status $? without --strict"
	cat "$work/bad.out" "$work/bad.err"
	for want in "bad.trace:4: unknown event sched_switch" "bad.trace:5: pfn= missing" \
		"bad.trace:6: order 11 out of range" "bad.trace:7: gfp_flags=GFP_KERNEL|__GFP_BOGUS" \
		"bad.trace:11: no event name" "bad.trace:12: order= missing"; do
		grep -qF "$want" "$work/bad.err" || fail "no '$want'"
	done
	python3 - "$work/bad.json" <<'EOF' || fail "counts"
import json, sys
d = json.load(open(sys.argv[1]))
e, r = d["errors"], d["replay"]
want = {"unknown_event": 1, "malformed": 3, "bad_order": 1, "bad_gfp": 1}
bad = [k for k, v in want.items() if e[k] != v]
bad += [] if d["lost_events"] == 7 else ["lost_events"]
bad += [] if (r["alloc_events"], r["allocated"], r["free_events"], r["freed"],
              r["unseen_frees"]) == (2, 2, 2, 1, 1) else ["replay " + str(r)]
print("bad input:", e, r, "bad:", bad)
sys.exit(1 if bad else 0)
EOF
	# --strict: the first bad line stops it, with its number
	"$out/bbsim-asan" replay "$bad" --strict size_mb=64 > "$work/strict.out" 2> "$work/strict.err"
	st=$?
	cat "$work/strict.err"
	[ "$st" -eq 2 ] || fail "--strict: exit status $st, not 2"
	grep -q 'bad.trace:4: unknown event' "$work/strict.err" || fail "--strict: no line 4"
	[ "$(grep -c 'bad.trace:[0-9]*:' "$work/strict.err")" -eq 1 ] || fail "--strict went on"
	grep -q 'stopped (--strict) at line 4' "$work/strict.err" || fail "--strict: no stop message"
	# the command line's words win over --zoneinfo's and daemons=sync
	got=$("$out/bbsim-asan" replay "$bad" --zoneinfo "$data/files-6.1.zoneinfo" \
		size_mb=512 dma32_mb=64 daemons=off -p vmstat 2>&1) || fail "size_mb= over --zoneinfo: $got"
	echo "$got" | grep -qx 'region_pages 131072' || fail "size_mb=512 over --zoneinfo: $got"
	# a missing trace, and a bad --zoneinfo, are refused with a message
	"$out/bbsim-asan" replay "$work/no-such.trace" 2> "$work/e.err" && fail "a missing trace accepted"
	grep -q 'no-such.trace: No such file' "$work/e.err" || fail "missing trace: $(cat "$work/e.err")"
	"$out/bbsim-asan" replay "$bad" --zoneinfo "$bad" 2> "$work/e.err" && fail "a bad zoneinfo accepted"
	grep -q 'not a /proc/zoneinfo' "$work/e.err" || fail "bad zoneinfo: $(cat "$work/e.err")"
	exit "$rc"
) > "$log" 2>&1
result trace-bad-input $? "$log"

# --- mutated traces --------------------------------------------------------
log=$logs/usr-trace-mutations.log
(
	rc=0
	xz -dc "$trace" | head -n 3012 > "$work/head.trace"
	for seed in 1 2 3 4 5; do
		python3 - "$seed" "$work/head.trace" > "$work/mut.trace" <<'EOF'
import random, sys
random.seed(int(sys.argv[1]))
out = []
for line in open(sys.argv[2]).read().splitlines():
    r, i = random.random(), random.randrange(len(line) + 1)
    if r < 0.1:
        line = line[:i]
    elif r < 0.2:
        line = line[:i] + random.choice(["=", " ", ":", "|", "0x", "-1", "\t", "order=",
                                         "pfn=", "gfp_flags=", "9" * 24, "\x00"]) + line[i:]
    elif r < 0.25:
        line = "".join(random.sample(line, len(line)))
    elif r < 0.27:
        line = "x" * random.randrange(3000, 9000)
    out.append(line)
sys.stdout.write("\n".join(out))
EOF
		"$out/bbsim-asan" replay "$work/mut.trace" size_mb=64 --json "$work/mut.json" \
			> "$work/mut.out" 2> "$work/mut.err"
		st=$?
		[ "$st" -eq 0 ] || { echo "seed $seed: exit status $st"; tail -n 20 "$work/mut.err"; rc=1; }
		grep -E 'ERROR: |runtime error' "$work/mut.err" && rc=1
		python3 - "$work/mut.json" "$seed" <<'EOF' || rc=1
import json, sys
d = json.load(open(sys.argv[1]))
r, e = d["replay"], d["errors"]
ok = (sum(e.values()) > 0 and r["allocated"] > 0 and
      r["allocated"] + r["trace_failed"] + r["sandbox_failed"] == r["alloc_events"] and
      r["freed"] + r["unseen_frees"] == r["free_events"])
print("seed", sys.argv[2], "errors", e, "ok" if ok else "BAD")
sys.exit(0 if ok else 1)
EOF
	done
	exit "$rc"
) > "$log" 2>&1
result trace-mutations $? "$log"

# --- the JSON and the chart -------------------------------------------------
log=$logs/usr-trace-outputs.log
(
	rc=0
	"$out/bbsim" replay "$trace" --zoneinfo "$data/files-6.1.zoneinfo" --every 1000 \
		--label pcp=off --json "$work/pcpoff.json" pcp=off > /dev/null || rc=1
	"$out/bbsim" replay "$trace" --zoneinfo "$data/files-6.1.zoneinfo" --every 1000 \
		--label default --json "$work/default.json" --svg "$work/compare.svg" \
		--compare "$work/pcpoff.json" > /dev/null || rc=1
	python3 - "$work/default.json" "$work/pcpoff.json" "$work/compare.svg" "$work/det.1.svg" <<'EOF' || rc=1
import json, sys, xml.dom.minidom
for f in sys.argv[1:3]:
    d = json.load(open(f))
    assert d["points"] and all(0 <= p["unusable"] <= 1000 for p in d["points"]), f
    # every pageblock of the 964 MiB sandbox has a type
    assert all(sum(p["blocks"]) == 482 for p in d["points"]), f
for f, runs in ((sys.argv[3], 2), (sys.argv[4], 1)):
    doc = xml.dom.minidom.parse(f)
    lines = doc.getElementsByTagName("polyline")
    assert len(lines) == 7 * runs, f"{f}: {len(lines)} lines for {runs} runs"
    texts = [t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild]
    assert runs == 1 or ("default" in texts and "pcp=off" in texts), texts
print("json and svg ok")
EOF
	if command -v rsvg-convert > /dev/null; then
		rsvg-convert "$work/compare.svg" -o "$work/compare.png" && [ -s "$work/compare.png" ] || rc=1
	fi
	exit "$rc"
) > "$log" 2>&1
result trace-outputs $? "$log"

# --- two policies on the same trace -----------------------------------------
# 24 MiB, one zone of 12 pageblocks: small enough for the trace's fallbacks
small="size_mb=24 dma_mb=0 dma32_mb=0"
log=$logs/usr-trace-policies.log
(
	rc=0
	fail() { echo "trace-policies: $*"; rc=1; }
	pol=$work/pol
	rm -rf "$pol"
	mkdir -p "$pol"
	for i in 1 2; do
		# shellcheck disable=SC2086 # the parameters are words
		"$out/bbsim-asan" replay "$trace" $small --every 1000 \
			--policy fallback=6.1 --policy fallback=6.10 \
			--json "$pol/r$i" --svg "$pol/r$i.svg" -p fallbacks,pageblocks \
			> "$pol/r$i.out" 2> "$pol/r$i.err" || fail "run $i: exit status $?"
	done
	cat "$pol/r1.out" "$pol/r1.err"
	for f in out fallback=6.1.json fallback=6.10.json svg; do
		cmp "$pol/r1.$f" "$pol/r2.$f" || fail "twice the same policies: $f differs"
	done
	# a policy alone: the same numbers as beside the other
	# shellcheck disable=SC2086 # the parameters are words
	"$out/bbsim" replay "$trace" $small --every 1000 --policy fallback=6.10 \
		--json "$pol/alone" > /dev/null 2>&1 || fail "fallback=6.10 alone"
	cmp "$pol/alone.fallback=6.10.json" "$pol/r1.fallback=6.10.json" ||
		fail "fallback=6.10 alone differs from beside fallback=6.1"
	[ "$(grep -c '^== policy ' "$pol/r1.out")" -eq 2 ] || fail "not two '== policy' headers"
	[ "$(grep -cx ok "$pol/r1.out")" -eq 2 ] || fail "check is not ok for both"
	python3 - "$pol/r1.fallback=6.1.json" "$pol/r1.fallback=6.10.json" "$pol/r1.svg" \
		"$pol/r1.out" <<'EOF' || rc=1
import json, sys, xml.dom.minidom
bad = []
def want(cond, what):
    if not cond:
        bad.append(what)
out = open(sys.argv[4]).read().split("== policy ")[1:]
want(len(out) == 2, "not two runs' outputs")
for f, name, text in zip(sys.argv[1:3], ("fallback=6.1", "fallback=6.10"), out):
    d = json.load(open(f))
    r, pts = d["replay"], d["points"]
    want(d["label"] == name, f"{f}: label {d['label']}")
    want(text.startswith(name + "\n"), f"{name}: the output's header")
    want(r["allocated"] + r["trace_failed"] + r["sandbox_failed"] == r["alloc_events"],
         f"{name}: allocated + skipped != alloc events")
    want(r["freed"] + r["unseen_frees"] == r["free_events"], f"{name}: frees")
    want(r["alloc_events"] == d["events"]["mm_page_alloc"], f"{name}: alloc events")
    want(len(pts) == sum(d["events"].values()) // 1000 + 1, f"{name}: checkpoints")
    for p in pts:
        e = p["event"]
        want(p["claim"] + p["steal"] == p["alloc_claim"],
             f"{name}@{e}: claim {p['claim']} + steal {p['steal']} != alloc_claim {p['alloc_claim']}")
        want(p["claim"] + p["steal"] + p["pollute"] == p["alloc_fallback"],
             f"{name}@{e}: claims, steals and pollutions != alloc_fallback {p['alloc_fallback']}")
        # 6.1 pollutes a highatomic block without alloc_steal; 6.10 counts it
        want(p["pollute"] >= p["alloc_steal"], f"{name}@{e}: pollute < alloc_steal")
        if name == "fallback=6.10":
            want(p["pollute"] == p["alloc_steal"], f"{name}@{e}: pollute != alloc_steal")
        want(0 <= p["mixed"] <= sum(p["blocks"]) == 12,
             f"{name}@{e}: mixed {p['mixed']} of {p['blocks']}")
    last = pts[-1]
    want(last["alloc_fallback"] > 0, f"{name}: no fallback at all: the test shows nothing")
    # the last checkpoint is what the files printed at the end say
    rows = [l.split() for l in text.splitlines() if l.startswith("Node ")]
    # "Node 0, zone Z REQUEST BLOCK claim steal pollute", "Node 0, zone Z
    # TYPE empty pure mixed"
    fb = [x for x in rows if len(x) == 9]
    pb = [x for x in rows if len(x) == 8]
    want(fb and pb, f"{name}: no fallbacks or pageblocks rows")
    want(sum(int(x[6]) for x in fb) == last["claim"], f"{name}: the fallbacks file's claims")
    want(sum(int(x[7]) for x in fb) == last["steal"], f"{name}: the fallbacks file's steals")
    want(sum(int(x[8]) for x in fb) == last["pollute"], f"{name}: the fallbacks file's pollutions")
    want(sum(int(x[7]) for x in pb) == last["mixed"], f"{name}: the pageblocks file's mixed")
    print(name, "end:", {k: last[k] for k in ("alloc_fallback", "claim", "steal", "pollute",
                                             "alloc_steal", "mixed")},
          "allocated", r["allocated"], "failed", r["sandbox_failed"])
doc = xml.dom.minidom.parse(sys.argv[3])
want(len(doc.getElementsByTagName("polyline")) == 14, "the chart: not 7 panels x 2 policies")
texts = [t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild]
want("fallback=6.1" in texts and "fallback=6.10" in texts, "the chart's legend")
for b in bad:
    print("trace-policies:", b)
sys.exit(1 if bad else 0)
EOF
	# bad policies: refused, the word named
	"$out/bbsim" replay "$trace" --policy fallback=6.2 > /dev/null 2> "$pol/e.err" &&
		fail "fallback=6.2 accepted"
	grep -q 'policy fallback=6.2: parameter fallback' "$pol/e.err" ||
		fail "fallback=6.2: $(cat "$pol/e.err")"
	"$out/bbsim" replay "$trace" --policy bogus=1 > /dev/null 2> "$pol/e.err" &&
		fail "bogus=1 accepted"
	grep -q 'parameter bogus: unknown' "$pol/e.err" || fail "bogus=1: $(cat "$pol/e.err")"
	"$out/bbsim" replay "$trace" --policy daemons=off > /dev/null 2>&1 &&
		fail "--policy daemons=off accepted"
	"$out/bbsim" replay "$trace" --policy fallback=6.1 --label x > /dev/null 2>&1 &&
		fail "--policy with --label accepted"
	exit "$rc"
) > "$log" 2>&1
result trace-policies $? "$log"

# --- maps at the checkpoints ------------------------------------------------
log=$logs/usr-trace-maps.log
(
	rc=0
	fail() { echo "trace-maps: $*"; rc=1; }
	maps=$work/maps
	rm -rf "$maps"
	mkdir -p "$maps"
	# shellcheck disable=SC2086 # the parameters are words
	"$out/bbsim-asan" replay "$trace" $small --every 1000 --map-every 20000 \
		--policy fallback=6.1 --policy fallback=6.10 --map "$maps/m.svg" \
		> "$maps/out" 2>&1 || fail "exit status $?"
	n=$(xz -dc "$trace" | grep -c ': mm_page_')
	ls "$maps"
	for p in fallback=6.1 fallback=6.10; do
		for e in 20000 40000 "$n"; do
			f=$maps/m-$p-$e.svg
			[ -s "$f" ] || { fail "no $f"; continue; }
			python3 "$here/map-check.py" "$f" --cells 12 || fail "$f"
		done
	done
	[ "$(find "$maps" -name 'm-*.svg' | wc -l)" -eq 6 ] || fail "not 3 maps per policy"
	# one run: MAP-EVENT.svg at each checkpoint (the trace's first 3012
	# lines: 3000 events)
	"$out/bbsim" replay "$work/head.trace" size_mb=64 --every 1000 --map "$maps/one" \
		> /dev/null 2>&1 || fail "one run with --map"
	for e in 1000 2000 3000; do
		python3 "$here/map-check.py" "$maps/one-$e.svg" --cells 32 || fail "one-$e.svg"
	done
	[ "$(find "$maps" -name 'one-*.svg' | wc -l)" -eq 3 ] || fail "not 3 maps of one run"
	last=$maps/m-fallback=6.10-$n.svg
	if command -v rsvg-convert > /dev/null && [ -s "$last" ]; then
		rsvg-convert -o "$maps/last.png" "$last" || fail "rsvg-convert"
		python3 "$here/map-check.py" "$last" --cells 12 --png "$maps/last.png" ||
			fail "the rendered map"
	fi
	"$out/bbsim" replay "$trace" --map-every 10 > /dev/null 2>&1 &&
		fail "--map-every without --map accepted"
	exit "$rc"
) > "$log" 2>&1
result trace-maps $? "$log"
exit "$failed"
