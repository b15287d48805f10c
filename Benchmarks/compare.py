#!/usr/bin/env python3
"""Compare worth with the Python reference tools on the same data, split and flipped labels.

    python3 Benchmarks/compare.py [--sizes 1000,5000,20000] [--features 20] [--big]
                                  [--methods data-oob,knn-shapley] [--worth PATH]

For each size it makes a synthetic classification set (scikit-learn's make_classification),
holds out 20% for validation, flips 10% of the valued labels (seeded, remembered), writes both
parts as CSV and runs, each in its own process:
  - worth value train.csv --valid valid.csv --method M   (the whole process is timed:
    start-up, CSV parsing and valuation; a conservative figure for worth)
  - the reference (only its fit + valuation is timed, not Python start-up or imports):
      data-oob:    scikit-learn RandomForestClassifier(n_estimators=1000, oob_score=True, n_jobs=2)
                   and pyDVL's DataOOBValuation over that forest
      knn-shapley: pyDVL's KNNShapleyValuation(KNeighborsClassifier(10)) with joblib n_jobs=2
Prints seconds, peak memory (max RSS of the process) and AUROC of "low value = flipped" for
both, and the speed ratio reference / worth (above 1: worth is faster).
--big adds Data-OOB on 100,000 rows (worth only: the memory target is < 1 GiB).
Needs scikit-learn and pyDVL; if they are missing it offers the pip command. Not run in CI.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_measured(cmd, env=None):
    """Runs cmd; returns (wall seconds, peak RSS in MiB, stdout).

    Peak memory comes from GNU time when it is installed: a child forked from this Python
    process would otherwise be charged this process's own resident size (ru_maxrss counts the
    pages before exec), which inflates small runs by ~140 MiB."""
    gnu_time = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        full = [gnu_time, "-f", "%M", "-o", rss.name] + cmd if gnu_time else cmd
        start = time.perf_counter()
        proc = subprocess.run(full, capture_output=True, env=env)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"compare.py: {' '.join(cmd)} failed:\n{proc.stderr.decode()}")
        peak = int(rss.read().strip().splitlines()[-1]) / 1024 if gnu_time else float("nan")
    return wall, peak, proc.stdout.decode()


REFERENCE = r'''
import json, sys, time
import numpy as np
method, train, valid, flipped_path = sys.argv[1:5]
def load(path):
    d = np.genfromtxt(path, delimiter=",", skip_header=1)
    return d[:, :-1], d[:, -1].astype(int)
x, y = load(train); xv, yv = load(valid)
from sklearn.preprocessing import StandardScaler
scaler = StandardScaler().fit(x); x = scaler.transform(x); xv = scaler.transform(xv)
from pydvl.valuation.dataset import Dataset
data = Dataset(x, y)
start = time.perf_counter()
if method == "data-oob":
    from sklearn.ensemble import RandomForestClassifier
    from pydvl.valuation.methods.data_oob import DataOOBValuation
    forest = RandomForestClassifier(n_estimators=1000, oob_score=True, n_jobs=2, random_state=0).fit(x, y)
    forest_seconds = time.perf_counter() - start
    valuation = DataOOBValuation(forest).fit(data)
else:
    from joblib import parallel_config
    from sklearn.neighbors import KNeighborsClassifier
    from pydvl.valuation.methods.knn_shapley import KNNShapleyValuation
    with parallel_config(n_jobs=2):
        valuation = KNNShapleyValuation(KNeighborsClassifier(n_neighbors=10), test_data=Dataset(xv, yv), progress=False).fit(data)
    forest_seconds = None
seconds = time.perf_counter() - start
result = valuation.result
values = np.empty(len(y)); values[np.asarray(result.indices)] = np.asarray(result.values)
print(json.dumps({"seconds": seconds, "forest_seconds": forest_seconds, "values": values.tolist()}))
'''


def auroc(values, flipped):
    from sklearn.metrics import roc_auc_score
    import numpy as np
    v = np.asarray(values, dtype=float)
    keep = ~np.isnan(v)
    return roc_auc_score(np.asarray(flipped)[keep], -v[keep])


def make_data(n, d, seed, folder):
    import numpy as np
    from sklearn.datasets import make_classification
    total = int(n / 0.8)
    x, y = make_classification(n_samples=total, n_features=d, n_informative=max(2, d // 2),
                               n_redundant=max(0, d // 4), n_classes=2, random_state=seed)
    rng = np.random.default_rng(seed)
    order = rng.permutation(total)
    train, valid = order[:n], order[n:]
    y_train = y[train].copy()
    flipped = np.zeros(n, dtype=bool)
    flip = rng.choice(n, size=round(0.1 * n), replace=False)
    y_train[flip] = 1 - y_train[flip]
    flipped[flip] = True
    header = ",".join(f"x{j}" for j in range(d)) + ",label"
    paths = {}
    for name, xs, ys in (("train", x[train], y_train), ("valid", x[valid], y[valid])):
        paths[name] = os.path.join(folder, f"{name}_{n}.csv")
        np.savetxt(paths[name], np.column_stack([xs, ys]), delimiter=",", header=header, comments="",
                   fmt=["%.6g"] * d + ["%d"])
    return paths, flipped


def worth_values(path, n):
    import csv
    values = [float("nan")] * n
    with open(path) as f:
        for r in csv.DictReader(f):
            values[int(r["row"]) - 1] = float(r["value"]) if r["value"] else float("nan")
    return values


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--features", type=int, default=20)
    ap.add_argument("--methods", default="data-oob,knn-shapley")
    ap.add_argument("--big", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--worth", default=os.path.join(ROOT, ".build", "release", "worth"))
    args = ap.parse_args()
    try:
        import numpy, sklearn, pydvl  # noqa: F401
    except ImportError:
        sys.exit("compare.py needs scikit-learn and pyDVL: pip install scikit-learn pydvl")
    if not os.path.exists(args.worth):
        print("building worth (release)...", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True)

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        plan = [(int(s), m) for s in args.sizes.split(",") for m in args.methods.split(",")]
        if args.big:
            plan.append((100_000, "data-oob-only"))
        for n, method in plan:
            paths, flipped = make_data(n, args.features, args.seed, folder)
            worth_method = "data-oob" if method == "data-oob-only" else method
            out = os.path.join(folder, "values.csv")
            extra = ["--trees", "1000"] if worth_method == "data-oob" else ["--k", "10"]
            w_sec, w_mem, _ = run_measured([args.worth, "value", paths["train"], "--valid", paths["valid"],
                                            "--method", worth_method, "--seed", str(args.seed), "--workers", "2",
                                            "--quiet", "--out", out] + extra)
            w_auc = auroc(worth_values(out, n), flipped)
            row = {"method": worth_method, "rows": n, "features": args.features,
                   "worth_s": w_sec, "worth_MiB": w_mem, "worth_auroc": w_auc}
            if method != "data-oob-only":
                flipped_path = os.path.join(folder, "flipped.json")
                r_sec, r_mem, r_out = run_measured([sys.executable, "-c", REFERENCE, worth_method,
                                                    paths["train"], paths["valid"], flipped_path])
                ref = json.loads(r_out)
                row.update(ref_s=ref["seconds"], ref_MiB=r_mem, ref_auroc=auroc(ref["values"], flipped),
                           forest_s=ref["forest_seconds"], ratio=ref["seconds"] / w_sec)
            rows.append(row)
            print_row(row, header=len(rows) == 1)


def print_row(r, header):
    if header:
        print(f"{'method':<12}{'rows':>8}{'feat':>5}  {'worth s':>8}{'MiB':>7}{'AUROC':>7}  "
              f"{'ref s':>8}{'(forest)':>9}{'MiB':>7}{'AUROC':>7}  {'ref/worth':>9}")
    ref = (f"{r['ref_s']:8.2f}{(r['forest_s'] or 0):9.2f}{r['ref_MiB']:7.0f}{r['ref_auroc']:7.3f}  {r['ratio']:8.1f}x"
           if "ref_s" in r else f"{'-':>8}{'-':>9}{'-':>7}{'-':>7}  {'-':>9}")
    print(f"{r['method']:<12}{r['rows']:>8}{r['features']:>5}  {r['worth_s']:8.2f}{r['worth_MiB']:7.0f}"
          f"{r['worth_auroc']:7.3f}  {ref}", flush=True)


if __name__ == "__main__":
    main()
