#!/usr/bin/env bash
# The README's end-to-end demo: real scikit-learn churn models tracked with
# modeldb on two branches, then log, show, diff, compare, a CI check,
# restore and fsck.
#
#   bash docs/examples/demo.sh            (or: make demo)
#
# Set DEMO_DIR to keep the demo repository somewhere (default: a new
# temporary directory). Needs Go and Debian's python3-sklearn; installs the
# latter with apt-get when it is missing and we are root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3

if ! "$PY" -c 'import sklearn' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing python3-sklearn (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn >/dev/null
  else
    echo "demo: needs Debian's python3-sklearn: sudo apt-get install python3-sklearn" >&2
    exit 1
  fi
fi

echo "== building modeldb"
make -C "$top" --no-print-directory build
export PATH="$top/bin:$PATH"
export MODELDB_AUTHOR="${MODELDB_AUTHOR:-Demo Scientist <demo@example.com>}"

work=${DEMO_DIR:-$(mktemp -d -t modeldb-demo-XXXXXX)}
mkdir -p "$work" && cd "$work"
echo "== demo repository in $work"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step modeldb init
train() { "$PY" "$here/train_churn.py" --out . "$@"; }

# Three logistic regressions with different regularisation on main.
for c in 0.1 1 10; do
  train --model logreg --C "$c"
  name=logreg-c$c
  [ "$c" = 10 ] && name=strong-c
  step modeldb commit -f run.json --name "$name" -m "logistic regression, C=$c"
done
step modeldb tag v1 strong-c

# Random forests on their own branch.
step modeldb switch -c forest
for depth in 4 12; do
  train --model forest --max-depth "$depth"
  step modeldb commit -f run.json --name "forest-d$depth" -m "random forest, max_depth=$depth"
done
step modeldb switch main

# A quick run recorded from flags alone.
acc=$(awk -F, 'NR > 1 { n++; if ($6 == 0) zero++ } END { printf "%.4f", zero / n }' data/test.csv)
step modeldb commit -m "baseline: always predict no churn" --name baseline \
  --param model=majority --metric "test:accuracy=$acc" --dataset test=data/test.csv

step modeldb log --all --graph --oneline
step modeldb log -n 2
step modeldb show strong-c
step modeldb diff strong-c forest-d12
step modeldb compare logreg-c0.1 logreg-c1 strong-c forest-d4 forest-d12
step modeldb check --baseline logreg-c1 --candidate strong-c --metric test:accuracy:max:0.005
step modeldb restore strong-c model.pkl -o restored.pkl --force
step sha256sum restored.pkl
step modeldb show strong-c --json > /dev/null
step modeldb fsck
echo
echo "Done. Explore it: cd $work && modeldb log --all --graph"
