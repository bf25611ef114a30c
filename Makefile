# SPDX-License-Identifier: GPL-2.0
#
# buddybox: `make` builds buddybox.ko for every supported kernel whose Debian
# headers are installed (6.1 and 6.12: /usr/src/linux-headers-<release>,
# never the running kernel), each in build/<release>/.
#   make KDIR=/path/to/build     build for that one tree only
#   make buddyctl                the user-space tool
#   make bbstress                the concurrency stress tool
#   make bbfrag                  the fragmentation/compaction tool
#   make bbmix                   bench-policy's seeded mixed workload
#   make bbioctlfuzz             the ioctl and debugfs fuzzer
#   make deb                     the buddybox-dkms Debian package (build/deb/)
#   make bbsim                   the core in user space (build/bbsim/bbsim)
#   make usr                     its tests (tools/bbsim/tests/run.sh)
#   make test                    every test (see tools/run-tests.sh)
#   make demo                    boot a guest and show the sandbox working
# BB_HEADERS_DIRS (default /usr/src) says where headers trees are looked for.

# the supported host kernels (tools/lib.sh's BB_SERIES) and the trees to build for
BB_SERIES := $(shell bash -c '. tools/lib.sh && echo $$BB_SERIES')
KDIRS := $(if $(KDIR),$(KDIR),$(shell BB_HEADERS_DIRS='$(BB_HEADERS_DIRS)' bash -c '. tools/lib.sh && for s in $$BB_SERIES; do \
	for v in $$(bb_headers_kvers $$s); do bb_find_file "$$BB_HEADERS_DIRS" linux-headers-$$v; done; done'))
# the project's version: dkms.conf's PACKAGE_VERSION (also the package's)
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$$/\1/p' dkms.conf)
CC_USER ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -Imodule/uapi -Imodule -Imodule/core

all: modules buddyctl bbstress bbfrag bbioctlfuzz bbsim

modules:
	@test -n "$(KDIRS)" || { echo "no kernel headers of a supported kernel ($(BB_SERIES)):" \
		"apt-get install linux-headers-amd64, or set KDIR" >&2; exit 1; }
	@set -e; mkdir -p build; for k in $(KDIRS); do \
		rel=$$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$$/\1/p' $$k/include/generated/utsrelease.h 2>/dev/null || true); \
		ser=$$(bash -c '. tools/lib.sh && bb_series "$$1"' - "$$rel"); \
		if [ -z "$$ser" ]; then echo "$$k: kernel release '$${rel:-none: not a kernel build tree}' is not supported;" \
			"buddybox supports Linux $(BB_SERIES)" >&2; exit 1; fi; \
		echo "buddybox: building for $$rel ($$k) in build/$$rel/"; \
		tools/build-module.sh $$k build/$$rel > build/$$rel.log 2>&1 || \
			{ tail -n 30 build/$$rel.log >&2; echo "buddybox: build for $$rel failed (build/$$rel.log)" >&2; exit 1; }; \
		ls build/$$rel/*.ko | sed 's/^/  /'; \
	done

buddyctl: tools/buddyctl/buddyctl

BUDDYCTL_SRC := tools/buddyctl/buddyctl.c tools/buddyctl/replay.c \
	tools/replay/bbtrace.c tools/replay/bbchart.c tools/lib/bbmap.c
tools/buddyctl/buddyctl: $(BUDDYCTL_SRC) tools/buddyctl/replay.h tools/replay/bbtrace.h \
		tools/lib/bbmap.h module/uapi/buddybox.h
	$(CC_USER) $(USER_CFLAGS) -Itools/replay -Itools/lib -static -o $@ $(BUDDYCTL_SRC)

bbstress: tools/stress/bbstress

tools/stress/bbstress: tools/stress/bbstress.c module/uapi/buddybox.h
	$(CC_USER) $(USER_CFLAGS) -static -pthread -o $@ $<

bbfrag: tools/frag/bbfrag

tools/frag/bbfrag: tools/frag/bbfrag.c module/uapi/buddybox.h
	$(CC_USER) $(USER_CFLAGS) -static -o $@ $<

bbmix: tools/bench/bbmix

tools/bench/bbmix: tools/bench/bbmix.c tools/bench/bbmix-steps.h module/uapi/buddybox.h
	$(CC_USER) $(USER_CFLAGS) -static -o $@ $<

bbioctlfuzz: tools/fuzz/bbioctlfuzz

tools/fuzz/bbioctlfuzz: tools/fuzz/bbioctlfuzz.c module/uapi/buddybox.h
	$(CC_USER) $(USER_CFLAGS) -static -pthread -o $@ $<

bbsim:
	$(MAKE) -C tools/bbsim

clean:
	rm -f tools/buddyctl/buddyctl tools/stress/bbstress tools/frag/bbfrag tools/fuzz/bbioctlfuzz tools/bench/bbmix
	rm -rf build

# buddybox-dkms_<version>_all.deb, built with dh-dkms from a copy of the
# sources in build/deb/ (apt-get install ./build/deb/buddybox-dkms_*.deb)
deb:
	rm -rf build/deb && mkdir -p build/deb/buddybox-$(VERSION)
	cp -r module kunit Kbuild dkms.conf debian build/deb/buddybox-$(VERSION)/
	printf 'buddybox (%s) unstable; urgency=medium\n\n  * buddybox %s.\n\n -- %s  %s\n' \
		'$(VERSION)' '$(VERSION)' 'buddybox developers <buddybox@localhost>' \
		"$$(git log -1 --format=%cD 2>/dev/null || date -R)" \
		> build/deb/buddybox-$(VERSION)/debian/changelog
	cd build/deb/buddybox-$(VERSION) && dpkg-buildpackage -b -us -uc > ../build.log 2>&1 || \
		{ tail -n 30 build/deb/build.log >&2; exit 1; }
	@ls build/deb/*.deb

test:
	tools/run-tests.sh

demo:
	tools/demo.sh

bench:
	tools/bench.sh

bench-compact:
	tools/compact-bench.sh

bench-policy:
	tools/bench-policy.sh

.PHONY: all modules buddyctl bbstress bbfrag bbioctlfuzz bbsim clean deb test demo bench bench-compact bench-policy bbmix

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
