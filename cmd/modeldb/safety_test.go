package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/modeldb/modeldb/internal/cli"
)

// TestMain lets the test binary act as modeldb itself, so the tests below
// can start real modeldb processes (and kill them).
func TestMain(m *testing.M) {
	if os.Getenv("MODELDB_BE_MAIN") == "1" {
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func modeldb(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "MODELDB_BE_MAIN=1", "MODELDB_AUTHOR=Safety <s@example.com>", "NO_COLOR=1")
	return cmd
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := modeldb(dir, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("modeldb %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String()
}

type logEntry struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Parents []string `json:"parents"`
}

func history(t *testing.T, dir string) []logEntry {
	t.Helper()
	var log []logEntry
	if err := json.Unmarshal([]byte(run(t, dir, "log", "--oneline", "--json")), &log); err != nil {
		t.Fatal(err)
	}
	return log
}

// TestConcurrentCommits: 8 processes committing to the same branch at once
// all succeed, none of their commits is lost and history stays linear.
func TestConcurrentCommits(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, "init")
	const procs, each = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, procs*each)
	for p := 0; p < procs; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				name := fmt.Sprintf("p%d-c%d", p, i)
				out, err := modeldb(dir, "commit", "--no-source", "--name", name, "--param", fmt.Sprintf("p=%d", p), "--metric", "accuracy=0.5").CombinedOutput()
				if err != nil {
					errs <- fmt.Errorf("%s: %v: %s", name, err, out)
				}
			}
		}(p)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	log := history(t, dir)
	if len(log) != procs*each {
		t.Fatalf("history has %d commits, want %d", len(log), procs*each)
	}
	names := map[string]bool{}
	for i, e := range log {
		names[e.Name] = true
		if i < len(log)-1 && (len(e.Parents) != 1 || e.Parents[0] != log[i+1].ID) {
			t.Fatalf("history is not linear at %s", e.Name)
		}
	}
	for p := 0; p < procs; p++ {
		for i := 0; i < each; i++ {
			if !names[fmt.Sprintf("p%d-c%d", p, i)] {
				t.Errorf("commit p%d-c%d was lost", p, i)
			}
		}
	}
	run(t, dir, "fsck")
}

// TestKillDuringCommit kills commits of a large artifact at random points
// with SIGKILL. After every kill fsck must find the repository clean,
// every commit that reported success must still be there, and a new commit
// must work.
func TestKillDuringCommit(t *testing.T) {
	kills := 20
	if testing.Short() {
		kills = 8
	}
	if n := os.Getenv("MODELDB_KILLS"); n != "" {
		fmt.Sscan(n, &kills)
	}
	dir := t.TempDir()
	run(t, dir, "init")
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	artifact := filepath.Join(dir, "model.bin")
	writeRandom(t, artifact, 8<<20, rng)
	// Calibrate: how long does one uninterrupted commit take?
	start := time.Now()
	run(t, dir, "commit", "--no-source", "--name", "calibrate", "--artifact", "model.bin", "--param", "i=-1")
	full := time.Since(start)
	committed := []string{"calibrate"}
	for k := 0; k < kills; k++ {
		writeRandom(t, artifact, 8<<20, rng) // new content each time, so chunks are really written
		name := fmt.Sprintf("kill-%d", k)
		cmd := modeldb(dir, "commit", "--no-source", "--name", name, "--artifact", "model.bin", "--param", fmt.Sprintf("i=%d", k))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Most of a commit's time is spent before the refs move; aim there.
		delay := time.Duration(rng.Int63n(int64(full)*6/10 + 1))
		timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
		err := cmd.Wait()
		timer.Stop()
		if err == nil {
			committed = append(committed, name)
		}
		out, ferr := modeldb(dir, "fsck").CombinedOutput()
		if ferr != nil {
			t.Fatalf("after killing commit %d at %v, fsck fails:\n%s", k, delay, out)
		}
	}
	names := map[string]bool{}
	for _, e := range history(t, dir) {
		names[e.Name] = true
	}
	for _, n := range committed {
		if !names[n] {
			t.Errorf("commit %s reported success but is gone", n)
		}
	}
	run(t, dir, "commit", "--no-source", "--name", "after-kills", "--artifact", "model.bin")
	run(t, dir, "restore", "after-kills", "model.bin", "-o", "restored.bin")
	a, _ := os.ReadFile(artifact)
	b, _ := os.ReadFile(filepath.Join(dir, "restored.bin"))
	if !bytes.Equal(a, b) {
		t.Fatal("artifact committed after the kills does not restore identically")
	}
	t.Logf("%d kills, %d commits completed before their kill", kills, len(committed)-1)
}

func writeRandom(t *testing.T, path string, size int, rng *rand.Rand) {
	t.Helper()
	b := make([]byte, size)
	rng.Read(b)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
