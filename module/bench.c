// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: an in-kernel benchmark, the debugfs file "bench".
 *
 * A write such as
 *
 *	order=0 iters=200000 cpus=2 kind=buddybox batch=1
 *
 * runs one kernel thread on each of the first @cpus online CPUs, bound to
 * it.  After a short untimed warm-up the threads wait for each other and
 * then each does @iters allocations of @order and frees them again, timed
 * with ktime_get_ns():
 *
 *	kind=buddybox		__bb_alloc_pages() / bb_free_pages()
 *	kind=kernel		alloc_pages() / __free_pages()
 *	kind=bulk_buddybox	bb_alloc_pages_bulk() / bb_free_pages_bulk()
 *	kind=bulk_kernel	alloc_pages_bulk_array() / __free_pages()
 *
 * With batch=1 (the default for the first two) every allocation is freed at
 * once; with batch=N, N allocations are made and then the N are freed.  The
 * bulk kinds take order 0 only and ask for batch pages at a time (64 by
 * default).  The write returns when every thread is done; a fatal signal
 * stops the threads early (-EINTR).  An allocation that fails (orders 9
 * and 10 in a fragmented machine) is counted, never retried.
 *
 * A read prints the last run as "key value" lines: per CPU and in total the
 * attempts, failures, nanoseconds, ns per pair (ns / attempts) and pairs
 * per second (freed pairs / wall time), and the sandbox's metadata.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "buddybox.h"
#include "bench.h"

#define BB_BENCH_LINE_MAX	256
#define BB_BENCH_MAX_CPUS	64
#define BB_BENCH_MAX_ITERS	100000000ULL
#define BB_BENCH_MAX_BATCH	4096
#define BB_BENCH_BULK_BATCH	64
/* untimed allocations before the clock starts, per CPU */
#define BB_BENCH_MAX_WARMUP	10000ULL
/* cond_resched() and a look at the stop flag every this many attempts */
#define BB_BENCH_RESCHED_MASK	255

#define BB_BENCH_GFP		(GFP_KERNEL | __GFP_NOWARN)
#define BB_BENCH_BB_GFP		(BB_GFP_KERNEL | BB___GFP_NOWARN)

enum bb_bench_kind {
	BB_BENCH_BUDDYBOX,
	BB_BENCH_KERNEL,
	BB_BENCH_BULK_BUDDYBOX,
	BB_BENCH_BULK_KERNEL,
	BB_BENCH_NR_KINDS
};

static const char * const bb_bench_kind_names[BB_BENCH_NR_KINDS] = {
	[BB_BENCH_BUDDYBOX] = "buddybox",
	[BB_BENCH_KERNEL] = "kernel",
	[BB_BENCH_BULK_BUDDYBOX] = "bulk_buddybox",
	[BB_BENCH_BULK_KERNEL] = "bulk_kernel",
};

static bool bb_bench_is_bulk(enum bb_bench_kind kind)
{
	return kind == BB_BENCH_BULK_BUDDYBOX || kind == BB_BENCH_BULK_KERNEL;
}

struct bb_bench_params {
	enum bb_bench_kind kind;
	unsigned int order;
	unsigned int cpus;
	unsigned int batch;
	u64 iters;		/* allocations per CPU */
};

/* What one CPU did in the timed loop. */
struct bb_bench_cpu_result {
	unsigned int cpu;
	u64 attempts;
	u64 failures;
	u64 ns;
};

struct bb_bench_result {
	bool valid;
	struct bb_bench_params p;
	struct bb_bench_cpu_result cpu[BB_BENCH_MAX_CPUS];
	u64 wall_ns;		/* first start to last end */
};

struct bb_bench_run {
	struct bb_sandbox *sb;
	struct bb_bench_params p;
	u64 warmup;
	unsigned int nr;
	atomic_t ready;		/* threads warmed up and waiting */
	bool stop;		/* a fatal signal: every thread ends */
};

