// SPDX-License-Identifier: GPL-2.0
/*
 * buddyctl replay: a real kernel's page allocations (a trace of its kmem
 * events, tools/capture.sh) replayed through /dev/buddybox into one or
 * more sandboxes, each through its own descriptor:
 *
 *   buddyctl replay TRACE [--sandbox A,B,...] [--every N] [--json PREFIX]
 *	[--svg FILE] [--buddyinfo FILE] [--map PREFIX [--map-every N]]
 *	[--strict]
 *
 * Each mm_page_alloc becomes a BB_IOC_ALLOC of the same order and gfp
 * flags in every sandbox, each mm_page_free the BB_IOC_FREE of the
 * allocation standing for that pfn there; a free of a pfn never seen
 * allocated is counted and skipped, the other events are counted
 * (tools/replay/bbtrace.h).  Every N events (default 1000) and at the end
 * a checkpoint reads the sandbox's debugfs buddyinfo, vmstat,
 * pagetypeinfo, pageblocks (mixed ones) and fallbacks (by kind).  At the
 * end: the summary of each sandbox, its check, its buddyinfo beside the
 * traced kernel's (--buddyinfo), PREFIX.NAME.json, and one chart with a
 * line per sandbox.  --map PREFIX: each sandbox's pageblock map at each
 * checkpoint (every N events with --map-every, and at the end), drawn from
 * its debugfs pageblock_map into PREFIX-NAME-EVENT.svg.  A sandbox whose
 * OOM killer chooses the replay's descriptor (it is too small for the
 * trace) loses every allocation: the replay says at which line, and counts
 * its later allocations as failed.  Exit status: 0; 1 when a sandbox could
 * not be used, its check is not ok or a map could not be drawn; 2 for bad
 * usage, a trace that cannot be read, or --strict stopping at a bad line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buddybox.h"
#include "bbmap.h"
#include "bbtrace.h"
#include "replay.h"

#define BBR_DEBUGFS	"/sys/kernel/debug/buddybox"
#define BBR_MAX_SB	8

struct bbr_sb {
	char name[BB_SANDBOX_NAME_LEN];
	int fd;
	struct bbt_map map;
	struct bbt_counts c;
	struct bbt_series series;
	int failed;		/* an ioctl failed in another way than ENOMEM */
	unsigned long oom_line;	/* the OOM killer chose the descriptor here */
};

static char *bbr_file(const char *sb, const char *file)
{
	char path[256];

	if (snprintf(path, sizeof(path), BBR_DEBUGFS "/%s/%s", sb, file) >= (int)sizeof(path))
		return NULL;
	return bbt_slurp(path);
}

/* the sandbox's pageblock map now, into MAP-NAME-EVENT.svg; 0 or -errno */
static int bbr_map(struct bbr_sb *s, const char *map, unsigned long event)
{
	char *text = bbr_file(s->name, "pageblock_map");
	char path[512], err[256];
	struct bbmap m;
	int ret = -EIO;

	snprintf(path, sizeof(path), "%s-%s-%lu.svg", map, s->name, event);
	if (text && !bbmap_parse_buf(text, strlen(text), "pageblock_map", &m, err,
				     sizeof(err))) {
		ret = bbmap_svg_file(path, &m, s->name);
		bbmap_free(&m);
		if (ret)
			fprintf(stderr, "buddyctl replay: %s: %s\n", path, strerror(errno));
	} else {
		fprintf(stderr, "buddyctl replay: %s: no pageblock map%s%s\n", s->name,
			text ? ": " : "", text ? err : "");
	}
	free(text);
	return ret ? -EIO : 0;
}

