// SPDX-License-Identifier: GPL-2.0
/*
 * bbsim: buddybox's core in user space.
 *
 *   bbsim [-f FILE] [-p FILES] [-c CPUS] [-C] [-q] [--map SVG] [key=value ...]
 *
 * Builds a sandbox from the key=value words of the module's create lines
 * (config.c: size_mb=, nodes=, dma_mb=, ..., daemons=), runs the control
 * lines of debugfs' control file (control.c: alloc, free, drain, compact,
 * reclaim, drop_caches, set) from FILE or standard input, one line at a
 * time as a shell writes them one by one, and prints the files the module
 * shows (vmstat.c) at the end: buddyinfo unless -p says otherwise.
 *
 *   daemons=off	no kswapd, no kcompactd (the default)
 *   daemons=sync	the core's sync mode, as the module's daemons=sync: no
 *			thread, the work of each wake runs at the end of the
 *			control command that woke it
 *   daemons=on	their threads (the core's kswapd() and kcompactd()), run
 *			one at a time, after each line that woke them (or whose
 *			timeout ran out on a clock that moves one jiffy a line)
 *   daemons=threads	their threads, running freely, as in the kernel
 * With off, sync and on the same input gives the same output, every time.
 *
 * Besides control lines, bbsim takes "show FILE" (print a file now) and
 * "map SVG" (draw the pageblock map now, into the file SVG: a checkpoint).
 *
 *   bbsim replay TRACE ...	replays a real kernel's page allocations
 *				(replay.c)
 *
 *   -p LIST	files to print at the end, comma-separated: buddyinfo,
 *		pagetypeinfo, zoneinfo, vmstat, check, allocations,
 *		extfrag_index, unusable_index, tunables, policy, fallbacks,
 *		pageblocks, pageblock_map; "none" for nothing
 *   --map SVG	draw the pageblock map at the end into SVG (tools/lib/bbmap.c)
 *   -c N	CPUs (default 1: pcp high depends on it, as in the kernel)
 *   -C		run the consistency checker after every line; stop at the
 *		first problem (exit status 3)
 *   -q		do not report the lines that fail
 *
 * Exit status: 0; 1 for bad usage or parameters; 3 when the checker found
 * a problem; 4 when the core WARNed.
 */
#include <getopt.h>

#include "buddybox.h"
#include "bbmap.h"
#include "bbsim.h"

#define BBSIM_LINE_MAX	PAGE_SIZE	/* as one write to control */

static const char * const bbsim_files[] = {
	"buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "check",
	"allocations", "extfrag_index", "unusable_index", "tunables", "policy",
	"fallbacks", "pageblocks", "pageblock_map",
};

static void bbsim_usage(FILE *f)
{
	fprintf(f,
		"usage: bbsim [-f FILE] [-p FILES] [-c CPUS] [-C] [-q] [--map SVG] [key=value ...]\n"
		"  key=value   the sandbox's parameters, as a create line: size_mb= backing=\n"
		"              nodes= dma_mb= dma32_mb= movable_mb= distance= min_free_kbytes=\n"
		"              watermark_scale_factor= watermark_boost_factor=\n"
		"              lowmem_reserve_ratio= percpu_pagelist_high_fraction=\n"
		"              compaction_proactiveness= extfrag_threshold= pcp=on|off\n"
		"              daemons=off|sync|on|threads (see bbsim.c)\n"
		"              fallback= defrag_mode= reserves= highatomic= pcp_high=\n"
		"              generation= (the policy, see module/core/policy.c)\n"
		"  -f FILE     the control lines (default: standard input)\n"
		"  -p FILES    printed at the end, comma-separated (default buddyinfo):\n"
		"              buddyinfo pagetypeinfo zoneinfo vmstat check allocations\n"
		"              extfrag_index unusable_index tunables policy fallbacks\n"
		"              pageblocks pageblock_map none\n"
		"  -c CPUS     the CPUs (default 1)\n"
		"  -C          the consistency checker after every line\n"
		"  -q          quiet: do not report the lines that fail\n"
		"  --map SVG   draw the pageblock map at the end into SVG (and at each\n"
		"              \"map SVG\" line of the input)\n");
}