struct bb_bench_worker {
	struct bb_bench_run *run;
	struct task_struct *task;
	struct completion done;
	unsigned int cpu;
	unsigned long *pfns;	/* buddybox, batch > 1 */
	struct page **pages;	/* kernel, batch > 1 */
	u64 t0, t1;
	u64 attempts, failures;
};

/* The bench file of one sandbox. */
struct bb_bench {
	struct bb_sandbox *sb;
	struct mutex lock;	/* serialises runs; @last is read under it */
	struct bb_bench_result last;
};

/* metadata */

struct bb_bench_meta {
	unsigned long sandbox;		/* struct bb_sandbox */
	unsigned long descriptors;	/* a bb_page and a bb_page_ext a page */
	unsigned long pageblocks;	/* a migratetype and a zone per pageblock */
	unsigned long percpu;		/* pcp lists, zone and vm events */
};

static void bb_bench_meta(struct bb_sandbox *sb, struct bb_bench_meta *m)
{
	unsigned long nr_pages = sb->region.nr_pages;
	struct bb_zone *zone;

	m->sandbox = sizeof(*sb);
	/* vzalloc() and vmalloc() hand out whole pages */
	m->descriptors = PAGE_ALIGN(array_size(nr_pages, sizeof(*sb->pages))) +
			 PAGE_ALIGN(array_size(nr_pages, sizeof(*sb->page_ext)));
	m->pageblocks = PAGE_ALIGN(nr_pages >> BB_PAGEBLOCK_ORDER) +
			PAGE_ALIGN(array_size(nr_pages >> BB_PAGEBLOCK_ORDER,
					      sizeof(*sb->pageblock_zone)));
	m->percpu = 0;
	if (sb->events)
		m->percpu += num_possible_cpus() * sizeof(struct bb_vm_events);
	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		if (zone->per_cpu_pageset)
			m->percpu += num_possible_cpus() *
				     sizeof(struct bb_per_cpu_pages);
		if (zone->stats)
			m->percpu += num_possible_cpus() *
				     sizeof(struct bb_zone_stats);
	}
}

/*
 * What the sandbox allocated for itself, beside the region: the page
 * descriptors, the pageblock array, the per-CPU lists and counters and
 * struct bb_sandbox (which holds the nodes and zones).
 */
unsigned long bb_sandbox_metadata_bytes(struct bb_sandbox *sb)
{
	struct bb_bench_meta m;

	bb_bench_meta(sb, &m);
	return m.sandbox + m.descriptors + m.pageblocks + m.percpu;
}

/* the loops */

static bool bb_bench_resched(struct bb_bench_run *run, u64 i)
{
	if (likely(i & BB_BENCH_RESCHED_MASK))
		return false;
	cond_resched();
	return READ_ONCE(run->stop);
}

static void bb_bench_buddybox(struct bb_bench_run *run, u64 iters,
			      u64 *attempts, u64 *failures)
{
	struct bb_sandbox *sb = run->sb;
	unsigned int order = run->p.order;
	struct bb_alloc_result res;
	u64 i, fail = 0;

	for (i = 0; i < iters; i++) {
		if (unlikely(__bb_alloc_pages(sb, BB_BENCH_BB_GFP, order, 0, 0,
					      &res)))
			fail++;
		else
			bb_free_pages(sb, res.pfn, order);
		if (bb_bench_resched(run, i + 1)) {
			i++;
			break;
		}
	}
	*attempts = i;
	*failures = fail;
}

static void bb_bench_kernel(struct bb_bench_run *run, u64 iters,
			    u64 *attempts, u64 *failures)
{
	unsigned int order = run->p.order;
	struct page *page;
	u64 i, fail = 0;

	for (i = 0; i < iters; i++) {
		page = alloc_pages(BB_BENCH_GFP, order);
		if (unlikely(!page))
			fail++;
		else
			__free_pages(page, order);
		if (bb_bench_resched(run, i + 1)) {
			i++;
			break;
		}
	}
	*attempts = i;
	*failures = fail;
}

