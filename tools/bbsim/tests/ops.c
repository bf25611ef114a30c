// SPDX-License-Identifier: GPL-2.0
/*
 * bbsim's tests: bytes to sandbox operations (see ops.h).
 *
 * The first three bytes make the sandbox (nodes, sizes, zones, pcp,
 * daemons); each operation then takes one byte for what it is and a few
 * for its arguments.  Missing bytes read as zero, so every input is a
 * valid program.  Two device-like owners (OOM candidates) and the
 * control file's owner hold the allocations; each allocation is stamped
 * at both ends with its own pattern, read back later: a block handed out
 * twice, or moved by compaction without its bytes, shows.
 */
#include "ops.h"

#define BB_OPS_MAX_OPS		2000	/* per input */
#define BB_OPS_MAX_TRACKED	256	/* allocations kept per owner */
#define BB_OPS_NR_OWNERS	2

struct bb_ops_reader {
	const u8 *p;
	size_t left;
};

static u8 bb_get8(struct bb_ops_reader *r)
{
	if (!r->left)
		return 0;
	r->left--;
	return *r->p++;
}

static u16 bb_get16(struct bb_ops_reader *r)
{
	return bb_get8(r) | (u16)bb_get8(r) << 8;
}

static u32 bb_get32(struct bb_ops_reader *r)
{
	return bb_get16(r) | (u32)bb_get16(r) << 16;
}

struct bb_ops_alloc {
	u32 handle;
	unsigned int order;
	u64 stamp;		/* at the first and the last 8 bytes */
};

struct bb_ops_owner {
	struct bb_owner owner;
	struct bb_ops_alloc a[BB_OPS_MAX_TRACKED];
	unsigned int nr;
	int id;
};

struct bb_ops {
	struct bb_sandbox *sb;
	struct bb_control ctl;
	struct bb_ops_owner owners[BB_OPS_NR_OWNERS];
	struct bb_ops_stats *stats;
	FILE *log;
	unsigned long op;
	u64 next_stamp;
	char trace_buf[2048];
};

static __printf(2, 3) void bb_ops_log(struct bb_ops *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->log)
		return;
	fprintf(o->log, "%lu: ", o->op);
	va_start(ap, fmt);
	vfprintf(o->log, fmt, ap);
	va_end(ap);
	fputc('\n', o->log);
}

static __printf(2, 3) void bb_ops_die(struct bb_ops *o, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bbtest: operation %lu: ", o->op);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* gfp masks a caller would use, and some it should not */
static const bb_gfp_t bb_ops_gfps[] = {
	BB_GFP_KERNEL,
	BB_GFP_KERNEL | BB___GFP_MOVABLE,
	BB_GFP_HIGHUSER_MOVABLE,
	BB_GFP_KERNEL | BB___GFP_RECLAIMABLE,
	BB_GFP_ATOMIC,
	BB_GFP_NOWAIT,
	BB_GFP_NOIO,
	BB_GFP_NOFS,
	BB_GFP_KERNEL | BB___GFP_DMA,
	BB_GFP_KERNEL | BB___GFP_DMA32,
	BB_GFP_KERNEL | BB___GFP_NORETRY,
	BB_GFP_KERNEL | BB___GFP_RETRY_MAYFAIL,
	BB_GFP_KERNEL | BB___GFP_THISNODE,
	BB_GFP_KERNEL | BB___GFP_NOWARN,
	BB_GFP_ATOMIC | BB___GFP_MEMALLOC,
	BB_GFP_KERNEL | BB___GFP_HIGH | BB___GFP_ZERO | BB___GFP_COMP,
};

/* orders, mostly small as in a running kernel */
static unsigned int bb_ops_order(u8 b)
{
	if (b < 160)
		return b % 4;
	if (b < 240)
		return b % BB_MAX_ORDER;
	return b - 240;	/* 0 .. 15: a few beyond the last order */
}

static void bb_ops_stamp_io(struct bb_ops *o, struct bb_ops_owner *ow,
			    struct bb_ops_alloc *a, bool write)
{
	size_t size = PAGE_SIZE << a->order;
	u64 offsets[2] = { 0, size - sizeof(u64) };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct kvec kv;
		struct iov_iter it;
		u64 v = write ? a->stamp : 0;
		int ret;

		kv.iov_base = &v;
		kv.iov_len = sizeof(v);
		iov_iter_kvec(&it, write ? WRITE : READ, &kv, 1, sizeof(v));
		ret = bb_owner_rw(&ow->owner, a->handle, offsets[i], &it, write);
		if (ret == -ESTALE)	/* a cache allocation reclaim dropped */
			return;
		if (ret == -EIO && READ_ONCE(ow->owner.oom_killed))
			return;
		if (ret)
			bb_ops_die(o, "owner %d handle %u: %s at %llu: %d",
				   ow->id, a->handle, write ? "write" : "read",
				   (unsigned long long)offsets[i], ret);
		if (!write && v != a->stamp)
			bb_ops_die(o, "owner %d handle %u (order %u): %#llx at byte %llu, not %#llx",
				   ow->id, a->handle, a->order,
				   (unsigned long long)v,
				   (unsigned long long)offsets[i],
				   (unsigned long long)a->stamp);
	}
	if (!write)
		o->stats->verified++;
}

