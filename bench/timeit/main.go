package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const sep = "::"

type command struct {
	label, dir, prep string
	path             string
	args             []string
	stderr           bool
	times            []time.Duration // wall
	cpu              []time.Duration // user+system of the process and its waited-for children
}

func main() {
	reps := flag.Int("r", 30, "timed runs of each command")
	warmup := flag.Int("warmup", 1, "untimed runs of each command before the timed ones")
	tsv := flag.String("tsv", "", "append results as tab-separated lines to `FILE`")
	header := flag.Bool("header", false, "print the Markdown table header first")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: timeit [-r N] [-warmup N] [-tsv FILE] [-header] :: [-label L] [-dir D] [-prep CMD] [-stderr] CMD [ARG...] [:: ...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 || flag.Arg(0) != sep || *reps < 1 {
		flag.Usage()
		os.Exit(2)
	}
	var cmds []*command
	rest := flag.Args()
	for len(rest) > 0 && rest[0] == sep {
		rest = rest[1:]
		end := slices.Index(rest, sep)
		if end < 0 {
			end = len(rest)
		}
		cmds = append(cmds, parseCommand(rest[:end]))
		rest = rest[end:]
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		fail(err)
	}
	for w := 0; w < *warmup; w++ {
		for _, c := range cmds {
			c.run(devnull)
		}
	}
	for i := 0; i < *reps; i++ {
		for j := range cmds {
			c := cmds[(i+j)%len(cmds)]
			wall, cpu := c.run(devnull)
			c.times = append(c.times, wall)
			c.cpu = append(c.cpu, cpu)
		}
	}
	if *header {
		fmt.Println("| command | median ms | min ms | max ms | CPU ms | runs | median ÷ baseline | min ÷ baseline | CPU ÷ baseline |")
		fmt.Println("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
	}
	for _, c := range cmds {
		slices.Sort(c.times)
		slices.Sort(c.cpu)
	}
	base := cmds[0]
	for _, c := range cmds {
		med, lo, hi, cpu := median(c.times), c.times[0], c.times[len(c.times)-1], median(c.cpu)
		ratio, ratioMin, ratioCPU := "baseline", "", ""
		if c != base {
			ratio = fmt.Sprintf("%.2f×", float64(med)/float64(median(base.times)))
			ratioMin = fmt.Sprintf("%.2f×", float64(lo)/float64(base.times[0]))
			ratioCPU = fmt.Sprintf("%.2f×", float64(cpu)/float64(max(median(base.cpu), time.Microsecond)))
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %d | %s | %s | %s |\n", c.label, ms(med), ms(lo), ms(hi), ms(cpu), len(c.times), ratio, ratioMin, ratioCPU)
		if *tsv != "" {
			f, err := os.OpenFile(*tsv, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
			if err != nil {
				fail(err)
			}
			fmt.Fprintf(f, "%s\t%s\t%s\t%s\t%s\t%d\n", c.label, ms(med), ms(lo), ms(hi), ms(cpu), len(c.times))
			if err := f.Close(); err != nil {
				fail(err)
			}
		}
	}
}

func parseCommand(args []string) *command {
	fs := flag.NewFlagSet("command", flag.ExitOnError)
	c := &command{}
	fs.StringVar(&c.label, "label", "", "row label (default: the command line)")
	fs.StringVar(&c.dir, "dir", "", "run the command (and -prep) in `DIR`")
	fs.StringVar(&c.prep, "prep", "", "bash command run, untimed, before every run")
	fs.BoolVar(&c.stderr, "stderr", false, "pass the command's stderr through")
	fs.Parse(args)
	c.args = fs.Args()
	if len(c.args) == 0 {
		fail(fmt.Errorf("no command after %s", sep))
	}
	if c.label == "" {
		c.label = strings.Join(c.args, " ")
	}
	// Resolve the program once, so the PATH search is not timed.
	path, err := exec.LookPath(c.args[0])
	if err != nil {
		fail(err)
	}
	// A relative path names a file relative to the current directory, not to -dir.
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	c.path = path
	return c
}

// run runs the command once (after its -prep) and returns its wall time
// and its CPU time (user+system, children included).
func (c *command) run(devnull *os.File) (wall, cpu time.Duration) {
	if c.prep != "" {
		p := exec.Command("bash", "-c", c.prep)
		p.Dir, p.Stdout, p.Stderr = c.dir, os.Stderr, os.Stderr
		if err := p.Run(); err != nil {
			fail(fmt.Errorf("%s: prep %q: %w", c.label, c.prep, err))
		}
	}
	cmd := exec.Command(c.path, c.args[1:]...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = c.dir, devnull, devnull
	if c.stderr {
		cmd.Stderr = os.Stderr
	}
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		fail(fmt.Errorf("%s: %w (run it by hand to see why)", strings.Join(c.args, " "), err))
	}
	return d, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// median of sorted durations.
func median(t []time.Duration) time.Duration {
	n := len(t)
	if n%2 == 1 {
		return t[n/2]
	}
	return (t[n/2-1] + t[n/2]) / 2
}

func ms(d time.Duration) string {
	v := float64(d.Microseconds()) / 1000
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 1000:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "timeit:", err)
	os.Exit(1)
}
