// SPDX-License-Identifier: GPL-2.0
/*
 * bbenv: the runtime behind bbenv.h (see there for what stands for what).
 *
 * Tasks.  The main thread is task 0.  kthread_run() starts a pthread for
 * a daemon.  In threads mode it runs freely and sleeps on its condition
 * variable in the wait_event_*() stand-ins.  In sync mode one task runs
 * at a time, the one holding the baton: a daemon's sleep hands the baton
 * back to the main thread, and the main thread hands it to a woken daemon
 * only in bb_env_run_daemons(), at a point where it holds no lock of the
 * core.  Which daemon runs, and for how long, then depends only on what
 * the commands did, never on the host's scheduler.
 */
#include <ctype.h>
#include <time.h>
#include <unistd.h>

#include "bbenv.h"

unsigned long bb_env_warnings;
int bb_env_loglevel = 4;
unsigned int bb_env_nr_cpus = 1;
__thread unsigned int bb_env_cpu;

static enum bb_env_mode bb_mode = BB_ENV_SYNC;

/* ---- messages ---- */

void bb_env_printk(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > bb_env_loglevel)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void bb_env_warn(const char *file, int line, const char *cond)
{
	__atomic_fetch_add(&bb_env_warnings, 1, __ATOMIC_RELAXED);
	fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
}

/* ---- memory ---- */

void *bb_env_malloc(size_t size, gfp_t gfp)
{
	if (size == SIZE_MAX)
		return NULL;
	if (gfp & __GFP_ZERO)
		return calloc(1, size ? size : 1);
	return malloc(size ? size : 1);
}

char *kstrdup(const char *s, gfp_t gfp)
{
	(void)gfp;
	return s ? strdup(s) : NULL;
}

void *bb_env_alloc_percpu(size_t size)
{
	if (size > BB_ENV_PCPU_STRIDE) {
		fprintf(stderr, "bbenv: per-CPU object of %zu bytes exceeds the %lu stride\n",
			size, BB_ENV_PCPU_STRIDE);
		abort();
	}
	return calloc(bb_env_nr_cpus, BB_ENV_PCPU_STRIDE);
}

void bb_env_free_percpu(void *p)
{
	free(p);
}

pg_data_t bb_env_host_node;

unsigned long totalram_pages(void)
{
	return sysconf(_SC_PHYS_PAGES);
}

/*
 * User space has no physical page to hand out: backing=contig cannot be
 * had here.  Say so once, and fail as a busy range would.
 */
int alloc_contig_range(unsigned long start, unsigned long end,
		       unsigned int migratetype, gfp_t gfp)
{
	static bool said;

	(void)start; (void)end; (void)migratetype; (void)gfp;
	if (!said) {
		said = true;
		fprintf(stderr, "bbenv: backing=contig needs physical pages: not available in user space\n");
	}
	return -EBUSY;
}

void free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	(void)pfn; (void)nr_pages;
	BUG();
}

struct page *pfn_to_page(unsigned long pfn)
{
	(void)pfn;
	BUG();
	return NULL;
}

void *page_address(const struct page *page)
{
	(void)page;
	BUG();
	return NULL;
}

/* ---- strings, numbers: the kernel's kstrto*() rules ---- */

