// SPDX-License-Identifier: GPL-2.0
/*
 * bbmix-sim: bbmix's seeded steps (tools/bench/bbmix-steps.h) against the
 * core in user space, for `tools/bench-policy.sh --bbsim`:
 *
 *   bbmix-sim [--seed N] [--ops N] [--thp-every N] [--longlived-pct N]
 *             [key=value ...]
 *
 * The key=value words are a create line's (the sandbox's size, daemons=,
 * the policy).  One owner, an OOM candidate as a descriptor is, makes the
 * requests; with daemons=sync the wakes of a request run after it, as
 * after an ioctl of the module.  Prints what bbmix prints: the sandbox's
 * vmstat, fallbacks and pageblocks as the steps left them, the
 * "bbmix-json: {...}" line and "bbmix: ok"; "bbmix-sim: refused: ERROR: ..."
 * and exit status 3 when the words do not make a sandbox (a policy
 * buddybox does not implement).  The wall time is the host's, native.
 * At the end, with everything freed, the checker runs and every page must
 * be free again (after a drain of the per-CPU lists): "bbmix: FAIL" and
 * exit status 1 otherwise, 4 when the core WARNed.
 */
#include <time.h>

#include "buddybox.h"
#include "bbmix-steps.h"

struct bb_sim_mix {
	struct bb_mix x;	/* first: the backend's callbacks get it */
	struct bb_sandbox *sb;
	struct bb_owner owner;
	struct bb_trace trace;
};

static void bb_sim_die(const char *what, int err)
{
	fprintf(stderr, "bbmix-sim: %s: %d\n", what, err);
	printf("bbmix: FAIL\n");
	exit(1);
}

static uint64_t bb_sim_alloc(struct bb_mix *x, unsigned int order,
			     unsigned int gfp, unsigned int flags)
{
	struct bb_sim_mix *s = (struct bb_sim_mix *)x;
	struct bb_trace *t = NULL;
	struct bb_alloc a;
	int ret;

	if (flags & BB_ALLOC_F_EXPLAIN) {
		s->trace.buf = x->path;
		s->trace.size = BB_PATH_BUF;
		s->trace.len = 0;
		t = &s->trace;
	}
	ret = bb_owner_alloc(&s->owner, gfp, order, -1, 0,
			     flags & ~BB_ALLOC_F_EXPLAIN, t, &a);
	bb_run_pending_daemons(s->sb);
	/* a path cut short could hide how the block was served */
	if (t && t->len + 1 >= t->size)
		bb_sim_die("the order-9 path filled the buffer", -E2BIG);
	if (t)
		x->path[t->len] = '\0';
	if (ret == -ENOMEM)
		return 0;
	if (ret)
		bb_sim_die("bb_owner_alloc", ret);
	return a.handle;
}

static void bb_sim_free(struct bb_mix *x, uint64_t handle)
{
	struct bb_sim_mix *s = (struct bb_sim_mix *)x;
	int ret = bb_owner_free(&s->owner, handle);

	bb_run_pending_daemons(s->sb);
	if (ret)
		bb_sim_die("bb_owner_free", ret);
}

static void bb_sim_show(struct bb_sandbox *sb, const char *name,
			void (*show)(struct seq_file *m, struct bb_sandbox *sb))
{
	struct seq_file m;

	seq_file_init(&m);
	show(&m, sb);
	printf("bbmix-file %s\n", name);
	fwrite(m.buf, 1, m.count, stdout);
	printf("bbmix-end %s\n", name);
	seq_file_release(&m);
}

