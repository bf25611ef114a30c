#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console log of tools/bench/guest-bench.sh into a table and JSON.

    tools/bench/report.py CONSOLE_LOG OUT.json [host_cores=N qemu_cores=X other_cores=Y]

Reads the BENCH lines the guest printed (from the BB-OUTPUT section when the
guest got that far), takes for every case, side and CPU count the best of
the repetitions (the least disturbed by the host: lowest ns per pair,
highest pairs per second; the medians are kept too), prints a table and
writes a list of records {"case", "buddybox_ns", "kernel_ns", "ratio", ...}
with null where a field does not apply.  A measurement, not a test: the
targets are shown, never enforced.  Exits 1 when the log has no result.
"""
import json
import os
import statistics
import sys

# (case, order/what, target on ratio buddybox / kernel, or None)
CASES = [
    ("order0", "order 0 pairs", 0.8),
    ("order1", "order 1 pairs", None),
    ("order3", "order 3 pairs", None),
    ("order9", "order 9 pairs", 1.0),
    ("order10", "order 10 pairs", None),
    ("order0_batch64", "order 0, 64 allocs then 64 frees", None),
    ("bulk_order0", "bulk order 0, 64 a call (ns per page)", None),
]
SCALING_TARGET = 1.8
METADATA_TARGET = 0.5  # % of the region


def kv(tokens):
    out = {}
    for t in tokens:
        if "=" in t:
            k, v = t.split("=", 1)
            out[k] = v
    return out


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def read_log(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace").replace("\r", "")
    lines = text.split("\n")
    # the guest's own copy of its output has no kernel messages mixed in
    if "BB-OUTPUT-BEGIN" in lines and "BB-OUTPUT-END" in lines:
        b = lines.index("BB-OUTPUT-BEGIN")
        e = lines.index("BB-OUTPUT-END", b)
        return lines[b + 1:e]
    return lines


def parse(lines):
    runs, info, meta, insmod, errors, check = [], {}, {}, [], [], []
    for line in lines:
        tok = line.split()
        if not tok:
            continue
        head = tok[0]
        if head == "BENCH":
            runs.append(kv(tok[1:]))
        elif head in ("BENCH-INFO", "BENCH-TUNE"):
            info.update(kv(tok[1:]))
        elif head == "BENCH-META":
            meta = kv(tok[1:])
        elif head == "BENCH-INSMOD":
            insmod.append(kv(tok[1:]))
        elif head == "BENCH-ERROR":
            errors.append(line)
        elif head == "BENCH-CHECK":
            check.append(" ".join(tok[1:]))
    return runs, info, meta, insmod, errors, check


def side_of(kind):
    return "buddybox" if kind.endswith("buddybox") else "kernel"


def summarise(runs):
    """(case, side, cpus) -> best/median ns, best pps, failures, reps."""
    groups = {}
    for r in runs:
        if r.get("valid") != "1":
            continue
        key = (r.get("case"), side_of(r.get("kind", "")), int(r.get("cpus", 0)))
        groups.setdefault(key, []).append(r)
    out = {}
    for key, rs in groups.items():
        ns = [num(r.get("ns_per_pair")) for r in rs]
        pps = [num(r.get("pairs_per_sec")) for r in rs]
        ns = [x for x in ns if x is not None]
        pps = [x for x in pps if x is not None]
        out[key] = {
            "ns": min(ns) if ns else None,
            "ns_median": statistics.median(ns) if ns else None,
            "pps": max(pps) if pps else None,
            "failures": sum(int(r.get("failures", 0)) for r in rs),
            "attempts": sum(int(r.get("attempts", 0)) for r in rs),
            "reps": len(rs),
        }
    return out


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 3)


def rnd(v, n=1):
    if v is None:
        return None
    return int(round(v)) if n == 0 else round(v, n)


def build(runs, meta, insmod, info, host):
    s = summarise(runs)
    recs = []
    speedups = {}
    for case, what, target in CASES:
        for cpus in (1, 2):
            bb = s.get((case, "buddybox", cpus))
            k = s.get((case, "kernel", cpus))
            if not bb and not k:
                continue
            bb = bb or {}
            k = k or {}
            rec = {
                "case": case if cpus == 1 else case + "_2cpus",
                "buddybox_ns": rnd(bb.get("ns")),
                "kernel_ns": rnd(k.get("ns")),
                "ratio": ratio(bb.get("ns"), k.get("ns")),
                "what": what,
                "cpus": cpus,
                "buddybox_ns_median": rnd(bb.get("ns_median")),
                "kernel_ns_median": rnd(k.get("ns_median")),
                "buddybox_pairs_per_sec": rnd(bb.get("pps"), 0),
                "kernel_pairs_per_sec": rnd(k.get("pps"), 0),
                "buddybox_failures": bb.get("failures"),
                "kernel_failures": k.get("failures"),
                "reps": max(bb.get("reps", 0), k.get("reps", 0)),
                "target": ("ratio <= %g" % target) if target and cpus == 1 else None,
            }
            if cpus == 2:
                for side, d in (("buddybox", bb), ("kernel", k)):
                    one = s.get((case, side, 1), {}).get("pps")
                    sp = ratio(d.get("pps"), one)
                    rec[side + "_speedup"] = sp
                    speedups[(case, side)] = sp
            recs.append(rec)
    if ("order0", "buddybox") in speedups or ("order0", "kernel") in speedups:
        recs.append({
            "case": "order0_scaling",
            "buddybox_ns": None, "kernel_ns": None, "ratio": None,
            "what": "order 0 pairs per second, two vCPUs / one vCPU",
            "buddybox_speedup": speedups.get(("order0", "buddybox")),
            "kernel_speedup": speedups.get(("order0", "kernel")),
            "target": "buddybox_speedup >= %g" % SCALING_TARGET,
        })
    if meta.get("metadata_bytes") and meta.get("region_pages"):
        mb = int(meta["metadata_bytes"])
        pages = int(meta["region_pages"])
        rec = {
            "case": "metadata",
            "buddybox_ns": None, "kernel_ns": None, "ratio": None,
            "what": "sandbox metadata per region page",
            "metadata_bytes": mb,
            "region_pages": pages,
            "bytes_per_page": round(mb / pages, 3),
            "percent_of_region": round(100.0 * mb / (pages * 4096), 4),
            "target": "percent_of_region <= %g" % METADATA_TARGET,
        }
        for key in ("sandbox", "descriptor", "pageblock", "percpu"):
            v = meta.get("metadata_%s_bytes" % key)
            rec["%s_bytes" % key] = int(v) if v is not None else None
        for key in ("page_descriptor_size", "possible_cpus"):
            if key in meta:
                rec[key] = int(meta[key])
        recs.append(rec)
    ms = [int(i["us"]) / 1000.0 for i in insmod if i.get("us")]
    if ms:
        recs.append({
            "case": "insmod",
            "buddybox_ns": None, "kernel_ns": None, "ratio": None,
            "what": "insmod buddybox.ko size_mb=%s" % insmod[0].get("size_mb"),
            "size_mb": int(insmod[0].get("size_mb", 0)),
            "insmod_ms": round(statistics.median(ms), 1),
            "insmod_ms_each": [round(x, 1) for x in ms],
        })
    if info.get("min_free_kbytes"):
        recs.append({
            "case": "tuning",
            "buddybox_ns": None, "kernel_ns": None, "ratio": None,
            "what": "the sandbox's min_free_kbytes (the guest kernel's, by default) and its Normal zone's pcp high",
            "min_free_kbytes": int(info["min_free_kbytes"]),
            "kernel_min_free_kbytes": int(info.get("kernel_min_free_kbytes") or 0),
            "pcp_high": int(info.get("pcp_high") or 0),
        })
    if host.get("usr_order0_instructions"):
        recs.append({
            "case": "usr_order0_instructions",
            "buddybox_ns": None, "kernel_ns": None, "ratio": None,
            "what": "instructions of one order-0 alloc+free pair in user space (bbsim's core, callgrind)",
            "instructions": int(host["usr_order0_instructions"]),
            "pairs": int(host.get("usr_pairs") or 0),
        })
    if host.get("host_cores"):
        rec = {
            "case": "host",
            "buddybox_ns": None, "kernel_ns": None, "ratio": None,
            "what": "host CPUs during the guest run (two vCPUs need two idle cores)",
        }
        for k in ("host_cores", "qemu_cores", "other_cores"):
            rec[k] = num(host.get(k))
        recs.append(rec)
    return recs


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def verdict(v, limit, le=True):
    if v is None:
        return ""
    return "met" if (v <= limit if le else v >= limit) else "missed"


def table(recs, info):
    out = []
    if info:
        out.append("guest: kernel %s, %s vCPUs, %s MiB, reps %s, %s iters (orders 9, 10: %s)"
                   % (info.get("kernel"), info.get("cpus"),
                      int(info.get("mem_kb", 0)) // 1024, info.get("reps"),
                      info.get("iters"), info.get("big_iters")))
    if info.get("min_free_kbytes"):
        out.append("sandbox: min_free_kbytes %s (the guest kernel's: %s), Normal zone pcp high %s a CPU"
                   % (info.get("min_free_kbytes"), info.get("kernel_min_free_kbytes"),
                      info.get("pcp_high")))
    out.append("%-20s %4s %12s %12s %7s %14s %14s %9s  %s" % (
        "case", "cpus", "buddybox ns", "kernel ns", "ratio",
        "buddybox /s", "kernel /s", "fails b/k", "target"))
    for r in recs:
        if "cpus" not in r:
            continue
        tgt = r.get("target") or ""
        if tgt:
            limit = float(tgt.split()[-1])
            tgt = "%s (%s)" % (tgt, verdict(r["ratio"], limit))
        elif r["cpus"] == 2:
            tgt = "speedup b %s, k %s" % (fmt(r.get("buddybox_speedup"), ".2f"),
                                          fmt(r.get("kernel_speedup"), ".2f"))
        out.append("%-20s %4d %12s %12s %7s %14s %14s %9s  %s" % (
            r["case"], r["cpus"], fmt(r["buddybox_ns"], ".1f"),
            fmt(r["kernel_ns"], ".1f"), fmt(r["ratio"], ".3f"),
            fmt(r["buddybox_pairs_per_sec"], ".0f"),
            fmt(r["kernel_pairs_per_sec"], ".0f"),
            "%s/%s" % (fmt(r["buddybox_failures"], "d"),
                       fmt(r["kernel_failures"], "d")), tgt))
    for r in recs:
        if r["case"] == "order0_scaling":
            out.append("order 0 scaling, pairs/s on 2 vCPUs / 1 vCPU: buddybox %sx, kernel %sx"
                       " (target buddybox >= %g: %s)" % (
                           fmt(r["buddybox_speedup"], ".2f"),
                           fmt(r["kernel_speedup"], ".2f"), SCALING_TARGET,
                           verdict(r["buddybox_speedup"], SCALING_TARGET, False)))
        elif r["case"] == "metadata":
            out.append("metadata: %d bytes for %d region pages = %.2f bytes/page = %.3f %% of the region"
                       " (target <= %g %%: %s); a page's descriptor (bb_page + bb_page_ext) %s bytes" % (
                           r["metadata_bytes"], r["region_pages"],
                           r["bytes_per_page"], r["percent_of_region"],
                           METADATA_TARGET,
                           verdict(r["percent_of_region"], METADATA_TARGET),
                           r.get("page_descriptor_size", "?")))
        elif r["case"] == "host" and r.get("other_cores") is not None:
            line = ("host: %s cores; during the guest run QEMU used %.2f, other processes %.2f"
                    % (fmt(r["host_cores"], ".0f"), r["qemu_cores"] or 0, r["other_cores"]))
            if r["other_cores"] > 0.3:
                line += ("\nWARNING: the host was busy: the two-vCPU figures (and the speedups)"
                         " are low; run again on an idle host")
            out.append(line)
        elif r["case"] == "usr_order0_instructions":
            out.append("user space: an order-0 alloc+free pair of the core takes %d instructions"
                       " (callgrind, %d pairs; independent of the host's load)" % (
                           r["instructions"], r["pairs"]))
        elif r["case"] == "insmod":
            out.append("insmod: %s took %.1f ms (median of %s)" % (
                r["what"], r["insmod_ms"],
                ", ".join("%.1f" % x for x in r["insmod_ms_each"])))
    out.append("ns: per alloc+free pair on one CPU (bulk: per page), best of the reps;"
               " /s: pairs per second of all the CPUs; ratio: buddybox / kernel")
    return "\n".join(out)


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: report.py CONSOLE_LOG OUT.json [key=value...]\n")
        return 2
    host = kv(" ".join(sys.argv[3:]).split())
    runs, info, meta, insmod, errors, check = parse(read_log(sys.argv[1]))
    for e in errors:
        sys.stderr.write("bench: guest: %s\n" % e)
    if check and check != ["ok"]:
        sys.stderr.write("bench: the sandbox's checker after the runs: %s\n" % "; ".join(check))
    if not runs:
        sys.stderr.write("bench: no BENCH result in %s\n" % sys.argv[1])
        return 1
    recs = build(runs, meta, insmod, info, host)
    with open(sys.argv[2] + ".tmp", "w") as f:
        json.dump(recs, f, indent=2)
        f.write("\n")
    os.replace(sys.argv[2] + ".tmp", sys.argv[2])
    print(table(recs, info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
