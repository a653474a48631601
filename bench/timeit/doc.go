// Command timeit times commands by wall clock and prints Markdown table
// rows. Several commands given together are run interleaved (round-robin,
// the order rotating each round), so that a disturbance on the machine
// hits all of them alike; the first command is the baseline the others'
// ratios are given against.
//
//	timeit [-r 30] [-warmup 1] [-tsv FILE] [-header] \
//	    :: [-label L] [-dir D] [-prep 'BASH CMD'] CMD [ARG...] \
//	    :: [-label L] [-dir D] [-prep 'BASH CMD'] CMD [ARG...] ...
//
// For each command it prints
//
//	| LABEL | median ms | min ms | max ms | CPU ms | runs | median ÷ baseline | min ÷ baseline | CPU ÷ baseline |
//
// Only the command is timed: from just before it is started until it has
// exited, measured inside this process, so timeit's own start-up, the
// PATH search, the -prep command and the warm-up runs are not counted.
// -prep runs with bash -c in -dir before every run of its command
// (warm-ups included). Output goes to /dev/null (stderr too, unless
// -stderr); a run that exits non-zero stops timeit with an error. -tsv
// appends "label<TAB>median<TAB>min<TAB>max<TAB>cpu<TAB>runs" lines to FILE.
//
// Wall times are medians and minimums over the runs; "CPU ms" is the median
// user+system time of the process and the children it waited for. CPU time
// hardly changes when other work competes for the processors, so on a busy
// machine it is the steadier comparison; wall time is what people feel.
package main
