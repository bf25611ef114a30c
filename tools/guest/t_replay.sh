#!/bin/sh
# t_replay.sh: buddyctl replay of the shipped trace of a real 6.1 kernel
# (tools/replay/data, in /bb) into two sandboxes of two policies at once
# through /dev/buddybox: "default", loaded with fallback=6.1, and "hygiene",
# made through the control file with fallback=6.10 (6.10's freelist
# hygiene), both 256 MiB with daemons=sync.  For each: its policy file
# says its rule, allocated + skipped = the trace's mm_page_alloc lines,
# freed + never seen = its mm_page_free lines, check ok; the last
# checkpoint's fallbacks by kind and mixed pageblocks are the sandbox's own
# fallbacks, pageblocks and vmstat files (claim + steal = alloc_claim,
# claim + steal + pollute = alloc_fallback; under fallback=6.10 every
# pollution is an alloc_steal); JSON and a chart with a line per sandbox,
# pageblock maps (--map) at 20000 and 40000 events and at the end;
# every page free again once buddyctl exits; a bad trace line is reported
# with its number and --strict stops there.  Into a 16 MiB sandbox the replay ends, the OOM killer's choice
# of its descriptor reported with the trace line.  The replay's time is
# printed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

TRACE=$BB/files-6.1.trace.xz
KBUDDY=$BB/files-6.1.buddyinfo
SB="size_mb=256 dma_mb=16 dma32_mb=240 daemons=sync"

bb_cleanup
# shellcheck disable=SC2086 # the parameters are words
check_insmod "insmod $SB fallback=6.1" $SB fallback=6.1
bb_loaded || bb_done
check "create hygiene fallback=6.10" sh -c "echo 'create hygiene $SB fallback=6.10' > $BBROOT/control"
check_grep "default: the policy is fallback=6.1" '^fallback=6\.1 ' "$BBROOT/default/policy"
check_grep "hygiene: the policy is fallback=6.10" '^fallback=6\.10 ' "$BBROOT/hygiene/policy"
[ -r "$TRACE" ] || { not_ok "no $TRACE"; bb_done; }

allocs=$(xz -dc "$TRACE" | grep -c ': mm_page_alloc: ')
frees=$(xz -dc "$TRACE" | grep -c ': mm_page_free: ')
note "trace: $allocs mm_page_alloc, $frees mm_page_free"

out=$BB_TMP/replay.out
start=$(date +%s)
if "$BUDDYCTL" replay "$TRACE" --sandbox default,hygiene --every 2000 \
	--json "$BB_TMP/r" --svg "$BB_TMP/r.svg" --buddyinfo "$KBUDDY" \
	--map "$BB_TMP/m" --map-every 20000 \
	> "$out" 2> "$BB_TMP/replay.err"; then
	ok "buddyctl replay into default (fallback=6.1) and hygiene (fallback=6.10)"
else
	not_ok "buddyctl replay"
	detail "$BB_TMP/replay.err"
fi
note "buddyctl replay took $(( $(date +%s) - start )) s: $(grep '^replay: .* events into' "$out")"
sed 's/^/#   /' "$out"

# json_last FILE KEY: KEY's value in the last checkpoint of a replay's JSON
json_last() {
	grep '^    {"event": ' "$1" | tail -n 1 | sed -n "s/.*\"$2\": \([0-9]*\).*/\1/p"
}

