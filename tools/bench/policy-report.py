#!/usr/bin/env python3
"""Report of `make bench-policy` (tools/bench-policy.sh).

    policy-report.py CONSOLE_LOG OUT_JSON

Reads the guest's console log (tools/bench/guest-policy-bench.sh: a line
BENCH-POLICY or BENCH-REFUSED per policy, then one BENCH-CASE ... BENCH-END
block per sandbox with bbmix's output: its "bbmix-json: {...}" line and
the sandbox's vmstat, fallbacks and pageblocks between "bbmix-file NAME"
and "bbmix-end NAME"), prints one table, a column per sandbox, and writes
OUT_JSON.  Exits 1 when a sandbox has no result, a run did not end with
"bbmix: ok", or the columns do not have the same number of order-9
requests (they ran the same sequence).
"""
import json
import re
import sys


def parse_vmstat(text):
    """vmstat's "key value" lines; a key of several zones is summed."""
    out = {}
    for line in text:
        f = line.split()
        if len(f) == 2 and re.match(r"^-?\d+$", f[1]):
            out[f[0]] = out.get(f[0], 0) + int(f[1])
    return out


def parse_fallbacks(text):
    """fallbacks: zone, request type, pageblock type, claim steal pollute."""
    tot = {}
    kinds = None
    for line in text:
        f = line.split()
        if f and f[0] == "zone":
            kinds = f[-3:]
            continue
        if kinds and len(f) >= 3 and all(re.match(r"^\d+$", x) for x in f[-3:]):
            for k, v in zip(kinds, f[-3:]):
                tot[k] = tot.get(k, 0) + int(v)
    return tot


def parse_pageblocks(text):
    """pageblocks: zone, type, empty pure mixed; summed per type."""
    per_type = {}
    for line in text:
        f = line.split()
        if len(f) >= 4 and f[0] != "zone" and all(
                re.match(r"^\d+$", x) for x in f[-3:]):
            t = f[-4]
            e, p, m = (int(x) for x in f[-3:])
            d = per_type.setdefault(t, {"empty": 0, "pure": 0, "mixed": 0})
            d["empty"] += e
            d["pure"] += p
            d["mixed"] += m
    return per_type