/* One round of a batch or bulk loop: n allocations, then n frees. */
static unsigned int bb_bench_round(struct bb_bench_worker *w, unsigned int n)
{
	struct bb_bench_run *run = w->run;
	struct bb_sandbox *sb = run->sb;
	unsigned int order = run->p.order;
	struct bb_alloc_result res;
	unsigned int i, got = 0;
	unsigned long done;
	int ret;

	switch (run->p.kind) {
	case BB_BENCH_BUDDYBOX:
		for (i = 0; i < n; i++)
			if (!__bb_alloc_pages(sb, BB_BENCH_BB_GFP, order, 0, 0,
					      &res))
				w->pfns[got++] = res.pfn;
		for (i = 0; i < got; i++)
			bb_free_pages(sb, w->pfns[i], order);
		break;
	case BB_BENCH_KERNEL:
		for (i = 0; i < n; i++) {
			struct page *page = alloc_pages(BB_BENCH_GFP, order);

			if (page)
				w->pages[got++] = page;
		}
		for (i = 0; i < got; i++)
			__free_pages(w->pages[i], order);
		break;
	case BB_BENCH_BULK_BUDDYBOX:
		/* as a caller wanting n pages: again while it makes progress */
		while (got < n) {
			ret = bb_alloc_pages_bulk(sb, BB_BENCH_BB_GFP, 0,
						  n - got, w->pfns + got);
			if (ret <= 0)
				break;
			got += ret;
		}
		bb_free_pages_bulk(sb, w->pfns, got);
		break;
	case BB_BENCH_BULK_KERNEL:
		/* fills the NULL entries, returns how many are filled */
		do {
			done = got;
			got = alloc_pages_bulk_array(BB_BENCH_GFP, n, w->pages);
		} while (got < n && got > done);
		for (i = 0; i < n; i++) {
			if (w->pages[i]) {
				__free_pages(w->pages[i], 0);
				w->pages[i] = NULL;
			}
		}
		break;
	default:
		break;
	}
	return got;
}

static void bb_bench_rounds(struct bb_bench_worker *w, u64 iters,
			    u64 *attempts, u64 *failures)
{
	struct bb_bench_run *run = w->run;
	u64 done = 0, fail = 0, rounds = 0;
	unsigned int n;

	while (done < iters) {
		n = min_t(u64, run->p.batch, iters - done);
		fail += n - bb_bench_round(w, n);
		done += n;
		/* a round is more work: a look every few rounds */
		cond_resched();
		if ((++rounds & 15) == 0 && READ_ONCE(run->stop))
			break;
	}
	*attempts = done;
	*failures = fail;
}

static void bb_bench_loop(struct bb_bench_worker *w, u64 iters,
			  u64 *attempts, u64 *failures)
{
	struct bb_bench_run *run = w->run;

	if (run->p.batch == 1 && run->p.kind == BB_BENCH_BUDDYBOX)
		bb_bench_buddybox(run, iters, attempts, failures);
	else if (run->p.batch == 1 && run->p.kind == BB_BENCH_KERNEL)
		bb_bench_kernel(run, iters, attempts, failures);
	else
		bb_bench_rounds(w, iters, attempts, failures);
}

static int bb_bench_thread(void *data)
{
	struct bb_bench_worker *w = data;
	struct bb_bench_run *run = w->run;
	u64 attempts, failures;

	bb_bench_loop(w, run->warmup, &attempts, &failures);

	/* start together: every thread is on its own CPU */
	atomic_inc(&run->ready);
	while (atomic_read(&run->ready) < run->nr && !READ_ONCE(run->stop))
		cond_resched();

	w->t0 = ktime_get_ns();
	bb_bench_loop(w, run->p.iters, &w->attempts, &w->failures);
	w->t1 = ktime_get_ns();
	kthread_complete_and_exit(&w->done, 0);
}