/* the OOM killer took this owner's everything: a new descriptor */
static void bb_ops_owner_reopen(struct bb_ops *o, struct bb_ops_owner *ow)
{
	bb_owner_release(&ow->owner);
	bb_owner_init(&ow->owner, o->sb);
	ow->owner.tgid = 1000 + ow->id;
	bb_oom_register(&ow->owner);
	ow->nr = 0;
}

static void bb_ops_after_oom(struct bb_ops *o)
{
	unsigned int i;

	for (i = 0; i < BB_OPS_NR_OWNERS; i++) {
		if (READ_ONCE(o->owners[i].owner.oom_killed)) {
			o->stats->oom_kills++;
			bb_ops_log(o, "owner %u was OOM-killed", i);
			bb_ops_owner_reopen(o, &o->owners[i]);
		}
	}
}

static void bb_ops_alloc(struct bb_ops *o, struct bb_ops_reader *r)
{
	u8 sel = bb_get8(r), g = bb_get8(r), nb = bb_get8(r);
	struct bb_ops_owner *ow = &o->owners[sel & 1];
	unsigned int order = bb_ops_order(bb_get8(r));
	u32 flags = 0, nodemask = 0;
	struct bb_trace trace = { .buf = o->trace_buf,
				  .size = sizeof(o->trace_buf) };
	struct bb_alloc out;
	bb_gfp_t gfp;
	int nid = -1, ret;

	if (ow->nr == BB_OPS_MAX_TRACKED)
		return;
	/* 1 in 8: any 32 bits, which must be refused cleanly or served */
	gfp = (g & 7) == 7 ? bb_get32(r) : bb_ops_gfps[(g >> 3) % ARRAY_SIZE(bb_ops_gfps)];
	/*
	 * __GFP_NOFAIL retries for ever once nothing can be reclaimed, as in
	 * the kernel, where only a fatal signal ends it: none comes here.
	 */
	gfp &= ~BB___GFP_NOFAIL;
	if (sel & 2)
		flags |= BB_ALLOC_F_CACHE;
	if (nb & 0x80)
		nid = (nb & 0x7) % (o->sb->nr_nodes + 1);	/* one too far: -EINVAL */
	if (nb & 0x40)
		nodemask = (nb >> 3) & 0x7;
	ret = bb_owner_alloc(&ow->owner, gfp, order, nid, nodemask, flags,
			     sel & 4 ? &trace : NULL, &out);
	bb_ops_log(o, "alloc owner=%d order=%u gfp=%#x nid=%d nodemask=%#x flags=%#x: %d%s%u",
		   ow->id, order, gfp, nid, nodemask, flags, ret,
		   ret ? "" : " handle=", ret ? 0 : out.handle);
	if (ret) {
		o->stats->alloc_failed++;
		return;
	}
	o->stats->allocs++;
	ow->a[ow->nr].handle = out.handle;
	ow->a[ow->nr].order = order;
	ow->a[ow->nr].stamp = ++o->next_stamp * 0x9e3779b97f4a7c15ULL;
	bb_ops_stamp_io(o, ow, &ow->a[ow->nr], true);
	ow->nr++;
}

static void bb_ops_forget(struct bb_ops_owner *ow, unsigned int i)
{
	ow->a[i] = ow->a[--ow->nr];
}