def main():
    log, out = sys.argv[1], sys.argv[2]
    with open(log, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    # the console has the output twice: as it ran, and /init's copy
    if "BB-OUTPUT-BEGIN" in lines and "BB-OUTPUT-END" in lines:
        lines = lines[lines.index("BB-OUTPUT-BEGIN") + 1:
                      lines.index("BB-OUTPUT-END")]
    info, policies, refused, cases, errors = {}, {}, [], [], []
    cur, infile = None, None
    for line in lines:
        m = re.match(r"^BENCH-INFO (.*)", line)
        if m:
            info = dict(kv.split("=", 1) for kv in m.group(1).split())
            continue
        m = re.match(r"^BENCH-POLICY (\S+) (.*?) :: (.*)", line)
        if m:
            policies[m.group(1)] = {"words": m.group(2), "policy": m.group(3).strip()}
            continue
        m = re.match(r"^BENCH-REFUSED (\S+) (.*?) :: (.*?) :: (.*)", line)
        if m:
            refused.append({"words": m.group(2), "error": m.group(3),
                            "kernel_log": m.group(4)})
            continue
        if line.startswith("BENCH-ERROR"):
            errors.append(line)
        m = re.match(r"^BENCH-CASE (\S+)", line)
        if m:
            cur = {"sandbox": m.group(1), "ok": False, "files": {}}
            cur.update(policies.get(m.group(1), {}))
            cases.append(cur)
            continue
        if cur is None:
            continue
        if line.startswith("BENCH-END"):
            cur = None
            continue
        m = re.match(r"^bbmix-file (\S+)$", line)
        if m:
            infile = m.group(1)
            cur["files"][infile] = []
            continue
        if infile and line == "bbmix-end " + infile:
            infile = None
            continue
        if infile:
            cur["files"][infile].append(line)
            continue
        if line.startswith("bbmix-json: "):
            cur["run"] = json.loads(line[len("bbmix-json: "):])
        if line == "bbmix: ok":
            cur["ok"] = True

    rc = 0
    cols = []
    for c in cases:
        files = c.pop("files")
        if "run" not in c or not c["ok"]:
            errors.append("%s (%s): no result" % (c["sandbox"], c.get("words")))
            rc = 1
            continue
        vm = parse_vmstat(files.get("vmstat", []))
        fb = parse_fallbacks(files.get("fallbacks", []))
        pb = parse_pageblocks(files.get("pageblocks", []))
        r = c["run"]
        c["measures"] = {
            "alloc_fallback": vm.get("alloc_fallback"),
            "alloc_claim": vm.get("alloc_claim"),
            "alloc_steal": vm.get("alloc_steal"),
            "fallback_claims": fb.get("claim"),
            "fallback_steals": fb.get("steal"),
            "fallback_pollutions": fb.get("pollute"),
            "mixed_pageblocks": sum(d["mixed"] for d in pb.values()),
            "mixed_pageblocks_by_type": {t: d["mixed"] for t, d in pb.items()},
            "pure_pageblocks": sum(d["pure"] for d in pb.values()),
            "thp_requests": r["thp_requests"],
            "thp_fast_path": r["thp_fast"],
            "thp_slow_path": r["thp_slow"],
            "thp_after_direct_reclaim": r["thp_reclaim"],
            "thp_after_compaction": r["thp_compaction"],
            "thp_failed": r["thp_failed"],
            "compact_migrate_scanned": vm.get("compact_migrate_scanned"),
            "compact_free_scanned": vm.get("compact_free_scanned"),
            "pgmigrate_success": vm.get("pgmigrate_success"),
            "compact_stall": vm.get("compact_stall"),
            "compact_success": vm.get("compact_success"),
            "compact_daemon_wake": vm.get("compact_daemon_wake"),
            "pgsteal_kswapd": vm.get("pgsteal_kswapd"),
            "pgsteal_direct": vm.get("pgsteal_direct"),
            "pgscan_kswapd": vm.get("pgscan_kswapd"),
            "pgscan_direct": vm.get("pgscan_direct"),
            "allocstall": sum(v for k, v in vm.items() if k.startswith("allocstall_")),
            "oom_kill": vm.get("oom_kill"),
            "cache_alloc_failed": r["cache_fail"],
            "longlived_alloc_failed": r["longlived_fail"],
            "wall_s": r["wall_s"],
        }
        c["fallbacks_file"] = fb
        c["pageblocks_file"] = pb
        cols.append(c)

    nreq = {c["measures"]["thp_requests"] for c in cols}
    if len(nreq) > 1:
        errors.append("the columns have different numbers of order-9 requests: %s" % sorted(nreq))
        rc = 1

    rows = [
        ("fallbacks (vmstat alloc_fallback)", "alloc_fallback"),
        ("  claims (whole block)", "fallback_claims"),
        ("  steals (part of a block)", "fallback_steals"),
        ("  pollutions (block kept its type)", "fallback_pollutions"),
        ("mixed pageblocks at the end", "mixed_pageblocks"),
        ("pure pageblocks at the end", "pure_pageblocks"),
        ("order-9 requests", "thp_requests"),
        ("  served in the fast path", "thp_fast_path"),
        ("  served in the slow path, before reclaim", "thp_slow_path"),
        ("  served after direct reclaim", "thp_after_direct_reclaim"),
        ("  served by direct compaction", "thp_after_compaction"),
        ("  failed", "thp_failed"),
        ("compaction: pages scanned (migrate)", "compact_migrate_scanned"),
        ("compaction: pages scanned (free)", "compact_free_scanned"),
        ("compaction: pages migrated", "pgmigrate_success"),
        ("compaction: stalls", "compact_stall"),
        ("compaction: successes", "compact_success"),
        ("reclaim: pages by kswapd", "pgsteal_kswapd"),
        ("reclaim: pages directly", "pgsteal_direct"),
        ("reclaim: allocation stalls", "allocstall"),
        ("OOM kills", "oom_kill"),
        ("wall time of the run (s)", "wall_s"),
    ]
    hdr = ["measure"] + [c["words"] for c in cols]
    table = [hdr]
    for label, key in rows:
        row = [label]
        for c in cols:
            v = c["measures"].get(key)
            row.append("-" if v is None else ("%.2f" % v if isinstance(v, float) else str(v)))
        table.append(row)
    widths = [max(len(r[i]) for r in table) for i in range(len(hdr))]
    print("bench-policy: %s, %s vCPU(s), sandboxes of %s MiB (daemons=sync), seed %s, %s steps" % (
        info.get("kernel", "?"), info.get("cpus", "?"), info.get("size_mb", "?"),
        info.get("seed", "?"), info.get("ops", "?")))
    for i, r in enumerate(table):
        print("  ".join(r[0].ljust(widths[0]) if j == 0 else r[j].rjust(widths[j])
                        for j in range(len(r))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    for r in refused:
        print("refused: %s: %s (%s)" % (r["words"], r["error"], r["kernel_log"]))
    for e in errors:
        print("error: %s" % e)
    with open(out, "w") as f:
        json.dump({"info": info, "columns": cols, "refused": refused,
                   "errors": errors}, f, indent=1)
        f.write("\n")
    if not cols:
        rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
