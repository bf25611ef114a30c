#!/bin/bash
# The instructions of one order-0 alloc+free pair of the core in user space,
# counted by callgrind: a figure that does not depend on the machine's load.
#   tools/bbsim/tests/callgrind.sh [PAIRS]
# Prints `usr_order0_instructions=N usr_pairs=P` (N: instructions per
# pair, rounded) for tools/bench.sh; exits non-zero when it cannot count.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
pairs=${1:-10000}
command -v valgrind >/dev/null || { echo "callgrind: valgrind missing (tools/deps.sh)" >&2; exit 1; }
make -s -C "$top/tools/bbsim" bench >&2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --toggle-collect=bbbench_measured \
	--callgrind-out-file="$out" "$top/build/bbsim/bbbench" -n "$pairs" >&2 2> /dev/null
total=$(awk '/^(summary|totals):/ { print $2; exit }' "$out")
[ -n "$total" ] || { echo "callgrind: no count in the output" >&2; exit 1; }
echo "usr_order0_instructions=$(( (total + pairs / 2) / pairs )) usr_pairs=$pairs"
