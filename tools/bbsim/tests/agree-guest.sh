#!/bin/sh
# agree-guest.sh: the guest half of tools/bbsim/tests/agree.sh.  Loads the
# module with the parameters in /bb/agree-params, writes every line of
# /bb/agree-commands to the control file, one write a line (as bbsim runs
# them), and prints buddyinfo, allocations and vmstat between markers.
set -u
params=$(cat /bb/agree-params)
# shellcheck disable=SC2086 # the parameters are words
if ! insmod /bb/buddybox.ko $params; then
	echo "agree-guest: insmod /bb/buddybox.ko $params failed"
	exit 1
fi
# the insmod sandbox's files: buddybox/default/ in the new layout
BBD=${BBD:-/sys/kernel/debug/buddybox}
[ -d "$BBD/default" ] && BBD=$BBD/default
echo "agree-guest: $(nproc) CPU(s), files in $BBD"

n=0 failed=0
while IFS= read -r line; do
	n=$((n + 1))
	echo "$line" > "$BBD/control" 2>/dev/null || failed=$((failed + 1))
done < /bb/agree-commands
echo "agree-guest: $n commands, $failed failed"

for f in buddyinfo allocations vmstat; do
	echo "BBSIM-AGREE-$f-BEGIN"
	cat "$BBD/$f"
	echo "BBSIM-AGREE-$f-END"
done
echo "BBSIM-AGREE-failed $failed"
rmmod buddybox
