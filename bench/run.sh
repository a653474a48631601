#!/usr/bin/env bash
# Benchmarks modeldb against git in the same run. See bench/README.md.
#
#   bash bench/run.sh            # N=100000 commits for the log benchmarks
#   N=20000 bash bench/run.sh    # smaller, quicker
#
# Builds into bench/out/, generates the two N-commit repositories once
# (cached in bench/out/repos-N/; delete that directory to regenerate) and
# writes the result tables to bench/out/results-N.md (and stdout).
set -euo pipefail

start_all=$(date +%s)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

N=${N:-100000}
REPS_COMMIT=${REPS_COMMIT:-30}   # commit benchmark: runs per command
REPS_LOG20=${REPS_LOG20:-50}     # log -n 20
REPS_LOGALL=${REPS_LOGALL:-10}   # log --oneline of all N commits
REPS_LOGFULL=${REPS_LOGFULL:-5}  # log (full format) of all N commits

out=$root/bench/out
mkdir -p "$out"
results=$out/results-$N.md
rm -f "$out/results-$N.tsv"
scratch=$out/scratch
log() { printf '%s\n' "run.sh: $*" >&2; }

# --- Environment: the same for both tools, nothing from the user's config.
unset MODELDB_DIR GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY 2>/dev/null || true
export MODELDB_AUTHOR="Bench <bench@example.com>" NO_COLOR=1
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export LC_ALL=C

# --- Build.
log "building modeldb, gen and timeit into bench/out/"
CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -o "$out/modeldb" ./cmd/modeldb  # as 'make build' does
go build -o "$out/gen" ./bench/gen
go build -o "$out/timeit" ./bench/timeit
mdb=$out/modeldb
timeit=$out/timeit

# --- The N-commit repositories, generated once.
repos=$out/repos-$N
if [[ ! -d $repos ]]; then
	log "generating $N commits for modeldb and git (once; cached in $repos)"
	rm -rf "$repos.tmp"
	mkdir -p "$repos.tmp"
	t0=$(date +%s)
	"$out/gen" -n "$N" -modeldb "$repos.tmp/modeldb" -git "$repos.tmp/git" 2>&1 | tee "$repos.tmp/gen.log" >&2
	echo $(($(date +%s) - t0)) >"$repos.tmp/gen-seconds"
	mv "$repos.tmp" "$repos"
else
	log "using cached repositories in $repos"
fi
M=$repos/modeldb
G=$repos/git

# Both histories must hold N commits, or the comparison means nothing.
n_git=$(git -C "$G" rev-list --count HEAD)
n_mdb=$(cd "$M" && "$mdb" log --oneline | wc -l)
if [[ $n_git != "$N" || $n_mdb != "$N" ]]; then
	log "repositories do not hold $N commits (git: $n_git, modeldb: $n_mdb); rm -rf $repos and rerun"
	exit 1
fi

# --- Results file: machine and method first.
{
	echo "# modeldb vs git, N=$N"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- cpu: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "- $(go version)"
	echo "- $(git --version)"
	echo "- modeldb: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' + uncommitted changes')"
	echo "- generation of the $N-commit repositories: $(cat "$repos/gen-seconds")s (cached: $([[ -n ${t0:-} ]] && echo no || echo yes))"
	grep -h 'commits in\|fast-import\|gc in' "$repos/gen.log" 2>/dev/null | sed 's/^/  - /' || true
	echo "- repository size on disk: modeldb $(du -sh "$M/.modeldb" | cut -f1), git $(du -sh "$G/.git" | cut -f1)"
	echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
	echo "Times are wall-clock per command, measured by bench/timeit (which does not count its own"
	echo "start-up); the commands of one table run interleaved, round-robin. Ratios are against the"
	echo "first row (git)."
	echo
} >"$results"

section() { printf '\n## %s\n\n' "$1" >>"$results"; log "$1"; }

# --- (a) Commit of a small run, in a fresh repository for every run: each
# run gets a new repository with one earlier commit and (git) the changed
# file already staged; only the commit command is timed. Every prep ends
# with sync, so no tool pays for the other's (or the prep's) dirty data.
rm -rf "$scratch"
mkdir -p "$scratch"
prep_git() { # $1: repository directory
	echo "rm -rf '$1' && git init -q -b main '$1' && cd '$1' && printf 'C = 0\n' >run.toml && git add run.toml && git commit -q -m first && printf 'C = 1\naccuracy = 0.9\n' >run.toml && git add run.toml && sync"
}
prep_mdb="rm -rf '$scratch/m' && mkdir -p '$scratch/m' && cd '$scratch/m' && '$mdb' init >/dev/null && '$mdb' commit --param C=0 -m first --no-source >/dev/null && sync"

section "(a) commit of a small run (fresh repository per run)"
"$timeit" -r "$REPS_COMMIT" -warmup 2 -header -tsv "$out/results-$N.tsv" \
	:: -label 'git commit -q -m msg' -dir "$scratch" -prep "$(prep_git "$scratch/g")" \
	git -C "$scratch/g" commit -q -m msg \
	:: -label 'modeldb commit --param C=1 --metric accuracy=0.9 -m msg --no-source' -dir "$scratch" -prep "$prep_mdb" \
	"$mdb" -C "$scratch/m" commit --param C=1 --metric accuracy=0.9 -m msg --no-source \
	:: -label 'git -c core.fsync=all commit -q -m msg (as durable as modeldb; information)' -dir "$scratch" -prep "$(prep_git "$scratch/g2")" \
	git -C "$scratch/g2" -c core.fsync=all -c core.fsyncMethod=fsync commit -q -m msg \
	>>"$results"

# --- (b) log -n 20 on the N-commit repositories.
section "(b) log -n 20, $N commits"
"$timeit" -r "$REPS_LOG20" -warmup 3 -header -tsv "$out/results-$N.tsv" \
	:: -label 'git log -n 20' -dir "$G" git log -n 20 \
	:: -label 'modeldb log -n 20' -dir "$M" "$mdb" log -n 20 \
	:: -label 'git -c core.commitGraph=false log -n 20 (information)' -dir "$G" git -c core.commitGraph=false log -n 20 \
	>>"$results"

# --- (c) log of all N commits, one line each, to /dev/null.
section "(c) log --oneline, all $N commits"
"$timeit" -r "$REPS_LOGALL" -warmup 1 -header -tsv "$out/results-$N.tsv" \
	:: -label 'git log --oneline' -dir "$G" git log --oneline \
	:: -label 'modeldb log --oneline' -dir "$M" "$mdb" log --oneline \
	:: -label 'git -c core.commitGraph=false log --oneline (information)' -dir "$G" git -c core.commitGraph=false log --oneline \
	>>"$results"

# --- (d) information: full-format log of all N commits (modeldb also reads every run).
section "(d) log (full format), all $N commits (information)"
"$timeit" -r "$REPS_LOGFULL" -warmup 1 -header -tsv "$out/results-$N.tsv" \
	:: -label 'git log' -dir "$G" git log \
	:: -label 'modeldb log' -dir "$M" "$mdb" log \
	>>"$results"

# --- (e) information: the bare cost of starting each program.
section "(e) process start-up (information)"
"$timeit" -r "$REPS_LOG20" -warmup 3 -header -tsv "$out/results-$N.tsv" \
	:: -label 'git --version' git --version \
	:: -label 'modeldb --version' "$mdb" --version \
	>>"$results"

rm -rf "$scratch"
{
	echo
	echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- bench/run.sh took $(($(date +%s) - start_all))s"
} >>"$results"
cat "$results"