static void bb_ops_free(struct bb_ops *o, struct bb_ops_reader *r)
{
	u8 sel = bb_get8(r), k = bb_get8(r);
	struct bb_ops_owner *ow = &o->owners[sel & 1];
	int ret;

	if (!ow->nr || (sel & 0xf0) == 0xf0) {
		/* a handle it may not have: -ENOENT, and nothing changes */
		u32 h = bb_get32(r);

		unsigned int i;

		ret = bb_owner_free(&ow->owner, h);
		bb_ops_log(o, "free owner=%d handle=%u (any): %d", ow->id, h, ret);
		for (i = 0; !ret && i < ow->nr; i++)
			if (ow->a[i].handle == h)
				bb_ops_forget(ow, i);
		return;
	}
	k %= ow->nr;
	bb_ops_stamp_io(o, ow, &ow->a[k], false);
	ret = bb_owner_free(&ow->owner, ow->a[k].handle);
	bb_ops_log(o, "free owner=%d handle=%u: %d", ow->id, ow->a[k].handle, ret);
	if (ret && !READ_ONCE(ow->owner.oom_killed))
		bb_ops_die(o, "free of live handle %u: %d", ow->a[k].handle, ret);
	bb_ops_forget(ow, k);
}

static void bb_ops_bulk(struct bb_ops *o, struct bb_ops_reader *r)
{
	u8 sel = bb_get8(r), n = bb_get8(r);
	struct bb_ops_owner *ow = &o->owners[sel & 1];
	u64 handles[64];
	unsigned int nr = 1 + n % 64, done = 0, i;
	int ret;

	if (sel & 2) {
		/* free a run of tracked order-0 allocations together */
		unsigned int idx[64];

		nr = 0;
		for (i = 0; i < ow->nr && nr < 64; i++)
			if (!ow->a[i].order)
				idx[nr++] = i;
		if (!nr)
			return;
		for (i = 0; i < nr; i++)
			handles[i] = ow->a[idx[i]].handle;
		ret = bb_owner_free_bulk(&ow->owner, handles, nr, &done);
		bb_ops_log(o, "free_bulk owner=%d nr=%u: %d done=%u", ow->id, nr, ret, done);
		if (ret && !READ_ONCE(ow->owner.oom_killed))
			bb_ops_die(o, "free_bulk of live handles: %d", ret);
		while (nr--)	/* from the top: indices stay valid */
			bb_ops_forget(ow, idx[nr]);
		return;
	}
	nr = min(nr, BB_OPS_MAX_TRACKED - ow->nr);
	if (!nr)
		return;
	ret = bb_owner_alloc_bulk(&ow->owner, sel & 4 ? BB_GFP_KERNEL :
				  BB_GFP_HIGHUSER_MOVABLE, -1, nr, handles);
	bb_ops_log(o, "alloc_bulk owner=%d nr=%u: %d", ow->id, nr, ret);
	for (i = 0; ret > 0 && i < (unsigned int)ret; i++) {
		struct bb_ops_alloc *a = &ow->a[ow->nr++];

		a->handle = handles[i];
		a->order = 0;
		a->stamp = ++o->next_stamp * 0x9e3779b97f4a7c15ULL;
		bb_ops_stamp_io(o, ow, a, true);
		o->stats->allocs++;
	}
}

static void bb_ops_verify(struct bb_ops *o, struct bb_ops_reader *r)
{
	struct bb_ops_owner *ow = &o->owners[bb_get8(r) & 1];
	unsigned int i;

	for (i = 0; i < ow->nr; i++)
		bb_ops_stamp_io(o, ow, &ow->a[i], false);
	bb_ops_log(o, "verify owner=%d: %u allocations", ow->id, ow->nr);
}

