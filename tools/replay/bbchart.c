// SPDX-License-Identifier: GPL-2.0
/*
 * bbchart: a replay's checkpoints as an SVG line chart, one line per run
 * (bbsim replay --svg, with the runs of --compare), over the trace's
 * events: seven panels, the unusable free index for order 9, the free
 * memory (MiB), the mixed pageblocks (allocations of another type than
 * the block's), the pageblocks that are not movable (unmovable and
 * reclaimable, which fallbacks claim), and the fallbacks by their effect:
 * claims of a free pageblock, steals of a partly used one, pollutions (a
 * chunk taken, the block's type kept).
 */
#include <errno.h>
#include <string.h>

#include "bbtrace.h"

#define BBC_W		760
#define BBC_PANEL_H	130
#define BBC_LEFT	70
#define BBC_RIGHT	20
#define BBC_TOP		40
#define BBC_GAP		50

static const char * const bbc_colours[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
};

struct bbc_panel {
	const char *title;
	double (*value)(const struct bbt_point *p);
};

static double bbc_unusable(const struct bbt_point *p)
{
	return p->unusable / 1000.0;
}

static double bbc_free_mb(const struct bbt_point *p)
{
	return p->free_pages / 256.0;
}

static double bbc_mixed(const struct bbt_point *p)
{
	return (double)p->mixed;
}

static double bbc_claims(const struct bbt_point *p)
{
	return (double)p->fb[BBT_FB_CLAIM];
}

static double bbc_steals(const struct bbt_point *p)
{
	return (double)p->fb[BBT_FB_STEAL];
}

static double bbc_pollutions(const struct bbt_point *p)
{
	return (double)p->fb[BBT_FB_POLLUTE];
}

static double bbc_unmovable_blocks(const struct bbt_point *p)
{
	return (double)(p->blocks[0] + p->blocks[2]);
}

static const struct bbc_panel bbc_panels[] = {
	{ "unusable free index, order 9", bbc_unusable },
	{ "free memory (MiB)", bbc_free_mb },
	{ "mixed pageblocks", bbc_mixed },
	{ "unmovable and reclaimable pageblocks", bbc_unmovable_blocks },
	{ "fallbacks: claims (a free pageblock retyped)", bbc_claims },
	{ "fallbacks: steals (a partly used pageblock retyped)", bbc_steals },
	{ "fallbacks: pollutions (a chunk taken, type kept)", bbc_pollutions },
};

/*
 * The runs after the first dashed, each its own way, so that a line lying
 * on another (two policies alike there) still shows both
 */
static const char *bbc_dash(int i)
{
	static const char * const dashes[] = {
		"", " stroke-dasharray=\"6,4\"", " stroke-dasharray=\"2,3\"",
		" stroke-dasharray=\"10,3,2,3\"",
	};

	return dashes[i % ARRAY_SIZE(dashes)];
}

static void bbc_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

static void bbc_panel(FILE *f, const struct bbc_panel *pn, int top,
		      const struct bbt_series *s, int nr, double xmax)
{
	int plot_w = BBC_W - BBC_LEFT - BBC_RIGHT, i, t;
	double ymax = 0, v;
	size_t k;

	for (i = 0; i < nr; i++)
		for (k = 0; k < s[i].nr; k++) {
			v = pn->value(&s[i].pts[k]);
			if (v > ymax)
				ymax = v;
		}
	if (ymax <= 0)
		ymax = 1;
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>\n",
		BBC_LEFT, top - 8, pn->title);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n",
		BBC_LEFT, top, plot_w, BBC_PANEL_H);
	for (t = 0; t <= 4; t++) {
		int y = top + BBC_PANEL_H - t * BBC_PANEL_H / 4;

		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n",
			BBC_LEFT, y, BBC_LEFT + plot_w, y);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%.3g</text>\n",
			BBC_LEFT - 4, y + 3, ymax * t / 4);
	}
	for (i = 0; i < nr; i++) {
		if (!s[i].nr)
			continue;
		fprintf(f, "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"%s\"%s points=\"",
			bbc_colours[i % (ARRAY_SIZE(bbc_colours))], bbc_dash(i));
		for (k = 0; k < s[i].nr; k++) {
			const struct bbt_point *p = &s[i].pts[k];

			fprintf(f, "%s%.1f,%.1f", k ? " " : "",
				BBC_LEFT + plot_w * (p->event / xmax),
				top + BBC_PANEL_H * (1 - pn->value(p) / ymax));
		}
		fprintf(f, "\"/>\n");
	}
}

int bbt_chart_svg(FILE *f, const struct bbt_series *s, int nr)
{
	int np = ARRAY_SIZE(bbc_panels);
	int h = BBC_TOP + 40 + np * (BBC_PANEL_H + BBC_GAP) + 20 * nr;
	int plot_w = BBC_W - BBC_LEFT - BBC_RIGHT, i, t, y;
	double xmax = 0;
	size_t k;

	if (nr <= 0)
		return -EINVAL;
	for (i = 0; i < nr; i++)
		for (k = 0; k < s[i].nr; k++)
			if (s[i].pts[k].event > xmax)
				xmax = s[i].pts[k].event;
	if (xmax <= 0)
		xmax = 1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n",
		BBC_W, h, BBC_W, h);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%d\" y=\"20\" font-size=\"15\">buddybox replay: over the trace's events</text>\n",
		BBC_LEFT);
	for (i = 0; i < np; i++)
		bbc_panel(f, &bbc_panels[i], BBC_TOP + 10 + i * (BBC_PANEL_H + BBC_GAP),
			  s, nr, xmax);
	/* the events axis under the last panel */
	y = BBC_TOP + 10 + (np - 1) * (BBC_PANEL_H + BBC_GAP) + BBC_PANEL_H;
	for (t = 0; t <= 4; t++)
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%.0f</text>\n",
			BBC_LEFT + t * plot_w / 4, y + 14, xmax * t / 4);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">events</text>\n",
		BBC_LEFT + plot_w / 2, y + 28);
	for (i = 0; i < nr; i++) {
		int ly = y + 48 + 20 * i;

		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke-width=\"3\" stroke=\"%s\"%s/>\n",
			BBC_LEFT, ly - 4, BBC_LEFT + 30, ly - 4,
			bbc_colours[i % (ARRAY_SIZE(bbc_colours))], bbc_dash(i));
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\">", BBC_LEFT + 38, ly);
		bbc_escape(f, s[i].label);
		fprintf(f, "</text>\n");
	}
	fprintf(f, "</svg>\n");
	return ferror(f) ? -EIO : 0;
}
