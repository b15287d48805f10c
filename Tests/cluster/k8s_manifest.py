#!/usr/bin/env python3
"""Checks the Kubernetes sample on paper, with no kubectl and no cluster.

    python3 Tests/cluster/k8s_manifest.py [Samples/k8s-indexed-job.yaml]

The manifest must be valid YAML holding a ReadWriteMany volume claim, an Indexed Job of shards
and a merge Job, with what the API server and the header's kubectl steps need: batch/v1,
completionMode Indexed, completions and parallelism that agree with SHARDS, a restartPolicy the
API accepts, env values as strings, the labels `kubectl apply -l` selects. The containers'
shell commands are run here with a stand-in `worth` that records its arguments: each index K
must run `worth value … --shard K/N` and save its part on the shared claim, where the merge Job
reads every part. Then each check is shown to fail on a manifest broken on purpose.
Needs PyYAML (Tests/cluster/k8s.sh installs it). Prints "k8s: N passed, N failed".
"""
import copy
import fnmatch
import os
import posixpath
import re
import subprocess
import sys
import tempfile

import yaml

# Stand-in worth: records the arguments of its last call, each ended by a NUL byte.
STAND_IN = """#!/bin/sh
printf '%s\\0' "$@" > "$WORTH_CALLS"
"""


def run_container(container, index, workdir):
    """Runs a container's command + args with the stand-in worth on PATH and, for an index,
    JOB_COMPLETION_INDEX set; returns (the arguments of worth's last call, None) or (None, what
    went wrong)."""
    calls = os.path.join(workdir, f"calls-{index}")
    if os.path.exists(calls):
        os.remove(calls)
    env = {"PATH": f"{workdir}/bin:/usr/bin:/bin", "WORTH_CALLS": calls}
    for item in container.get("env") or []:
        env[str(item.get("name"))] = str(item.get("value"))
    if index is not None:
        env["JOB_COMPLETION_INDEX"] = str(index)
    argv = list(container.get("command") or []) + list(container.get("args") or [])
    if not argv:
        return None, "has no command"
    result = subprocess.run([str(a) for a in argv], env=env, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        return None, f"command failed ({result.returncode}): {result.stderr.strip()[:200]}"
    if not os.path.exists(calls):
        return None, "command never ran worth"
    with open(calls, "rb") as f:
        return [a.decode() for a in f.read().split(b"\0")[:-1]], None


def flag(args, name):
    """The value after `name` in an argument list, or None."""
    return args[args.index(name) + 1] if name in args and args.index(name) + 1 < len(args) else None


def mount_of(pod, container, path):
    """(volume, mountPath) of the mount that holds `path` in this container, or (None, None)."""
    volumes = {v.get("name"): v for v in pod.get("volumes") or []}
    best = (None, None)
    for m in container.get("volumeMounts") or []:
        mount = m.get("mountPath", "").rstrip("/")
        if path == mount or path.startswith(mount + "/"):
            if best[1] is None or len(mount) > len(best[1]):
                best = (volumes.get(m.get("name")), mount)
    return best


def claim_of(volume):
    """The claimName of a persistentVolumeClaim volume, else None."""
    return ((volume or {}).get("persistentVolumeClaim") or {}).get("claimName")


def check(text):
    """Every problem found in the manifest `text`, as one line each (empty: it is fine)."""
    problems = []
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as e:
        return [f"not valid YAML: {str(e).splitlines()[0]}"]
    for i, d in enumerate(docs):
        if not isinstance(d, dict) or not all(k in d for k in ("apiVersion", "kind", "metadata")) \
                or not (d.get("metadata") or {}).get("name"):
            problems.append(f"document {i + 1} is not an object with apiVersion, kind and metadata.name")
    if problems:
        return problems

    def named(kind):
        return [d for d in docs if d["kind"] == kind]

    claims = named("PersistentVolumeClaim")
    jobs = named("Job")
    indexed = [j for j in jobs if (j.get("spec") or {}).get("completionMode") == "Indexed"]
    merges = [j for j in jobs if j not in indexed]
    if len(claims) != 1:
        problems.append(f"{len(claims)} PersistentVolumeClaims, want 1 (the shared parts)")
    if len(indexed) != 1:
        problems.append(f"{len(indexed)} Jobs with completionMode: Indexed, want 1 (the shards)")
    if len(merges) != 1:
        problems.append(f"{len(merges)} other Jobs, want 1 (the merge)")
    if problems:
        return problems
    claim, shards, merge = claims[0], indexed[0], merges[0]

    if claim.get("apiVersion") != "v1":
        problems.append(f"the claim's apiVersion is {claim.get('apiVersion')}, not v1")
    if "ReadWriteMany" not in ((claim.get("spec") or {}).get("accessModes") or []):
        problems.append("the claim is not ReadWriteMany: shards on several nodes write to it")
    for job in jobs:
        name = job["metadata"]["name"]
        if job.get("apiVersion") != "batch/v1":
            problems.append(f"job {name}: apiVersion {job.get('apiVersion')}, not batch/v1")
        if not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name) or len(name) > 63:
            problems.append(f"job {name}: not a valid name (lower-case DNS label)")
        pod = ((job.get("spec") or {}).get("template") or {}).get("spec") or {}
        policy = pod.get("restartPolicy")
        if policy not in ("Never", "OnFailure"):
            problems.append(f"job {name}: restartPolicy {policy}, want Never or OnFailure")
        if "backoffLimitPerIndex" in (job.get("spec") or {}) and policy != "Never":
            problems.append(f"job {name}: backoffLimitPerIndex needs restartPolicy Never")
        containers = pod.get("containers") or []
        if not containers:
            problems.append(f"job {name}: no containers")
        for c in containers:
            if not c.get("name") or not c.get("image"):
                problems.append(f"job {name}: a container without name or image")
            for item in c.get("env") or []:
                if not isinstance(item.get("value"), str):
                    problems.append(f"job {name}: env {item.get('name')} is {item.get('value')!r}, "
                                    "not a string (the API rejects it; quote it)")

    # kubectl apply -l step=shards / step=merge, as the header says.
    def step(d):
        return ((d.get("metadata") or {}).get("labels") or {}).get("step")
    for d, want in ((claim, "shards"), (shards, "shards"), (merge, "merge")):
        if step(d) != want:
            problems.append(f"{d['kind']} {d['metadata']['name']}: label step={step(d)}, want {want} "
                            "(the header applies it with -l step=…)")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    for job_name in re.findall(r"job/([a-z0-9-]+)", comments):
        if job_name not in {j["metadata"]["name"] for j in jobs}:
            problems.append(f"the header names job/{job_name}, which the manifest lacks")
    config_maps = {(v.get("configMap") or {}).get("name") for v in shards["spec"]["template"]["spec"].get("volumes") or []}
    for map_name in re.findall(r"configmap ([a-z0-9-]+)", comments):
        if map_name not in config_maps:
            problems.append(f"the header creates configmap {map_name}, which the shards do not mount")

    spec = shards["spec"]
    n, parallel = spec.get("completions"), spec.get("parallelism", 1)
    sname = shards["metadata"]["name"]
    if not isinstance(n, int) or n < 1:
        return problems + [f"job {sname}: completions {n!r}: an Indexed Job needs a whole number ≥ 1"]
    if not isinstance(parallel, int) or not 1 <= parallel <= n:
        problems.append(f"job {sname}: parallelism {parallel!r}, want 1…completions ({n})")
    pod = spec["template"]["spec"]
    container = pod["containers"][0]
    env = {str(e.get("name")): e.get("value") for e in container.get("env") or []}
    if str(env.get("SHARDS")) != str(n):
        problems.append(f"job {sname}: env SHARDS is {env.get('SHARDS')!r} but completions is {n}")
    script = " ".join(str(a) for a in (container.get("command") or []) + (container.get("args") or []))
    if "JOB_COMPLETION_INDEX" not in script:
        problems.append(f"job {sname}: the command never reads JOB_COMPLETION_INDEX")
    if problems:
        return problems

    claim_name = claim["metadata"]["name"]
    with tempfile.TemporaryDirectory() as work:
        os.makedirs(f"{work}/bin")
        with open(f"{work}/bin/worth", "w") as f:
            f.write(STAND_IN)
        os.chmod(f"{work}/bin/worth", 0o755)
        parts = []
        for k in range(n):
            args, error = run_container(container, k, work)
            if error:
                return problems + [f"job {sname}, index {k}: {error}"]
            if args[:1] != ["value"]:
                problems.append(f"job {sname}, index {k}: runs `worth {' '.join(args[:1])}`, not `worth value`")
                continue
            if flag(args, "--shard") != f"{k}/{n}":
                problems.append(f"job {sname}, index {k}: --shard {flag(args, '--shard')}, want {k}/{n}")
            data = next((a for a in args[1:] if not a.startswith("-")), None)
            if data is None or mount_of(pod, container, data)[0] is None:
                problems.append(f"job {sname}, index {k}: the data file {data} is on no mounted volume")
            part = flag(args, "--state-out")
            volume, mount = mount_of(pod, container, part or "")
            if part is None or claim_of(volume) != claim_name:
                problems.append(f"job {sname}, index {k}: --state-out {part} is not on the claim {claim_name}")
            else:
                parts.append(posixpath.relpath(part, mount))   # relative to the claim's root
        if len(set(parts)) != len(parts):
            problems.append(f"job {sname}: shards write the same part file: {sorted(parts)}")

        mname = merge["metadata"]["name"]
        mpod = merge["spec"]["template"]["spec"]
        mcontainer = mpod["containers"][0]
        args, error = run_container(mcontainer, None, work)
        if error:
            return problems + [f"job {mname}: {error}"]
        if args[:1] != ["merge"]:
            return problems + [f"job {mname}: runs `worth {' '.join(args[:1])}`, not `worth merge`"]
        # The shards' parts as the merge pod sees them: the same claim at its own mount path.
        volumes = {v.get("name"): v for v in mpod.get("volumes") or []}
        mounts = [m["mountPath"] for m in mcontainer.get("volumeMounts") or []
                  if claim_of(volumes.get(m.get("name"))) == claim_name]
        if not mounts:
            return problems + [f"job {mname}: does not mount the claim {claim_name}"]
        inputs = [a for a in args[1:] if not a.startswith("-") and a != flag(args, "--out")]
        for part in (posixpath.join(mounts[0], p) for p in parts):
            if not any(fnmatch.fnmatchcase(part, pattern) for pattern in inputs):
                problems.append(f"job {mname}: merges {inputs}, which misses the part {part}")
        out = flag(args, "--out")
        if out is None or claim_of(mount_of(mpod, mcontainer, out)[0]) != claim_name:
            problems.append(f"job {mname}: --out {out} is not on the claim {claim_name}")
    return problems