/* control lines, well formed from templates or raw bytes for the parser */
static void bb_ops_control(struct bb_ops *o, struct bb_ops_reader *r)
{
	static const char * const names[] = {
		"min_free_kbytes", "watermark_scale_factor",
		"watermark_boost_factor", "percpu_pagelist_high_fraction",
		"compaction_proactiveness", "extfrag_threshold",
		"percpu_pagelist_batch", "no_such_tunable",
	};
	struct bb_control_error err;
	u8 kind = bb_get8(r), a = bb_get8(r), b = bb_get8(r);
	char line[256];
	int ret;

	switch (kind % 8) {
	case 0:
		snprintf(line, sizeof(line), "alloc order=%u gfp=%s count=%u%s",
			 bb_ops_order(a), b & 1 ? "GFP_KERNEL|__GFP_MOVABLE" :
			 b & 2 ? "GFP_ATOMIC" : "GFP_KERNEL", 1 + (b >> 4),
			 b & 4 ? " flags=cache" : "");
		break;
	case 1:
		snprintf(line, sizeof(line), "free handle=%u\nfree handle=%u",
			 a, b);
		break;
	case 2:
		snprintf(line, sizeof(line), "free all");
		break;
	case 3:
		snprintf(line, sizeof(line), "reclaim pages=%u", 1 + a * 4);
		break;
	case 4:
		snprintf(line, sizeof(line), "compact%s%s",
			 a & 1 ? " node=0" : "",
			 a & 2 ? " zone=Normal" : a & 4 ? " zone=DMA" : "");
		break;
	case 5: {
		/* the value: small, or any int */
		int v = b & 1 ? (int)bb_get32(r) : (int)(bb_get16(r) % 4096);

		snprintf(line, sizeof(line), "set %s=%d", names[a % ARRAY_SIZE(names)], v);
		break;
	}
	case 6:
		/* vmstat: pcp_high=6.7's decay of high; nothing under 6.1 */
		snprintf(line, sizeof(line), "%s",
			 a & 1 ? "vmstat" : "drain\ndrop_caches");
		break;
	default: {
		/* raw text */
		size_t n = min_t(size_t, a % 64, r->left), i;

		for (i = 0; i < n; i++)
			line[i] = bb_get8(r) ?: ' ';
		line[n] = '\0';
		break;
	}
	}
	ret = bb_control_run(&o->ctl, line, &err);
	bb_ops_log(o, "control \"%s\": %d", line, ret);
}

static void bb_ops_tunable(struct bb_ops *o, struct bb_ops_reader *r)
{
	u8 sel = bb_get8(r);
	const struct bb_tunable *t;
	unsigned int n = 0;
	int val, ret;

	while (bb_tunable(n))
		n++;
	if (sel & 0x80) {
		int ratio[BB_MAX_NR_ZONES], i;

		for (i = 0; i < BB_MAX_NR_ZONES; i++)
			ratio[i] = (s8)bb_get8(r);
		ret = bb_set_lowmem_reserve_ratio(o->sb, ratio);
		bb_ops_log(o, "lowmem_reserve_ratio %d %d %d %d: %d",
			   ratio[0], ratio[1], ratio[2], ratio[3], ret);
		return;
	}
	t = bb_tunable(sel % n);
	val = sel & 0x40 ? (int)bb_get32(r) : bb_get16(r) % 2048;
	ret = t->set(o->sb, val);
	bb_ops_log(o, "set %s=%d: %d", t->name, val, ret);
}

static void bb_ops_check(struct bb_ops *o)
{
	struct bb_check_report rep = { .size = BB_CHECK_REPORT_SIZE };
	static char buf[BB_CHECK_REPORT_SIZE];

	rep.buf = buf;
	buf[0] = '\0';
	if (bb_check(o->sb, &rep) || rep.problems)
		bb_ops_die(o, "the checker: %u problem(s):\n%s", rep.problems, buf);
	if (bb_env_warnings)
		bb_ops_die(o, "the core WARNed");
}

const char *bb_ops_policy;

static int bb_ops_make(struct bb_ops *o, struct bb_ops_reader *r)
{
	u8 a = bb_get8(r), b = bb_get8(r), c = bb_get8(r);
	struct bb_config cfg;
	unsigned long node_mb;
	int ret;

	bb_config_default(&cfg);
	cfg.nodes = 1 + (a & 1);
	node_mb = 4 * (1 + ((a >> 1) & 3));		/* 4 .. 16 MiB a node */
	cfg.size_mb = node_mb * cfg.nodes;
	cfg.dma_mb = b & 1 ? 2 : 0;
	cfg.dma32_mb = 2 * ((b >> 1) & 1);
	cfg.movable_mb = b & 4 ? 2 : 0;
	if (cfg.dma_mb + cfg.dma32_mb + cfg.movable_mb > node_mb)
		cfg.dma32_mb = 0;
	cfg.pcp_disabled = (a & 0x30) == 0x30;
	cfg.daemons = a & 0x40;
	/* the core's sync mode: no thread, the wakes run after each step */
	cfg.daemons_sync = a & 0x80;
	if (c & 1)
		cfg.percpu_pagelist_high_fraction = 8 + (c >> 1);
	if (c & 0x80)
		cfg.watermark_boost_factor = 0;
	if (bb_ops_policy) {
		struct bb_control_error err;
		char words[128];

		snprintf(words, sizeof(words), "%s", bb_ops_policy);
		if (bb_config_parse(&cfg, words, &err))
			bb_ops_die(o, "the policy \"%s\" does not parse",
				   bb_ops_policy);
	}
	bb_env_init(BB_ENV_SYNC, 1 + ((b >> 4) & 1));
	ret = bb_sandbox_create(&cfg, &o->sb);
	bb_ops_log(o, "sandbox nodes=%d size_mb=%lu dma_mb=%lu dma32_mb=%lu movable_mb=%lu pcp=%s daemons=%s cpus=%u: %d",
		   cfg.nodes, cfg.size_mb, cfg.dma_mb, cfg.dma32_mb,
		   cfg.movable_mb, cfg.pcp_disabled ? "off" : "on",
		   cfg.daemons_sync ? "sync" : cfg.daemons ? "on" : "off",
		   bb_env_nr_cpus, ret);
	return ret;
}