/* digits only, an optional "+", at most one trailing newline */
static int bb_parse_ull(const char *s, unsigned int base,
			unsigned long long *res)
{
	unsigned long long v = 0;
	const char *p = s;
	int digits = 0;

	if (*p == '+')
		p++;
	if (base == 0) {
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
			base = 16;
			p += 2;
		} else if (p[0] == '0') {
			base = 8;
		} else {
			base = 10;
		}
	} else if (base == 16 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
	}
	for (; *p; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		if (__builtin_mul_overflow(v, base, &v) ||
		    __builtin_add_overflow(v, d, &v))
			return -ERANGE;
		digits++;
	}
	if (!digits)
		return -EINVAL;
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	return bb_parse_ull(s, base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int ret;

	if (*s == '-') {
		ret = bb_parse_ull(s + 1, base, &v);
		if (ret)
			return ret;
		if (v > (unsigned long long)LLONG_MAX + 1)
			return -ERANGE;
		*res = -(long long)v;
		return 0;
	}
	ret = bb_parse_ull(s, base, &v);
	if (ret)
		return ret;
	if (v > LLONG_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

#define BB_KSTRTO_U(name, type, maxv)					\
int name(const char *s, unsigned int base, type *res)			\
{									\
	unsigned long long v;						\
	int ret = kstrtoull(s, base, &v);				\
	if (ret)							\
		return ret;						\
	if (v > (maxv))							\
		return -ERANGE;						\
	*res = v;							\
	return 0;							\
}
#define BB_KSTRTO_S(name, type, minv, maxv)				\
int name(const char *s, unsigned int base, type *res)			\
{									\
	long long v;							\
	int ret = kstrtoll(s, base, &v);				\
	if (ret)							\
		return ret;						\
	if (v < (minv) || v > (maxv))					\
		return -ERANGE;						\
	*res = v;							\
	return 0;							\
}
BB_KSTRTO_U(kstrtoul, unsigned long, ULONG_MAX)
BB_KSTRTO_U(kstrtouint, unsigned int, UINT_MAX)
BB_KSTRTO_U(kstrtou32, u32, U32_MAX)
BB_KSTRTO_U(kstrtou64, u64, U64_MAX)
BB_KSTRTO_U(kstrtou16, u16, U16_MAX)
BB_KSTRTO_U(kstrtou8, u8, U8_MAX)
BB_KSTRTO_S(kstrtol, long, LONG_MIN, LONG_MAX)
BB_KSTRTO_S(kstrtoint, int, INT_MIN, INT_MAX)
BB_KSTRTO_S(kstrtos32, s32, INT_MIN, INT_MAX)

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n;

	if (!size)
		return 0;
	n = vsnprintf(buf, size, fmt, args);
	if (n < 0)
		return 0;
	return (size_t)n < size ? n : (int)size - 1;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

ssize_t strscpy(char *dst, const char *src, size_t count)
{
	size_t len;

	if (!count)
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {
		memcpy(dst, src, count - 1);
		dst[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

char *skip_spaces(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return (char *)s;
}

char *strim(char *s)
{
	size_t len = strlen(s);

	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return skip_spaces(s);
}

bool bb_env_sysfs_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	if (*a == *b)
		return true;
	if (*a == '\n' && !*b)
		return !a[1];
	if (!*a && *b == '\n')
		return !b[1];
	return false;
}

static void bb_sort_swap(void *a, void *b, size_t size)
{
	unsigned char *x = a, *y = b, t;

	while (size--) {
		t = *x;
		*x++ = *y;
		*y++ = t;
	}
}

/* heapsort, as the kernel's: not stable, no allocation */
void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *),
	  void (*swap_fn)(void *, void *, int))
{
	char *b = base;
	size_t i, n, root, child;

#define BB_SWAP(x, y) (swap_fn ? swap_fn(x, y, size) : bb_sort_swap(x, y, size))
	if (num < 2)
		return;
	for (i = num / 2; i-- > 0;) {
		for (root = i; (child = 2 * root + 1) < num; root = child) {
			if (child + 1 < num &&
			    cmp(b + child * size, b + (child + 1) * size) < 0)
				child++;
			if (cmp(b + root * size, b + child * size) >= 0)
				break;
			BB_SWAP(b + root * size, b + child * size);
		}
	}
	for (n = num - 1; n > 0; n--) {
		BB_SWAP(b, b + n * size);
		for (root = 0; (child = 2 * root + 1) < n; root = child) {
			if (child + 1 < n &&
			    cmp(b + child * size, b + (child + 1) * size) < 0)
				child++;
			if (cmp(b + root * size, b + child * size) >= 0)
				break;
			BB_SWAP(b + root * size, b + child * size);
		}
	}
#undef BB_SWAP
}

/* ---- time ---- */

u64 ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static unsigned long bb_vjiffies = 1000;	/* sync mode's clock */

unsigned long bb_env_jiffies(void)
{
	if (bb_mode == BB_ENV_SYNC)
		return __atomic_load_n(&bb_vjiffies, __ATOMIC_RELAXED);
	return ktime_get_ns() / (NSEC_PER_SEC / HZ);
}

/* ---- tasks ---- */

/* protects every task's state, the wait queues' lists and the baton */
static pthread_mutex_t bb_env_lock = PTHREAD_MUTEX_INITIALIZER;
static struct task_struct bb_main_task = {
	.comm = "bbsim",
	.cv = PTHREAD_COND_INITIALIZER,
	.all = LIST_HEAD_INIT(bb_main_task.all),
};
static __thread struct task_struct *bb_self;
static struct task_struct *bb_baton = &bb_main_task;	/* sync mode */
static int bb_next_id = 1;

struct task_struct *bb_env_current(void)
{
	return bb_self ? bb_self : &bb_main_task;
}

void bb_env_init(enum bb_env_mode mode, unsigned int nr_cpus)
{
	if (!list_empty(&bb_main_task.all)) {
		fprintf(stderr, "bbenv: bb_env_init() with daemons running\n");
		abort();
	}
	bb_mode = mode;
	bb_env_nr_cpus = clamp(nr_cpus, 1U, (unsigned int)BB_ENV_MAX_CPUS);
	bb_main_task.pid = bb_main_task.tgid = getpid();
}

enum bb_env_mode bb_env_mode(void)
{
	return bb_mode;
}

void bb_env_tick(unsigned long ticks)
{
	__atomic_fetch_add(&bb_vjiffies, ticks, __ATOMIC_RELAXED);
}

/* sync mode, env lock held: hand the baton to @t, wait until it is back */
static void bb_hand_baton(struct task_struct *t)
{
	struct task_struct *me = bb_env_current();

	bb_baton = t;
	pthread_cond_signal(&t->cv);
	while (bb_baton != me)
		pthread_cond_wait(&me->cv, &bb_env_lock);
}

static bool bb_task_runnable(struct task_struct *t)
{
	return !t->exited && t->sleeping &&
	       (t->woken || (t->timed && time_after_eq(bb_vjiffies, t->deadline)));
}

unsigned int bb_env_run_daemons(void)
{
	unsigned int runs = 0;
	struct task_struct *t;

	if (bb_mode != BB_ENV_SYNC || bb_self)
		return 0;
	pthread_mutex_lock(&bb_env_lock);
	for (;;) {
		bool ran = false;

		list_for_each_entry(t, &bb_main_task.all, all) {
			if (!bb_task_runnable(t))
				continue;
			bb_hand_baton(t);
			runs++;
			ran = true;
			break;	/* from the first again: it may have woken another */
		}
		if (!ran)
			break;
		if (runs > 100000) {
			fprintf(stderr, "bbenv: the daemons keep waking each other\n");
			abort();
		}
	}
	pthread_mutex_unlock(&bb_env_lock);
	return runs;
}

void init_waitqueue_head(wait_queue_head_t *wq)
{
	INIT_LIST_HEAD(&wq->head);
}

void bb_env_prepare_wait(wait_queue_head_t *wq)
{
	struct task_struct *me = bb_env_current();

	pthread_mutex_lock(&bb_env_lock);
	if (me->wq != wq) {
		if (me->wq)
			list_del_init(&me->wq_entry);
		list_add_tail(&me->wq_entry, &wq->head);
		me->wq = wq;
	}
	me->woken = false;
	pthread_mutex_unlock(&bb_env_lock);
}

void bb_env_finish_wait(wait_queue_head_t *wq)
{
	struct task_struct *me = bb_env_current();

	(void)wq;
	pthread_mutex_lock(&bb_env_lock);
	if (me->wq) {
		list_del_init(&me->wq_entry);
		me->wq = NULL;
	}
	pthread_mutex_unlock(&bb_env_lock);
}

/* the remaining jiffies, 0 once @timeout ran out */
long bb_env_sleep(long timeout)
{
	struct task_struct *me = bb_env_current();
	unsigned long now = jiffies, deadline;
	struct timespec ts;
	long left;

	if (me == &bb_main_task) {
		/* only daemons wait in the core: nothing could wake us */
		fprintf(stderr, "bbenv: the main thread would sleep forever\n");
		abort();
	}
	pthread_mutex_lock(&bb_env_lock);
	me->timed = timeout != MAX_SCHEDULE_TIMEOUT;
	deadline = now + (me->timed ? timeout : 0);
	me->deadline = deadline;
	me->sleeping = true;
	if (bb_mode == BB_ENV_SYNC) {
		if (!me->woken && !me->should_stop)
			bb_hand_baton(&bb_main_task);
	} else if (me->timed) {
		u64 ns = ktime_get_ns() + (u64)timeout * (NSEC_PER_SEC / HZ);

		ts.tv_sec = ns / NSEC_PER_SEC;
		ts.tv_nsec = ns % NSEC_PER_SEC;
		while (!me->woken && !me->should_stop && ktime_get_ns() < ns)
			pthread_cond_timedwait(&me->cv, &bb_env_lock, &ts);
	} else {
		while (!me->woken && !me->should_stop)
			pthread_cond_wait(&me->cv, &bb_env_lock);
	}
	me->sleeping = false;
	pthread_mutex_unlock(&bb_env_lock);
	if (!me->timed)
		return timeout;
	left = (long)(deadline - jiffies);
	return left > 0 ? left : 0;
}

void __wake_up(wait_queue_head_t *wq)
{
	struct task_struct *t;

	pthread_mutex_lock(&bb_env_lock);
	list_for_each_entry(t, &wq->head, wq_entry) {
		t->woken = true;
		if (bb_mode == BB_ENV_THREADS)
			pthread_cond_signal(&t->cv);
	}
	pthread_mutex_unlock(&bb_env_lock);
}

bool waitqueue_active(wait_queue_head_t *wq)
{
	bool active;

	pthread_mutex_lock(&bb_env_lock);
	active = !list_empty(&wq->head);
	pthread_mutex_unlock(&bb_env_lock);
	return active;
}

static void *bb_kthread(void *arg)
{
	struct task_struct *t = arg;

	bb_self = t;
	bb_env_cpu = t->cpu;
	pthread_mutex_lock(&bb_env_lock);
	if (bb_mode == BB_ENV_SYNC)
		while (bb_baton != t)
			pthread_cond_wait(&t->cv, &bb_env_lock);
	pthread_mutex_unlock(&bb_env_lock);

	t->ret = t->fn(t->data);

	pthread_mutex_lock(&bb_env_lock);
	t->exited = true;
	t->sleeping = true;
	if (bb_mode == BB_ENV_SYNC) {
		bb_baton = &bb_main_task;
		pthread_cond_signal(&bb_main_task.cv);
	}
	pthread_mutex_unlock(&bb_env_lock);
	return NULL;
}

struct task_struct *bb_env_kthread_run(int (*fn)(void *data), void *data,
				       const char *name)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	if (!t)
		return ERR_PTR(-ENOMEM);
	snprintf(t->comm, sizeof(t->comm), "%s", name);
	t->flags = PF_KTHREAD;
	t->fn = fn;
	t->data = data;
	pthread_cond_init(&t->cv, NULL);
	INIT_LIST_HEAD(&t->wq_entry);
	pthread_mutex_lock(&bb_env_lock);
	t->id = bb_next_id++;
	t->pid = bb_main_task.pid + t->id;
	t->tgid = bb_main_task.pid;
	/* sync mode: one thing at a time, on CPU 0 as on the guest's one vCPU */
	t->cpu = bb_mode == BB_ENV_SYNC ? 0 : t->id % bb_env_nr_cpus;
	list_add_tail(&t->all, &bb_main_task.all);
	if (pthread_create(&t->thread, NULL, bb_kthread, t)) {
		list_del(&t->all);
		pthread_mutex_unlock(&bb_env_lock);
		pthread_cond_destroy(&t->cv);
		free(t);
		return ERR_PTR(-EAGAIN);
	}
	/* it runs until it first sleeps, as a woken kthread would */
	if (bb_mode == BB_ENV_SYNC)
		bb_hand_baton(t);
	pthread_mutex_unlock(&bb_env_lock);
	return t;
}

bool kthread_should_stop(void)
{
	struct task_struct *me = bb_env_current();

	return READ_ONCE(me->should_stop);
}

int kthread_stop(struct task_struct *t)
{
	int ret;

	pthread_mutex_lock(&bb_env_lock);
	t->should_stop = true;
	t->woken = true;
	if (bb_mode == BB_ENV_SYNC) {
		while (!t->exited)
			bb_hand_baton(t);
	} else {
		pthread_cond_signal(&t->cv);
	}
	pthread_mutex_unlock(&bb_env_lock);
	pthread_join(t->thread, NULL);
	ret = t->ret;
	pthread_mutex_lock(&bb_env_lock);
	list_del(&t->all);
	pthread_mutex_unlock(&bb_env_lock);
	pthread_cond_destroy(&t->cv);
	free(t);
	return ret;
}

void cond_resched(void)
{
}

/* a daemon or the main thread waits a while: in sync mode time stands still */
long schedule_timeout_uninterruptible(long timeout)
{
	if (bb_mode == BB_ENV_THREADS && timeout != MAX_SCHEDULE_TIMEOUT)
		usleep((useconds_t)timeout * (USEC_PER_SEC / HZ));
	return 0;
}

long schedule_timeout_interruptible(long timeout)
{
	return schedule_timeout_uninterruptible(timeout);
}

long schedule_timeout_idle(long timeout)
{
	return schedule_timeout_uninterruptible(timeout);
}

void msleep(unsigned int ms)
{
	schedule_timeout_uninterruptible(msecs_to_jiffies(ms));
}

/* ---- xarray: a radix tree, 6 bits an level, 6 levels ---- */

#define BB_XA_SHIFT	6
#define BB_XA_SLOTS	(1U << BB_XA_SHIFT)
#define BB_XA_LEVELS	6
#define BB_XA_MAX	((1UL << (BB_XA_SHIFT * BB_XA_LEVELS)) - 1)

struct xa_node {
	void *slots[BB_XA_SLOTS];	/* nodes, or entries at the last level */
	unsigned int count;		/* non-NULL slots */
};

static unsigned int bb_xa_slot(unsigned long index, int level)
{
	return (index >> (BB_XA_SHIFT * (BB_XA_LEVELS - 1 - level))) &
	       (BB_XA_SLOTS - 1);
}

void xa_init_flags(struct xarray *xa, unsigned int flags)
{
	xa->root = NULL;
	xa->flags = flags;
	xa->count = 0;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	struct xa_node *n = xa->root;
	int level;

	if (index > BB_XA_MAX)
		return NULL;
	for (level = 0; n && level < BB_XA_LEVELS - 1; level++)
		n = n->slots[bb_xa_slot(index, level)];
	return n ? n->slots[bb_xa_slot(index, BB_XA_LEVELS - 1)] : NULL;
}

/* the old entry; @entry NULL erases (freeing the emptied nodes) */
static void *bb_xa_set(struct xa_node **np, unsigned long index, void *entry,
		       int level, bool *nomem)
{
	unsigned int slot = bb_xa_slot(index, level);
	struct xa_node *n = *np;
	void *old;

	if (!n) {
		if (!entry)
			return NULL;
		n = calloc(1, sizeof(*n));
		if (!n) {
			*nomem = true;
			return NULL;
		}
		*np = n;
	}
	if (level == BB_XA_LEVELS - 1) {
		old = n->slots[slot];
		n->slots[slot] = entry;
		n->count += !old - !entry;
	} else {
		bool had = n->slots[slot];

		old = bb_xa_set((struct xa_node **)&n->slots[slot], index,
				entry, level + 1, nomem);
		n->count += !had - !n->slots[slot];
	}
	if (!n->count) {
		free(n);
		*np = NULL;
	}
	return old;
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	bool nomem = false;
	void *old;

	(void)gfp;
	if (index > BB_XA_MAX)
		return ERR_PTR(-EINVAL);
	old = bb_xa_set(&xa->root, index, entry, 0, &nomem);
	if (nomem)
		return ERR_PTR(-ENOMEM);
	xa->count += !old - !entry;
	return old;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	return xa_store(xa, index, NULL, 0);
}

/* the first entry at an index in [*index, max] */
static void *bb_xa_find(struct xa_node *n, unsigned long *index,
			unsigned long max, int level, unsigned long base)
{
	int shift = BB_XA_SHIFT * (BB_XA_LEVELS - 1 - level);
	unsigned int slot;

	for (slot = *index > base ? (*index - base) >> shift : 0;
	     slot < BB_XA_SLOTS; slot++) {
		unsigned long start = base + ((unsigned long)slot << shift);
		void *e;

		if (start > max)
			return NULL;
		if (!n->slots[slot])
			continue;
		if (level == BB_XA_LEVELS - 1) {
			if (start < *index)
				continue;
			*index = start;
			return n->slots[slot];
		}
		e = bb_xa_find(n->slots[slot], index, max, level + 1, start);
		if (e)
			return e;
	}
	return NULL;
}

void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max,
	      unsigned long filter)
{
	(void)filter;
	if (!xa->root || *index > BB_XA_MAX)
		return NULL;
	return bb_xa_find(xa->root, index, min(max, BB_XA_MAX), 0, 0);
}