/* 0, or 3 when the checker found problems (its report is printed) */
int bbsim_show(struct bb_sandbox *sb, struct bb_control *ctl,
	       const char *name)
{
	struct seq_file m;
	int ret = 0;

	seq_file_init(&m);
	if (!strcmp(name, "buddyinfo")) {
		bb_show_buddyinfo(&m, sb);
	} else if (!strcmp(name, "pagetypeinfo")) {
		bb_show_pagetypeinfo(&m, sb);
	} else if (!strcmp(name, "zoneinfo")) {
		bb_show_zoneinfo(&m, sb);
	} else if (!strcmp(name, "vmstat")) {
		bb_show_vmstat(&m, sb);
	} else if (!strcmp(name, "check")) {
		if (bb_show_check(&m, sb))
			ret = 3;
	} else if (!strcmp(name, "allocations")) {
		bb_show_allocations(&m, ctl);
	} else if (!strcmp(name, "extfrag_index")) {
		bb_show_extfrag(&m, sb, false);
	} else if (!strcmp(name, "unusable_index")) {
		bb_show_extfrag(&m, sb, true);
	} else if (!strcmp(name, "policy")) {
		bb_show_policy(&m, sb);
	} else if (!strcmp(name, "fallbacks")) {
		bb_show_fallbacks(&m, sb);
	} else if (!strcmp(name, "pageblocks")) {
		bb_show_pageblocks(&m, sb);
	} else if (!strcmp(name, "pageblock_map")) {
		bb_show_pageblock_map(&m, sb);
	} else if (!strcmp(name, "tunables")) {
		const struct bb_tunable *t;
		unsigned int i;

		for (i = 0; (t = bb_tunable(i)); i++)
			seq_printf(&m, "%s %d\n", t->name, bb_tunable_get(sb, t));
	} else {
		fprintf(stderr, "bbsim: no file %s\n", name);
		ret = 1;
	}
	if (m.count)
		fwrite(m.buf, 1, m.count, stdout);
	seq_file_release(&m);
	return ret;
}

/* the pageblock map, drawn into @path; 0 or 1 */
int bbsim_map(struct bb_sandbox *sb, const char *path, const char *name)
{
	struct seq_file m;
	struct bbmap map;
	char err[256];
	int ret = 0;

	seq_file_init(&m);
	bb_show_pageblock_map(&m, sb);
	if (bbmap_parse_buf(m.buf, m.count, "pageblock_map", &map, err,
			    sizeof(err))) {
		fprintf(stderr, "bbsim: %s\n", err);
		ret = 1;
	} else {
		if (bbmap_svg_file(path, &map, name)) {
			fprintf(stderr, "bbsim: %s: %s\n", path, strerror(errno));
			ret = 1;
		}
		bbmap_free(&map);
	}
	seq_file_release(&m);
	return ret;
}

bool bbsim_known_file(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bbsim_files); i++)
		if (!strcmp(name, bbsim_files[i]))
			return true;
	return !strcmp(name, "none");
}

/* the checker, quietly; its report on stderr when it finds something */
static int bbsim_check(struct bb_sandbox *sb, unsigned long lineno)
{
	struct bb_check_report rep = { .size = BB_CHECK_REPORT_SIZE };
	int ret = 0;

	rep.buf = malloc(rep.size);
	if (!rep.buf)
		return 1;
	rep.buf[0] = '\0';
	if (bb_check(sb, &rep) || rep.problems) {
		fprintf(stderr, "bbsim: line %lu: the checker found %u problem(s):\n%s",
			lineno, rep.problems, rep.buf);
		ret = 3;
	}
	free(rep.buf);
	return ret;
}