/* Waits for @w's thread, asking every thread to stop on a fatal signal. */
static void bb_bench_wait(struct bb_bench_run *run, struct bb_bench_worker *w)
{
	/* a timeout, so that a long run is not a hung task */
	while (!wait_for_completion_timeout(&w->done, HZ))
		if (fatal_signal_pending(current))
			WRITE_ONCE(run->stop, true);
}

static int bb_bench_run(struct bb_bench *b, const struct bb_bench_params *p)
{
	struct bb_sandbox *sb = b->sb;
	struct bb_bench_result *r = &b->last;
	struct bb_bench_worker *w;
	struct bb_bench_run run = {
		.sb = sb,
		.p = *p,
		.nr = p->cpus,
		.warmup = min(BB_BENCH_MAX_WARMUP, p->iters / 10),
		.ready = ATOMIC_INIT(0),
	};
	unsigned int i = 0, created, cpu;
	u64 first = U64_MAX, last = 0;
	int ret = 0;

	w = kcalloc(p->cpus, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		if (i == p->cpus)
			break;
		w[i].run = &run;
		w[i].cpu = cpu;
		init_completion(&w[i].done);
		i++;
	}
	if (i < p->cpus) {
		pr_err("bench: cpus=%u: only %u CPUs online\n", p->cpus, i);
		ret = -EINVAL;
		goto out_free;
	}

	for (i = 0; i < p->cpus; i++) {
		if (p->batch == 1 && !bb_bench_is_bulk(p->kind))
			continue;
		if (p->kind == BB_BENCH_BUDDYBOX ||
		    p->kind == BB_BENCH_BULK_BUDDYBOX)
			w[i].pfns = kvcalloc(p->batch, sizeof(*w[i].pfns),
					     GFP_KERNEL);
		else
			w[i].pages = kvcalloc(p->batch, sizeof(*w[i].pages),
					      GFP_KERNEL);
		if (!w[i].pfns && !w[i].pages) {
			ret = -ENOMEM;
			goto out_free;
		}
	}

	for (created = 0; created < p->cpus; created++) {
		struct task_struct *t;

		t = kthread_create_on_cpu(bb_bench_thread, &w[created],
					  w[created].cpu, "bb_bench/%u");
		if (IS_ERR(t)) {
			ret = PTR_ERR(t);
			goto out_stop;
		}
		w[created].task = t;
	}
	for (i = 0; i < p->cpus; i++)
		wake_up_process(w[i].task);
	for (i = 0; i < p->cpus; i++)
		bb_bench_wait(&run, &w[i]);
	if (READ_ONCE(run.stop)) {
		ret = -EINTR;
		goto out_free;
	}

	memset(r, 0, sizeof(*r));
	r->p = *p;
	for (i = 0; i < p->cpus; i++) {
		r->cpu[i].cpu = w[i].cpu;
		r->cpu[i].attempts = w[i].attempts;
		r->cpu[i].failures = w[i].failures;
		r->cpu[i].ns = w[i].t1 - w[i].t0;
		first = min(first, w[i].t0);
		last = max(last, w[i].t1);
	}
	r->wall_ns = last - first;
	r->valid = true;
	goto out_free;

out_stop:
	/* not woken yet: they end without running bb_bench_thread() */
	for (i = 0; i < created; i++)
		kthread_stop(w[i].task);
out_free:
	for (i = 0; i < p->cpus; i++) {
		kvfree(w[i].pfns);
		kvfree(w[i].pages);
	}
	kfree(w);
	return ret;
}

/* the debugfs file */

static int bb_bench_parse_u64(const char *key, const char *val, u64 min,
			      u64 max, u64 *out)
{
	if (kstrtou64(val, 0, out) || *out < min || *out > max) {
		pr_err("bench: %s=%s: must be %llu to %llu\n", key, val, min,
		       max);
		return -EINVAL;
	}
	return 0;
}

