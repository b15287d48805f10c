#!/usr/bin/env bash
# The Kubernetes sample on paper: Tests/cluster/k8s_manifest.py checks Samples/k8s-indexed-job.yaml
# without kubectl or a cluster. Installs PyYAML when python3 lacks it (pip, or Debian's package
# where pip may not install).
# Usage: Tests/cluster/k8s.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! python3 -c 'import yaml' 2>/dev/null; then
    echo "k8s: installing PyYAML"
    python3 -m pip install -q pyyaml 2>/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml >/dev/null; }
fi
PYTHONDONTWRITEBYTECODE=1 python3 "$here/k8s_manifest.py" "$here/../../Samples/k8s-indexed-job.yaml"
