// SPDX-License-Identifier: GPL-2.0
/*
 * bbsim replay: a real kernel's page allocations (a trace of its kmem
 * events, tools/capture.sh) replayed into a sandbox of the core.
 *
 *   bbsim replay TRACE [-p FILES] [--every N] [--json FILE] [--svg FILE]
 *	[--compare JSON,...] [--label NAME] [--zoneinfo FILE]
 *	[--buddyinfo FILE] [--strict] [--policy WORDS]...
 *	[--map FILE [--map-every N]] [key=value ...]
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
 *			fragmentation indexes for order 9, fallbacks (and
 *			by kind: claims, steals, pollutions), pageblocks by
 *			type and the mixed ones, compaction and reclaim
 *			counts
 *   --policy WORDS	a run per --policy (up to 8), each a sandbox of the
 *			parameters with these key=value words over them
 *			(e.g. --policy fallback=6.1 --policy fallback=6.10),
 *			each in a process of its own, one after the other;
 *			the summary of each under "== policy WORDS", --json
 *			is then a prefix: PREFIX.WORDS.json (a character
 *			other than [A-Za-z0-9._=-] as '_'), and the chart
 *			has a line per policy
 *   --map FILE		the pageblock map (bbsim --map) at each checkpoint,
 *			FILE-EVENT.svg (FILE-WORDS-EVENT.svg with --policy;
 *			FILE less its .svg)
 *   --map-every N	the maps only every N events, and at the end
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
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

#include "buddybox.h"
#include "bbsim.h"
#include "bbtrace.h"

#define BBR_MAX_POLICIES	8

/* what the command line asks of every run */
struct bbr_opts {
	const char *trace;
	const char *kbuddy;	/* --buddyinfo */
	const char *print;	/* -p */
	const char *map;	/* --map: the name, less its .svg */
	unsigned long every;
	unsigned long map_every;	/* 0: a map at each checkpoint */
	int strict;
	int policies;		/* --policy given: headers name the run */
};

struct bbr_state {
	const struct bbr_opts *o;
	const char *label;
	struct bb_sandbox *sb;
	struct bb_control ctl;
	struct bbt_map map;
	struct bbt_counts c;
	struct bbt_series series;
	int map_failed;
};

