package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"time"

	"github.com/modeldb/modeldb/internal/cli"
)

func main() {
	cpu := flag.String("cpuprofile", "cpu.prof", "write the CPU profile to `FILE`")
	mem := flag.String("memprofile", "", "write an allocation profile to `FILE`")
	tr := flag.String("trace", "", "write an execution trace to `FILE`")
	count := flag.Int("count", 1, "run the command `N` times")
	stdout := flag.Bool("stdout", false, "show the command's output")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: profile [flags] -- MODELDB-ARGS...")
		os.Exit(2)
	}
	var out io.Writer = io.Discard
	if *stdout {
		out = os.Stdout
	} else if f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		out = f // a real file, as the command would get with >/dev/null
	}
	if *mem != "" {
		runtime.MemProfileRate = 4096
	}
	f, err := os.Create(*cpu)
	check(err)
	check(pprof.StartCPUProfile(f))
	if *tr != "" {
		tf, err := os.Create(*tr)
		check(err)
		check(trace.Start(tf))
		defer tf.Close()
	}
	var total time.Duration
	for i := 0; i < *count; i++ {
		start := time.Now()
		if code := cli.Main(flag.Args(), os.Stdin, out, os.Stderr); code != 0 {
			pprof.StopCPUProfile()
			fmt.Fprintf(os.Stderr, "profile: modeldb exited with %d\n", code)
			os.Exit(code)
		}
		total += time.Since(start)
	}
	if *tr != "" {
		trace.Stop()
	}
	pprof.StopCPUProfile()
	check(f.Close())
	if *mem != "" {
		mf, err := os.Create(*mem)
		check(err)
		check(pprof.Lookup("allocs").WriteTo(mf, 0))
		check(mf.Close())
	}
	fmt.Fprintf(os.Stderr, "profile: %d run(s), %.1f ms per run (wall, in-process); CPU profile in %s\n",
		*count, float64(total.Microseconds())/1000/float64(*count), *cpu)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		os.Exit(1)
	}
}
