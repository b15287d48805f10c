#!/usr/bin/env python3
"""worth at real size (issue 12): the methods at a million rows, side by side in one run.

    python3 Benchmarks/scale.py [--data-dir DIR] [--worth PATH] [--before REF | --before-worth PATH]
                                [--sections load,oob,knn,influence] [--trees 1000] [--quick]

Generates (seeded, with `worth bench generate`; kept in --data-dir, never committed) the
1,000,000 x 100, 250,000 x 100 and 200,000 x 50 CSV files, then prints one table:
  load       the loader: `worth describe FILE` (the streaming loader, then a summary of every
             column) vs pyarrow.csv.read_csv vs pandas.read_csv on the same files: time, CPU
             time, peak memory, and their ratios to worth's (pip install 'pyarrow<17' pandas;
             never a dependency of worth).
  oob        Data-OOB, 1000 trees, `worth value FILE` on the 1M x 100 and 250k x 100 files:
             the whole process (load, binning, trees, the values written), its peak memory,
             and the method's own time.
  knn        KNN-Shapley on the 200k x 50 file (160,000 valued x 40,000 validation rows),
             `worth value FILE --method knn-shapley`, with worth built at REF ("before", default
             bfff169: main before the kernels of issue 12) and this build ("after"); the method's
             own time (its stop line), the whole process's, peak memory, and whether the two
             value files are byte-identical.
  influence  influence (1M valued + 250k validation rows) and self-influence (1M rows), 100
             features, in memory (`worth bench influence|self-influence`).
Wall times on a shared machine are noisy: the load average is printed with the table, and the
CPU time of each run beside its wall time. Peak memory is GNU time's maximum resident size
(`apt-get install time` if /usr/bin/time is missing). --quick shrinks every size tenfold
(and trees to 100) to check the script itself. Builds with `swift build -c release`.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = ("load", "oob", "knn", "influence")
BEFORE = "bfff169"
SEED = 0


def run_measured(cmd, cwd=None):
    """Runs cmd; returns (wall seconds, CPU seconds, peak RSS in MiB, stdout, stderr)."""
    if not os.path.exists("/usr/bin/time"):
        sys.exit("scale.py needs GNU time for peak memory: apt-get install time")
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", out.name] + cmd
        proc = subprocess.run(full, capture_output=True, cwd=cwd)
        if proc.returncode != 0:
            sys.exit(f"scale.py: {' '.join(cmd)} failed:\n{proc.stderr.decode()[-2000:]}")
        wall, user, system, kib = out.read().strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(kib) / 1024, proc.stdout.decode(), proc.stderr.decode()


def build(tree):
    subprocess.run(["swift", "build", "-c", "release"], cwd=tree, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(tree, ".build", "release", "worth")


def before_worth(args):
    """worth built at --before (once; the build is kept in the data folder)."""
    if args.before_worth:
        return args.before_worth
    commit = subprocess.run(["git", "rev-parse", "--short", args.before], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    tree = os.path.join(args.data_dir, f"worth-{commit}")
    binary = os.path.join(tree, ".build", "release", "worth")
    if not os.path.exists(binary):
        if not os.path.exists(tree):
            # A plain copy of the commit's files (git archive): no worktree to register or clean up.
            os.makedirs(tree)
            archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        print(f"building worth at {commit} (before)...", file=sys.stderr)
        build(tree)
    return binary


def data_file(args, rows, features):
    """The generated CSV of `rows` x `features` (made once)."""
    path = os.path.join(args.data_dir, f"synthetic_{rows}x{features}_seed{SEED}.csv")
    if not os.path.exists(path):
        print(f"generating {path}...", file=sys.stderr)
        subprocess.run([args.worth, "bench", "generate", "--rows", str(rows), "--features", str(features),
                        "--seed", str(SEED), "--out", path + ".part"], check=True)
        os.rename(path + ".part", path)
    return path


def bench(args, method, rows, features, *flags):
    """`worth bench METHOD` on a generated in-memory problem: its JSON report, wall, peak."""
    cmd = [args.worth, "bench", method, "--rows", str(rows), "--features", str(features), "--seed", str(SEED),
           "--format", "json", "--quiet", *flags]
    wall, cpu, peak, out, _ = run_measured(cmd)
    return {**json.loads(out), "process_s": wall, "process_cpu_s": cpu, "process_peak_mib": peak}


STOP_LINE = re.compile(r"^worth: \S+ (.*) after (\d+) (\w[\w ]*) in (\S+)", re.M)


def engine_seconds(text):
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?([\d.]+)s", text)
    return float("nan") if not m else 3600 * int(m.group(1) or 0) + 60 * int(m.group(2) or 0) + float(m.group(3))


def value_file(binary, path, method, out):
    """`worth value` on a file: the method's own seconds (stop line), wall, CPU, peak."""
    wall, cpu, peak, _, err = run_measured([binary, "value", path, "--method", method, "--seed", str(SEED),
                                            "--out", out])
    stop = STOP_LINE.search(err)
    return {"method_s": engine_seconds(stop.group(4)) if stop else float("nan"), "process_s": wall,
            "process_cpu_s": cpu, "process_peak_mib": peak}


def row(what, data, rows):
    print(f"  {what:<44} {data:<26} {rows}")


PYTHON_LOADERS = {
    "pyarrow": "import pyarrow.csv, sys; t = pyarrow.csv.read_csv(sys.argv[1]); print(t.num_rows)",
    "pandas": "import pandas, sys; t = pandas.read_csv(sys.argv[1]); print(len(t))",
}


