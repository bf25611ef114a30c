#!/bin/bash
# shellcheck disable=SC2016  # '$1' is buddyctl's reference, not the shell's
# Test buddyctl on the host, without the module: its argument parsing and
# error paths, and (through mockdev.c, an LD_PRELOAD stand-in for the
# device) its commands, scripts, $N references, expect-fail and JSON.
#   tools/buddyctl/test.sh
# Builds into a temporary directory (with ASan/UBSan where gcc has them) and
# prints `ok - ...` / `not ok - ...`; exits non-zero if a check failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cflags=(-O2 -g -Wall -Wextra -Werror -I"$top/module/uapi" -I"$top/tools/replay" -I"$top/tools/lib")
# buddyctl's sources: replay.c, the trace reader it shares with bbsim, the map
srcs=("$here/buddyctl.c" "$here/replay.c" "$top/tools/replay/bbtrace.c" "$top/tools/replay/bbchart.c"
	"$top/tools/lib/bbmap.c")
fails=0

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; fails=$((fails + 1)); }

# the static build of the Makefile must be warning-free too
if gcc "${cflags[@]}" -static -o "$tmp/buddyctl-static" "${srcs[@]}" 2> "$tmp/cc.log" &&
	[ ! -s "$tmp/cc.log" ]; then
	ok "static build, no warning"
else
	nok "static build"
	cat "$tmp/cc.log"
fi

# shellcheck disable=SC2054  # one option with a comma
san=(-fsanitize=address,undefined -fno-omit-frame-pointer)
echo 'int main(void) { return 0; }' > "$tmp/t.c"
gcc "${san[@]}" -o "$tmp/t" "$tmp/t.c" 2>/dev/null && "$tmp/t" 2>/dev/null || san=()
gcc "${cflags[@]}" "${san[@]}" -o "$tmp/buddyctl" "${srcs[@]}" || { nok "build"; exit 1; }
gcc "${cflags[@]}" -shared -fPIC -o "$tmp/mockdev.so" "$here/mockdev.c" -ldl ||
	{ nok "mockdev build"; exit 1; }
export ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

B=$tmp/buddyctl
dev=/mock/buddybox
# mock CMD...: run with the stand-in device preloaded
mock() { LD_PRELOAD=$tmp/mockdev.so "$B" -d "$dev" "$@"; }

# expect RC DESC CMD...: CMD exits RC; its output in $out, stderr in $err
expect() {
	local want=$1 desc=$2 rc=0
	shift 2
	"$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
	out=$(cat "$tmp/out") err=$(cat "$tmp/err")
	if [ "$rc" -eq "$want" ] && ! grep -q 'Sanitizer\|runtime error' "$tmp/err"; then
		ok "$desc"
	else
		nok "$desc (rc $rc, wanted $want)"
		sed 's/^/#   /' "$tmp/out" "$tmp/err" | head -n 20
	fi
}

# has PATTERN DESC: the last output matches (grep -E)
has() {
	# a here-string, not a pipe: grep -q would leave printf a SIGPIPE
	if grep -qE -- "$1" <<< "$out"$'\n'"$err"; then ok "$2"; else
		nok "$2: no /$1/"; printf '%s\n' "$out" "$err" | sed 's/^/#   /' | head -n 20
	fi
}

