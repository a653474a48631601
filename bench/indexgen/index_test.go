package main

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/modeldb/modeldb/index"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

// memSource is an in-memory history of Run(0) … Run(n-1) on main, so that
// the benchmark measures the index alone, not reading the object store.
type memSource struct {
	commits map[objects.ID]*objects.Commit
	runs    map[objects.ID]*objects.Run
	tip     objects.ID
}

func newMemSource(n int) *memSource {
	s := &memSource{commits: map[objects.ID]*objects.Commit{}, runs: map[objects.ID]*objects.Run{}}
	for i := 0; i < n; i++ {
		s.add(Run(i), i)
	}
	return s
}

func (s *memSource) add(run *objects.Run, i int) {
	_, runID, err := objects.Encode(run)
	if err != nil {
		panic(err)
	}
	c := &objects.Commit{Run: runID, Name: run.Name, Author: author, Message: "train " + run.Name,
		Time: base.Add(time.Duration(i) * time.Second).Format(objects.TimeFormat)}
	if !s.tip.IsZero() {
		c.Parents = []objects.ID{s.tip}
	}
	_, id, err := objects.Encode(c)
	if err != nil {
		panic(err)
	}
	s.commits[id], s.runs[runID], s.tip = c, run, id
}

func (s *memSource) Refs() ([]refs.Ref, error) {
	return []refs.Ref{{Name: refs.Branch("main"), ID: s.tip}, {Name: refs.HEAD, ID: s.tip, Target: refs.Branch("main")}}, nil
}

func (s *memSource) ReadCommit(id objects.ID) (*objects.Commit, error) {
	if c, ok := s.commits[id]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("no commit %s", id.Short())
}

func (s *memSource) ReadRun(id objects.ID) (*objects.Run, error) {
	if r, ok := s.runs[id]; ok {
		return r, nil
	}
	return nil, fmt.Errorf("no run %s", id.Short())
}

// BenchmarkBuild builds the index of 5,000 runs from memory; the reported
// runs/s excludes reading and decoding the objects.
func BenchmarkBuild(b *testing.B) {
	const n = 5000
	src := newMemSource(n)
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		ix, err := index.Open(filepath.Join(b.TempDir(), "index.sqlite"), src)
		if err != nil {
			b.Fatal(err)
		}
		if got := ix.Updated().Runs; got != n {
			b.Fatalf("indexed %d runs, want %d", got, n)
		}
		ix.Close()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "runs/s")
	b.ReportMetric(float64(n*b.N)/(cpuTime()-cpu0).Seconds(), "runs/cpu-s")
}

// cpuTime is the process's user and system time so far: on a shared
// machine it varies far less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCommitUpdate measures Open catching up after one new commit on
// an index of 5,000 runs: what a commit adds when the index exists.
func BenchmarkCommitUpdate(b *testing.B) {
	const n = 5000
	src := newMemSource(n)
	path := filepath.Join(b.TempDir(), "index.sqlite")
	ix, err := index.Open(path, src)
	if err != nil {
		b.Fatal(err)
	}
	ix.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		src.add(Run(n+i), n+i)
		b.StartTimer()
		ix, err := index.Open(path, src)
		if err != nil {
			b.Fatal(err)
		}
		if got := ix.Updated().Runs; got != 1 {
			b.Fatalf("indexed %d runs, want 1", got)
		}
		ix.Close()
	}
}

// BenchmarkOpenCurrent measures Open of an index that is up to date: what
// every query pays before it runs.
func BenchmarkOpenCurrent(b *testing.B) {
	src := newMemSource(1000)
	path := filepath.Join(b.TempDir(), "index.sqlite")
	ix, err := index.Open(path, src)
	if err != nil {
		b.Fatal(err)
	}
	ix.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix, err := index.Open(path, src)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// TestRunShape checks that the generated runs are the size the benchmark
// specifies, and that an index of them holds what they hold.
func TestRunShape(t *testing.T) {
	r := Run(7)
	stageParams := 0
	for _, st := range r.Pipeline {
		stageParams += len(st.Params)
	}
	slices := 0
	for _, m := range r.Metrics {
		if m.Slice != "" {
			slices++
		}
	}
	if len(r.Pipeline) != 5 || len(r.Params) != 10 || stageParams != 8 || len(r.Metrics) != 10 || slices != 5 {
		t.Errorf("run: %d stages, %d+%d params, %d metrics (%d sliced), want 5, 10+8, 10 (5)",
			len(r.Pipeline), len(r.Params), stageParams, len(r.Metrics), slices)
	}
	const n = 300
	ix, err := index.Open(filepath.Join(t.TempDir(), "index.sqlite"), newMemSource(n))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rows, err := ix.Query(context.Background(), `SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM params),
		(SELECT count(*) FROM metrics), (SELECT count(*) FROM stages),
		(SELECT count(DISTINCT run) FROM dataset_columns WHERE name = 'zip_code')`)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(rows.Values[0]...)
	if want := fmt.Sprint(int64(n), int64(18*n), int64(10*n), int64(5*n), int64(2*n/3)); got != want {
		t.Errorf("index holds runs, params, metrics, stages, zip_code runs = %s, want %s", got, want)
	}
}