static void bbr_usage(FILE *f)
{
	fprintf(f,
		"usage: bbsim replay TRACE [-p FILES] [--every N] [--json FILE] [--svg FILE]\n"
		"         [--compare JSON,...] [--label NAME] [--zoneinfo FILE]\n"
		"         [--buddyinfo FILE] [--strict] [--policy WORDS]...\n"
		"         [--map FILE [--map-every N]] [key=value ...]\n"
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

/* a label as a part of a file's name: [A-Za-z0-9._=-], else '_' */
static void bbr_file_label(char *out, size_t len, const char *label)
{
	size_t i;

	snprintf(out, len, "%s", label);
	for (i = 0; out[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._=-",
			    out[i]))
			out[i] = '_';
}

/* the pageblock map of the checkpoint at @event: MAP[-LABEL]-EVENT.svg */
static void bbr_map(struct bbr_state *st, unsigned long event)
{
	char path[512], lab[80];

	if (st->o->policies) {
		bbr_file_label(lab, sizeof(lab), st->label);
		snprintf(path, sizeof(path), "%s-%s-%lu.svg", st->o->map, lab,
			 event);
	} else {
		snprintf(path, sizeof(path), "%s-%lu.svg", st->o->map, event);
	}
	if (bbsim_map(st->sb, path, st->label))
		st->map_failed = 1;
}

static int bbr_checkpoint(struct bbr_state *st, unsigned long event, int last)
{
	static void (* const show[])(struct seq_file *, struct bb_sandbox *) = {
		bb_show_buddyinfo, bb_show_vmstat, bb_show_pagetypeinfo,
		bb_show_pageblocks, bb_show_fallbacks,
	};
	char *text[ARRAY_SIZE(show)];
	struct bbt_texts t;
	struct bbt_point p;
	int ret = -ENOMEM, i, missing = 0;

	for (i = 0; i < (int)ARRAY_SIZE(show); i++) {
		text[i] = bbr_text(st->sb, show[i]);
		missing |= !text[i];
	}
	if (!missing) {
		t.buddyinfo = text[0];
		t.vmstat = text[1];
		t.pagetypeinfo = text[2];
		t.pageblocks = text[3];
		t.fallbacks = text[4];
		ret = bbt_point_parse(&p, event, &t);
		if (!ret)
			ret = bbt_series_add(&st->series, &p);
	}
	for (i = 0; i < (int)ARRAY_SIZE(show); i++)
		free(text[i]);
	if (!ret && st->o->map &&
	    (last || !st->o->map_every || event % st->o->map_every == 0))
		bbr_map(st, event);
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

static int bbr_compare(const char *list, struct bbt_series *own, int nown,
		       struct bbt_series **all, int *nr)
{
	char *copy = strdup(list), *p = copy, *name;
	int ret = 0, i;

	*all = calloc(nown, sizeof(**all));
	if (!copy || !*all) {
		free(copy);
		return -ENOMEM;
	}
	for (i = 0; i < nown; i++)
		(*all)[i] = own[i];
	*nr = nown;
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

/* does a key=value word of @words start with @key (@len bytes)? */
static bool bbr_given(char **words, int nr, const char *key, size_t len)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strncmp(words[i], key, len))
			return true;
	return false;
}

static double bbr_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One replay of the trace into a sandbox made with @cfg: the summary and
 * the files on stdout, the JSON into @json (when not NULL), the maps;
 * @series keeps the checkpoints when not NULL.  Returns the exit status.
 */
static int bbr_run(const struct bbr_opts *o, const struct bb_config *cfg,
		   const char *label, const char *json,
		   struct bbt_series *series)
{
	struct bbr_state st = { .o = o, .label = label };
	unsigned long nev = 0;
	struct bbt_reader rd;
	struct bbt_event ev;
	char *list, *args, *name;
	int ret, status = 0;
	double t0;

	if (bbt_open(&rd, o->trace, o->strict, stderr))
		return 2;
	ret = bb_sandbox_create(cfg, &st.sb);
	if (ret) {
		fprintf(stderr, "bbsim replay: %s: cannot make the sandbox: %s\n",
			label, strerror(-ret));
		bbt_close(&rd);
		return 1;
	}
	bb_control_init(&st.ctl, st.sb);
	bbt_map_init(&st.map);
	snprintf(st.series.label, sizeof(st.series.label), "%s", label);

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
		if (++nev % o->every == 0 && bbr_checkpoint(&st, nev, 0)) {
			ret = -ENOMEM;
			break;
		}
	}
	if (bbt_close(&rd) && !ret)
		ret = -EIO;
	if (ret) {
		fprintf(stderr, "bbsim replay: %s: %s at line %lu\n", o->trace,
			ret == -EINVAL ? "stopped (--strict)" : strerror(-ret),
			rd.line);
		status = 2;
		goto out;
	}
	if (!st.series.nr || st.series.pts[st.series.nr - 1].event != nev) {
		if (bbr_checkpoint(&st, nev, 1))
			status = 1;
	} else if (o->map && o->map_every && nev % o->map_every) {
		/* the last checkpoint fell on --every, not on --map-every */
		bbr_map(&st, nev);
	}
	if (o->policies)
		fprintf(stderr, "bbsim replay: %s: %lu events in %.3f s\n",
			label, nev, bbr_now() - t0);
	else
		fprintf(stderr, "bbsim replay: %lu events in %.3f s\n", nev,
			bbr_now() - t0);

	if (o->policies)
		printf("== policy %s\n", label);
	bbt_print_summary(stdout, &rd, &st.c);
	if (bbsim_show(st.sb, &st.ctl, "check"))
		status = 3;
	if (o->kbuddy) {
		char *k = bbt_slurp(o->kbuddy), *s = bbr_text(st.sb, bb_show_buddyinfo);

		if (!k) {
			fprintf(stderr, "bbsim replay: %s: %s\n", o->kbuddy,
				strerror(errno));
			status = 1;
		} else if (s) {
			bbt_buddyinfo_side(stdout, k, s);
		}
		free(k);
		free(s);
	}
	list = strdup(o->print);
	for (args = list; (name = strsep(&args, ","));)
		if (strcmp(name, "none") && bbsim_show(st.sb, &st.ctl, name))
			status = 3;
	free(list);
	if (st.map_failed)
		status = status ? status : 1;

	if (json) {
		FILE *f = fopen(json, "w");

		if (!f) {
			fprintf(stderr, "bbsim replay: %s: %s\n", json, strerror(errno));
			status = 1;
		} else {
			bbt_json_write(f, o->trace, &rd, &st.c, &st.series);
			if (fclose(f))
				status = 1;
		}
	}
	if (series) {
		*series = st.series;
		st.series.pts = NULL;
	}
out:
	bbt_series_release(&st.series);
	bbt_map_release(&st.map);
	bb_control_release(&st.ctl);
	bb_sandbox_destroy(st.sb);
	if (bb_env_warnings) {
		fprintf(stderr, "bbsim replay: %s: the core WARNed %lu time(s)\n",
			label, bb_env_warnings);
		if (!status)
			status = 4;
	}
	return status;
}

/*
 * A run per --policy, each in a child process of its own so that it
 * starts from the same state as it would alone (the clock of the
 * synchronous daemons, the core's globals): the same policy gives the
 * same numbers with or without others beside it.  Each writes its JSON
 * (PREFIX.LABEL.json, or a temporary file), read back for the chart.
 */
static int bbr_policies(const struct bbr_opts *o, const struct bb_config *base,
			char **policies, int nr, const char *json,
			struct bbt_series *series)
{
	int i, status = 0;

	for (i = 0; i < nr; i++) {
		char path[512], lab[80], words[256];
		struct bb_control_error err;
		struct bb_config cfg = *base;
		int tmp = 0, st;
		pid_t pid;

		snprintf(words, sizeof(words), "%s", policies[i]);
		if (bb_config_parse(&cfg, words, &err)) {
			fprintf(stderr, "bbsim replay: --policy %s: parameter %s: %s\n",
				policies[i], err.key ? err.key : "", err.what);
			return 1;
		}
		bbr_file_label(lab, sizeof(lab), policies[i]);
		if (json) {
			snprintf(path, sizeof(path), "%s.%s.json", json, lab);
		} else {
			int fd;

			snprintf(path, sizeof(path), "/tmp/bbsim-replay.XXXXXX");
			fd = mkstemp(path);
			if (fd < 0) {
				perror("bbsim replay: mkstemp");
				return 1;
			}
			close(fd);
			tmp = 1;
		}
		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (pid < 0) {
			perror("bbsim replay: fork");
			return 1;
		}
		if (!pid) {
			bb_env_init(BB_ENV_SYNC, 1);
			st = bbr_run(o, &cfg, policies[i], path, NULL);
			fflush(stdout);
			exit(st);
		}
		if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) {
			fprintf(stderr, "bbsim replay: --policy %s: the run died\n",
				policies[i]);
			st = 1;
		} else {
			st = WEXITSTATUS(st);
		}
		if (st) {
			status = status ? status : st;
		} else if (bbt_json_read(path, &series[i], stderr)) {
			status = 1;
		} else {
			snprintf(series[i].label, sizeof(series[i].label), "%s",
				 policies[i]);
		}
		if (tmp)
			unlink(path);
	}
	return status;
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
		{ "policy", required_argument, NULL, 'P' },
		{ "map", required_argument, NULL, 'M' },
		{ "map-every", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct bbr_opts o = { .print = "none", .every = 1000 };
	const char *json = NULL, *svg = NULL, *compare = NULL, *label = NULL;
	const char *zoneinfo = NULL;
	struct bbt_series series[BBR_MAX_POLICIES] = { };
	char *policies[BBR_MAX_POLICIES];
	char zwords[128] = "", zcopy[128], *args, *list, *name, *map = NULL;
	struct bb_control_error err;
	struct bb_config cfg;
	int opt, i, status = 0, npol = 0, nruns = 0;
	size_t args_len;

	while ((opt = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'e':
		case 'E':
			if (kstrtoul(optarg, 10, opt == 'e' ? &o.every : &o.map_every) ||
			    !(opt == 'e' ? o.every : o.map_every)) {
				fprintf(stderr, "bbsim replay: --%s %s: a positive number\n",
					opt == 'e' ? "every" : "map-every", optarg);
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
			o.kbuddy = optarg;
			break;
		case 'S':
			o.strict = 1;
			break;
		case 'p':
			o.print = optarg;
			break;
		case 'P':
			if (npol == BBR_MAX_POLICIES) {
				fprintf(stderr, "bbsim replay: at most %d --policy\n",
					BBR_MAX_POLICIES);
				return 1;
			}
			if (!*optarg) {
				fprintf(stderr, "bbsim replay: --policy: an empty policy\n");
				return 1;
			}
			policies[npol++] = optarg;
			break;
		case 'M':
			free(map);
			map = strdup(optarg);
			/* MAP.svg: the maps are MAP-EVENT.svg */
			if (map && strlen(map) > 4 &&
			    !strcmp(map + strlen(map) - 4, ".svg"))
				map[strlen(map) - 4] = '\0';
			break;
		case 'h':
			bbr_usage(stdout);
			free(map);
			return 0;
		default:
			bbr_usage(stderr);
			free(map);
			return 1;
		}
	}
	o.map = map;
	o.policies = npol > 0;
	if (optind >= argc || (npol && label) || (o.map_every && !map)) {
		if (npol && label)
			fprintf(stderr, "bbsim replay: --label names the one run; with --policy the policy names it\n");
		if (o.map_every && !map)
			fprintf(stderr, "bbsim replay: --map-every needs --map\n");
		bbr_usage(stderr);
		free(map);
		return 1;
	}
	o.trace = argv[optind++];
	list = strdup(o.print);
	for (args = list; (name = strsep(&args, ","));) {
		if (!bbsim_known_file(name)) {
			fprintf(stderr, "bbsim replay: -p: no file %s\n", name);
			free(list);
			free(map);
			return 1;
		}
	}
	free(list);

	if (zoneinfo && bbt_zoneinfo_config(zoneinfo, zwords, sizeof(zwords),
					    stderr)) {
		free(map);
		return 1;
	}
	/*
	 * daemons=sync, then --zoneinfo's words, then the command line's:
	 * a key the command line gives is not taken from the others; a
	 * --policy's words come last, over all of them
	 */
	args_len = strlen(zwords) + 16;
	for (i = optind; i < argc; i++)
		args_len += strlen(argv[i]) + 1;
	args = calloc(1, args_len);
	if (!bbr_given(argv + optind, argc - optind, "daemons=", 8))
		strcat(args, "daemons=sync ");
	snprintf(zcopy, sizeof(zcopy), "%s", zwords);
	list = zcopy;
	while ((name = strsep(&list, " "))) {
		if (!*name || bbr_given(argv + optind, argc - optind, name,
					strcspn(name, "=") + 1))
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
			free(map);
			return 1;
		}
		strcat(args, argv[i]);
		strcat(args, " ");
	}
	for (i = 0; i < npol; i++) {
		if (strstr(policies[i], "daemons=")) {
			fprintf(stderr, "bbsim replay: --policy %s: daemons= is the same for every run\n",
				policies[i]);
			free(args);
			free(map);
			return 1;
		}
	}
	bb_config_default(&cfg);
	if (bb_config_parse(&cfg, args, &err)) {
		fprintf(stderr, "bbsim replay: parameter %s%s: %s\n",
			err.key ? err.key : "", zwords[0] ? " (with --zoneinfo's)" : "",
			err.what);
		free(args);
		free(map);
		return 1;
	}
	if (zwords[0])
		fprintf(stderr, "bbsim replay: from %s: %s\n", zoneinfo, zwords);
	free(args);

	if (npol) {
		status = bbr_policies(&o, &cfg, policies, npol, json, series);
		nruns = npol;
	} else {
		bb_env_init(BB_ENV_SYNC, 1);
		status = bbr_run(&o, &cfg, label ? label : "bbsim", json,
				 svg ? &series[0] : NULL);
		nruns = 1;
	}
	if (svg && status != 2) {
		struct bbt_series *all = NULL;
		int nr = 0;
		FILE *f;

		if (compare) {
			if (bbr_compare(compare, series, nruns, &all, &nr)) {
				status = 1;
				free(all);
				all = NULL;
			}
		} else {
			all = series;
			nr = nruns;
		}
		if (all) {
			f = fopen(svg, "w");
			if (!f || bbt_chart_svg(f, all, nr) || fclose(f)) {
				fprintf(stderr, "bbsim replay: %s: cannot write\n", svg);
				status = 1;
			}
		}
		if (compare && all) {
			for (i = nruns; i < nr; i++)
				bbt_series_release(&all[i]);
			free(all);
		}
	}
	for (i = 0; i < nruns; i++)
		bbt_series_release(&series[i]);
	free(map);
	return status;
}