static int bb_bench_parse(char *line, struct bb_bench_params *p)
{
	bool batch_given = false;
	char *tok, *val;
	u64 v;
	int ret, kind;

	memset(p, 0, sizeof(*p));
	p->kind = BB_BENCH_BUDDYBOX;
	p->cpus = 1;
	p->batch = 1;
	p->iters = 100000;

	while ((tok = strsep(&line, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		val = strchr(tok, '=');
		if (!val) {
			pr_err("bench: '%s': want key=value (order, iters, cpus, kind, batch)\n",
			       tok);
			return -EINVAL;
		}
		*val++ = '\0';
		if (!strcmp(tok, "order")) {
			ret = bb_bench_parse_u64(tok, val, 0, BB_MAX_ORDER - 1,
						 &v);
			p->order = v;
		} else if (!strcmp(tok, "iters")) {
			ret = bb_bench_parse_u64(tok, val, 1,
						 BB_BENCH_MAX_ITERS, &p->iters);
		} else if (!strcmp(tok, "cpus")) {
			ret = bb_bench_parse_u64(tok, val, 1,
						 min_t(unsigned int,
						       num_online_cpus(),
						       BB_BENCH_MAX_CPUS), &v);
			p->cpus = v;
		} else if (!strcmp(tok, "batch")) {
			ret = bb_bench_parse_u64(tok, val, 1,
						 BB_BENCH_MAX_BATCH, &v);
			p->batch = v;
			batch_given = true;
		} else if (!strcmp(tok, "kind")) {
			kind = match_string(bb_bench_kind_names,
					    BB_BENCH_NR_KINDS, val);
			if (kind < 0) {
				pr_err("bench: kind=%s: must be buddybox, kernel, bulk_buddybox or bulk_kernel\n",
				       val);
				return -EINVAL;
			}
			p->kind = kind;
			ret = 0;
		} else {
			pr_err("bench: unknown field '%s' (order, iters, cpus, kind, batch)\n",
			       tok);
			return -EINVAL;
		}
		if (ret)
			return ret;
	}
	if (bb_bench_is_bulk(p->kind)) {
		if (p->order) {
			pr_err("bench: order=%u: kind=%s takes order 0 only\n",
			       p->order, bb_bench_kind_names[p->kind]);
			return -EINVAL;
		}
		if (!batch_given)
			p->batch = BB_BENCH_BULK_BATCH;
	}
	return 0;
}

static ssize_t bb_bench_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct bb_bench *b = file_inode(file)->i_private;
	struct bb_bench_params p;
	char *buf;
	int ret;

	/* nothing written, nothing to run (not a run with the defaults) */
	if (!len)
		return 0;
	if (len > BB_BENCH_LINE_MAX) {
		pr_err("bench: a line of %zu bytes: at most %d\n", len,
		       BB_BENCH_LINE_MAX);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	/* a NUL byte would hide the rest of the line from the parser */
	if (strlen(buf) != len) {
		pr_err("bench: a NUL byte in the line\n");
		kfree(buf);
		return -EINVAL;
	}
	ret = bb_bench_parse(buf, &p);
	kfree(buf);
	if (ret)
		return ret;

	if (mutex_lock_killable(&b->lock))
		return -EINTR;
	ret = bb_bench_run(b, &p);
	mutex_unlock(&b->lock);
	return ret ? ret : len;
}

/* "key a/b" with one decimal */
static void bb_bench_put_ratio(struct seq_file *m, const char *key, u64 a,
			       u64 b)
{
	u64 q = b ? div64_u64(a * 10, b) : 0;

	seq_printf(m, "%s %llu.%llu\n", key, div_u64(q, 10), q % 10);
}

static u64 bb_bench_per_sec(u64 n, u64 ns)
{
	return ns ? div64_u64(n * NSEC_PER_SEC, ns) : 0;
}

static int bb_bench_show(struct seq_file *m, void *v)
{
	struct bb_bench *b = m->private;
	struct bb_sandbox *sb = b->sb;
	struct bb_bench_result *r = &b->last;
	u64 attempts = 0, failures = 0, ns = 0;
	struct bb_bench_meta meta;
	unsigned long total;
	char key[32];
	unsigned int i;

	if (mutex_lock_killable(&b->lock))
		return -EINTR;
	seq_printf(m, "valid %d\n", r->valid);
	if (r->valid) {
		seq_printf(m, "kind %s\n", bb_bench_kind_names[r->p.kind]);
		seq_printf(m, "order %u\n", r->p.order);
		seq_printf(m, "batch %u\n", r->p.batch);
		seq_printf(m, "cpus %u\n", r->p.cpus);
		seq_printf(m, "iters %llu\n", r->p.iters);
		for (i = 0; i < r->p.cpus; i++) {
			const struct bb_bench_cpu_result *c = &r->cpu[i];

			seq_printf(m, "cpu%u_attempts %llu\n", c->cpu,
				   c->attempts);
			seq_printf(m, "cpu%u_failures %llu\n", c->cpu,
				   c->failures);
			seq_printf(m, "cpu%u_ns %llu\n", c->cpu, c->ns);
			snprintf(key, sizeof(key), "cpu%u_ns_per_pair", c->cpu);
			bb_bench_put_ratio(m, key, c->ns, c->attempts);
			seq_printf(m, "cpu%u_pairs_per_sec %llu\n", c->cpu,
				   bb_bench_per_sec(c->attempts - c->failures,
						    c->ns));
			attempts += c->attempts;
			failures += c->failures;
			ns += c->ns;
		}
		seq_printf(m, "attempts %llu\n", attempts);
		seq_printf(m, "failures %llu\n", failures);
		seq_printf(m, "wall_ns %llu\n", r->wall_ns);
		/* the mean time of one pair on one CPU */
		bb_bench_put_ratio(m, "ns_per_pair", ns, attempts);
		/* the throughput of all the CPUs together */
		seq_printf(m, "pairs_per_sec %llu\n",
			   bb_bench_per_sec(attempts - failures, r->wall_ns));
	}
	mutex_unlock(&b->lock);

	bb_bench_meta(sb, &meta);
	total = bb_sandbox_metadata_bytes(sb);
	seq_printf(m, "region_pages %lu\n", sb->region.nr_pages);
	seq_printf(m, "metadata_bytes %lu\n", total);
	seq_printf(m, "metadata_sandbox_bytes %lu\n", meta.sandbox);
	seq_printf(m, "metadata_descriptor_bytes %lu\n", meta.descriptors);
	seq_printf(m, "metadata_pageblock_bytes %lu\n", meta.pageblocks);
	seq_printf(m, "metadata_percpu_bytes %lu\n", meta.percpu);
	seq_printf(m, "page_descriptor_size %zu\n", sizeof(struct bb_page) +
		   sizeof(struct bb_page_ext));
	seq_printf(m, "possible_cpus %u\n", num_possible_cpus());
	return 0;
}

static int bb_bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, bb_bench_show, inode->i_private);
}

static const struct file_operations bb_bench_fops = {
	.owner = THIS_MODULE,
	.open = bb_bench_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = bb_bench_write,
};

/*
 * The file "bench" in @dir, for @sb; NULL when there is no memory for it
 * (the file is missing then).  bb_bench_release() once @dir is removed.
 */
struct bb_bench *bb_bench_debugfs_init(struct dentry *dir,
				       struct bb_sandbox *sb)
{
	struct bb_bench *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return NULL;
	b->sb = sb;
	mutex_init(&b->lock);
	debugfs_create_file("bench", 0600, dir, b, &bb_bench_fops);
	return b;
}

void bb_bench_release(struct bb_bench *b)
{
	if (!b)
		return;
	mutex_destroy(&b->lock);
	kfree(b);
}
