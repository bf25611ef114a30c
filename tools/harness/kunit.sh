#!/bin/sh
# Guest side of tools/kunit-run.sh: loading buddybox_kunit.ko runs its KUnit
# suites, which print KTAP on the console (and into the kernel log).
ko=/bb/buddybox_kunit.ko
[ -f "$ko" ] || { echo "kunit: $ko missing"; exit 1; }
echo "BB-KUNIT-BEGIN"
insmod "$ko" || { echo "kunit: insmod failed"; exit 1; }
echo "BB-KUNIT-END"
rmmod buddybox_kunit || { echo "kunit: rmmod failed"; exit 1; }