# --- without a device ---------------------------------------------------
expect 0 "--help" "$B" --help
has '^Usage: buddyctl' "--help prints the usage"
has '__GFP_RETRY_MAYFAIL' "--help lists the gfp names"
expect 0 "alloc --help" "$B" alloc --help
expect 2 "no command" "$B"
expect 2 "unknown option" "$B" --bogus stats
expect 2 "unknown command" "$B" frobnicate
expect 2 "alloc without --order" "$B" alloc
has 'alloc: --order is required' "... says so"
expect 2 "bad order" "$B" alloc --order three
expect 2 "bad gfp name" "$B" alloc --order 0 --gfp 'GFP_KERNEL|__GFP_BOGUS'
has "bad value 'GFP_KERNEL\|__GFP_BOGUS' for --gfp" "... named in the message"
expect 2 "empty gfp part" "$B" alloc --order 0 --gfp 'GFP_KERNEL|'
expect 2 "option without value" "$B" alloc --order
expect 2 "write without data" "$B" write 1
expect 2 "pattern > 0xff" "$B" write 1 --pattern 0x100
expect 2 "two verifications" "$B" read 1 --verify-pattern 1 --verify-seed 1
expect 2 "\$0 is no reference" "$B" free '$0'
expect 2 "unknown errno name" "$B" expect-fail EBOGUS free 1
expect 2 "empty command around --" "$B" stats -- -- stats
expect 2 "script with another command" "$B" script - stats
expect 2 "lookup without a handle" "$B" lookup
expect 2 "lookup all" "$B" lookup all
expect 2 "oom-score-adj: bad number" "$B" oom-score-adj ten
expect 2 "oom-score-adj: two numbers" "$B" oom-score-adj 1 2
expect 2 "wait-oom: negative seconds" "$B" wait-oom -1
expect 2 "bulk-alloc without N" "$B" bulk-alloc --gfp GFP_KERNEL
expect 2 "bulk-alloc 0" "$B" bulk-alloc 0
expect 2 "bulk-free all is not a handle" "$B" bulk-free all
expect 2 "alloc --explain takes no value" "$B" alloc --order 0 --explain=1
expect 0 "--help lists the new commands" "$B" --help
has 'wait-oom \[SECONDS\]' "... wait-oom"
has 'bulk-alloc N' "... bulk-alloc"
has '\[--cache\] \[--explain\]' "... alloc --cache --explain"
expect 1 "missing device" "$B" -d /nonexistent/buddybox stats
has 'nonexistent/buddybox: No such file or directory \(ENOENT\)' "... errno by name"
expect 1 "default device missing" "$B" stats
has '/dev/buddybox' "... names the default device"
expect 1 "not the device: ENOTTY" "$B" -d /dev/null alloc --order 0
has 'alloc --order 0: Inappropriate ioctl for device \(ENOTTY\)' "... command and errno"
expect 0 "echo and sleep need no device" "$B" -d /nonexistent echo hi -- sleep 1
expect 2 "parse errors come before anything runs" "$B" echo first -- bogus
if [ -z "$out" ]; then ok "... nothing ran"; else nok "... something ran: $out"; fi
printf 'echo one\n\n  # comment\nalloc --order x\n' > "$tmp/bad.bb"
expect 2 "script: bad line" "$B" script "$tmp/bad.bb"
has '^buddyctl: line 4: alloc: bad value' "... line number"
expect 1 "script: missing file" "$B" script "$tmp/none.bb"

# --- through the stand-in device ---------------------------------------
expect 0 "alloc orders and gfps" mock alloc --order 3 -- \
	alloc --order 0 --gfp GFP_HIGHUSER_MOVABLE -- alloc --order 1 --gfp GFP_DMA -- \
	alloc --order 2 --gfp 0x14 -- alloc --order 0 --gfp 'GFP_KERNEL|__GFP_RECLAIMABLE'
has '^handle=1 pfn=[0-9]+ order=3 zone=Normal node=0 migratetype=Unmovable$' "alloc line format"
has '^handle=2 .* zone=Movable node=0 migratetype=Movable$' "GFP_HIGHUSER_MOVABLE"
has '^handle=3 .* zone=DMA ' "GFP_DMA"
has '^handle=4 .* zone=DMA32 node=0 migratetype=Reclaimable$' "hex gfp 0x14"
has '^handle=5 .* migratetype=Reclaimable$' "GFP_KERNEL|__GFP_RECLAIMABLE"

expect 0 "write/read seed and pattern" mock alloc --order 2 -- alloc --order 0 -- \
	write '$1' --seed 42 -- read '$1' --verify-seed 42 -- \
	write '$2' --pattern 0xa5 -- read '$2' --verify-pattern 0xa5 -- \
	write '$1' --seed 42 --offset 100 --length 50 -- read 1 --verify-seed 42