void bb_ops_run(const u8 *data, size_t len, FILE *log,
		struct bb_ops_stats *stats)
{
	struct bb_ops_reader r = { data, len };
	static struct bb_ops o;
	unsigned long total;
	unsigned int i;

	memset(&o, 0, sizeof(o));
	o.stats = stats;
	o.log = log;
	bb_env_warnings = 0;
	if (bb_ops_make(&o, &r))
		bb_ops_die(&o, "the sandbox was not made");
	total = o.sb->region.nr_pages;
	bb_control_init(&o.ctl, o.sb);
	for (i = 0; i < BB_OPS_NR_OWNERS; i++) {
		o.owners[i].id = i + 1;
		bb_owner_init(&o.owners[i].owner, o.sb);
		o.owners[i].owner.tgid = 1000 + i + 1;
		bb_oom_register(&o.owners[i].owner);
	}
	bb_ops_check(&o);

	while (r.left && o.op < BB_OPS_MAX_OPS) {
		u8 op = bb_get8(&r);

		o.op++;
		switch (op % 16) {
		case 0: case 1: case 2: case 3: case 4:
			bb_ops_alloc(&o, &r);
			break;
		case 5: case 6: case 7:
			bb_ops_free(&o, &r);
			break;
		case 8:
			bb_ops_bulk(&o, &r);
			break;
		case 9:
			bb_ops_verify(&o, &r);
			break;
		case 10:
			bb_drain_all_pages(o.sb, NULL);
			bb_ops_log(&o, "drain");
			break;
		case 11: {
			u8 b = bb_get8(&r);
			int nid = b % o.sb->nr_nodes;
			int zone = (b >> 4) % (BB_MAX_NR_ZONES + 1) - 1;

			bb_ops_log(&o, "compact node=%d zone=%d: %d", nid, zone,
				   bb_compact_node(o.sb, nid, zone));
			break;
		}
		case 12: {
			u8 b = bb_get8(&r);

			bb_ops_log(&o, "reclaim: %lu",
				   b & 1 ? bb_drop_caches(o.sb) :
				   bb_reclaim_pages(o.sb, (b >> 1) % 2 ? 0 : -1,
						    1 + (b >> 2) * 8));
			break;
		}
		case 13:
		case 14:
			bb_ops_control(&o, &r);
			break;
		default:
			bb_ops_tunable(&o, &r);
			break;
		}
		bb_ops_after_oom(&o);
		/* a safe point, as after each line of bbsim */
		bb_env_tick(1);
		bb_env_run_daemons();
		bb_run_pending_daemons(o.sb);
		bb_ops_check(&o);
		stats->ops++;
	}

	/* everything back: every page free once the pcp lists are drained */
	for (i = 0; i < BB_OPS_NR_OWNERS; i++) {
		struct bb_ops_owner *ow = &o.owners[i];
		unsigned int k;

		for (k = 0; k < ow->nr; k++)
			bb_ops_stamp_io(&o, ow, &ow->a[k], false);
		bb_owner_release(&ow->owner);
	}
	bb_control_release(&o.ctl);
	stats->daemon_wakes = bb_sum_event(o.sb, BB_KSWAPD_WAKE) +
			      bb_sum_event(o.sb, BB_KCOMPACTD_WAKE);
	bb_env_run_daemons();
	bb_drain_all_pages(o.sb, NULL);
	bb_ops_check(&o);
	if (bb_sandbox_free_pages(o.sb) != total)
		bb_ops_die(&o, "after freeing everything %lu of %lu pages are free",
			   bb_sandbox_free_pages(o.sb), total);
	bb_sandbox_destroy(o.sb);
	if (bb_env_warnings)
		bb_ops_die(&o, "the core WARNed at the end");
}