static int bbr_checkpoint(struct bbr_sb *s, unsigned long event)
{
	char *text[ARRAY_SIZE(bbt_text_files)];
	struct bbt_texts t;
	struct bbt_point p;
	int ret = -EIO, i, missing = 0;

	for (i = 0; i < (int)ARRAY_SIZE(text); i++) {
		text[i] = bbr_file(s->name, bbt_text_files[i]);
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
			ret = bbt_series_add(&s->series, &p);
	}
	for (i = 0; i < (int)ARRAY_SIZE(text); i++)
		free(text[i]);
	if (ret)
		fprintf(stderr, "buddyctl replay: %s: cannot read its debugfs files\n",
			s->name);
	return ret;
}

/*
 * The OOM killer chose the replay's descriptor: every allocation is gone,
 * and every later request answers EIO.  The request that woke it may have
 * failed with ENOMEM, and frees may come before the next allocation.
 */
static void bbr_oom_killed(struct bbr_sb *s, unsigned long line)
{
	s->oom_line = line;
	fprintf(stderr, "buddyctl replay: %s: OOM-killed at trace line %lu\n",
		s->name, line);
}

/* a FREE that failed: EIO is the OOM kill, anything else a failure */
static void bbr_ioctl_failed(struct bbr_sb *s, unsigned long line)
{
	if (errno == EIO)
		bbr_oom_killed(s, line);
	else
		s->failed++;
}

static void bbr_free(struct bbr_sb *s, const struct bbt_event *ev)
{
	unsigned long long handle;
	struct bb_free_req req;
	unsigned int order;

	s->c.free_events++;
	if (!bbt_map_get(&s->map, ev->pfn, &handle, &order)) {
		s->c.unseen_frees++;
		return;
	}
	if (order != ev->order)
		s->c.order_mismatch++;
	memset(&req, 0, sizeof(req));
	req.handle = handle;
	/* once OOM-killed, the descriptor's pages are already gone */
	if (!s->oom_line && ioctl(s->fd, BB_IOC_FREE, &req) < 0)
		bbr_ioctl_failed(s, ev->line);
	bbt_map_del(&s->map, ev->pfn);
	s->c.freed++;
}

static int bbr_alloc(struct bbr_sb *s, const struct bbt_event *ev)
{
	unsigned long long handle;
	struct bb_alloc_req req;
	struct bb_free_req fr;
	unsigned int order;

	s->c.alloc_events++;
	if (ev->no_page) {
		s->c.trace_failed++;
		return 0;
	}
	if ((int)((ev->gfp & (BB___GFP_MOVABLE | BB___GFP_RECLAIMABLE)) >> 3) !=
	    ev->migratetype)
		s->c.mt_mismatch++;
	if (bbt_map_get(&s->map, ev->pfn, &handle, &order)) {
		/* the trace missed a free: the old allocation goes first */
		s->c.pfn_reused++;
		memset(&fr, 0, sizeof(fr));
		fr.handle = handle;
		if (!s->oom_line && ioctl(s->fd, BB_IOC_FREE, &fr) < 0)
			bbr_ioctl_failed(s, ev->line);
		bbt_map_del(&s->map, ev->pfn);
	}
	if (s->oom_line) {
		s->c.sandbox_failed++;
		return 0;
	}
	memset(&req, 0, sizeof(req));
	req.order = ev->order;
	req.gfp = ev->gfp;
	req.nid = -1;
	if (ioctl(s->fd, BB_IOC_ALLOC, &req) < 0) {
		/* ENOMEM is the sandbox's answer; EINVAL a gfp it refuses */
		if (errno == EIO)
			bbr_oom_killed(s, ev->line);
		s->c.sandbox_failed++;
		return 0;
	}
	s->c.allocated++;
	return bbt_map_put(&s->map, ev->pfn, req.handle, ev->order);
}

