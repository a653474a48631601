package diff

import (
	"bytes"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// FileDiff is the unified diff of one file.
type FileDiff struct {
	Path   string `json:"path"`
	Status string `json:"status"` // added, deleted, modified
	Binary bool   `json:"binary,omitempty"`
	Hunks  []Hunk `json:"hunks,omitempty"`
}

// Hunk is one "@@ -OldStart,OldLines +NewStart,NewLines @@" block. As in
// git, a start is 1-based, and for an empty side (OldLines or NewLines 0)
// it is the line after which the change goes (0 at the top of the file).
type Hunk struct {
	OldStart int    `json:"old_start"`
	OldLines int    `json:"old_lines"`
	NewStart int    `json:"new_start"`
	NewLines int    `json:"new_lines"`
	Lines    []Line `json:"lines"`
}

// Line is one line of a hunk.
type Line struct {
	Op   string `json:"op"`   // " " (context), "-" (removed), "+" (added)
	Text string `json:"text"` // without the newline
}

const (
	// contextLines is how many unchanged lines surround a change, as with
	// git diff -U3. Changes separated by at most twice as many unchanged
	// lines share a hunk, as in git.
	contextLines = 3
	// binaryPeek is how much of a file git looks at for a NUL byte to call
	// it binary.
	binaryPeek = 8000
	// maxDiffLines bounds the lines of a line diff: DiffLinesToRunes codes
	// each distinct line as one rune, which runs out past about 1.1
	// million. Bigger files are shown as wholly replaced.
	maxDiffLines = 1 << 20
)

// Unified computes a line diff (with sergi/go-diff: DiffLinesToRunes /
// DiffMainRunes) and groups it into hunks with 3 lines of context, like
// `git diff -U3`. status is passed through. Contents that look binary to
// git (a NUL byte in the first 8000 bytes of either side) give Binary and
// no hunks; equal contents give no hunks. (gitsrc does not load binary
// contents: set Binary from its FileChange.)
//
// Differences from git: a last line without a newline is shown like any
// other line (git adds "\ No newline at end of file" after it, which Line
// cannot hold; a change of the final newline alone still shows as "-x" and
// "+x", as in git); hunk headers carry no function name; where several
// alignments are equally short, go-diff may place a line elsewhere than
// git's Myers, and git's indent heuristic may shift an ambiguous block of
// added or removed lines (this implementation puts it as low as it goes,
// as git does without the heuristic); files of more than about a million
// lines are shown as wholly replaced.
func Unified(path string, old, new []byte, status string) FileDiff {
	d := FileDiff{Path: path, Status: status}
	if looksBinary(old) || looksBinary(new) {
		d.Binary = true
		return d
	}
	if bytes.Equal(old, new) {
		return d
	}
	d.Hunks = groupHunks(lineDiff(string(old), string(new)), contextLines)
	return d
}

// looksBinary applies git's test: a NUL byte among the first 8000 bytes.
func looksBinary(b []byte) bool {
	return bytes.IndexByte(b[:min(len(b), binaryPeek)], 0) >= 0
}

// lineDiff returns the lines of a and b as a sequence of kept, removed and
// added lines.
func lineDiff(a, b string) []Line {
	if strings.Count(a, "\n")+strings.Count(b, "\n") >= maxDiffLines {
		return appendLines(appendLines(nil, "-", a), "+", b)
	}
	dmp := diffmatchpatch.New()
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)
	var out []Line
	for _, d := range diffs {
		op := " "
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = "-"
		case diffmatchpatch.DiffInsert:
			op = "+"
		}
		out = appendLines(out, op, d.Text)
	}
	slideDown(out)
	return out
}

// slideDown moves each run of only added or only removed lines as far down
// as it can go without changing the texts, as git does: a run followed by
// an unchanged line equal to its first line rotates past it. go-diff often
// leaves such a run at its highest place, git at its lowest ("+a\n a" comes
// out as " a\n+a").
func slideDown(lines []Line) {
	for i := 0; i < len(lines); {
		if lines[i].Op == " " {
			i++
			continue
		}
		j := i
		for j < len(lines) && lines[j].Op == lines[i].Op {
			j++
		}
		if j < len(lines) && lines[j].Op != " " || i > 0 && lines[i-1].Op != " " {
			i = j // next to lines of the other kind: leave it
			continue
		}
		for j < len(lines) && lines[j].Op == " " && lines[j].Text == lines[i].Text {
			lines[i].Op, lines[j].Op = " ", lines[i].Op
			i, j = i+1, j+1
		}
		i = j
	}
}

// appendLines appends each line of text, without its newline, as op.
func appendLines(out []Line, op, text string) []Line {
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		out = append(out, Line{Op: op, Text: line})
		text = rest
	}
	return out
}

// groupHunks groups a line diff into hunks with ctx lines of context around
// each change. Changes separated by at most 2·ctx unchanged lines share a
// hunk (git's rule with --inter-hunk-context=0).
func groupHunks(lines []Line, ctx int) []Hunk {
	var out []Hunk
	oldNo, newNo := 0, 0 // lines of each side before lines[i]
	for i := 0; i < len(lines); {
		// Skip to the next change, counting the lines skipped.
		j := i
		for j < len(lines) && lines[j].Op == " " {
			j++
		}
		if j == len(lines) {
			break
		}
		start := max(i, j-ctx)
		oldNo += start - i
		newNo += start - i
		// Extend the hunk while the next change is close enough.
		end := j // one past the last change so far
		for k := j; k < len(lines); {
			if lines[k].Op != " " {
				k++
				end = k
				continue
			}
			gap := k
			for gap < len(lines) && lines[gap].Op == " " {
				gap++
			}
			if gap == len(lines) || gap-k > 2*ctx {
				break
			}
			k = gap
		}
		stop := min(len(lines), end+ctx)

		h := Hunk{Lines: lines[start:stop:stop]}
		for _, l := range h.Lines {
			if l.Op != "+" {
				h.OldLines++
			}
			if l.Op != "-" {
				h.NewLines++
			}
		}
		h.OldStart, h.NewStart = oldNo+1, newNo+1
		if h.OldLines == 0 {
			h.OldStart = oldNo
		}
		if h.NewLines == 0 {
			h.NewStart = newNo
		}
		oldNo += h.OldLines
		newNo += h.NewLines
		out = append(out, h)
		i = stop
	}
	return out
}
