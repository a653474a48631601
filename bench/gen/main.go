package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/modeldb/modeldb/bench/benchrepo"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/repo"
)

const (
	authorName  = "Bench"
	authorEmail = "bench@example.com"
	author      = authorName + " <" + authorEmail + ">"
)

// base is the time of the first commit; commit i is i minutes later.
var base = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	n := flag.Int("n", 100000, "number of commits")
	mdbDir := flag.String("modeldb", "", "create the modeldb repository in `DIR` (DIR/.modeldb)")
	gitDir := flag.String("git", "", "create the git repository in `DIR`")
	gc := flag.Bool("gc", true, "run 'git gc' on the git repository (pack, commit-graph)")
	flag.Parse()
	if *mdbDir == "" && *gitDir == "" {
		fmt.Fprintln(os.Stderr, "gen: give -modeldb DIR and/or -git DIR")
		os.Exit(2)
	}
	if *mdbDir != "" {
		if err := genModeldb(*mdbDir, *n); err != nil {
			fmt.Fprintln(os.Stderr, "gen: modeldb:", err)
			os.Exit(1)
		}
	}
	if *gitDir != "" {
		if err := genGit(*gitDir, *n, *gc); err != nil {
			fmt.Fprintln(os.Stderr, "gen: git:", err)
			os.Exit(1)
		}
	}
}

// commitTime is the time of commit i.
func commitTime(i int) time.Time { return base.Add(time.Duration(i) * time.Minute) }

func runName(i int) string { return fmt.Sprintf("run-%06d", i) }

// message is the commit message of commit i, the same for both tools.
func message(i int) string {
	return fmt.Sprintf("train %s: C=%s, max_iter=%d", runName(i), cParam(i), 100+i%5*100)
}

func cParam(i int) string { return fmt.Sprintf("%.3f", 0.001*float64(1+i%1000)) }

// run returns a small, realistic run: a two-stage pipeline, five
// parameters, three metrics.
func run(i int) *objects.Run {
	c := 0.001 * float64(1+i%1000)
	acc := 0.80 + float64(i%997)/10000
	return &objects.Run{
		Name: runName(i),
		Pipeline: []objects.Stage{
			{Name: "scaler", Op: "sklearn.preprocessing.StandardScaler",
				Params: map[string]any{"with_mean": true, "with_std": true}},
			{Name: "clf", Op: "sklearn.linear_model.LogisticRegression",
				Params: map[string]any{"C": c, "max_iter": 100 + i%5*100}},
		},
		Params: map[string]any{
			"C": c, "max_iter": 100 + i%5*100, "penalty": "l2",
			"solver": "lbfgs", "seed": i % 7,
		},
		Metrics: []objects.Metric{
			{Name: "accuracy", Value: acc, Split: "test"},
			{Name: "f1", Value: acc - 0.02, Split: "test"},
			{Name: "loss", Value: 1 - acc, Split: "train"},
		},
		Environment: map[string]string{"os": "linux", "arch": "amd64"},
		Author:      author,
	}
}

// runText is the small file the git history changes at commit i: the same
// facts as the run, as text.
func runText(i int) string {
	r := run(i)
	return fmt.Sprintf("name = %q\nC = %s\nmax_iter = %d\npenalty = \"l2\"\nsolver = \"lbfgs\"\nseed = %d\n"+
		"test_accuracy = %.4f\ntest_f1 = %.4f\ntrain_loss = %.4f\n",
		r.Name, cParam(i), 100+i%5*100, i%7, r.Metrics[0].Value, r.Metrics[1].Value, r.Metrics[2].Value)
}

func genModeldb(dir string, n int) error {
	start := time.Now()
	r, err := benchrepo.Create(dir)
	if err != nil {
		return err
	}
	defer r.Close()
	last := start
	for i := 0; i < n; i++ {
		_, err := r.Commit(run(i), repo.CommitOptions{Message: message(i), Author: author, Time: commitTime(i)})
		if err != nil {
			return fmt.Errorf("commit %d: %w", i, err)
		}
		if (i+1)%10000 == 0 {
			now := time.Now()
			fmt.Fprintf(os.Stderr, "gen: modeldb: %d commits (last 10000 in %.1fs)\n", i+1, now.Sub(last).Seconds())
			last = now
		}
	}
	el := time.Since(start)
	fmt.Fprintf(os.Stderr, "gen: modeldb: %d commits in %.1fs (%.0f commits/s, %.0f µs/commit)\n",
		n, el.Seconds(), float64(n)/el.Seconds(), float64(el.Microseconds())/float64(max(n, 1)))
	return nil
}

func genGit(dir string, n int, gc bool) error {
	start := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := git(dir, nil, "init", "-q", "-b", "main"); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := git(dir, pr, "fast-import", "--quiet", "--done")
		pr.CloseWithError(err)
		done <- err
	}()
	w := bufio.NewWriterSize(pw, 1<<20)
	for i := 0; i < n; i++ {
		msg, text := message(i)+"\n", runText(i)
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\n", i+1)
		ts := commitTime(i).Unix()
		fmt.Fprintf(w, "author %s <%s> %d +0000\ncommitter %s <%s> %d +0000\n", authorName, authorEmail, ts, authorName, authorEmail, ts)
		fmt.Fprintf(w, "data %d\n%s", len(msg), msg)
		fmt.Fprintf(w, "M 100644 inline run.toml\ndata %d\n%s\n", len(text), text)
	}
	fmt.Fprintf(w, "done\n")
	err := w.Flush()
	pw.CloseWithError(err)
	if ferr := <-done; err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: git: fast-import of %d commits in %.1fs\n", n, time.Since(start).Seconds())
	if gc {
		t := time.Now()
		if err := git(dir, nil, "gc", "-q"); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "gen: git: gc in %.1fs\n", time.Since(t).Seconds())
	}
	// A checkout so that the work tree matches HEAD (git status is clean).
	if err := git(dir, nil, "reset", "-q", "--hard"); err != nil {
		return err
	}
	abs, _ := filepath.Abs(dir)
	fmt.Fprintf(os.Stderr, "gen: git: %s ready in %.1fs\n", abs, time.Since(start).Seconds())
	return nil
}

func git(dir string, stdin io.Reader, args ...string) error {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Stdin = stdin
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git %s: %w", args[0], err)
	}
	return nil
}