has '^wrote handle=1 offset=0 length=16384$' "default length: the whole allocation"
has '^verified handle=1 offset=0 length=16384$' "seeded stream verified"
has '^verified handle=2 offset=0 length=4096$' "pattern verified"
has '^wrote handle=1 offset=100 length=50$' "offset and length"

expect 1 "verify mismatch" mock alloc --order 0 -- write '$1' --seed 1 -- \
	read '$1' --verify-seed 2 -- echo not reached
has 'data mismatch \(MISMATCH\): mismatch at offset 0:' "first mismatching offset reported"
if printf '%s' "$out" | grep -q 'not reached'; then nok "stops at the failure"; else
	ok "stops at the failure"; fi
expect 1 "--keep-going" mock -k alloc --order 0 -- read '$1' --verify-pattern 1 -- \
	echo reached
has '^reached$' "... runs the rest"
expect 0 "seed depends on the handle" mock -j alloc --order 0 --count 2 -- \
	write '$1' --seed 5 -- write '$2' --seed 5 -- read '$1' --length 16 -- \
	read '$2' --length 16 -- expect-fail MISMATCH read 2 --verify-seed 99
d1=$(grep -o '"handle":1,"offset":0,"length":16,"data":"[0-9a-f]*' <<< "$out")
d2=$(grep -o '"handle":2,"offset":0,"length":16,"data":"[0-9a-f]*' <<< "$out")
if [ -n "$d1" ] && [ -n "$d2" ] && [ "${d1#*data}" != "${d2#*data}" ]; then
	ok "... two handles, two streams"
else
	nok "... same stream: $d1 $d2"
fi
expect 0 "hexdump" mock alloc --order 0 -- write '$1' --pattern 0x41 --offset 16 --length 3 \
	-- read '$1' --length 48
has '^00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  \|\.{16}\|$' "hexdump -C line"
has '^00000010  41 41 41 00 .*\|AAA\.{13}\|$' "hexdump data"
has '^00000030$' "hexdump end offset"

expect 0 "kernel errors through expect-fail" mock alloc --order 0 -- \
	expect-fail EINVAL alloc --order 11 -- \
	expect-fail EINVAL alloc --order 0 --gfp '__GFP_DMA|__GFP_DMA32' -- \
	expect-fail EINVAL alloc --order 0 --flags 4 -- \
	expect-fail EINVAL alloc --order 0 --nid 3 -- \
	expect-fail ENOENT free 77 -- expect-fail ENOENT read 77 -- \
	expect-fail 2 write 77 --pattern 0 -- \
	expect-fail EINVAL write '$1' --pattern 0 --offset 4096 --length 1 -- \
	expect-fail ENOTTY ioctl 0xbb63 -- free '$1' -- expect-fail ENOENT free '$1'
has '^failed as expected: expect-fail ENOTTY ioctl 0xbb63$' "expect-fail output"
expect 1 "expect-fail of a success fails" mock expect-fail EINVAL alloc --order 0
has 'succeeded \(SUCCEEDED\), expected EINVAL' "... says so"
expect 1 "expect-fail of another errno fails" mock expect-fail ENOMEM alloc --order 11
has 'Invalid argument \(EINVAL\), expected ENOMEM' "... says so"
expect 1 "\$N beyond the allocations" mock alloc --order 0 -- free '$2'
has "\\\$2: only 1 allocation" "... says so"

expect 0 "--explain prints the path" mock alloc --order 1 --explain -- \
	alloc --order 0 --gfp GFP_HIGHUSER_MOVABLE --cache --explain --count 2
has '^mock path: order 1 gfp 0x180180$' "... the module's text"
has '^result: allocated$' "... to its end"
if [ "$(grep -c '^result: allocated$' <<< "$out")" -eq 3 ]; then ok "... once per allocation"
else nok "... once per allocation: $out"; fi
expect 0 "--explain --quiet: only the failed one's path" mock \
	expect-fail ENOMEM alloc --order 10 --count 5 --quiet --explain