/*
 * The checker must see what it is there to see: corrupt a sandbox in one
 * way at a time and expect a problem.  Returns how many went unnoticed.
 */
int bb_ops_checker_selftest(void)
{
	static const char * const what[] = {
		"a free block's head loses its buddy flag",
		"a free list's nr_free is one too many",
		"a free block claims a larger order",
		"an allocated page claims to be free",
		"the zone's free page count is off",
		"a pcp list's count is off",
		"fallback=6.10: a free block's pageblock of another type",
		"pcp_high=6.7: a list's high above its high_max",
	};
	struct bb_check_report rep = { .size = BB_CHECK_REPORT_SIZE };
	static char buf[BB_CHECK_REPORT_SIZE];
	unsigned int i, missed = 0;

	rep.buf = buf;
	for (i = 0; i < ARRAY_SIZE(what); i++) {
		struct bb_config cfg;
		struct bb_sandbox *sb;
		struct bb_alloc_result res;
		struct bb_zone *zone;
		struct bb_free_area *area;
		struct bb_page *page;
		struct bb_per_cpu_pages *pcp;
		unsigned long pfn;
		u8 saved;

		bb_config_default(&cfg);
		cfg.size_mb = 16;
		cfg.dma_mb = 0;
		cfg.dma32_mb = 0;
		if (i == 6 && bb_config_parse_one(&cfg, "fallback", "6.10"))
			return -1;
		if (i == 7 && bb_config_parse_one(&cfg, "pcp_high", "6.7"))
			return -1;
		bb_env_init(BB_ENV_SYNC, 1);
		if (bb_sandbox_create(&cfg, &sb))
			return -1;
		zone = &sb->node[0].node_zones[BB_ZONE_NORMAL_IDX];
		/* an order-0 page in use, another on the pcp list */
		if (__bb_alloc_pages(sb, BB_GFP_KERNEL, 0, 0, 0, &res))
			return -1;
		buf[0] = '\0';
		if (bb_check(sb, &rep) || rep.problems) {
			fprintf(stderr, "selftest: a sound sandbox fails the checker:\n%s", buf);
			return -1;
		}
		area = &zone->free_area[BB_MAX_ORDER - 1];
		page = list_first_entry(&area->free_list[BB_MIGRATE_MOVABLE],
					struct bb_page, lru);
		pfn = bb_page_to_pfn(sb, page);
		switch (i) {
		case 0:
			bb_pfn_to_page_ext(sb, pfn)->flags &= ~BB_PG_BUDDY;
			break;
		case 1:
			zone->free_area[3].nr_free++;
			break;
		case 2:
			bb_pfn_to_page_ext(sb, pfn + 512)->flags = BB_PG_BUDDY;
			bb_pfn_to_page_ext(sb, pfn + 512)->order = 3;
			break;
		case 3:
			saved = bb_pfn_to_page_ext(sb, res.pfn)->flags;
			bb_pfn_to_page_ext(sb, res.pfn)->flags = BB_PG_BUDDY | saved;
			break;
		case 4:
			zone->nr_free_pages--;
			break;
		case 5:
			pcp = per_cpu_ptr(zone->per_cpu_pageset, 0);
			pcp->count++;
			break;
		case 6:
			/* the second pageblock of a free order-10 block */
			bb_set_pageblock_migratetype(sb, pfn + 512,
						     BB_MIGRATE_RECLAIMABLE);
			break;
		case 7:
			pcp = per_cpu_ptr(zone->per_cpu_pageset, 0);
			pcp->high = pcp->high_max + 1;
			break;
		}
		buf[0] = '\0';
		bb_check(sb, &rep);
		if (!rep.problems) {
			fprintf(stderr, "selftest: the checker missed: %s\n", what[i]);
			missed++;
		} else {
			printf("selftest: the checker saw: %s (%u problem(s))\n",
			       what[i], rep.problems);
		}
		/* the sandbox is corrupt: its memory goes, not through the core */
		bb_pcp_destroy(sb);
		free(sb->pageblock_zone);
		free(sb->pageblock_mt);
		free(sb->page_ext);
		free(sb->pages);
		free(sb->region.base);
		free_percpu(sb->events);
		free(sb);
	}
	bb_env_warnings = 0;
	return missed;
}