def mutations(text):
    """(what is broken, the text broken so, a phrase the check must report)."""
    docs = list(yaml.safe_load_all(text))

    def job(d, indexed):
        return d and d.get("kind") == "Job" and ((d.get("spec") or {}).get("completionMode") == "Indexed") == indexed

    def edited(change):
        copies = copy.deepcopy(docs)
        for d in copies:
            change(d)
        return yaml.safe_dump_all(copies, sort_keys=False)

    def shard_container(d):
        return d["spec"]["template"]["spec"]["containers"][0] if job(d, True) else None

    def set_env(d, name, value):
        c = shard_container(d)
        if c:
            for e in c["env"]:
                if e["name"] == name:
                    e["value"] = value

    def args(d, old, new):
        c = d["spec"]["template"]["spec"]["containers"][0] if d and d.get("kind") == "Job" else None
        if c:
            c["args"] = [a.replace(old, new) for a in c["args"]]

    yield "invalid YAML", text + "\n  broken: [unclosed\n", "not valid YAML"
    yield "no completionMode", edited(lambda d: job(d, True) and d["spec"].pop("completionMode")), \
        "completionMode: Indexed"
    yield "SHARDS disagrees", edited(lambda d: set_env(d, "SHARDS", "4")), "env SHARDS"
    yield "env value not a string", edited(lambda d: set_env(d, "SEED", 7)), "not a string"
    yield "parallelism too large", edited(lambda d: job(d, True) and d["spec"].update(parallelism=99)), "parallelism"
    yield "restartPolicy Always", edited(
        lambda d: job(d, True) and d["spec"]["template"]["spec"].update(restartPolicy="Always")), "restartPolicy"
    yield "index not used", edited(lambda d: job(d, True) and args(d, '"$JOB_COMPLETION_INDEX"', "0")), \
        "JOB_COMPLETION_INDEX"
    yield "every shard is shard 0", edited(lambda d: job(d, True) and args(d, '--shard "$k/', '--shard "0/')), \
        "--shard 0/"
    yield "part not on the claim", edited(lambda d: job(d, True) and args(d, '"/parts/part-', '"/tmp/part-')), \
        "is not on the claim"
    yield "merge reads elsewhere", edited(lambda d: job(d, False) and args(d, "/parts/part-*", "/parts/old/part-*")), \
        "misses the part"
    yield "wrong label", edited(lambda d: job(d, False) and d["metadata"]["labels"].update(step="shards")), \
        "label step"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../Samples/k8s-indexed-job.yaml")
    with open(path) as f:
        text = f.read()
    passed = failed = 0
    problems = check(text)
    for p in problems:
        print(f"FAIL: {path}: {p}")
    passed, failed = (1, 0) if not problems else (0, 1)
    # The checks can fail: each broken copy must be caught, for the right reason.
    for what, broken, phrase in mutations(text):
        found = check(broken)
        if any(phrase in p for p in found):
            passed += 1
        else:
            failed += 1
            print(f"FAIL: a manifest with {what} was not caught (wanted '{phrase}'; got {found})")
    print(f"k8s: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