has '^result: failed$' "... the failure's path"
if grep -q 'result: allocated' <<< "$out"; then nok "... not the others: $out"
else ok "... not the others"; fi
expect 0 "--json --explain" mock -j alloc --order 0 --explain -- \
	expect-fail ENOMEM alloc --order 10 --count 5 --quiet --explain
has '^\{"cmd":"alloc",.*,"path":"mock path: order 0 gfp 0x180180\\nresult: allocated\\n"\}$' \
	"... in the alloc object"
has '^\{"cmd":"explain","order":10,"result":"ENOMEM","path":"mock path: .*result: failed\\n"\}$' \
	"... an explain object for the failure"
if printf '%s\n' "$out" | python3 -c 'import json, sys
for line in sys.stdin:
	json.loads(line)' 2>/dev/null; then ok "... JSON"; else nok "... not JSON: $out"; fi

expect 0 "cache, ESTALE and lookup" mock alloc --order 10 --cache -- \
	expect-fail ESTALE read '$1' -- expect-fail ESTALE write '$1' --pattern 1 -- \
	lookup '$1' -- free '$1' -- alloc --order 0 --gfp GFP_HIGHUSER_MOVABLE -- lookup '$2' -- \
	alloc --order 2 -- lookup 3 -- expect-fail ENOENT lookup 99
has '^handle=1 pfn=[0-9]+ order=10 zone=Normal node=0 migratetype=Unmovable state=stale migrations=0$' \
	"lookup: a dropped cache allocation is stale"
has '^handle=2 .* state=movable migrations=1$' "lookup: movable, moved once"
has '^handle=3 pfn=[0-9]+ order=2 .* state=pinned migrations=0$' "lookup: pinned"
expect 0 "lookup --json" mock -j alloc --order 0 -- lookup '$1'
has '^\{"cmd":"lookup","handle":1,"pfn":[0-9]+,"order":0,"zone":"Normal","node":0,"migratetype":"Unmovable","state":"pinned","migrations":0\}$' \
	"... object"

expect 0 "oom-score-adj and wait-oom" mock oom-score-adj -- oom-score-adj -1000 -- \
	oom-score-adj -- expect-fail EINVAL oom-score-adj 1001 -- \
	expect-fail ETIMEDOUT wait-oom 0 -- alloc --order 0 -- oom-score-adj 1000 -- \
	wait-oom 5 -- expect-fail EIO stats -- expect-fail EIO read '$1'
has '^oom_score_adj=0$' "... reads 0 first"
has '^oom_score_adj=-1000$' "... sets -1000"
has '^failed as expected: expect-fail ETIMEDOUT wait-oom 0$' "wait-oom times out"
has '^oom-killed$' "wait-oom reports the kill"
expect 1 "wait-oom timing out is a failure" mock wait-oom 0
has 'Connection timed out \(ETIMEDOUT\): not chosen within 0 s' "... says so"
expect 0 "wait-oom --json" mock -j oom-score-adj 1000 -- wait-oom
has '^\{"cmd":"wait-oom","oom_killed":true,' "... object"

expect 0 "bulk-alloc, write all, read all, bulk-free" mock bulk-alloc 3000 -- \
	write all --seed 3 -- read all --verify-seed 3 -- stats -- bulk-free -- stats
has '^bulk-allocated count=3000 refs=\$1\.\.\$3000$' "... summary"
has '^wrote all count=3000$' "write all: a summary"
has '^verified all count=3000$' "read all: a summary"
has '^fd_allocations 3000$' "... counted"
has '^bulk-freed count=3000$' "bulk-free: every one"
has '^fd_allocations 0$' "... all gone"
expect 0 "bulk-free some" mock bulk-alloc 3 --gfp GFP_HIGHUSER_MOVABLE -- \
	bulk-free '$1' 3 -- stats -- expect-fail ENOENT bulk-free '$1' -- bulk-free
