#!/bin/sh
# agree-replay-guest.sh: the guest half of tools/bbsim/tests/agree-replay.sh.
# Loads the module with the parameters in /bb/agree-params, replays
# /bb/files-6.1.trace.xz with buddyctl (checkpoints every 1000 events)
# and prints its JSON between markers.
set -u
params=$(cat /bb/agree-params)
# shellcheck disable=SC2086 # the parameters are words
if ! insmod /bb/buddybox.ko $params; then
	echo "agree-replay-guest: insmod /bb/buddybox.ko $params failed"
	exit 1
fi
echo "agree-replay-guest: $(nproc) CPU(s)"
rc=0
/bb/buddyctl replay /bb/files-6.1.trace.xz --every 1000 --json /tmp/r || rc=1
rmmod buddybox || rc=1
echo "BBSIM-AGREE-json-BEGIN"
cat /tmp/r.default.json
echo "BBSIM-AGREE-json-END"
exit "$rc"
