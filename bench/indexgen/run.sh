#!/usr/bin/env bash
# Benchmarks the query index (docs/benchmarks.md, "Query index"):
#
#   bash bench/indexgen/run.sh            # N=100000 runs
#   N=20000 bash bench/indexgen/run.sh    # smaller, quicker
#
# Builds modeldb (as 'make build' does), indexgen and timeit into bench/out/,
# generates an N-run repository once (cached in bench/out/index-repo-N/;
# delete it to regenerate) and times, with bench/timeit:
#   (a) a full build of the index: 'modeldb reindex', and the first query
#       of a repository without an index;
#   (b) a commit with and without the index to update (the difference is
#       the incremental update);
#   (c) 'modeldb query' for the three questions of the ModelDB paper.
# The tables go to bench/out/index-results-N.md (and stdout).
set -euo pipefail

start_all=$(date +%s)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

N=${N:-100000}
REPS_BUILD=${REPS_BUILD:-3}
REPS_COMMIT=${REPS_COMMIT:-20}
REPS_QUERY=${REPS_QUERY:-20}

out=$root/bench/out
mkdir -p "$out"
results=$out/index-results-$N.md
log() { printf '%s\n' "indexgen/run.sh: $*" >&2; }

unset MODELDB_DIR MODELDB_INDEX_TRACE 2>/dev/null || true
export MODELDB_AUTHOR="Bench <bench@example.com>" NO_COLOR=1 LC_ALL=C

log "building modeldb, indexgen and timeit into bench/out/"
CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -o "$out/modeldb" ./cmd/modeldb
go build -o "$out/indexgen" ./bench/indexgen
go build -o "$out/timeit" ./bench/timeit
mdb=$out/modeldb
timeit=$out/timeit

repo=$out/index-repo-$N
if [[ ! -d $repo ]]; then
	log "generating $N runs (once; cached in $repo)"
	rm -rf "$repo.tmp"
	t0=$(date +%s)
	"$out/indexgen" -n "$N" -modeldb "$repo.tmp" 2>&1 | tee "$out/index-gen-$N.log" >&2
	echo $(($(date +%s) - t0)) >"$repo.tmp/gen-seconds"
	mv "$repo.tmp" "$repo"
fi
M=$repo
idx=$M/.modeldb/index.sqlite
away=$M/index.sqlite.away

# Make sure the index exists and is current before anything else.
rm -f "$away"
"$mdb" -C "$M" reindex >&2

{
	echo "# modeldb query index, N=$N"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- cpu: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "- $(go version)"
	echo "- modeldb: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' + uncommitted changes')"
	echo "- repository: $N runs ($(cat "$M/gen-seconds")s to generate), objects $(du -sh "$M/.modeldb/objects" | cut -f1), index $(du -sh "$idx" | cut -f1)"
	echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
} >"$results"
section() { printf '\n## %s\n\n' "$1" >>"$results"; log "$1"; }

section "(a) full build of the index, $N runs"
"$timeit" -r "$REPS_BUILD" -warmup 1 -header \
	:: -label 'modeldb reindex' -dir "$M" "$mdb" reindex \
	:: -label "modeldb query 'SELECT count(*) FROM runs' without an index (builds it)" -dir "$M" -prep "rm -f '$idx'" \
	"$mdb" query 'SELECT count(*) FROM runs' \
	>>"$results"

section "(b) commit of a small run into the $N-run repository"
# Before each timed commit with the index, the index is put back and
# brought up to date (untimed), so each timed commit updates it by one run.
"$timeit" -r "$REPS_COMMIT" -warmup 2 -header \
	:: -label 'modeldb commit (no index: nothing to update)' -dir "$M" \
	-prep "if [ -e '$idx' ]; then mv '$idx' '$away'; fi; sync" \
	"$mdb" commit --no-source --param C=1 --metric accuracy=0.9 -m msg \
	:: -label 'modeldb commit (index updated in the same command)' -dir "$M" \
	-prep "if [ -e '$away' ]; then mv '$away' '$idx'; fi; '$mdb' query 'SELECT 1' >/dev/null; sync" \
	"$mdb" commit --no-source --param C=1 --metric accuracy=0.9 -m msg \
	>>"$results"
if [ -e "$away" ]; then mv "$away" "$idx"; fi
"$mdb" -C "$M" query 'SELECT 1' >/dev/null

Q1="SELECT name FROM runs WHERE id IN (SELECT run FROM dataset_columns WHERE name = 'zip_code')"
Q2="SELECT r.name, m.value FROM runs r JOIN metrics m ON m.run = r.id WHERE m.name = 'accuracy' AND m.slice = 'country=US' ORDER BY m.value DESC LIMIT 5"
Q3="SELECT run_name FROM run_metrics WHERE metric = 'accuracy' AND slice = 'country=US' ORDER BY value DESC LIMIT 2"
read -r A B < <("$mdb" -C "$M" query --csv --no-header "$Q3" | tr '\n' ' '; echo)
section "(c) the paper's three questions, $N runs"
"$timeit" -r "$REPS_QUERY" -warmup 3 -header \
	:: -label 'modeldb --version (start-up)' "$mdb" --version \
	:: -label "modeldb query 'SELECT 1' (open and check the index)" -dir "$M" "$mdb" query 'SELECT 1' \
	:: -label "Q1 zip_code: modeldb query \"$Q1\"" -dir "$M" "$mdb" query "$Q1" \
	:: -label "Q2 best on US: modeldb query \"$Q2\"" -dir "$M" "$mdb" query "$Q2" \
	:: -label "Q3 top two: modeldb query --csv --no-header \"$Q3\"" -dir "$M" "$mdb" query --csv --no-header "$Q3" \
	:: -label "Q3 then: modeldb compare $A $B" -dir "$M" "$mdb" compare "$A" "$B" \
	:: -label "Q3 one-liner: modeldb compare \$(modeldb query --csv --no-header …) (bash -c)" -dir "$M" \
	bash -c "'$mdb' compare \$('$mdb' query --csv --no-header \"$Q3\")" \
	>>"$results"

{
	echo
	echo "- Q1 answers $("$mdb" -C "$M" query --csv --no-header "SELECT count(*) FROM ($Q1)") runs; the top two of Q3: $A, $B"
	echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- bench/indexgen/run.sh took $(($(date +%s) - start_all))s"
} >>"$results"
cat "$results"