has '^bulk-freed count=2$' "... two of them"
has '^fd_allocations 1$' "... one left"
has '^bulk-freed count=1$' "... then the rest"
expect 0 "bulk-alloc beyond the region" mock expect-fail ENOMEM bulk-alloc 5000 -- stats
has 'fd_allocations 4096' "... keeps what it got"
expect 1 "... says how many" mock bulk-alloc 5000
has 'after 4096 of 5000 pages' "... in the message"
expect 0 "read all --verify-seed finds a mismatch" mock alloc --order 0 --count 3 --quiet -- \
	write all --seed 1 -- write '$2' --seed 2 -- expect-fail MISMATCH read all --verify-seed 1

expect 0 "exhaustion: ENOMEM with --count, stats" mock \
	expect-fail ENOMEM alloc --order 0 --count 100000 --quiet -- stats -- free all -- stats
has '^fd_allocations 4096$' "stats counts the descriptor's allocations"
has '^fd_allocations 0$' "free all frees them"
has 'free_pages 4096' "... and the pages"

printf '%s\n' '# a script' 'alloc --order 1 --gfp GFP_KERNEL   # comment' '' \
	'write $1 --seed 9' 'read $1 --verify-seed 9' 'sleep 1' \
	'expect-fail EINVAL alloc --order 11' 'free $1' > "$tmp/ok.bb"
expect 0 "script file" mock script "$tmp/ok.bb"
expect 0 "script on stdin" sh -c 'LD_PRELOAD=$0/mockdev.so $0/buddyctl -d /mock/buddybox script - < $1' \
	"$tmp" "$tmp/ok.bb"
has '^freed handle=1$' "... ran to the end"
printf 'alloc --order 0\nexpect-fail EINVAL alloc --order 0\necho after\n' > "$tmp/fail.bb"
expect 1 "script: failing line" mock script "$tmp/fail.bb"
has '^buddyctl: line 2: expect-fail EINVAL alloc --order 0: succeeded' "... line number"

expect 0 "--json" mock -j alloc --order 0 -- write '$1' --pattern 1 -- read '$1' --length 4 -- \
	read '$1' --verify-pattern 1 -- stats -- expect-fail ENOENT free 9 -- echo 'a "q"' -- \
	free '$1'
if printf '%s\n' "$out" | python3 -c 'import json, sys
for line in sys.stdin:
	json.loads(line)' 2>/dev/null; then ok "... one JSON object per line"; else
	nok "... not JSON: $out"; fi
has '^\{"cmd":"alloc","ref":1,"handle":1,"pfn":[0-9]+,"order":0,"zone":"Normal","node":0,"migratetype":"Unmovable"\}$' "... alloc object"
has '"data":"01010101"' "... read data"
expect 1 "--json error object" mock --json free 5
has '^\{"cmd":"error","line":0,"command":"free 5","error":"ENOENT","errno":2,' "... on stdout"

# --- --sandbox and attach (the stand-in has "default" and "small") -------
expect 0 "--help lists --sandbox and attach" "$B" --help
has '^  -s, --sandbox NAME' "... --sandbox"
has '^  attach NAME' "... attach"
expect 2 "--sandbox without a value" "$B" --sandbox
expect 2 "attach without a name" "$B" attach
expect 2 "attach: a name too long for the request" "$B" attach "$(printf 'x%.0s' $(seq 40))"
expect 0 "--sandbox small: stats of that sandbox" mock --sandbox small stats
has '^region_pages 2048$' "... its size, not the default's"
expect 0 "--sandbox=default" mock --sandbox=default stats
has '^region_pages 4096$' "... the default's size"
expect 0 "no --sandbox: the default" mock stats
has '^region_pages 4096$' "... the default's size"
expect 1 "--sandbox of an unknown name: ENOENT before any command" mock -s nosuch echo ran -- stats
has 'buddyctl: --sandbox nosuch: No such file or directory \(ENOENT\); no such sandbox' "... says so"
if grep -q '^ran$' <<< "$out"; then nok "... a command ran"; else ok "... no command ran"; fi
expect 1 "--sandbox of a dying sandbox: ENOENT" mock -s dying stats
expect 1 "--sandbox of a bad name: EINVAL" mock -s 'Bad!' stats
has 'Invalid argument \(EINVAL\); a name is 1 to 15' "... says what a name is"
expect 0 "attach as the first command" mock attach small -- stats
has '^attached small$' "... prints it"
has '^region_pages 2048$' "... and works on it"
expect 0 "attach twice: EALREADY" mock -s small expect-fail EALREADY attach small
expect 0 "attach after another command: EALREADY" mock stats -- expect-fail EALREADY attach small
expect 1 "attach twice, unexpected: the detail" mock attach small -- attach default
has 'attach default: Operation already in progress \(EALREADY\): the descriptor works on a sandbox already' "... says why"
expect 0 "attach --json" mock -j attach small
has '^\{"cmd":"attach","sandbox":"small"\}$' "... the JSON object"
expect 0 "--sandbox: the commands run on it" mock -s small alloc --order 0 -- stats -- free all