void *xa_find_after(struct xarray *xa, unsigned long *index,
		    unsigned long max, unsigned long filter)
{
	unsigned long next = *index + 1;
	void *e;

	if (!next || next > max)
		return NULL;
	e = xa_find(xa, &next, max, filter);
	if (e)
		*index = next;
	return e;
}

/* the first free index in [min, max], as the kernel's allocating xarray */
static int bb_xa_free_index(struct xarray *xa, unsigned long min,
			    unsigned long max, unsigned long *index)
{
	unsigned long i = min, found;

	while (i <= max) {
		found = i;
		if (!xa_find(xa, &found, max, XA_PRESENT) || found != i) {
			*index = i;
			return 0;
		}
		if (i == max)
			break;
		i++;
	}
	return -EBUSY;
}

int xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit,
	     gfp_t gfp)
{
	unsigned long min = limit.min, index;
	int ret;

	if ((xa->flags & XA_FLAGS_ALLOC1) == XA_FLAGS_ALLOC1 && min < 1)
		min = 1;
	ret = bb_xa_free_index(xa, min, limit.max, &index);
	if (ret)
		return ret;
	entry = xa_store(xa, index, entry, gfp);
	if (IS_ERR(entry))
		return PTR_ERR(entry);
	*id = index;
	return 0;
}