def load_section(args, sizes):
    """The loader: `worth describe` (reads the file as `worth value` loads it, then summarises
    every column) against pyarrow.csv.read_csv and pandas.read_csv, one after the other on the
    same file (the page cache warmed by a first read)."""
    for rows, features in sizes:
        path = data_file(args, rows, features)
        subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)
        results = {"worth": run_measured([args.worth, "describe", path])}
        for name, code in PYTHON_LOADERS.items():
            try:
                results[name] = run_measured([sys.executable, "-c", code, path])
            except SystemExit:
                results[name] = None   # not installed: pip install 'pyarrow<17' pandas
        for name, r in results.items():
            text = "not installed" if r is None else f"{r[0]:.1f} s (CPU {r[1]:.1f} s), peak {r[2]:.0f} MiB"
            row(f"load: {name}", f"{rows:,} x {features} CSV", text)
        w = results["worth"]
        for name in PYTHON_LOADERS:
            if results[name]:
                r = results[name]
                row(f"  {name} / worth (time, CPU, peak)", "", f"{r[0] / w[0]:.2f}x, {r[1] / w[1]:.2f}x, {r[2] / w[2]:.1f}x")


def oob_section(args, sizes):
    for rows, features in sizes:
        path = data_file(args, rows, features)
        with tempfile.TemporaryDirectory() as folder:
            wall, cpu, peak, _, err = run_measured([args.worth, "value", path, "--method", "data-oob", "--trees",
                                                    str(args.trees), "--seed", str(SEED),
                                                    "--out", os.path.join(folder, "v.csv")])
        stop = STOP_LINE.search(err)
        method = engine_seconds(stop.group(4)) if stop else float("nan")
        row(f"Data-OOB {args.trees} trees (worth value FILE)", f"{rows:,} x {features} CSV",
            f"{wall:.0f} s in all (method {method:.0f} s; CPU {cpu:.0f} s), peak {peak:.0f} MiB")


def knn_section(args, rows, features):
    path = data_file(args, rows, features)
    old = before_worth(args)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for label, binary in (("before", old), ("after", args.worth)):
            out = os.path.join(folder, f"{label}.csv")
            results[label] = value_file(binary, path, "knn-shapley", out)
        same = open(os.path.join(folder, "before.csv"), "rb").read() == open(os.path.join(folder, "after.csv"), "rb").read()
    b, a = results["before"], results["after"]
    what = f"{int(rows * 0.8):,} valued x {rows - int(rows * 0.8):,} validation"
    row(f"KNN-Shapley before ({args.before})", f"{rows:,} x {features} CSV",
        f"method {b['method_s']:.0f} s; process {b['process_s']:.0f} s (CPU {b['process_cpu_s']:.0f} s), peak {b['process_peak_mib']:.0f} MiB")
    row("KNN-Shapley after", what,
        f"method {a['method_s']:.0f} s; process {a['process_s']:.0f} s (CPU {a['process_cpu_s']:.0f} s), peak {a['process_peak_mib']:.0f} MiB")
    row("  speed-up (method time, before / after)", "",
        f"{b['method_s'] / a['method_s']:.2f}x; values byte-identical: {'yes' if same else 'NO'}")


def influence_section(args, rows, features):
    r = bench(args, "influence", rows + rows // 4, features, "--valid-fraction", "0.2")
    row("influence (in memory)", f"{rows:,} valued x {features}",
        f"{r['seconds']:.1f} s (CPU {r['cpu_seconds']:.1f} s), peak {r['process_peak_mib']:.0f} MiB "
        f"(data {r['data_mib']:.0f} + method {r['method_peak_mib']:.0f}), AUROC {r['auroc']}")
    r = bench(args, "self-influence", rows, features)
    row("self-influence (in memory)", f"{rows:,} x {features}",
        f"{r['seconds']:.1f} s (CPU {r['cpu_seconds']:.1f} s), peak {r['process_peak_mib']:.0f} MiB "
        f"(data {r['data_mib']:.0f} + method {r['method_peak_mib']:.0f}), AUROC {r['auroc']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", help="where the generated files (and the 'before' build) are kept (default: a temporary folder)")
    ap.add_argument("--worth", help="the worth to measure (default: build this tree with -c release)")
    ap.add_argument("--before", default=BEFORE, help=f"git commit for KNN-Shapley's 'before' (default {BEFORE})")
    ap.add_argument("--before-worth", help="a ready 'before' binary instead of building --before")
    ap.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, from {', '.join(SECTIONS)}")
    ap.add_argument("--trees", type=int, default=1000, help="Data-OOB trees (default 1000)")
    ap.add_argument("--quick", action="store_true", help="every size / 10 and 100 trees: a check of the script")
    args = ap.parse_args()
    sections = args.sections.split(",")
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        ap.error(f"unknown section {', '.join(unknown)}; sections: {', '.join(SECTIONS)}")
    scale = 10 if args.quick else 1
    if args.quick and args.trees == 1000:
        args.trees = 100
    temporary = None
    if not args.data_dir:
        temporary = tempfile.TemporaryDirectory()
        args.data_dir = temporary.name
    os.makedirs(args.data_dir, exist_ok=True)
    if not args.worth:
        print("building worth (release)...", file=sys.stderr)
        args.worth = build(ROOT)

    start = time.time()
    print(f"worth at scale; {os.cpu_count()} cores; load average at start "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if "load" in sections:
        load_section(args, [(1_000_000 // scale, 100), (250_000 // scale, 100)])
    if "oob" in sections:
        oob_section(args, [(1_000_000 // scale, 100), (250_000 // scale, 100)])
    if "knn" in sections:
        knn_section(args, 200_000 // scale, 50)
    if "influence" in sections:
        influence_section(args, 1_000_000 // scale, 100)
    print(f"load average at end {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {time.time() - start:.0f} s in all")
    if temporary:
        temporary.cleanup()


if __name__ == "__main__":
    main()
