// SPDX-License-Identifier: GPL-2.0
/*
 * bbsim replay: a real kernel's page allocations (a trace of its kmem
 * events, tools/capture.sh) replayed into a sandbox of the core.
 *
 *   bbsim replay TRACE [-p FILES] [--every N] [--json FILE] [--svg FILE]
 *	[--compare JSON,...] [--label NAME] [--zoneinfo FILE]
 *	[--buddyinfo FILE] [--strict] [key=value ...]
 *
 * TRACE is the trace's text, or its xz.  Each mm_page_alloc becomes an
 * allocation of the same order and gfp flags (so the same migratetype)
 * through the core's owner allocation (control.c's), each mm_page_free
 * the free of the sandbox allocation standing for that pfn; the other
 * events are counted (tools/replay/bbtrace.h says why).  A free of a pfn
 * never seen allocated is counted and skipped.
 *
 *   --zoneinfo F	size the sandbox (nodes, size_mb, dma_mb, dma32_mb)
 *			from the traced kernel's saved /proc/zoneinfo; the
 *			key=value words after it win
 *   --buddyinfo F	the traced kernel's saved buddyinfo, printed beside
 *			the sandbox's at the end
 *   --every N		a checkpoint every N events (default 1000), and one
 *			at the end: free blocks per order, the unusable and
 *			fragmentation indexes for order 9, fallbacks,
 *			compaction and reclaim counts
 *   --json F		the counts and the checkpoints, as JSON
 *   --svg F		a chart of the checkpoints, with those of the
 *			--compare JSON files (other runs), one line each
 *   --label NAME	the run's name in the JSON and the chart
 *   --strict		stop at the first bad trace line (exit status 2)
 *   -p FILES		the sandbox's files printed at the end (bbsim -p)
 *
 * The daemons default to daemons=sync, so the same trace and parameters
 * give the same output every time.  Exit status: 0; 1 for bad usage;
 * 2 when --strict stopped or the trace could not be read; 3 when the
 * checker found a problem at the end; 4 when the core WARNed.
 */
#include <getopt.h>
#include <time.h>

#include "buddybox.h"
#include "bbsim.h"
#include "bbtrace.h"

struct bbr_state {
	struct bb_sandbox *sb;
	struct bb_control ctl;
	struct bbt_map map;
	struct bbt_counts c;
	struct bbt_series series;
};

static void bbr_usage(FILE *f)
{
	fprintf(f,
		"usage: bbsim replay TRACE [-p FILES] [--every N] [--json FILE] [--svg FILE]\n"
		"         [--compare JSON,...] [--label NAME] [--zoneinfo FILE]\n"
		"         [--buddyinfo FILE] [--strict] [key=value ...]\n"
		"  (the header of bbsim's replay.c says more)\n");
}

/* a file of the core as text (vmstat.c's) */
static char *bbr_text(struct bb_sandbox *sb,
		      void (*show)(struct seq_file *, struct bb_sandbox *))
{
	struct seq_file m;
	char *s;

	seq_file_init(&m);
	show(&m, sb);
	s = malloc(m.count + 1);
	if (s) {
		memcpy(s, m.buf, m.count);
		s[m.count] = '\0';
	}
	seq_file_release(&m);
	return s;
}

static int bbr_checkpoint(struct bbr_state *st, unsigned long event)
{
	char *bi = bbr_text(st->sb, bb_show_buddyinfo);
	char *vm = bbr_text(st->sb, bb_show_vmstat);
	char *pt = bbr_text(st->sb, bb_show_pagetypeinfo);
	struct bbt_point p;
	int ret = -ENOMEM;

	if (bi && vm && pt) {
		ret = bbt_point_parse(&p, event, bi, vm, pt);
		if (!ret)
			ret = bbt_series_add(&st->series, &p);
	}
	free(bi);
	free(vm);
	free(pt);
	return ret;
}

/* after each event, as bbsim after each control line */
static void bbr_settle(struct bbr_state *st)
{
	bb_run_pending_daemons(st->sb);
	bb_env_tick(1);
	bb_env_run_daemons();
}

static void bbr_free(struct bbr_state *st, const struct bbt_event *ev)
{
	unsigned long long handle;
	unsigned int order;

	st->c.free_events++;
	if (!bbt_map_get(&st->map, ev->pfn, &handle, &order)) {
		st->c.unseen_frees++;
		return;
	}
	if (order != ev->order)
		st->c.order_mismatch++;
	bb_owner_free(&st->ctl.owner, (u32)handle);
	bbt_map_del(&st->map, ev->pfn);
	st->c.freed++;
	bbr_settle(st);
}