/* 1 when the search wrapped around to @limit.min, as the kernel's */
int xa_alloc_cyclic(struct xarray *xa, u32 *id, void *entry,
		    struct xa_limit limit, u32 *next, gfp_t gfp)
{
	unsigned long min = limit.min, index;
	bool wrapped = false;
	void *old;

	if ((xa->flags & XA_FLAGS_ALLOC1) == XA_FLAGS_ALLOC1 && min < 1)
		min = 1;
	if (bb_xa_free_index(xa, max(min, (unsigned long)*next), limit.max,
			     &index)) {
		if (bb_xa_free_index(xa, min, limit.max, &index))
			return -EBUSY;
		wrapped = true;
	}
	old = xa_store(xa, index, entry, gfp);
	if (IS_ERR(old))
		return PTR_ERR(old);
	*id = index;
	*next = index + 1;
	if (index == limit.max)
		*next = min;
	return wrapped;
}

static void bb_xa_free_node(struct xa_node *n, int level)
{
	unsigned int i;

	if (level < BB_XA_LEVELS - 1)
		for (i = 0; i < BB_XA_SLOTS; i++)
			if (n->slots[i])
				bb_xa_free_node(n->slots[i], level + 1);
	free(n);
}

void xa_destroy(struct xarray *xa)
{
	if (xa->root)
		bb_xa_free_node(xa->root, 0);
	xa->root = NULL;
	xa->count = 0;
}

