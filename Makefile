# SPDX-License-Identifier: GPL-2.0
#
# buddybox: `make` builds buddybox.ko against the newest installed Debian
# 6.1 headers (never the running kernel: it may be another version).
#   make KDIR=/path/to/build     build against another tree
#   make buddyctl                the user-space tool
#   make bbstress                the concurrency stress tool
#   make bbfrag                  the fragmentation/compaction tool
#   make bbsim                   the core in user space (build/bbsim/bbsim)
#   make usr                     its tests (tools/bbsim/tests/run.sh)
#   make test                    every test (see tools/run-tests.sh)
#   make demo                    boot a guest and show the sandbox working

KDIR ?= $(shell ls -d /usr/src/linux-headers-6.1*-amd64 2>/dev/null | sort -V | tail -n 1)
PWD := $(shell pwd)
CC_USER ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -Imodule/uapi -Imodule -Imodule/core

all: modules buddyctl bbstress bbfrag bbsim

modules:
	@test -n "$(KDIR)" || { echo "no 6.1 kernel headers: apt-get install linux-headers-amd64, or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(PWD) modules

buddyctl: tools/buddyctl/buddyctl

tools/buddyctl/buddyctl: tools/buddyctl/buddyctl.c module/uapi/buddybox.h
	$(CC_USER) $(USER_CFLAGS) -static -o $@ $<

bbstress: tools/stress/bbstress

tools/stress/bbstress: tools/stress/bbstress.c module/uapi/buddybox.h
	$(CC_USER) $(USER_CFLAGS) -static -pthread -o $@ $<

bbfrag: tools/frag/bbfrag

tools/frag/bbfrag: tools/frag/bbfrag.c module/uapi/buddybox.h
	$(CC_USER) $(USER_CFLAGS) -static -o $@ $<

bbsim:
	$(MAKE) -C tools/bbsim

clean:
	@test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(PWD) clean
	rm -f tools/buddyctl/buddyctl tools/stress/bbstress tools/frag/bbfrag
	rm -rf build

test:
	tools/run-tests.sh

demo:
	tools/demo.sh

bench:
	tools/bench.sh

bench-compact:
	tools/compact-bench.sh

.PHONY: all modules buddyctl bbstress bbfrag bbsim clean test demo bench bench-compact

# single test stages (tools/run-tests.sh runs them all)
style:
	tools/style.sh

kunit:
	tools/kunit-run.sh

usr:
	tools/bbsim/tests/run.sh

e2e:
	tools/e2e-run.sh

dkms-test:
	tools/dkms-test.sh

.PHONY: style kunit usr e2e dkms-test
