// Command profile runs one modeldb command in-process under the Go CPU
// profiler, so that 'go tool pprof' can show where the time goes:
//
//	go run ./bench/profile -cpuprofile log.prof -count 5 -- log --oneline
//	go tool pprof -top log.prof
//
// The arguments after -- are modeldb's (without the program name), run in
// the current directory (or -C DIR as usual). -count repeats the command
// in the same process to collect more samples from a fast command; the
// command's output goes to /dev/null unless -stdout is given. -memprofile
// writes an allocation profile, -trace an execution trace (which shows
// time blocked in system calls such as fsync, unlike the CPU profile).
package main
