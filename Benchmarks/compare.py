#!/usr/bin/env python3
"""Compare worth with the Python reference tools on the same data, split and flipped labels.

    python3 Benchmarks/compare.py [--sections oob,knn,semivalues,influence,dvrl]
                                  [--sizes 1000,5000,20000] [--features 20] [--big]
                                  [--tmc-permutations 50] [--tmc10-permutations 4] [--banzhaf-samples 1500]
                                  [--worth PATH]

Every case makes a data set, holds out 20% for validation, flips 10% of the valued labels
(seeded, remembered), writes both parts as CSV and runs, each in its own process:
  - worth value train.csv --valid valid.csv --method M …   (the whole process is timed:
    start-up, CSV parsing and valuation; a conservative figure for worth)
  - the reference, when there is one (only its fit + valuation is timed, not Python start-up,
    imports or reading the CSV).
Sections (all by default; each prints its own table with a line saying which way the ratio goes):
  oob         Data-OOB vs scikit-learn's RandomForestClassifier(1000 trees, oob_score, n_jobs=2)
              and pyDVL's DataOOBValuation over it; synthetic --sizes x --features.
              --big adds 100,000 rows, worth only (memory target < 1 GiB).
  knn         KNN-Shapley vs pyDVL's KNNShapleyValuation(KNeighborsClassifier(10)), n_jobs=2.
  semivalues  TMC-Shapley and MSR Data Banzhaf on breast_cancer, and TMC-Shapley on issue 13's
              10-class file (make_classification(n_samples=1250, n_features=64, n_informative=32,
              n_classes=10): 1,000 valued rows, 250 validation), vs pyDVL's TMCShapleyValuation
              and MSRBanzhafValuation with scikit-learn's LogisticRegression (same penalty, see
              REFERENCE), validation accuracy, fixed budget (--rhat 0), no truncation on either
              side. Permutations (samples) per second and CPU seconds per permutation (pyDVL's
              worker processes included), their ratios worth / pyDVL, Spearman rank
              correlation of the two value vectors at equal budget, and as its noise floor the
              correlation of two worth runs with different seeds.
  convergence TMC-Shapley, worth alone: a 500-row set run to worth's default stop (R-hat < 1.05,
              default truncation), and the same fixed budget on 1 and on 2 workers (the values
              must be identical).
  influence   influence vs a NumPy implementation of the same formula (multinomial logistic
              regression fitted by Newton to the same optimum, exact Hessian): largest relative
              difference of the values and the time ratio; 2,000 x 20 and 20,000 x 50 (binary,
              exact Cholesky in worth), 20,000 x 50 with 6 classes (306 parameters: worth's
              conjugate-gradient path).
  dvrl        DVRL runtime and AUROC on breast_cancer and a synthetic 5,000 x 20 (worth only),
              then worth's DVRL vs OpenDataVal 1.3.0's on the anchors' splits over --dvrl-seeds
              seeds (AUROC mean and worst, CPU seconds; --odv-python names OpenDataVal's venv).
  defaults    TMC and Beta Shapley: detection AUROC after CPU budgets of 2T seconds (T in
              --default-seconds) per utility x truncation, on the anchors' splits and a binary
              and a 10-class synthetic set; pyDVL with its own defaults for comparison.
  inrun       In-Run Data Shapley with its defaults on the anchors' splits over --dvrl-seeds
              seeds (AUROC mean and worst, CPU seconds), against pyDVL's TMC given 120 s there
              (issue 13's figures); --big adds one run (--runs 1) of 3 epochs on 1,000,000 x 100
              (800,000 valued, 200,000 validation; writing its CSVs takes minutes).
AUROC is that of "low value = flipped". Needs scikit-learn and pyDVL; if they are missing it
offers the pip command. Not run in CI. Every section but defaults takes a few minutes on two
idle cores; defaults takes about 3,200 CPU seconds per seed in --method-seeds.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = ("oob", "knn", "semivalues", "convergence", "influence", "dvrl", "defaults", "inrun")


def run_measured(cmd, env=None):
    """Runs cmd; returns (wall seconds, peak RSS in MiB, stdout, stderr, CPU seconds).

    CPU seconds (user + system, the process and the children it waited for) come from GNU
    time too; on a machine shared with other work they are a fairer measure than wall time.

    Peak memory comes from GNU time when it is installed: a child forked from this Python
    process would otherwise be charged this process's own resident size (ru_maxrss counts the
    pages before exec), which inflates small runs by ~140 MiB."""
    gnu_time = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        full = [gnu_time, "-f", "%M %U %S", "-o", rss.name] + cmd if gnu_time else cmd
        start = time.perf_counter()
        proc = subprocess.run(full, capture_output=True, env=env)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"compare.py: {' '.join(cmd)} failed:\n{proc.stderr.decode()}")
        fields = rss.read().strip().splitlines()[-1].split() if gnu_time else ["nan"] * 3
        peak, cpu = float(fields[0]) / 1024, float(fields[1]) + float(fields[2])
    return wall, peak, proc.stdout.decode(), proc.stderr.decode(), cpu


REFERENCE = r'''
import json, sys, time, warnings
import numpy as np
warnings.filterwarnings("ignore")  # pyDVL's deprecation notices and caught fit errors
method, train, valid, budget = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
LAMBDA = 1e-2  # worth's LogisticRegression.defaultRegularization
def load(path):
    d = np.genfromtxt(path, delimiter=",", skip_header=1)
    return d[:, :-1], d[:, -1].astype(int)
x, y = load(train); xv, yv = load(valid)
# worth standardises with the valued rows' mean and population standard deviation; so does this.
from sklearn.preprocessing import StandardScaler
scaler = StandardScaler().fit(x); x = scaler.transform(x); xv = scaler.transform(xv)
classes = int(y.max()) + 1
from pydvl.valuation.dataset import Dataset
data = Dataset(x, y)

def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)

def influence(x, y, xv, yv):
    """worth's influence: minimise F(W) = (1/n) sum_i -log softmax(W x~_i)[y_i] + (lam/2)||W||^2
    over W (classes x (d+1), a bias per class, all penalised) by damped Newton to ||grad F|| <= 1e-12,
    then value_i = (1/n) grad L_val^T H^-1 grad l_i with L_val the summed validation log-loss."""
    from scipy.linalg import cho_factor, cho_solve
    n = len(y)
    X = np.hstack([x, np.ones((n, 1))]); Xv = np.hstack([xv, np.ones((len(yv), 1))])
    q = X.shape[1]; p = classes * q
    Y = np.eye(classes)[y]
    def value_grad(W):
        P = softmax(X @ W.T)
        f = -np.mean(np.log(P[np.arange(n), y])) + LAMBDA / 2 * np.sum(W * W)
        return f, (P - Y).T @ X / n + LAMBDA * W, P
    def hessian(P):
        H = np.empty((classes, q, classes, q))
        for a in range(classes):
            for b in range(classes):
                w = P[:, a] * ((a == b) - P[:, b])
                H[a, :, b, :] = (X.T * w) @ X / n
        return H.reshape(p, p) + LAMBDA * np.eye(p)
    W = np.zeros((classes, q))
    f, g, P = value_grad(W)
    for _ in range(100):
        if np.linalg.norm(g) <= 1e-12:
            break
        step = cho_solve(cho_factor(hessian(P)), g.ravel()).reshape(classes, q)
        t, slope = 1.0, float(np.sum(g * step))
        while True:
            f_new, g_new, P_new = value_grad(W - t * step)
            if f_new <= f - 1e-4 * t * slope or t < 1e-10:
                break
            t /= 2
        if np.linalg.norm(g_new) >= np.linalg.norm(g) and f_new >= f:
            break  # rounding floor reached
        W, f, g, P = W - t * step, f_new, g_new, P_new
    grad_val = ((softmax(Xv @ W.T) - np.eye(classes)[yv]).T @ Xv).ravel()
    v = cho_solve(cho_factor(hessian(P)), grad_val).reshape(classes, q)
    return np.sum((X @ v.T) * (P - Y), axis=1) / n

import resource
def cpu_seconds():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
cpu_start = cpu_seconds()
start = time.perf_counter()
extra = {}
if method == "data-oob":
    from sklearn.ensemble import RandomForestClassifier
    from pydvl.valuation.methods.data_oob import DataOOBValuation
    forest = RandomForestClassifier(n_estimators=1000, oob_score=True, n_jobs=2, random_state=0).fit(x, y)
    extra["forest_seconds"] = time.perf_counter() - start
    values = DataOOBValuation(forest).fit(data).result
elif method == "knn-shapley":
    from joblib import parallel_config
    from sklearn.neighbors import KNeighborsClassifier
    from pydvl.valuation.methods.knn_shapley import KNNShapleyValuation
    with parallel_config(n_jobs=2):
        values = KNNShapleyValuation(KNeighborsClassifier(n_neighbors=10), test_data=Dataset(xv, yv), progress=False).fit(data).result
elif method in ("tmc-shapley", "banzhaf", "tmc-shapley-defaults", "beta-shapley-defaults"):
    from joblib import parallel_config
    from sklearn.linear_model import LogisticRegression
    from pydvl.valuation.scorers import SupervisedScorer
    from pydvl.valuation.stopping import MaxChecks
    from pydvl.valuation.utility import ModelUtility
    class WorthPenaltyLogisticRegression(LogisticRegression):
        """scikit-learn minimises (1/m) sum l + (1/(2 C m)) ||w||^2 (mean loss; the bias is not
        penalised). worth minimises (1/m) sum l + (lam/2) ||theta||^2 with lam = 1e-2 fixed, over a
        weight vector and a bias per class. With more than two classes both use the symmetric
        softmax, so C = 1/(lam m). With two, worth's pair (w0, w1) only acts through w = w1 - w0,
        and the penalty is smallest at w1 = -w0 = w/2, giving (lam/4) ||w||^2: C = 2/(lam m).
        m is the size of the subset being fitted, so C is set at every fit: one fixed C would
        penalise small subsets less than worth does. Left different: the bias penalty (worth's
        (lam/4) b^2 in the binary case), and scikit-learn's lbfgs stops at its default tol."""
        def fit(self, x, y, sample_weight=None):
            self.C = (2.0 if len(np.unique(y)) == 2 else 1.0) / (LAMBDA * len(y))
            return super().fit(x, y, sample_weight)
    # The empty subset scores the chance level 1/C as in worth. pyDVL also gives this default to a
    # subset holding one class (scikit-learn refuses to fit it), where worth's model predicts
    # that class: only the first few positions of a permutation can differ.
    scorer = SupervisedScorer("accuracy", Dataset(xv, yv), default=1 / classes, range=(0, 1))
    utility = ModelUtility(WorthPenaltyLogisticRegression(), scorer, show_warnings=False)
    # MaxChecks counts processed batches (one permutation or one subset each), so exactly
    # `budget` units enter the result; joblib's units dispatched ahead and discarded at the stop
    # are pyDVL's cost and stay in its time.
    if method.endswith("-defaults"):
        # pyDVL's own defaults (TMC: RelativeTruncation(rtol=0.01, burn_in_fraction=0.4);
        # Beta(4, 1) over plain permutations), `budget` permutations: what a pyDVL user gets.
        if method == "tmc-shapley-defaults":
            from pydvl.valuation.methods import TMCShapleyValuation
            valuation = TMCShapleyValuation(utility, is_done=MaxChecks(budget), seed=0)
        else:
            from pydvl.valuation.methods import BetaShapleyValuation
            from pydvl.valuation.samplers import PermutationSampler
            valuation = BetaShapleyValuation(utility, sampler=PermutationSampler(seed=0), is_done=MaxChecks(budget),
                                             alpha=4, beta=1)
        jobs = 2
    elif method == "tmc-shapley":
        from pydvl.valuation.methods import TMCShapleyValuation
        from pydvl.valuation.samplers import NoTruncation
        # pyDVL's RelativeTruncation stops at the first prefix within rtol (no run of 6 like
        # worth's rule) and its decisions follow each side's own accuracies, so the work per
        # permutation would differ: truncation is off on both sides (worth: --tolerance 0).
        valuation = TMCShapleyValuation(utility, truncation=NoTruncation(), is_done=MaxChecks(budget), seed=0)
        jobs = 2
    else:
        from pydvl.valuation.methods import MSRBanzhafValuation
        valuation = MSRBanzhafValuation(utility, is_done=MaxChecks(budget), seed=0)
        # One job: MSR's result update costs O(n) per row per sample in the parent process, which
        # then competes with the workers; on this 2-core machine n_jobs=1 ran 2.6x faster than 2.
        jobs = 1
    with parallel_config(n_jobs=jobs):
        values = valuation.fit(data).result
    extra["units"] = budget
