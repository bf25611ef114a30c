// SPDX-License-Identifier: GPL-2.0
/*
 * bbtest: seeded random runs of buddybox's core, and replays.
 *
 *   bbtest [-s FIRST] [-n RUNS] [-l BYTES] [-v]   seeds FIRST .. FIRST+RUNS-1
 *   bbtest [-v] FILE...                           each file as one input
 *   bbtest -x                                     the checker's self-test
 * -w DIR writes each seed's bytes to DIR/seed-N first (a failing seed then
 * becomes a file for tools/bbsim/tests/regressions/).  -P WORDS gives
 * every sandbox that policy (e.g. -P fallback=6.10).
 *
 * A run is a byte string (from a splitmix64 PRNG seeded with the seed, or
 * a file: the fuzz corpus and the regressions) read by ops.c as a sandbox
 * and up to 2000 operations, with the consistency checker after each.
 * Prints "PASS seed N" / "PASS FILE" per run; a failure aborts with what
 * went wrong (ops.c), the seed or file being the last thing printed.
 * -v logs every operation to stderr.
 */
#include <getopt.h>

#include "ops.h"

static u64 bb_splitmix64(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void bb_report(const char *what, const struct bb_ops_stats *st)
{
	printf("PASS %s: %lu ops, %lu allocations (%lu failed), %lu verified, %lu OOM kills, %lu daemon wakes\n",
	       what, st->ops, st->allocs, st->alloc_failed, st->verified,
	       st->oom_kills, st->daemon_wakes);
	fflush(stdout);
}

static int bb_run_file(const char *path, FILE *log)
{
	struct bb_ops_stats st = { 0 };
	static u8 buf[1 << 20];
	size_t len;
	FILE *f = fopen(path, "rb");

	if (!f) {
		printf("FAIL %s: %s\n", path, strerror(errno));
		return 1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fprintf(stderr, "bbtest: %s\n", path);
	bb_ops_run(buf, len, log, &st);
	bb_report(path, &st);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long first = 1, runs = 20, bytes = 6000, seed, i;
	const char *dump = NULL;
	FILE *log = NULL;
	u8 *buf;
	int opt, ret = 0;

	while ((opt = getopt(argc, argv, "s:n:l:vxw:P:")) != -1) {
		switch (opt) {
		case 's':
			first = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			runs = strtoul(optarg, NULL, 0);
			break;
		case 'l':
			bytes = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			log = stderr;
			break;
		case 'w':
			dump = optarg;
			break;
		case 'P':
			bb_ops_policy = optarg;
			break;
		case 'x':
			ret = bb_ops_checker_selftest();
			printf("%s checker-selftest\n", ret ? "FAIL" : "PASS");
			return ret ? 1 : 0;
		default:
			fprintf(stderr, "usage: bbtest [-s FIRST] [-n RUNS] [-l BYTES] [-w DIR] [-P WORDS] [-v] [FILE...] | -x\n");
			return 2;
		}
	}
	if (bb_ops_policy) {
		struct bb_control_error err;
		struct bb_config cfg;
		char words[128];

		bb_config_default(&cfg);
		snprintf(words, sizeof(words), "%s", bb_ops_policy);
		if (bb_config_parse(&cfg, words, &err) ||
		    bb_policy_resolve(&cfg.policy)) {
			fprintf(stderr, "bbtest: -P %s: not a policy buddybox runs\n",
				bb_ops_policy);
			return 2;
		}
	}
	if (optind < argc) {
		for (i = optind; i < (unsigned long)argc; i++)
			ret |= bb_run_file(argv[i], log);
		return ret;
	}

	buf = malloc(bytes ? bytes : 1);
	for (seed = first; seed < first + runs; seed++) {
		struct bb_ops_stats st = { 0 };
		u64 s = seed;
		char name[64];

		for (i = 0; i < bytes; i += 8) {
			u64 v = bb_splitmix64(&s);

			memcpy(buf + i, &v, min(8UL, bytes - i));
		}
		if (dump) {
			char path[4096];
			FILE *f;

			snprintf(path, sizeof(path), "%s/seed-%lu", dump, seed);
			f = fopen(path, "wb");
			if (!f || fwrite(buf, 1, bytes, f) != bytes) {
				fprintf(stderr, "bbtest: cannot write %s\n", path);
				return 1;
			}
			fclose(f);
		}
		fprintf(stderr, "bbtest: seed %lu\n", seed);
		bb_ops_run(buf, bytes, log, &st);
		snprintf(name, sizeof(name), "seed %lu", seed);
		bb_report(name, &st);
	}
	free(buf);
	return 0;
}