# --- map, from a saved pageblock_map (no debugfs here) ---------------------
cat > "$tmp/pbmap" <<'EOF2'
pageblock_map 1 page_size 4096 pages_per_block 512 region_pages 2048
# a comment
node 0 zone DMA32 start_pfn 0 pages 1024 blocks 2
0 Movable 512 512 - empty
512 Unmovable 100 512 UM mixed
node 1 zone Normal start_pfn 1024 pages 1000 blocks 2
1024 HighAtomic 0 512 U pure
1536 Reclaimable 10 488 R pure
EOF2
expect 0 "map --from: drawn" "$B" -s small map --svg "$tmp/map.svg" --from "$tmp/pbmap"
has '^map: 4 pageblocks in 2 zones drawn into ' "... says what it drew"
if [ "$(grep -c '<g class="pb"' "$tmp/map.svg")" -eq 4 ]; then ok "... four cells"; else nok "... four cells"; fi
if grep -q 'sandbox small' "$tmp/map.svg" && grep -q '>Node 1<' "$tmp/map.svg"; then
	ok "... the sandbox's name and the node labels"; else nok "... the sandbox's name and the node labels"; fi
if python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$tmp/map.svg"; then
	ok "... well-formed XML"; else nok "... well-formed XML"; fi
expect 2 "map without --svg" "$B" map --from "$tmp/pbmap"
expect 2 "map with an unknown argument" "$B" map --svg "$tmp/x.svg" --nope
expect 1 "map of a missing debugfs file" "$B" map --svg "$tmp/x.svg" --debugfs "$tmp/none"
has "$tmp/none/default/pageblock_map: No such file" "... names the file"
sed 's/^512 Unmovable 100 512/512 Unmovable 600 512/' "$tmp/pbmap" > "$tmp/bad1"
expect 1 "map: more free than pages" "$B" map --svg "$tmp/x.svg" --from "$tmp/bad1"
has 'line 5: 600 free of 512 pages' "... names the line"
head -n 6 "$tmp/pbmap" > "$tmp/bad2"
expect 1 "map: a truncated zone" "$B" map --svg "$tmp/x.svg" --from "$tmp/bad2"
has 'line 7: node 1 zone Normal ends after 0 of its 2 pageblocks' "... names the zone"
sed 's/^1536 Reclaimable 10 488/1537 Reclaimable 10 488/' "$tmp/pbmap" > "$tmp/bad3"
expect 1 "map: a pfn out of place" "$B" map --svg "$tmp/x.svg" --from "$tmp/bad3"
has 'line 8: pfn 1537, but pageblock 1 of node 1 zone Normal starts at 1536' "... says where"
echo "hello world" > "$tmp/bad4"
expect 1 "map: not a map" "$B" map --svg "$tmp/x.svg" --from "$tmp/bad4"
has 'line 1: not a pageblock_map' "... says so"

echo "# $fails failed"
[ "$fails" -eq 0 ]