for sb in default hygiene; do
	# the summary's lines of this sandbox
	awk -v s="== sandbox $sb" '/^== sandbox / { p = ($0 == s) } p' "$out" > "$BB_TMP/$sb.out"
	# shellcheck disable=SC2046 # three numbers, split on purpose
	set -- $(sed -n 's/^replay: alloc events \([0-9]*\) = allocated \([0-9]*\) + skipped \([0-9]*\) .*/\1 \2 \3/p' "$BB_TMP/$sb.out")
	if [ "${1:-x}" = "$allocs" ] && [ $(( ${2:-0} + ${3:-0} )) = "$allocs" ] && [ "${2:-0}" -gt 0 ]; then
		ok "$sb: allocated $2 + skipped $3 = $allocs alloc events"
	else
		not_ok "$sb: alloc events '$1' allocated '$2' skipped '$3' (trace: $allocs)"
	fi
	# shellcheck disable=SC2046 # three numbers, split on purpose
	set -- $(sed -n 's/^replay: free events \([0-9]*\) = freed \([0-9]*\) + never seen allocated \([0-9]*\);.*/\1 \2 \3/p' "$BB_TMP/$sb.out")
	if [ "${1:-x}" = "$frees" ] && [ $(( ${2:-0} + ${3:-0} )) = "$frees" ] && [ "${2:-0}" -gt 0 ]; then
		ok "$sb: freed $2 + never seen $3 = $frees free events"
	else
		not_ok "$sb: free events '$1' freed '$2' unseen '$3' (trace: $frees)"
	fi
	check_grep "$sb: check ok at the end" '^check: ok$' "$BB_TMP/$sb.out"
	check_grep "$sb: buddyinfo beside the kernel's" '^sandbox  0 DMA32 ' "$BB_TMP/$sb.out"
	check_grep "$sb: JSON written" '"points": \[' "$BB_TMP/r.$sb.json"
	BBD=$BBROOT/$sb
	# the last checkpoint's fallbacks by kind and mixed pageblocks, and
	# the sandbox's own files once buddyctl has gone (frees add none)
	j=$BB_TMP/r.$sb.json
	claim=$(json_last "$j" claim) steal=$(json_last "$j" steal)
	pollute=$(json_last "$j" pollute) mixed=$(json_last "$j" mixed)
	# shellcheck disable=SC2046 # three numbers, split on purpose
	set -- $(awk '$1 == "Node" && NF == 9 { c += $7; s += $8; p += $9 }
		END { print c + 0, s + 0, p + 0 }' "$BBD/fallbacks")
	check_eq "$sb: claims, steals, pollutions ($claim $steal $pollute) are the fallbacks file's" \
		"$claim $steal $pollute" "$1 $2 $3"
	check_eq "$sb: claim + steal = alloc_claim" "$(( claim + steal ))" "$(bb_vmstat alloc_claim)"
	check_eq "$sb: claim + steal + pollute = alloc_fallback" \
		"$(( claim + steal + pollute ))" "$(bb_vmstat alloc_fallback)"
	check_eq "$sb: the JSON's alloc_fallback is the sandbox's" \
		"$(json_last "$j" alloc_fallback)" "$(bb_vmstat alloc_fallback)"
	if [ "$sb" = hygiene ]; then
		check_eq "$sb: fallback=6.10: every pollution an alloc_steal" \
			"$pollute" "$(bb_vmstat alloc_steal)"
	fi
	# mixed at the end of the replay; all free now, so none is mixed
	if [ -n "$mixed" ] && [ "$mixed" -le "$(grep -c '' "$BBD/pageblock_map")" ]; then
		ok "$sb: $mixed mixed pageblocks at the last checkpoint"
	else
		not_ok "$sb: mixed pageblocks '$mixed'"
	fi
	check_eq "$sb: no mixed pageblock once all is free" \
		"$(awk '$1 == "Node" && NF == 8 { m += $8 } END { print m + 0 }' "$BBD/pageblocks")" 0
	note "$sb: fallbacks: $claim claims, $steal steals, $pollute pollutions; $mixed mixed pageblocks at the end"
	check_all_free "$sb: every page free once buddyctl exited"
	check_consistent "$sb: check ok after"
done
BBD=$BBROOT/default
# the maps at 20000 and 40000 events and at the end: 128 pageblocks each
nev=$(xz -dc "$TRACE" | grep -c ': mm_page_')
for sb in default hygiene; do
	bad=
	for e in 20000 40000 "$nev"; do
		f=$BB_TMP/m-$sb-$e.svg
		[ "$(grep -c 'class="pb"' "$f" 2> /dev/null)" = 128 ] || bad="$bad $e"
		grep -q '</svg>' "$f" 2> /dev/null || bad="$bad $e(unended)"
	done
	check_eq "$sb: a map of 128 pageblocks at 20000, 40000 and $nev events (bad:${bad:- none})" \
		"$bad" ""
done
check_eq "no other map" "$(find "$BB_TMP" -name 'm-*.svg' | wc -l)" 6
n=$(grep -c '<polyline' "$BB_TMP/r.svg")
check_eq "the chart: 7 panels x 2 sandboxes" "$n" 14

# bad input: the line number, and --strict stops at it
printf '%s\n' \
	'  a-1 [000] ..... 1.000001: mm_page_alloc: page=00 pfn=0x100 order=0 migratetype=0 gfp_flags=GFP_KERNEL' \
	'  a-1 [000] ..... 1.000002: mm_page_alloc: page=00 pfn=0x200 order=12 migratetype=0 gfp_flags=GFP_KERNEL' \
	'  a-1 [000] ..... 1.000003: mm_page_free: page=00 pfn=0x100 order=0' > "$BB_TMP/bad.trace"
"$BUDDYCTL" replay "$BB_TMP/bad.trace" > "$BB_TMP/bad.out" 2> "$BB_TMP/bad.err"
check_eq "a bad line: replay goes on (exit 0)" "$?" 0
check_grep "a bad line: reported with its number" 'bad.trace:2: order 12 out of range' "$BB_TMP/bad.err"
"$BUDDYCTL" replay "$BB_TMP/bad.trace" --strict > "$BB_TMP/bad.out" 2> "$BB_TMP/bad.err"
check_eq "--strict: exit status 2" "$?" 2
check_grep "--strict: stopped at line 2" 'stopped \(--strict\) at line 2' "$BB_TMP/bad.err"
check_all_free "default: every page free after the bad traces"

# a sandbox far too small for the trace: its own OOM behaviour, reported,
# and the replay ends
check "create tiny (16 MiB)" sh -c "echo 'create tiny size_mb=16 dma_mb=0 dma32_mb=0 daemons=sync' > $BBROOT/control"
start=$(date +%s)
timeout 300 "$BUDDYCTL" replay "$TRACE" --sandbox tiny > "$BB_TMP/tiny.out" 2> "$BB_TMP/tiny.err"
st=$?
note "tiny: exit status $st in $(( $(date +%s) - start )) s: $(cat "$BB_TMP/tiny.err")"
sed 's/^/#   /' "$BB_TMP/tiny.out"
check_eq "tiny: the replay ends, exit status 0" "$st" 0
# shellcheck disable=SC2046 # three numbers, split on purpose
set -- $(sed -n 's/^replay: alloc events \([0-9]*\) = allocated \([0-9]*\) + skipped \([0-9]*\) .*/\1 \2 \3/p' "$BB_TMP/tiny.out")
if [ "${1:-x}" = "$allocs" ] && [ $(( ${2:-0} + ${3:-0} )) = "$allocs" ] && [ "${3:-0}" -gt 0 ]; then
	ok "tiny: allocated $2 + skipped $3 = $allocs, some failed in the sandbox"
else
	not_ok "tiny: alloc events '$1' allocated '$2' skipped '$3' (trace: $allocs)"
fi
check_grep "tiny: the OOM killer's choice reported with its line" '^replay: OOM-killed at trace line [0-9]+$' "$BB_TMP/tiny.out"
check_grep "tiny: check ok" '^check: ok$' "$BB_TMP/tiny.out"
BBD=$BBROOT/tiny
check_all_free "tiny: every page free after"
BBD=$BBROOT/default
check "destroy tiny" sh -c "echo 'destroy tiny' > $BBROOT/control"

check "destroy hygiene" sh -c "echo 'destroy hygiene' > $BBROOT/control"
check_rmmod "rmmod"
bb_done