static int bbr_alloc(struct bbr_state *st, const struct bbt_event *ev)
{
	unsigned long long handle;
	unsigned int order;
	struct bb_alloc a;
	int ret;

	st->c.alloc_events++;
	if (ev->no_page) {
		st->c.trace_failed++;
		return 0;
	}
	if (bb_gfp_migratetype(ev->gfp) != ev->migratetype)
		st->c.mt_mismatch++;
	/* the trace missed a free: the old allocation goes first */
	if (bbt_map_get(&st->map, ev->pfn, &handle, &order)) {
		st->c.pfn_reused++;
		bb_owner_free(&st->ctl.owner, (u32)handle);
		bbt_map_del(&st->map, ev->pfn);
	}
	ret = bb_owner_alloc(&st->ctl.owner, ev->gfp, ev->order, -1, 0, 0,
			     NULL, &a);
	if (ret) {
		st->c.sandbox_failed++;
	} else {
		st->c.allocated++;
		if (bbt_map_put(&st->map, ev->pfn, a.handle, ev->order))
			return -ENOMEM;
	}
	bbr_settle(st);
	return 0;
}

static int bbr_compare(const char *list, struct bbt_series *own,
		       struct bbt_series **all, int *nr)
{
	char *copy = strdup(list), *p = copy, *name;
	int ret = 0;

	*all = calloc(1, sizeof(**all));
	(*all)[0] = *own;
	*nr = 1;
	while (!ret && (name = strsep(&p, ","))) {
		struct bbt_series *n = realloc(*all, (*nr + 1) * sizeof(**all));

		if (!n) {
			ret = -ENOMEM;
			break;
		}
		*all = n;
		ret = bbt_json_read(name, &(*all)[*nr], stderr);
		if (!ret)
			(*nr)++;
	}
	free(copy);
	return ret;
}

/* does a key=value word of the command line start with @key (@len bytes)? */
static bool bbr_given(int argc, char **argv, const char *key, size_t len)
{
	int i;

	for (i = optind; i < argc; i++)
		if (!strncmp(argv[i], key, len))
			return true;
	return false;
}