/* daemons=threads is bbsim's word for daemons=on with free threads */
static int bbsim_daemons_word(char *word, enum bb_env_mode *mode)
{
	const char *val;

	if (strncmp(word, "daemons=", 8))
		return 0;
	val = word + 8;
	if (!strcmp(val, "threads")) {
		*mode = BB_ENV_THREADS;
		strcpy(word, "daemons=on");
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum bb_env_mode mode = BB_ENV_SYNC;
	static const struct option longopts[] = {
		{ "map", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *file = NULL, *print = "buddyinfo", *map = NULL;
	unsigned long lineno = 0, nr_cmds = 0, nr_failed = 0;
	bool check_every = false, quiet = false;
	struct bb_control_error err;
	struct bb_control ctl;
	struct bb_config cfg;
	struct bb_sandbox *sb;
	unsigned int cpus = 1;
	char *args, *line, *list, *name;
	size_t args_len = 1;
	int opt, i, ret, status = 0;
	FILE *in = stdin;

	if (argc > 1 && !strcmp(argv[1], "replay"))
		return bbsim_replay(argc - 1, argv + 1);
	while ((opt = getopt_long(argc, argv, "f:p:c:Cqh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			map = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'p':
			print = optarg;
			break;
		case 'c':
			if (kstrtouint(optarg, 10, &cpus) || !cpus ||
			    cpus > BB_ENV_MAX_CPUS) {
				fprintf(stderr, "bbsim: -c %s: 1 to %d CPUs\n",
					optarg, BB_ENV_MAX_CPUS);
				return 1;
			}
			break;
		case 'C':
			check_every = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			bbsim_usage(stdout);
			return 0;
		default:
			bbsim_usage(stderr);
			return 1;
		}
	}

	/* the printed files are checked before anything runs */
	list = strdup(print);
	for (args = list; (name = strsep(&args, ","));) {
		if (!bbsim_known_file(name)) {
			fprintf(stderr, "bbsim: -p: no file %s\n", name);
			free(list);
			return 1;
		}
	}
	free(list);

	for (i = optind; i < argc; i++)
		args_len += strlen(argv[i]) + 1;
	args = calloc(1, args_len);
	for (i = optind; i < argc; i++) {
		bbsim_daemons_word(argv[i], &mode);
		strcat(args, argv[i]);
		strcat(args, " ");
	}
	bb_config_default(&cfg);
	if (bb_config_parse(&cfg, args, &err)) {
		fprintf(stderr, "bbsim: parameter %u%s%s: %s\n", err.line,
			err.key ? " " : "", err.key ? err.key : "", err.what);
		free(args);
		return 1;
	}
	free(args);
	if (cfg.contig) {
		fprintf(stderr, "bbsim: backing=contig takes physically contiguous memory: not in user space\n");
		return 1;
	}

	bb_env_init(mode, cpus);
	ret = bb_sandbox_create(&cfg, &sb);
	if (ret) {
		fprintf(stderr, "bbsim: cannot make the sandbox: %s\n",
			strerror(-ret));
		return 1;
	}
	bb_control_init(&ctl, sb);

	if (file) {
		in = fopen(file, "r");
		if (!in) {
			fprintf(stderr, "bbsim: %s: %s\n", file, strerror(errno));
			status = 1;
			goto out;
		}
	}
	line = malloc(BBSIM_LINE_MAX + 2);
	while (fgets(line, BBSIM_LINE_MAX + 2, in)) {
		size_t len = strlen(line);
		char *p = line;

		lineno++;
		if (len > BBSIM_LINE_MAX) {
			fprintf(stderr, "bbsim: line %lu: longer than %lu bytes\n",
				lineno, BBSIM_LINE_MAX);
			status = 1;
			break;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, "show ", 5)) {
			p[strcspn(p, "\r\n")] = '\0';
			ret = bbsim_show(sb, &ctl, skip_spaces(p + 5));
			if (ret) {
				status = ret;
				break;
			}
			continue;
		}
		if (!strncmp(p, "map ", 4)) {
			p[strcspn(p, "\r\n")] = '\0';
			ret = bbsim_map(sb, skip_spaces(p + 4), "bbsim");
			if (ret) {
				status = ret;
				break;
			}
			continue;
		}
		ret = bb_control_run(&ctl, p, &err);
		if (ret == -EINVAL && err.what && err.line == 0 &&
		    !strcmp(err.what, "no command"))
			continue;	/* a blank line or a comment */
		nr_cmds++;
		if (ret) {
			nr_failed++;
			if (!quiet)
				fprintf(stderr, "bbsim: line %lu: %s%s%s (%s)\n",
					lineno, err.what ? err.what : "failed",
					err.key ? ": " : "", err.key ? err.key : "",
					strerror(-ret));
		}
		/* a safe point: no lock of the core is held */
		bb_env_tick(1);
		bb_env_run_daemons();
		if (check_every) {
			status = bbsim_check(sb, lineno);
			if (status)
				break;
		}
	}
	free(line);
	if (file)
		fclose(in);
	if (!quiet)
		fprintf(stderr, "bbsim: %lu commands, %lu failed\n",
			nr_cmds, nr_failed);

	if (!status) {
		list = strdup(print);
		for (args = list; (name = strsep(&args, ","));) {
			ret = strcmp(name, "none") ?
			      bbsim_show(sb, &ctl, name) : 0;
			if (ret)
				status = ret;
		}
		free(list);
		if (map && bbsim_map(sb, map, "bbsim"))
			status = 1;
	}
out:
	bb_control_release(&ctl);
	bb_sandbox_destroy(sb);
	if (bb_env_warnings) {
		fprintf(stderr, "bbsim: the core WARNed %lu time(s)\n",
			bb_env_warnings);
		if (!status)
			status = 4;
	}
	return status;
}
