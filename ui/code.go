package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/modeldb/modeldb/diff"
)

// WriteCodeDiff renders file diffs as git diff does: for each file a
// "diff --modeldb a/PATH b/PATH" line, "--- a/PATH" and "+++ b/PATH" lines
// (/dev/null for an added or deleted file's absent side), then its hunks,
// each under an "@@ -l,n +l,n @@" header, with removed lines in red and
// added lines in green; a binary file gets "Binary files a/PATH and b/PATH
// differ" instead. Source lines are written as they are: tabs are not
// expanded.
func (s *Styles) WriteCodeDiff(w io.Writer, files []diff.FileDiff) error {
	p := codePainter{
		meta:    codePaint(s.CodeMeta),
		hunk:    codePaint(s.CodeHunk),
		added:   codePaint(s.CodeAdded),
		removed: codePaint(s.CodeRemoved),
	}
	var b strings.Builder
	for _, f := range files {
		writeCodeFile(&b, f, p)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// CodeDiffMarkdown renders file diffs as WriteCodeDiff does without colour,
// each file in its own fenced ```diff block, for pull-request comments.
// The fence is made longer than any run of backticks in the diff, so that
// no source line can close it.
func CodeDiffMarkdown(files []diff.FileDiff) string {
	var b strings.Builder
	for i, f := range files {
		var body strings.Builder
		writeCodeFile(&body, f, codePainter{})
		fence := strings.Repeat("`", max(3, longestRun(body.String(), '`')+1))
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%sdiff\n%s%s\n", fence, body.String(), fence)
	}
	return b.String()
}

// codePainter colours the parts of a code diff; a nil function leaves text
// plain.
type codePainter struct {
	meta, hunk, added, removed func(string) string
}

func (p codePainter) paint(f func(string) string, text string) string {
	if f == nil {
		return text
	}
	return f(text)
}

// codePaint returns a function that wraps text in the escape sequences of
// st, or nil when st is plain. The sequences are taken once from a rendered
// marker: going through lipgloss for every line would be slow on long
// diffs and would expand the tabs of source code.
func codePaint(st Style) func(string) string {
	if !st.on {
		return nil
	}
	const marker = "M"
	pre, post, ok := strings.Cut(st.Render(marker), marker)
	if !ok {
		return func(text string) string { return st.Render(text) }
	}
	return func(text string) string { return pre + text + post }
}

// writeCodeFile writes the diff of one file, painted by p.
func writeCodeFile(b *strings.Builder, f diff.FileDiff, p codePainter) {
	oldName, newName := quotePath("a/"+f.Path), quotePath("b/"+f.Path)
	line := func(paint func(string) string, text string) {
		b.WriteString(p.paint(paint, text))
		b.WriteByte('\n')
	}
	line(p.meta, "diff --modeldb "+oldName+" "+newName)
	switch f.Status {
	case "added":
		oldName = "/dev/null"
	case "deleted":
		newName = "/dev/null"
	}
	if f.Binary {
		line(p.meta, "Binary files "+oldName+" and "+newName+" differ")
		return
	}
	if len(f.Hunks) == 0 {
		return
	}
	line(p.meta, "--- "+oldName)
	line(p.meta, "+++ "+newName)
	for _, h := range f.Hunks {
		line(p.hunk, fmt.Sprintf("@@ -%s +%s @@", hunkRange(h.OldStart, h.OldLines), hunkRange(h.NewStart, h.NewLines)))
		for _, l := range h.Lines {
			switch l.Op {
			case "-":
				line(p.removed, "-"+l.Text)
			case "+":
				line(p.added, "+"+l.Text)
			default:
				line(nil, " "+l.Text)
			}
		}
	}
}

// hunkRange formats one side of a hunk header as git does: "start,count",
// or just "start" when count is 1.
func hunkRange(start, count int) string {
	if count == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// quotePath quotes a path holding control characters, a double quote or a
// backslash the way git does ("a/x\ty" in C-style quotes), so that a file
// name can neither break the header lines nor reach the terminal as an
// escape sequence. Other names, UTF-8 included, are written as they are
// (git's core.quotePath=false).
func quotePath(name string) string {
	if !strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '"' || r == '\\' }) {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