/* 0, or the exit status after printing why ("bbmix: FAIL ...") */
static int bb_sim_end_check(struct bb_sandbox *sb)
{
	struct bb_check_report rep = { .size = BB_CHECK_REPORT_SIZE };
	unsigned long nr_free;
	int ret = 0;

	bb_drain_all_pages(sb, NULL);
	nr_free = bb_sandbox_free_pages(sb);
	if (nr_free != sb->region.nr_pages) {
		printf("bbmix: FAIL: %lu of %lu pages free after freeing everything\n",
		       nr_free, sb->region.nr_pages);
		ret = 1;
	}
	rep.buf = malloc(rep.size);
	if (!rep.buf)
		bb_sim_die("malloc", -ENOMEM);
	rep.buf[0] = '\0';
	if (bb_check(sb, &rep) || rep.problems) {
		printf("bbmix: FAIL: the checker found %u problem(s):\n%s",
		       rep.problems, rep.buf);
		ret = 1;
	}
	free(rep.buf);
	if (!ret && bb_env_warnings) {
		printf("bbmix: FAIL: the core WARNed\n");
		ret = 4;
	}
	return ret;
}

static unsigned long bb_sim_num(const char *opt, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s ? s : "", &end, 0);
	if (!s || !*s || *end || errno) {
		fprintf(stderr, "bbmix-sim: %s: '%s' is not a number\n", opt,
			s ? s : "");
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long ops = 1000000, thp_every = 250, ll_pct = 15, seed = 1;
	static struct bb_sim_mix s;
	struct bb_control_error err;
	struct timespec t0, t1;
	struct bb_config cfg;
	struct bb_mix *x = &s.x;
	char args[1024] = "";
	double wall;
	int i, ret;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = argv[i + 1];

		if (!strcmp(a, "--seed")) {
			seed = bb_sim_num(a, v);
		} else if (!strcmp(a, "--ops")) {
			ops = bb_sim_num(a, v);
		} else if (!strcmp(a, "--thp-every")) {
			thp_every = bb_sim_num(a, v);
		} else if (!strcmp(a, "--longlived-pct")) {
			ll_pct = bb_sim_num(a, v);
		} else if (strchr(a, '=') && a[0] != '-') {
			if (strlen(args) + strlen(a) + 2 > sizeof(args)) {
				fprintf(stderr, "bbmix-sim: too many words\n");
				return 2;
			}
			strcat(args, a);
			strcat(args, " ");
			continue;
		} else {
			fprintf(stderr, "bbmix-sim: unknown argument %s\n%s", a,
				"usage: bbmix-sim [--seed N] [--ops N] [--thp-every N] [--longlived-pct N] [key=value ...]\n");
			return 2;
		}
		i++;
	}
	if (!thp_every || ll_pct > 50) {
		fprintf(stderr, "bbmix-sim: --thp-every must be > 0, --longlived-pct <= 50\n");
		return 2;
	}

	bb_config_default(&cfg);
	if (bb_config_parse(&cfg, args, &err)) {
		printf("bbmix-sim: refused: %s: %s%s%s\n", strerror(EINVAL),
		       err.key ? err.key : "", err.key ? ": " : "", err.what);
		return 3;
	}
	bb_env_init(BB_ENV_SYNC, 1);
	ret = bb_sandbox_create(&cfg, &s.sb);
	if (ret) {
		printf("bbmix-sim: refused: %s: cannot make the sandbox\n",
		       strerror(-ret));
		return 3;
	}
	bb_owner_init(&s.owner, s.sb);
	s.owner.tgid = 1000;
	bb_oom_register(&s.owner);
	x->alloc = bb_sim_alloc;
	x->free = bb_sim_free;
	if (bb_mix_setup(x, s.sb->region.nr_pages, ll_pct, seed))
		bb_sim_die("malloc", -ENOMEM);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	bb_mix_steps(x, ops, thp_every);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wall = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	bb_sim_show(s.sb, "vmstat", bb_show_vmstat);
	bb_sim_show(s.sb, "fallbacks", bb_show_fallbacks);
	bb_sim_show(s.sb, "pageblocks", bb_show_pageblocks);
	bb_mix_free_all(x);
	bb_mix_report(x, "bbsim", seed, ops, s.sb->region.nr_pages, wall);
	ret = bb_sim_end_check(s.sb);
	bb_owner_release(&s.owner);
	bb_sandbox_destroy(s.sb);
	if (!ret)
		printf("bbmix: ok\n");
	return ret;
}
