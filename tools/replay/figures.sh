#!/bin/bash
# The replay's figures for a report, under build/replay-figures/: the
# shipped trace (tools/replay/data) replayed by bbsim into fallback=6.1 and
# fallback=6.10, at the traced machine's size (--zoneinfo, 964 MiB) and in
# 24 MiB (where the trace makes fallbacks steal and mix pageblocks):
#   full.png, small.png     the charts (rsvg-convert of full.svg, small.svg)
#   full.out, small.out     the summaries, with the sandbox's buddyinfo
#                           beside the traced kernel's
#   m-*.svg                 the 24 MiB pageblock maps every 20000 events
#   timings.txt             bbsim's replay time a policy, best of three
# The guest's time is t_replay.sh's note line (build/logs/e2e-*-t_replay.log).
#   tools/replay/figures.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/replay-figures
data=$top/tools/replay/data
bbsim=$top/build/bbsim/bbsim
make -s -C "$top/tools/bbsim" > /dev/null
command -v rsvg-convert > /dev/null || { echo "figures: no rsvg-convert (tools/deps.sh)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
cd "$out"
run() {	# NAME ARGS...: the two policies, the chart
	local name=$1
	shift
	"$bbsim" replay "$data/files-6.1.trace.xz" --buddyinfo "$data/files-6.1.buddyinfo" \
		--every 1000 --policy fallback=6.1 --policy fallback=6.10 \
		--json "$name" --svg "$name.svg" "$@" > "$name.out" 2> "$name.err"
	rsvg-convert -o "$name.png" "$name.svg"
}
run full --zoneinfo "$data/files-6.1.zoneinfo"
run small size_mb=24 dma_mb=0 dma32_mb=0 --map m.svg --map-every 20000
: > timings.txt
for p in fallback=6.1 fallback=6.10; do
	best=
	for _ in 1 2 3; do
		t=$("$bbsim" replay "$data/files-6.1.trace.xz" --zoneinfo "$data/files-6.1.zoneinfo" \
			"$p" 2>&1 >/dev/null | sed -n 's/.* events in \([0-9.]*\) s$/\1/p')
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t
		fi
	done
	echo "bbsim replay, 964 MiB, $p: $best s (best of 3)" >> timings.txt
done
cat timings.txt
grep -h -A5 '^buddyinfo' full.out | head -n 6
ls "$out"