elif method == "influence":
    values = influence(x, y, xv, yv)
else:
    sys.exit(f"no reference for {method}")
seconds = time.perf_counter() - start
try:  # stop joblib's worker processes so that their CPU time is counted (RUSAGE_CHILDREN)
    from joblib.externals.loky import get_reusable_executor
    get_reusable_executor().shutdown(wait=True)
except ImportError:
    pass
extra["cpu"] = cpu_seconds() - cpu_start
if not isinstance(values, np.ndarray):
    result = values
    values = np.full(len(y), np.nan); values[np.asarray(result.indices)] = np.asarray(result.values)
print(json.dumps({"seconds": seconds, "values": values.tolist(), **extra}))
'''


# OpenDataVal 1.3.0's DVRL (PyTorch), as measured for issue 13: 2000 iterations (its rl_epochs)
# of its default batch of 32, scikit-learn's LogisticRegression as the predictor, accuracy as
# the metric, features standardised with the valued rows' statistics. One torch thread: on a
# shared machine more threads only spin. Prints seconds (wall and CPU) and the values.
REFERENCE_ODV = r'''
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np, torch
train, valid, seed, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(1)
from opendataval.dataloader import DataFetcher
from opendataval.dataval.dvrl.dvrl import DVRL
from opendataval.model.api import ClassifierSkLearnWrapper
from sklearn.linear_model import LogisticRegression
def load(path):
    d = np.genfromtxt(path, delimiter=",", skip_header=1)
    return d[:, :-1], d[:, -1].astype(int)