/* ---- seq_file ---- */

void seq_file_init(struct seq_file *m)
{
	memset(m, 0, sizeof(*m));
}

void seq_file_release(struct seq_file *m)
{
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

static void bb_seq_reserve(struct seq_file *m, size_t more)
{
	size_t want = m->count + more + 1;
	char *buf;

	if (want <= m->size)
		return;
	want = max(want, max(m->size * 2, (size_t)PAGE_SIZE));
	buf = realloc(m->buf, want);
	if (!buf) {
		fprintf(stderr, "bbenv: out of memory for a seq_file\n");
		abort();
	}
	m->buf = buf;
	m->size = want;
}

void seq_vprintf(struct seq_file *m, const char *fmt, va_list args)
{
	va_list again;
	int n;

	va_copy(again, args);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0)
		return;
	bb_seq_reserve(m, n);
	vsnprintf(m->buf + m->count, n + 1, fmt, args);
	m->count += n;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	bb_seq_reserve(m, len);
	memcpy(m->buf + m->count, data, len);
	m->count += len;
	m->buf[m->count] = '\0';
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

void seq_put_decimal_ull(struct seq_file *m, const char *delim,
			 unsigned long long num)
{
	seq_printf(m, "%s%llu", delim, num);
}

void seq_put_decimal_ll(struct seq_file *m, const char *delim, long long num)
{
	seq_printf(m, "%s%lld", delim, num);
}

/* ---- iov_iter over one kernel buffer ---- */

void iov_iter_kvec(struct iov_iter *i, unsigned int direction,
		   const struct kvec *kvec, unsigned long nr_segs, size_t count)
{
	BUG_ON(nr_segs != 1 || count > kvec->iov_len);
	i->data_source = direction;
	i->kvec = kvec;
	i->count = count;
	i->done = 0;
}

size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i)
{
	if (WARN_ON(i->data_source != WRITE))
		return 0;
	bytes = min(bytes, i->count);
	memcpy(addr, (char *)i->kvec->iov_base + i->done, bytes);
	i->done += bytes;
	i->count -= bytes;
	return bytes;
}

size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	if (WARN_ON(i->data_source != READ))
		return 0;
	bytes = min(bytes, i->count);
	memcpy((char *)i->kvec->iov_base + i->done, addr, bytes);
	i->done += bytes;
	i->count -= bytes;
	return bytes;
}