static int bbr_open(struct bbr_sb *s, const char *device, const char *name)
{
	struct bb_attach_req req;

	memset(s, 0, sizeof(*s));
	bbt_map_init(&s->map);
	if (strlen(name) >= sizeof(s->name) || !*name) {
		fprintf(stderr, "buddyctl replay: --sandbox: bad name '%s'\n", name);
		return -EINVAL;
	}
	memcpy(s->name, name, strlen(name) + 1);
	snprintf(s->series.label, sizeof(s->series.label), "%s", name);
	s->fd = open(device, O_RDWR | O_CLOEXEC);
	if (s->fd < 0) {
		fprintf(stderr, "buddyctl replay: %s: %s\n", device, strerror(errno));
		return -errno;
	}
	memset(&req, 0, sizeof(req));
	memcpy(req.name, name, strlen(name));
	if (ioctl(s->fd, BB_IOC_ATTACH, &req) < 0) {
		fprintf(stderr, "buddyctl replay: sandbox %s: %s\n", name, strerror(errno));
		close(s->fd);
		s->fd = -1;
		return -errno;
	}
	return 0;
}

static void bbr_usage(void)
{
	fprintf(stderr,
		"usage: buddyctl replay TRACE [--sandbox A,B,...] [--every N] [--json PREFIX]\n"
		"                [--svg FILE] [--buddyinfo FILE] [--map PREFIX [--map-every N]]\n"
		"                [--strict]\n");
}

static double bbr_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* the end of one sandbox's replay: summary, check, files; 0 or 1 */
static int bbr_report(struct bbr_sb *s, struct bbt_reader *rd, const char *trace,
		      const char *kbuddy, const char *json)
{
	char *check, *mine, *k;
	int ret = 0;

	printf("== sandbox %s\n", s->name);
	bbt_print_summary(stdout, rd, &s->c);
	if (s->oom_line)
		printf("replay: OOM-killed at trace line %lu\n", s->oom_line);
	if (s->failed) {
		printf("replay: %d ioctls failed otherwise than for want of memory\n",
		       s->failed);
		ret = 1;
	}
	check = bbr_file(s->name, "check");
	printf("check: %s", check ? check : "unreadable\n");
	if (!check || strcmp(check, "ok\n"))
		ret = 1;
	free(check);
	if (kbuddy) {
		k = bbt_slurp(kbuddy);
		mine = bbr_file(s->name, "buddyinfo");
		if (k && mine) {
			bbt_buddyinfo_side(stdout, k, mine);
		} else {
			fprintf(stderr, "buddyctl replay: cannot read %s or %s's buddyinfo\n",
				kbuddy, s->name);
			ret = 1;
		}
		free(k);
		free(mine);
	}
	if (json) {
		char path[512];
		FILE *f;

		if (snprintf(path, sizeof(path), "%s.%s.json", json, s->name) >=
		    (int)sizeof(path))
			f = NULL;
		else
			f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "buddyctl replay: %s: %s\n", path, strerror(errno));
			return 1;
		}
		bbt_json_write(f, trace, rd, &s->c, &s->series);
		if (fclose(f))
			ret = 1;
	}
	return ret;
}

static int bbr_svg(const char *svg, struct bbr_sb *sbs, int nr)
{
	struct bbt_series all[BBR_MAX_SB];
	FILE *f;
	int i;

	for (i = 0; i < nr; i++)
		all[i] = sbs[i].series;
	f = fopen(svg, "w");
	if (!f || bbt_chart_svg(f, all, nr) || fclose(f)) {
		fprintf(stderr, "buddyctl replay: %s: cannot write\n", svg);
		return 1;
	}
	return 0;
}