x, y = load(train); xv, yv = load(valid)
mean, sd = x.mean(0), x.std(0); sd[sd == 0] = 1
x, xv = (x - mean) / sd, (xv - mean) / sd
classes = int(max(y.max(), yv.max()) + 1)
onehot = lambda v: np.eye(classes)[v]
fetcher = DataFetcher.from_data_splits(x, onehot(y), xv, onehot(yv), xv, onehot(yv), one_hot=True)
usage = lambda: sum(getattr(resource.getrusage(resource.RUSAGE_SELF), f) for f in ("ru_utime", "ru_stime"))
cpu, start = usage(), time.perf_counter()
dvrl = DVRL(rl_epochs=epochs, random_state=np.random.RandomState(seed))
dvrl.train(fetcher, ClassifierSkLearnWrapper(LogisticRegression, classes))
values = dvrl.evaluate_data_values()
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": usage() - cpu, "values": values.tolist()}))
'''

# The anchors' split of the shared samples, on which issue 13's reference figures were taken:
# breast_cancer 400 valued rows, wine 100, 10% of their labels flipped; here with 100 and 50
# validation rows (the rest unused), drawn by make_data with the run's seed.
ANCHORS = {"breast_cancer": (400, 100), "wine": (100, 50)}


def anchor(sample):
    rows, validation = ANCHORS[sample]
    return Data(sample=sample, rows=rows, validation=validation)


@dataclass(frozen=True)
class Data:
    """A data set: synthetic (make_classification) with `rows` valued rows, or a bundled sample.
    A synthetic set has `informative` (default half the features) and `redundant` (default a
    quarter) features, and `validation` rows (default a quarter of `rows`, a 20% part). A sample
    is split 80/20 unless `rows` and `validation` say otherwise (the anchors' split: ANCHORS)."""
    rows: int = 0
    features: int = 0
    classes: int = 2
    sample: str = ""
    informative: int = 0
    redundant: int = -1
    validation: int = 0

    @property
    def name(self):
        return self.sample or "synthetic"


@dataclass
class Case:
    """One row of a table: worth on `data` with `method` and `flags` (its budget, workers…),
    against `reference` (a method of REFERENCE, given `budget`) when there is one, and a `twin`
    worth run with some flags changed (another seed: the Monte Carlo noise floor; another worker
    count: scaling) when one is asked for. `label` names the run in its table."""
    table: str
    method: str
    data: Data
    flags: dict = field(default_factory=dict)
    reference: str = None
    budget: int = 0
    twin: dict = None
    label: str = ""


def make_data(spec, seed, folder):
    """Writes train/valid CSVs for `spec` (80/20 unless `spec` gives its valued and validation
    rows, 10% of the train labels flipped to another class); returns (paths, flipped mask,
    feature count)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    if spec.sample:
        with open(os.path.join(ROOT, "Samples", f"{spec.sample}.csv")) as f:
            records = list(csv.reader(f))[1:]
        names = sorted({r[-1] for r in records})  # worth's class order for text labels
        x = np.array([[float(v) for v in r[:-1]] for r in records])
        y = np.array([names.index(r[-1]) for r in records])
        n, classes = spec.rows or round(0.8 * len(y)), len(names)
    else:
        from sklearn.datasets import make_classification
        n, d = spec.rows, spec.features
        x, y = make_classification(n_samples=n + (spec.validation or round(n / 4)), n_features=d,
                                   n_informative=spec.informative or max(2, d // 2),
                                   n_redundant=max(0, d // 4) if spec.redundant < 0 else spec.redundant,
                                   n_classes=spec.classes, random_state=seed)
        classes = spec.classes
    total, d = x.shape
    order = rng.permutation(total)
    train, valid = order[:n], order[n:n + spec.validation] if spec.validation else order[n:]
    y_train = y[train].copy()
    flipped = np.zeros(n, dtype=bool)
    flip = rng.choice(n, size=round(0.1 * n), replace=False)
    y_train[flip] = (y_train[flip] + rng.integers(1, classes, size=len(flip))) % classes
    flipped[flip] = True
    header = ",".join(f"x{j}" for j in range(d)) + ",label"
    tag = f"{spec.name}_{n}_{len(valid)}_{d}_{classes}"
    paths = {}
    for name, xs, ys in (("train", x[train], y_train), ("valid", x[valid], y[valid])):
        paths[name] = os.path.join(folder, f"{name}_{tag}.csv")
        np.savetxt(paths[name], np.column_stack([xs, ys]), delimiter=",", header=header, comments="",
                   fmt=["%.6g"] * d + ["%d"])
    return paths, flipped, d


def worth_values(path, n):
    values = [float("nan")] * n
    with open(path) as f:
        for r in csv.DictReader(f):
            values[int(r["row"]) - 1] = float(r["value"]) if r["value"] else float("nan")
    return values


STOP_LINE = re.compile(r"^worth: \S+ (.*) after (\d+) (\w+) in (\S+)$", re.M)


def engine_seconds(text):
    """worth's own elapsed time as its stop line prints it (4.2s, 12s, 1m05s)."""
    m = re.fullmatch(r"(?:(\d+)m)?([\d.]+)s", text)
    return float("nan") if not m else 60 * int(m.group(1) or 0) + float(m.group(2))


def run_worth(args, case, paths, rows, folder, overrides=None):
    flags = {"seed": args.seed, "workers": 2, **case.flags, **(overrides or {})}
    out = os.path.join(folder, "values.csv")
    cmd = [args.worth, "value", paths["train"], "--valid", paths["valid"], "--method", case.method, "--out", out]
    for k, v in flags.items():
        cmd += [f"--{k}", str(v)]
    seconds, mib, _, err, cpu = run_measured(cmd)
    stop = STOP_LINE.search(err)
    return {"s": seconds, "MiB": mib, "cpu": cpu, "values": worth_values(out, rows),
            "stop": stop.group(1) if stop else "?", "units": int(stop.group(2)) if stop else None,
            "engine_s": engine_seconds(stop.group(4)) if stop else float("nan")}


def auroc(values, flipped):
    from sklearn.metrics import roc_auc_score
    import numpy as np
    v = np.asarray(values, dtype=float)
    keep = ~np.isnan(v)
    return roc_auc_score(np.asarray(flipped)[keep], -v[keep])


def spearman(a, b):
    import numpy as np
    from scipy.stats import spearmanr
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    keep = ~(np.isnan(a) | np.isnan(b))
    return float(spearmanr(a[keep], b[keep]).statistic)


def run_case(args, case, folder, cache):
    """Runs worth (and the reference and the twin when the case has them); returns the row."""
    import numpy as np
    if case.data not in cache:
        cache[case.data] = make_data(case.data, args.seed, folder)
    paths, flipped, d = cache[case.data]
    main = run_worth(args, case, paths, len(flipped), folder)
    row = {"run": case.label, "method": case.method, "data": case.data.name, "rows": len(flipped), "features": d,
           "classes": case.data.classes, "params": case.data.classes * (d + 1), "workers": case.flags.get("workers", 2),
           "worth_s": main["s"], "worth_MiB": main["MiB"], "worth_engine_s": main["engine_s"],
           "worth_auroc": auroc(main["values"], flipped), "stop": main["stop"], "units": main["units"],
           "distinct": len(set(main["values"]))}
    if row["units"]:
        row["worth_rate"] = row["units"] / main["s"]
        row["worth_cpu_unit"] = main["cpu"] / row["units"]
    if case.reference:
        r_sec, r_mem, r_out, _, _ = run_measured([sys.executable, "-c", REFERENCE, case.reference,
                                               paths["train"], paths["valid"], str(case.budget)])
        ref = json.loads(r_out)
        w, r = np.asarray(main["values"]), np.asarray(ref["values"])
        row.update(ref_s=ref["seconds"], ref_MiB=r_mem, ref_auroc=auroc(r, flipped),
                   forest_s=ref.get("forest_seconds"), ratio=ref["seconds"] / main["s"],
                   rho=spearman(w, r), max_rel=float(np.max(np.abs(w - r)) / np.max(np.abs(r))))
        if "units" in ref:
            row.update(ref_rate=ref["units"] / ref["seconds"], rate_ratio=row["worth_rate"] / (ref["units"] / ref["seconds"]),
                       ref_cpu_unit=ref["cpu"] / ref["units"], cpu_ratio=ref["cpu"] / ref["units"] / row["worth_cpu_unit"])
    if case.twin:
        twin = run_worth(args, case, paths, len(flipped), folder, case.twin)
        row.update(twin=case.twin, twin_rho=spearman(main["values"], twin["values"]), twin_ratio=twin["s"] / main["s"],
                   twin_identical=np.array_equal(np.asarray(main["values"]), np.asarray(twin["values"]), equal_nan=True))
    return row


@dataclass
class Table:
    """A section's table: a title, a line saying which way its ratio goes, and columns of
    (header, width, row key or function, format)."""
    title: str
    note: str
    columns: list

    def header(self):
        print(f"\n== {self.title}\n   {self.note}")
        print("".join(f"{h:>{w}}" if i else f"{h:<{w}}" for i, (h, w, _, _) in enumerate(self.columns)))

    def line(self, row):
        cells = []
        for i, (_, w, key, fmt) in enumerate(self.columns):
            v = key(row) if callable(key) else row.get(key)
            text = "-" if v is None else format(v, fmt)
            cells.append(f"{text:>{w}}" if i else f"{text:<{w}}")
        print("".join(cells), flush=True)


TABLES = {
    "compare": Table(
        "Data-OOB and KNN-Shapley: worth vs scikit-learn / pyDVL (synthetic, 10% flipped)",
        "ref/worth = reference seconds / worth seconds: above 1, worth is faster",
        [("method", 12, "method", ""), ("rows", 8, "rows", "d"), ("feat", 5, "features", "d"),
         ("worth s", 9, "worth_s", ".2f"), ("MiB", 7, "worth_MiB", ".0f"), ("AUROC", 7, "worth_auroc", ".3f"),
         ("ref s", 9, "ref_s", ".2f"), ("(forest)", 9, "forest_s", ".2f"), ("MiB", 7, "ref_MiB", ".0f"),
         ("AUROC", 7, "ref_auroc", ".3f"), ("ref/worth", 11, lambda r: r.get("ratio") and f"{r['ratio']:.1f}x", "")]),
    "semivalues": Table(
        "Monte Carlo semivalues: worth vs pyDVL + scikit-learn, equal fixed budget, no truncation, 10% flipped "
        "(breast_cancer: 455 valued rows; synthetic: the 10-class, 64-feature file, 1,000 valued rows)",
        "worth/pyDVL = worth units per second / pyDVL units per second (above 1: worth is faster); CPU s/unit = user + "
        "system seconds per unit (pyDVL's worker processes included), CPU ratio = pyDVL's / worth's; "
        "rho = Spearman of worth vs pyDVL values, rho worth = worth seed 0 vs seed 1 (the Monte Carlo noise floor)",
        [("method", 12, "method", ""), ("data", 14, "data", ""), ("classes", 8, "classes", "d"), ("budget", 7, "units", "d"),
         ("worth s", 9, "worth_s", ".2f"), ("worth/s", 9, "worth_rate", ".2f"), ("pyDVL s", 9, "ref_s", ".2f"),
         ("pyDVL/s", 9, "ref_rate", ".3f"), ("worth/pyDVL", 12, lambda r: f"{r['rate_ratio']:.1f}x", ""),
         ("CPU s/unit", 11, "worth_cpu_unit", ".3f"), ("pyDVL", 8, "ref_cpu_unit", ".2f"),
         ("CPU ratio", 10, lambda r: f"{r['cpu_ratio']:.1f}x", ""), ("rho", 7, "rho", ".3f"),
         ("rho worth", 10, "twin_rho", ".3f"), ("AUROC", 7, "worth_auroc", ".3f"), ("pyDVL", 7, "ref_auroc", ".3f")]),
    "convergence": Table(
        "TMC-Shapley, worth alone: convergence to its default stop, and 1 -> 2 workers (synthetic, 10% flipped)",
        "1w/2w = seconds on 1 worker / seconds on 2 workers at the same budget (above 1: 2 workers are faster); "
        "same = the two value vectors are identical; rho seeds = Spearman of seed 0 vs seed 1, each run to its stop",
        [("run", 27, "run", ""), ("rows", 6, "rows", "d"), ("workers", 8, "workers", "d"),
         ("permutations", 13, "units", "d"), ("seconds", 9, "worth_s", ".2f"), ("perm/s", 8, "worth_rate", ".1f"),
         ("1w/2w", 7, lambda r: f"{r['twin_ratio']:.2f}x" if "workers" in r.get("twin", {}) else None, ""),
         ("same", 6, lambda r: ("yes" if r["twin_identical"] else "NO") if "workers" in r.get("twin", {}) else None, ""),
         ("rho seeds", 10, lambda r: r["twin_rho"] if "seed" in r.get("twin", {}) else None, ".3f"),
         ("AUROC", 7, "worth_auroc", ".3f"), ("  stop", 0, lambda r: "  " + r["stop"], "")]),
    "influence": Table(
        "Influence functions: worth vs NumPy (same objective, Newton to ||grad|| <= 1e-12, exact Hessian), synthetic, 10% flipped",
        "NumPy/worth = NumPy seconds (fit + values) / worth seconds (whole process): above 1, worth is faster; "
        "max rel = max|worth - NumPy| / max|NumPy|",
        [("rows", 7, "rows", "d"), ("feat", 5, "features", "d"), ("classes", 8, "classes", "d"), ("params", 7, "params", "d"),
         ("worth s", 9, "worth_s", ".2f"), ("(engine)", 9, "worth_engine_s", ".1f"), ("NumPy s", 9, "ref_s", ".2f"),
         ("NumPy/worth", 12, lambda r: f"{r['ratio']:.1f}x", ""), ("max rel", 10, "max_rel", ".1e"),
         ("rho", 9, "rho", ".6f"), ("AUROC", 7, "worth_auroc", ".3f")]),
    "dvrl": Table(
        "DVRL, worth alone (defaults: 1000 iterations, batch 256, unless the run says otherwise), 10% flipped",
        "no reference: seconds are the whole worth process; distinct = distinct values among the rows (1: the estimator collapsed)",
        [("data", 14, "data", ""), ("run", 18, "run", ""), ("rows", 6, "rows", "d"), ("feat", 5, "features", "d"),
         ("iterations", 11, "units", "d"), ("worth s", 9, "worth_s", ".2f"), ("(engine)", 9, "worth_engine_s", ".1f"),
         ("MiB", 7, "worth_MiB", ".0f"), ("distinct", 9, "distinct", "d"), ("AUROC", 7, "worth_auroc", ".3f")]),
}


def plan(args, sections):
    """The cases of the chosen sections, in order."""
    cases = []
    synthetic = lambda n, d=args.features, classes=2: Data(rows=n, features=d, classes=classes)
    extra = {"data-oob": {"trees": 1000}, "knn-shapley": {"k": 10}}
    for section, method in (("oob", "data-oob"), ("knn", "knn-shapley")):
        if section in sections:
            cases += [Case("compare", method, synthetic(int(s)), extra[method], reference=method) for s in args.sizes.split(",")]
    if "oob" in sections and args.big:
        cases.append(Case("compare", "data-oob", synthetic(100_000), extra["data-oob"]))
    if "semivalues" in sections:
        bc = Data(sample="breast_cancer")
        # Issue 13's file: make_classification(n_samples=1250, n_features=64, n_informative=32, n_classes=10).
        ten = Data(rows=1000, features=64, classes=10, informative=32, redundant=2, validation=250)
        for method, data, budget in (("tmc-shapley", bc, args.tmc_permutations), ("tmc-shapley", ten, args.tmc10_permutations),
                                     ("banzhaf", bc, args.banzhaf_samples)):
            flags = {"permutations": budget, "rhat": 0} | ({"tolerance": 0} if method == "tmc-shapley" else {})
            cases.append(Case("semivalues", method, data, flags, reference=method, budget=budget, twin={"seed": args.seed + 1}))
    if "convergence" in sections:
        cases.append(Case("convergence", "tmc-shapley", synthetic(500), {"permutations": 100_000, "max-seconds": 300},
                          twin={"seed": args.seed + 1}, label="to R-hat < 1.05 (default)"))
        cases.append(Case("convergence", "tmc-shapley", synthetic(500), {"permutations": args.scaling_permutations, "rhat": 0},
                          twin={"workers": 1}, label="fixed budget, 2 vs 1"))
    if "influence" in sections:
        cases += [Case("influence", "influence", synthetic(n, d, c), reference="influence")
                  for n, d, c in ((2000, 20, 2), (20_000, 50, 2), (20_000, 50, 6))]
    if "dvrl" in sections:
        cases += [Case("dvrl", "dvrl", data, label="defaults") for data in (Data(sample="breast_cancer"), synthetic(5000, 20))]
        cases.append(Case("dvrl", "dvrl", synthetic(5000, 20), {"batch-size": 2000}, label="--batch-size 2000"))
    return cases


def data_for(args, data, folder, cache):
    """make_data for `data` with the run's seed, once per data set."""
    if data not in cache:
        cache[data] = make_data(data, args.seed, folder)
    return cache[data]


def odv_run(args, paths, seed):
    """OpenDataVal's DVRL on `paths` with `seed`: (values, wall seconds, CPU seconds)."""
    _, _, out, _, _ = run_measured([args.odv_python, "-c", REFERENCE_ODV, paths["train"], paths["valid"], str(seed),
                                    str(args.odv_iterations)])
    result = json.loads(out.strip().splitlines()[-1])  # OpenDataVal's imports print notices first
    return result["values"], result["seconds"], result["cpu"]


def dvrl_against_reference(args, folder, cache):
    """worth's DVRL (its defaults) and OpenDataVal's on the anchors' splits, over seeds."""
    import numpy as np
    seeds = range(args.dvrl_seeds)
    table = Table(
        f"DVRL on the anchors' splits (10% flipped), seeds 0-{args.dvrl_seeds - 1}: worth (defaults) vs OpenDataVal 1.3.0 "
        f"({args.odv_iterations} iterations of 32 rows, scikit-learn logistic regression, accuracy reward)",
        "AUROC mean and worst over the seeds; CPU s = user + system seconds per run, mean (worth: the whole process; "
        "OpenDataVal: its fit, one torch thread); CPU ratio = OpenDataVal's / worth's (above 1: worth is faster)",
        [("data", 15, "data", ""), ("rows", 5, "rows", "d"), ("worth mean", 11, "worth_mean", ".3f"),
         ("worst", 7, "worth_min", ".3f"), ("CPU s", 7, "worth_cpu", ".2f"), ("wall s", 7, "worth_s", ".2f"),
         ("ODV mean", 9, "ref_mean", ".3f"), ("worst", 7, "ref_min", ".3f"), ("CPU s", 7, "ref_cpu", ".1f"),
         ("wall s", 7, "ref_s", ".1f"), ("CPU ratio", 10, lambda r: r.get("ratio") and f"{r['ratio']:.0f}x", ""),
         ("  per seed (worth | ODV)", 0, "per_seed", "")])
    table.header()
    for sample in ANCHORS:
        data = anchor(sample)
        paths, flipped, _ = data_for(args, data, folder, cache)
        runs = [run_worth(args, Case("dvrl", "dvrl", data), paths, len(flipped), folder, {"seed": seed}) for seed in seeds]
        worth = [auroc(r["values"], flipped) for r in runs]
        row = {"data": sample, "rows": len(flipped), "worth_mean": np.mean(worth), "worth_min": min(worth),
               "worth_cpu": np.mean([r["cpu"] for r in runs]), "worth_s": np.mean([r["s"] for r in runs])}
        text = " ".join(f"{a:.3f}" for a in worth)
        if args.odv_python:
            refs = [odv_run(args, paths, seed) for seed in seeds]
            ref = [auroc(values, flipped) for values, _, _ in refs]
            row.update(ref_mean=np.mean(ref), ref_min=min(ref), ref_cpu=np.mean([c for _, _, c in refs]),
                       ref_s=np.mean([w for _, w, _ in refs]))
            row["ratio"] = row["ref_cpu"] / row["worth_cpu"]
            text += " | " + " ".join(f"{a:.3f}" for a in ref)
        row["per_seed"] = "  " + text
        table.line(row)


def defaults_table(args, folder, cache):
    """Detection AUROC after a budget of CPU time of TMC and Beta Shapley, per utility and
    truncation: the budget of T seconds is 2·T CPU seconds, what two idle cores give in T
    seconds, so the figures hold on a machine shared with other work. A short run measures the
    CPU a permutation costs with the candidate's settings; the run is then resumed (its state
    file) to the permutations that fit each budget, so the 5, 10 and 30 s values are one chain."""
    import numpy as np
    datasets = {"breast_cancer": anchor("breast_cancer"), "wine": anchor("wine"), "binary": Data(rows=500, features=20),
                "10-class": Data(rows=1000, features=64, classes=10, informative=32, redundant=2, validation=250)}
    datasets = [datasets[name] for name in args.default_data.split(",")]
    seconds = [float(t) for t in args.default_seconds.split(",")]
    seeds = [int(k) for k in args.method_seeds.split(",")]
    table = Table(
        "Monte Carlo defaults: detection AUROC after a CPU budget (10% flipped; anchors' splits for the samples; "
        "synthetic binary 500 x 20 and the 10-class 1,000 x 64 file), no R-hat stop",
        f"T s = 2T CPU seconds (two idle cores for T s); each cell: AUROC (permutations), mean over worth seeds "
        f"{args.method_seeds} on the same split; trunc = relative tolerance for 6 steps, 0 = none",
        [("data", 15, "data", ""), ("classes", 8, "classes", "d"), ("method", 13, "method", ""), ("utility", 9, "utility", ""),
         ("trunc", 6, "tolerance", "g")]
        + [(f"{t:g} s", 16, (lambda t: lambda r: f"{r[t][0]:.3f} ({r[t][1]})")(t), "") for t in seconds]
        + [("  load", 0, lambda r: f"  {r['load']:.1f}", "")])
    table.header()
    state = os.path.join(folder, "state.json")
    for data in datasets:
        paths, flipped, _ = data_for(args, data, folder, cache)
        classes = 3 if data.sample == "wine" else (2 if data.sample else data.classes)
        for method in ("tmc-shapley", "beta-shapley"):
            for utility in ("accuracy", "logloss"):
                for tolerance in (0, 0.01, 0.05):
                    row = {"data": data.name, "classes": classes, "method": method, "utility": utility,
                           "tolerance": tolerance, "load": os.getloadavg()[0]}
                    cells = {t: [] for t in seconds}
                    for seed in seeds:
                        common = {"seed": seed, "rhat": 0, "utility": utility, "tolerance": tolerance}
                        if os.path.exists(state):
                            os.remove(state)
                        budget = ({"permutations": args.calibration_units} if args.calibration_units else
                                  {"max-seconds": args.calibration_seconds, "permutations": 100_000_000})
                        calibration = run_worth(args, Case("defaults", method, data), paths, len(flipped), folder,
                                                common | budget | {"checkpoint": state})
                        per_unit = calibration["cpu"] / max(1, calibration["units"])
                        for t in seconds:
                            budget = max(calibration["units"] + 1, round(2 * t / per_unit))
                            run = run_worth(args, Case("defaults", method, data), paths, len(flipped), folder,
                                            common | {"permutations": budget, "resume": state, "checkpoint": state})
                            cells[t].append((auroc(run["values"], flipped), budget))
                    for t in seconds:
                        row[t] = (np.mean([a for a, _ in cells[t]]), round(np.mean([u for _, u in cells[t]])))
                    table.line(row)
    if args.reference_seconds > 0:
        print(f"\n   pyDVL with its defaults (TMC: RelativeTruncation(0.01); Beta(4, 1) over permutations), accuracy, "
              f"2 jobs, {2 * args.reference_seconds:g} CPU seconds (two cores for {args.reference_seconds:g} s), same splits:")
        for sample in ANCHORS:
            paths, flipped, _ = data_for(args, anchor(sample), folder, cache)
            for method in ("tmc-shapley-defaults", "beta-shapley-defaults"):
                def reference(budget):
                    _, _, out, _, _ = run_measured([sys.executable, "-c", REFERENCE, method, paths["train"], paths["valid"],
                                                    str(budget)])
                    return json.loads(out)
                calibration = reference(args.reference_calibration)
                budget = max(1, round(2 * args.reference_seconds * args.reference_calibration / calibration["cpu"]))
                ref = reference(budget)
                print(f"   {sample:15}{method[:-9]:14} AUROC {auroc(ref['values'], flipped):.3f} ({budget} permutations, "
                      f"{ref['cpu']:.0f} CPU s)", flush=True)


def in_run_table(args, folder, cache):
    """In-Run Data Shapley with its defaults, for logistic regression and the one-hidden-layer
    network: quality and cost on the anchors' splits, and with --big one run on a million rows."""
    import numpy as np
    table = Table(
        "In-Run Data Shapley (defaults: 3 epochs, 5 runs, batch n / 3000 within 32-1024, 8 x the batch of validation rows a step, second order), 10% flipped",
        "CPU s / wall s: the whole worth process (CSV parsing included), mean over the seeds; mlp: 32 hidden units, "
        "Gauss-Newton second order; pyDVL TMC-Shapley given 120 s on the same anchors' splits (issue 13): "
        "breast_cancer 0.840, wine 0.981",
        [("data", 15, "data", ""), ("model", 9, "model", ""), ("rows", 8, "rows", "d"), ("valid", 7, "valid", "d"),
         ("runs", 5, "runs", "d"), ("AUROC mean", 11, "mean", ".3f"), ("worst", 7, "worst", ".3f"),
         ("CPU s", 8, "cpu", ".2f"), ("wall s", 8, "s", ".2f"), ("MiB", 7, "MiB", ".0f")])
    table.header()
    cases = [(anchor(sample), {"model": model}, range(args.dvrl_seeds)) for sample in ANCHORS for model in ("logistic", "mlp")]
    if args.big:
        cases.append((Data(rows=800_000, features=100, validation=200_000), {"runs": 1}, [args.seed]))
    for data, flags, seeds in cases:
        paths, flipped, _ = data_for(args, data, folder, cache)
        runs = [run_worth(args, Case("inrun", "in-run-shapley", data, flags), paths, len(flipped), folder, {"seed": k})
                for k in seeds]
        aurocs = [auroc(r["values"], flipped) for r in runs]
        table.line({"data": data.name, "model": flags.get("model", "logistic"), "rows": len(flipped),
                    "valid": data.validation, "runs": flags.get("runs", 5),
                    "mean": np.mean(aurocs), "worst": min(aurocs), "cpu": np.mean([r["cpu"] for r in runs]),
                    "s": np.mean([r["s"] for r in runs]), "MiB": max(r["MiB"] for r in runs)})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, from {', '.join(SECTIONS)} (default: all)")
    ap.add_argument("--sizes", default="1000,5000,20000", help="oob, knn: valued rows of the synthetic sets")
    ap.add_argument("--features", type=int, default=20, help="oob, knn, semivalues (500-row set): synthetic features")
    ap.add_argument("--big", action="store_true",
                    help="oob: add Data-OOB on 100,000 rows, worth only; inrun: add 1,000,000 x 100")
    ap.add_argument("--tmc-permutations", type=int, default=50,
                    help="semivalues: TMC budget for both tools (pyDVL runs 0.7-1.5/s here: keep it under ~90 s)")
    ap.add_argument("--tmc10-permutations", type=int, default=4,
                    help="semivalues: TMC budget on the 10-class file (pyDVL takes about 40 s per permutation there)")
    ap.add_argument("--banzhaf-samples", type=int, default=1500,
                    help="semivalues: MSR Banzhaf budget for both tools (pyDVL runs ~25/s here)")
    ap.add_argument("--scaling-permutations", type=int, default=300, help="semivalues: budget of the 1 vs 2 workers run")
    ap.add_argument("--dvrl-seeds", type=int, default=5, help="dvrl: seeds of each tool on the anchors' splits")
    ap.add_argument("--odv-python", default=os.environ.get("ODV_PYTHON", ""),
                    help="dvrl: the python of a venv with opendataval==1.3.0 (default $ODV_PYTHON; none: worth only)")
    ap.add_argument("--odv-iterations", type=int, default=2000, help="dvrl: OpenDataVal's rl_epochs")
    ap.add_argument("--default-seconds", default="5,10,30", help="defaults: the time budgets")
    ap.add_argument("--default-data", default="breast_cancer,wine,binary,10-class",
                    help="defaults: the data sets, from breast_cancer, wine, binary (500 x 20), 10-class (1,000 x 64)")
    ap.add_argument("--calibration-seconds", type=float, default=3, help="defaults: the run that measures a permutation's CPU (wall seconds: give more on a loaded machine or a 10-class file)")
    ap.add_argument("--calibration-units", type=int, default=0,
                    help="defaults: measure with this many permutations instead (0: --calibration-seconds)")
    ap.add_argument("--reference-seconds", type=float, default=60, help="defaults: pyDVL's budget (0: skip)")
    ap.add_argument("--reference-calibration", type=int, default=10, help="defaults: pyDVL permutations measuring their CPU")
    ap.add_argument("--method-seeds", default="0,1", help="defaults: worth seeds per cell (their mean is shown)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--worth", default=os.path.join(ROOT, ".build", "release", "worth"))
    args = ap.parse_args()
    sections = args.sections.split(",")
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        ap.error(f"unknown section {', '.join(unknown)}; sections: {', '.join(SECTIONS)}")
    try:
        import numpy, scipy, sklearn, pydvl  # noqa: F401
    except ImportError:
        sys.exit("compare.py needs scikit-learn and pyDVL: pip install scikit-learn pydvl")
    if not os.path.exists(args.worth):
        print("building worth (release)...", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True)

    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")
    cache, table = {}, None
    with tempfile.TemporaryDirectory() as folder:
        for case in plan(args, sections):
            row = run_case(args, case, folder, cache)
            if case.table != table:
                table = case.table
                TABLES[table].header()
            TABLES[table].line(row)
        if "dvrl" in sections:
            dvrl_against_reference(args, folder, cache)
        if "defaults" in sections:
            defaults_table(args, folder, cache)
        if "inrun" in sections:
            in_run_table(args, folder, cache)
    print(f"\nload average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
