#!/usr/bin/env python3
"""Report of `make bench-compact` (tools/compact-bench.sh).

    compact-report.py CONSOLE_LOG OUT_JSON

Reads the guest's console log (tools/frag/guest-compact-bench.sh: one
BENCH-CASE ... BENCH-END block per case, each with bbfrag's line
"bbfrag-json: {...}"), prints a table and writes OUT_JSON.  Exits 1 when
a case is missing or a bbfrag run did not end with "bbfrag: ok".
"""
import json
import re
import sys


def main():
    log, out = sys.argv[1], sys.argv[2]
    with open(log, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    # the console has the output twice: as it ran, and /init's copy
    # between BB-OUTPUT-BEGIN and BB-OUTPUT-END; the copy when there is one
    if "BB-OUTPUT-BEGIN" in lines and "BB-OUTPUT-END" in lines:
        lines = lines[lines.index("BB-OUTPUT-BEGIN") + 1:
                      lines.index("BB-OUTPUT-END")]
    info, cases, errors, cur = {}, [], [], None
    for line in lines:
        m = re.match(r"^BENCH-INFO (.*)", line)
        if m:
            info = dict(kv.split("=", 1) for kv in m.group(1).split())
        m = re.match(r"^BENCH-CASE (\S+) (.*)", line)
        if m:
            cur = {"case": m.group(1), "setting": m.group(2), "ok": False,
                   "explain": [], "lines": []}
            cases.append(cur)
            continue
        if line.startswith("BENCH-ERROR"):
            errors.append(line)
        if cur is None:
            continue
        if line.startswith("BENCH-END"):
            cur = None
            continue
        cur["lines"].append(line)
        if line.startswith("bbfrag-json: "):
            cur.update(json.loads(line[len("bbfrag-json: "):]))
        if line == "bbfrag: ok":
            cur["ok"] = True
    for c in cases:
        # the path of the first order-9 allocation that needed compaction
        text = "\n".join(c["lines"])
        m = re.search(r"bbfrag: --- explain: order-9 allocation \d+, the first "
                      r"that needed compaction ---\n(.*?)\nbbfrag: --- end ---",
                      text, re.S)
        c["explain_first"] = m.group(1) if m else None
        del c["lines"], c["explain"]

    hdr = ("case", "blocks", "max", "%", "migrated", "moved", "stalls",
           "compact s", "MiB/s", "memcpy MiB/s", "ratio", "phase s")
    rows = []
    for c in cases:
        if "blocks" not in c:
            rows.append((c["case"], "no result") + ("",) * (len(hdr) - 2))
            continue
        mib = c["pgmigrate_success"] * 4096 / 1048576.0
        cs = c["compaction_s"]
        c["migration_mib_s"] = mib / cs if cs > 0 else 0
        c["memcpy_mib_s"] = mib / c["memcpy_s"] if c["memcpy_s"] > 0 else 0
        rows.append((
            c["case"], str(c["blocks"]), str(c["theoretical_max"]),
            "%.0f" % (100.0 * c["blocks"] / c["theoretical_max"]
                      if c["theoretical_max"] else 0),
            str(c["pgmigrate_success"]), str(c["moved_pages"]),
            str(c["compact_stall"]), "%.3f" % cs,
            "%.0f" % c["migration_mib_s"], "%.0f" % c["memcpy_mib_s"],
            "%.1f" % c["ratio"], "%.3f" % c["phase_wall_s"]))
    widths = [max(len(r[i]) for r in rows + [hdr]) for i in range(len(hdr))]
    print("bench-compact: %s, %s vCPUs, a %s MiB region, seed %s" % (
        info.get("kernel", "?"), info.get("cpus", "?"),
        info.get("size_mb", "?"), info.get("seed", "?")))
    for r in [hdr] + rows:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths)))
    print("blocks: order-9 blocks bbfrag got; max: the free pages when its "
          "order-9 phase began / 512 (buddyinfo);")
    print("migrated: pgmigrate_success; moved: order-0 pages LOOKUP says were "
          "moved; stalls: compact_stall;")
    print("compact s: compact_stall_ns (direct compaction only, kcompactd "
          "not counted); MiB/s: migrated bytes / compact s;")
    print("memcpy MiB/s: a user-space memcpy of as many bytes, 4 KiB at a "
          "time; ratio: compact s / memcpy s; phase s: the order-9 phase's "
          "wall time.")
    for e in errors:
        print(e)
    with open(out, "w") as f:
        json.dump({"info": info, "cases": cases, "errors": errors}, f,
                  indent=1)
    names = {c["case"] for c in cases}
    bad = (errors or names != {"direct", "retry-mayfail", "proactive"}
           or not all(c["ok"] for c in cases))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