int bb_replay_main(int argc, char **argv, const char *device, const char *sandbox)
{
	const char *trace = NULL, *json = NULL, *svg = NULL, *kbuddy = NULL;
	const char *map = NULL;
	char *names = NULL, *p, *name;
	unsigned long every = 1000, nev = 0, map_every = 0;
	struct bbr_sb sbs[BBR_MAX_SB];
	struct bbt_reader rd;
	struct bbt_event ev;
	int i, nr = 0, strict = 0, ret = 0, status = 0;
	double t0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--strict")) {
			strict = 1;
			continue;
		}
		if (a[0] != '-') {
			if (trace) {
				bbr_usage();
				return 2;
			}
			trace = a;
			continue;
		}
		if (!v) {
			fprintf(stderr, "buddyctl replay: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (!strcmp(a, "--sandbox") || !strcmp(a, "-s")) {
			sandbox = v;
		} else if (!strcmp(a, "--every") || !strcmp(a, "--map-every")) {
			unsigned long *n = a[2] == 'e' ? &every : &map_every;
			char *end;

			*n = strtoul(v, &end, 10);
			if (*end || !*n) {
				fprintf(stderr, "buddyctl replay: %s %s: a positive number\n",
					a, v);
				return 2;
			}
		} else if (!strcmp(a, "--map")) {
			map = v;
		} else if (!strcmp(a, "--json")) {
			json = v;
		} else if (!strcmp(a, "--svg")) {
			svg = v;
		} else if (!strcmp(a, "--buddyinfo")) {
			kbuddy = v;
		} else {
			fprintf(stderr, "buddyctl replay: unknown option %s\n", a);
			bbr_usage();
			return 2;
		}
	}
	if (!trace || (map_every && !map)) {
		if (map_every && !map)
			fprintf(stderr, "buddyctl replay: --map-every needs --map\n");
		bbr_usage();
		return 2;
	}
	names = strdup(sandbox ? sandbox : "default");
	for (p = names; (name = strsep(&p, ","));) {
		if (nr == BBR_MAX_SB) {
			fprintf(stderr, "buddyctl replay: at most %d sandboxes\n", BBR_MAX_SB);
			status = 2;
			goto out;
		}
		if (bbr_open(&sbs[nr], device, name)) {
			status = 1;
			goto out;
		}
		nr++;
	}
	if (bbt_open(&rd, trace, strict, stderr)) {
		status = 2;
		goto out;
	}
	t0 = bbr_now();
	while (!ret && (ret = bbt_next(&rd, &ev)) > 0) {
		ret = 0;
		for (i = 0; i < nr && !ret; i++) {
			if (ev.kind == BBT_ALLOC)
				ret = bbr_alloc(&sbs[i], &ev);
			else if (ev.kind == BBT_FREE)
				bbr_free(&sbs[i], &ev);
			else if (ev.kind == BBT_FREE_BATCHED)
				sbs[i].c.batched++;
			else
				sbs[i].c.drains++;
		}
		if (!ret && ++nev % every == 0) {
			for (i = 0; i < nr && !ret; i++)
				ret = bbr_checkpoint(&sbs[i], nev);
			for (i = 0; i < nr && !ret && map; i++)
				if (!map_every || nev % map_every == 0)
					ret = bbr_map(&sbs[i], map, nev);
		}
	}
	if (bbt_close(&rd) && !ret)
		ret = -EIO;
	if (ret) {
		fprintf(stderr, "buddyctl replay: %s: %s at line %lu\n", trace,
			ret == -EINVAL ? "stopped (--strict)" : strerror(-ret),
			rd.line);
		status = 2;
		goto out;
	}
	for (i = 0; i < nr; i++) {
		struct bbt_series *s = &sbs[i].series;

		if ((!s->nr || s->pts[s->nr - 1].event != nev) &&
		    bbr_checkpoint(&sbs[i], nev))
			status = 1;
		/* the end's map, unless its checkpoint drew one already */
		if (map && (nev % every || (map_every && nev % map_every)) &&
		    bbr_map(&sbs[i], map, nev))
			status = 1;
	}
	printf("replay: %lu events into %d sandbox(es) in %.3f s\n", nev, nr,
	       bbr_now() - t0);
	for (i = 0; i < nr; i++)
		if (bbr_report(&sbs[i], &rd, trace, kbuddy, json))
			status = 1;
	if (svg && bbr_svg(svg, sbs, nr))
		status = 1;
out:
	for (i = 0; i < nr; i++) {
		close(sbs[i].fd);	/* frees what the descriptor holds */
		bbt_map_release(&sbs[i].map);
		bbt_series_release(&sbs[i].series);
	}
	free(names);
	return status;
}
