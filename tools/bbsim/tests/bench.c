// SPDX-License-Identifier: GPL-2.0
/*
 * bbbench: order-0 alloc+free pairs of the core in user space, for
 * callgrind to count their instructions (tools/bbsim/tests/callgrind.sh):
 *
 *   bbbench [-n PAIRS] [key=value ...]
 *
 * The pairs are those of the module's bench file, kind=buddybox
 * (module/bench.c): __bb_alloc_pages(GFP_KERNEL | __GFP_NOWARN, order 0)
 * then bb_free_pages(), on one CPU, after as many pairs to warm the pcp
 * lists.  bbbench_measured() runs the measured ones: callgrind collects in
 * it alone (--toggle-collect), so the count is the pairs' and nothing
 * else's.
 */
#include "buddybox.h"

#define BBBENCH_GFP	(BB_GFP_KERNEL | BB___GFP_NOWARN)

static noinline unsigned long bbbench_pairs(struct bb_sandbox *sb,
					    unsigned long n)
{
	struct bb_alloc_result res;
	unsigned long i, failed = 0;

	for (i = 0; i < n; i++) {
		if (__bb_alloc_pages(sb, BBBENCH_GFP, 0, 0, 0, &res)) {
			failed++;
			continue;
		}
		bb_free_pages(sb, res.pfn, 0);
	}
	return failed;
}

static noinline unsigned long bbbench_measured(struct bb_sandbox *sb,
					       unsigned long n)
{
	return bbbench_pairs(sb, n);
}

int main(int argc, char **argv)
{
	unsigned long n = 10000, failed;
	struct bb_control_error err;
	struct bb_config cfg;
	struct bb_sandbox *sb;
	char args[1024] = "";
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		n = strtoul(argv[2], NULL, 0);
		i = 3;
	}
	for (; i < argc; i++) {
		strncat(args, argv[i], sizeof(args) - strlen(args) - 2);
		strcat(args, " ");
	}
	bb_config_default(&cfg);
	cfg.size_mb = 1024;	/* the guest bench's region */
	if (bb_config_parse(&cfg, args, &err)) {
		fprintf(stderr, "bbbench: parameter %u: %s\n", err.line, err.what);
		return 1;
	}
	bb_env_init(BB_ENV_SYNC, 1);
	if (bb_sandbox_create(&cfg, &sb)) {
		fprintf(stderr, "bbbench: cannot make the sandbox\n");
		return 1;
	}
	failed = bbbench_pairs(sb, n);		/* warm up: not collected */
	failed += bbbench_measured(sb, n);
	printf("pairs %lu failed %lu\n", 2 * n, failed);
	bb_sandbox_destroy(sb);
	return failed ? 1 : 0;
}