static double bbr_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int bbsim_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "every", required_argument, NULL, 'e' },
		{ "json", required_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 's' },
		{ "compare", required_argument, NULL, 'm' },
		{ "label", required_argument, NULL, 'l' },
		{ "zoneinfo", required_argument, NULL, 'z' },
		{ "buddyinfo", required_argument, NULL, 'b' },
		{ "strict", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *json = NULL, *svg = NULL, *compare = NULL, *label = NULL;
	const char *zoneinfo = NULL, *kbuddy = NULL, *print = "none", *trace;
	enum bb_env_mode mode = BB_ENV_SYNC;
	unsigned long every = 1000, nev = 0;
	struct bb_control_error err;
	struct bbr_state st = { };
	struct bbt_reader rd;
	struct bbt_event ev;
	struct bb_config cfg;
	char zwords[128] = "", zcopy[128], *args, *list, *name;
	size_t args_len;
	int opt, i, ret, status = 0, strict = 0;
	double t0;

	while ((opt = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			if (kstrtoul(optarg, 10, &every) || !every) {
				fprintf(stderr, "bbsim replay: --every %s: a positive number\n",
					optarg);
				return 1;
			}
			break;
		case 'j':
			json = optarg;
			break;
		case 's':
			svg = optarg;
			break;
		case 'm':
			compare = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'z':
			zoneinfo = optarg;
			break;
		case 'b':
			kbuddy = optarg;
			break;
		case 'S':
			strict = 1;
			break;
		case 'p':
			print = optarg;
			break;
		case 'h':
			bbr_usage(stdout);
			return 0;
		default:
			bbr_usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		bbr_usage(stderr);
		return 1;
	}
	trace = argv[optind++];
	list = strdup(print);
	for (args = list; (name = strsep(&args, ","));) {
		if (!bbsim_known_file(name)) {
			fprintf(stderr, "bbsim replay: -p: no file %s\n", name);
			free(list);
			return 1;
		}
	}
	free(list);

	if (zoneinfo && bbt_zoneinfo_config(zoneinfo, zwords, sizeof(zwords),
					    stderr))
		return 1;
	/*
	 * daemons=sync, then --zoneinfo's words, then the command line's:
	 * a key the command line gives is not taken from the others
	 */
	args_len = strlen(zwords) + 16;
	for (i = optind; i < argc; i++)
		args_len += strlen(argv[i]) + 1;
	args = calloc(1, args_len);
	if (!bbr_given(argc, argv, "daemons=", 8))
		strcat(args, "daemons=sync ");
	snprintf(zcopy, sizeof(zcopy), "%s", zwords);
	list = zcopy;
	while ((name = strsep(&list, " "))) {
		if (!*name || bbr_given(argc, argv, name, strcspn(name, "=") + 1))
			continue;
		strcat(args, name);
		strcat(args, " ");
	}
	for (i = optind; i < argc; i++) {
		if (!strcmp(argv[i], "daemons=threads") ||
		    !strcmp(argv[i], "daemons=on")) {
			fprintf(stderr, "bbsim replay: %s: a replay runs its daemons with off or sync\n",
				argv[i]);
			free(args);
			return 1;
		}
		strcat(args, argv[i]);
		strcat(args, " ");
	}
	bb_config_default(&cfg);
	if (bb_config_parse(&cfg, args, &err)) {
		fprintf(stderr, "bbsim replay: parameter %s%s: %s\n",
			err.key ? err.key : "", zwords[0] ? " (with --zoneinfo's)" : "",
			err.what);
		free(args);
		return 1;
	}
	if (zwords[0])
		fprintf(stderr, "bbsim replay: from %s: %s\n", zoneinfo, zwords);
	free(args);

	if (bbt_open(&rd, trace, strict, stderr))
		return 2;
	bb_env_init(mode, 1);
	ret = bb_sandbox_create(&cfg, &st.sb);
	if (ret) {
		fprintf(stderr, "bbsim replay: cannot make the sandbox: %s\n",
			strerror(-ret));
		bbt_close(&rd);
		return 1;
	}
	bb_control_init(&st.ctl, st.sb);
	bbt_map_init(&st.map);
	snprintf(st.series.label, sizeof(st.series.label), "%s",
		 label ? label : "bbsim");

	t0 = bbr_now();
	while ((ret = bbt_next(&rd, &ev)) > 0) {
		ret = 0;
		switch (ev.kind) {
		case BBT_ALLOC:
			ret = bbr_alloc(&st, &ev);
			break;
		case BBT_FREE:
			bbr_free(&st, &ev);
			break;
		case BBT_FREE_BATCHED:
			st.c.batched++;
			break;
		case BBT_PCPU_DRAIN:
			st.c.drains++;
			break;
		}
		if (ret)
			break;
		if (++nev % every == 0 && bbr_checkpoint(&st, nev)) {
			ret = -ENOMEM;
			break;
		}
	}
	if (bbt_close(&rd) && !ret)
		ret = -EIO;
	if (ret) {
		fprintf(stderr, "bbsim replay: %s: %s at line %lu\n", trace,
			ret == -EINVAL ? "stopped (--strict)" : strerror(-ret),
			rd.line);
		status = 2;
		goto out;
	}
	if (!st.series.nr || st.series.pts[st.series.nr - 1].event != nev)
		if (bbr_checkpoint(&st, nev))
			status = 1;
	fprintf(stderr, "bbsim replay: %lu events in %.3f s\n", nev,
		bbr_now() - t0);

	bbt_print_summary(stdout, &rd, &st.c);
	if (bbsim_show(st.sb, &st.ctl, "check"))
		status = 3;
	if (kbuddy) {
		char *k = bbt_slurp(kbuddy), *s = bbr_text(st.sb, bb_show_buddyinfo);

		if (!k) {
			fprintf(stderr, "bbsim replay: %s: %s\n", kbuddy,
				strerror(errno));
			status = 1;
		} else if (s) {
			bbt_buddyinfo_side(stdout, k, s);
		}
		free(k);
		free(s);
	}
	list = strdup(print);
	for (args = list; (name = strsep(&args, ","));)
		if (strcmp(name, "none") && bbsim_show(st.sb, &st.ctl, name))
			status = 3;
	free(list);

	if (json) {
		FILE *f = fopen(json, "w");

		if (!f) {
			fprintf(stderr, "bbsim replay: %s: %s\n", json, strerror(errno));
			status = 1;
		} else {
			bbt_json_write(f, trace, &rd, &st.c, &st.series);
			if (fclose(f))
				status = 1;
		}
	}
	if (svg) {
		struct bbt_series *all = NULL;
		int nr = 0;
		FILE *f;

		if (compare && bbr_compare(compare, &st.series, &all, &nr)) {
			status = 1;
		} else {
			if (!compare) {
				all = &st.series;
				nr = 1;
			}
			f = fopen(svg, "w");
			if (!f || bbt_chart_svg(f, all, nr) || fclose(f)) {
				fprintf(stderr, "bbsim replay: %s: cannot write\n", svg);
				status = 1;
			}
		}
		if (compare && all) {
			for (i = 1; i < nr; i++)
				bbt_series_release(&all[i]);
			free(all);
		}
	}
out:
	bbt_series_release(&st.series);
	bbt_map_release(&st.map);
	bb_control_release(&st.ctl);
	bb_sandbox_destroy(st.sb);
	if (bb_env_warnings) {
		fprintf(stderr, "bbsim replay: the core WARNed %lu time(s)\n",
			bb_env_warnings);
		if (!status)
			status = 4;
	}
	return status;
}
