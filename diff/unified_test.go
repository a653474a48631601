package diff

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// numbered returns n lines "line 1" … "line n", each with its newline.
func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("line %d\n", i+1)
	}
	return out
}

// edit returns lines with line i (1-based) replaced by text (removed when
// text is ""), and the given lines inserted before line at.
func edit(lines []string, i int, text string) []string {
	out := append([]string(nil), lines[:i-1]...)
	if text != "" {
		out = append(out, text)
	}
	return append(out, lines[i:]...)
}

func insert(lines []string, at int, add ...string) []string {
	out := append([]string(nil), lines[:at-1]...)
	out = append(out, add...)
	return append(out, lines[at-1:]...)
}

func join(lines []string) string { return strings.Join(lines, "") }

// render prints hunks as git diff does after the "+++" line, without
// function names in hunk headers.
func render(hs []Hunk) string {
	rng := func(start, n int) string {
		if n == 1 {
			return fmt.Sprint(start)
		}
		return fmt.Sprintf("%d,%d", start, n)
	}
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "@@ -%s +%s @@\n", rng(h.OldStart, h.OldLines), rng(h.NewStart, h.NewLines))
		for _, l := range h.Lines {
			b.WriteString(l.Op + l.Text + "\n")
		}
	}
	return b.String()
}

// gitDiff returns the hunks git diff -U3 --no-index prints for two texts,
// without function names in hunk headers and without "\ No newline at end
// of file" markers.
func gitDiff(t *testing.T, old, new string, config ...string) string {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git binary")
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(a, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte(new), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{}
	for _, c := range config {
		args = append(args, "-c", c)
	}
	args = append(args, "diff", "--no-index", "--no-color", "-U3", "a", "b")
	cmd := exec.Command(git, args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("git diff: %v", err)
	}
	var b2 strings.Builder
	inHunks := false
	for _, line := range strings.SplitAfter(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "@@ "):
			inHunks = true
			end := strings.Index(line[3:], " @@") + 3
			b2.WriteString(line[:end+3] + "\n")
		case !inHunks, line == "", strings.HasPrefix(line, `\ No newline`):
		default:
			b2.WriteString(line)
		}
	}
	return b2.String()
}

func TestUnifiedMatchesGit(t *testing.T) {
	long := numbered(100)
	tests := []struct {
		name     string
		old, new string
		hunks    int
	}{
		{"one change in the middle", join(long), join(edit(long, 50, "changed 50\n")), 1},
		{"change on the first line", join(long), join(edit(long, 1, "changed 1\n")), 1},
		{"change on the second line", join(long), join(edit(long, 2, "changed 2\n")), 1},
		{"change on the last line", join(long), join(edit(long, 100, "changed 100\n")), 1},
		{"change near the end", join(long), join(edit(long, 98, "changed 98\n")), 1},
		{"two distant changes", join(long), join(edit(edit(long, 20, "x\n"), 80, "y\n")), 2},
		{"changes 6 lines apart share a hunk", join(long), join(edit(edit(long, 20, "x\n"), 27, "y\n")), 1},
		{"changes 7 lines apart do not", join(long), join(edit(edit(long, 20, "x\n"), 28, "y\n")), 2},
		{"three hunks", join(long), join(edit(edit(edit(long, 10, "a\n"), 50, "b\n"), 90, "c\n")), 3},
		{"lines inserted", join(long), join(insert(long, 40, "new a\n", "new b\n")), 1},
		{"lines inserted at the top", join(long), join(insert(long, 1, "new a\n", "new b\n")), 1},
		{"lines appended", join(long), join(append(append([]string(nil), long...), "new end\n")), 1},
		{"line removed", join(long), join(edit(long, 60, "")), 1},
		{"first line removed", join(long), join(long[1:]), 1},
		{"block replaced by a longer one", join(long), join(insert(edit(edit(long, 30, "p\n"), 31, "q\n"), 31, "r\n", "s\n")), 1},
		{"added file", "", join(numbered(5)), 1},
		{"added one-line file", "", "only\n", 1},
		{"deleted file", join(numbered(5)), "", 1},
		{"short file", "a\nb\n", "a\nc\n", 1},
		{"no newline at end, unchanged", "a\nb\nc", "a\nB\nc", 1},
		{"newline added at end", "a\nb\nc", "a\nb\nc\n", 1},
		{"newline removed at end", "a\nb\nc\n", "a\nb\nc", 1},
		{"CRLF", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n", 1},
		{"blank lines", "a\n\n\nb\n", "a\n\nb\n", 1},
		{"repeated block removed", "1\n2\n3\n1\n2\n3\n", "1\n2\n3\n", 1},
		{"reversed", "a\nb\nc\nd\ne\nf\n", "f\ne\nd\nc\nb\na\n", 1},
		{"insertion slides down", "a\nb\n", "a\na\nb\n", 1},
		{"C block", "\t}\n\n\tbaz;\n", "\t}\n\n\tif (foo) {\n\t\tbar;\n\t}\n\n\tbaz;\n", 1},
		{"Go function", "func a() {\n\treturn\n}\n\nfunc c() {\n\treturn\n}\n", "func a() {\n\treturn\n}\n\nfunc b() {\n\treturn\n}\n\nfunc c() {\n\treturn\n}\n", 1},
		{"Python function", "def a():\n    pass\n\ndef c():\n    pass\n", "def a():\n    pass\n\ndef b():\n    pass\n\ndef c():\n    pass\n", 1},
		{"TOML table", "[a]\nk = 1\n\n[c]\nk = 3\n", "[a]\nk = 1\n\n[b]\nk = 2\n\n[c]\nk = 3\n", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Unified("f", []byte(tc.old), []byte(tc.new), "modified")
			if d.Path != "f" || d.Status != "modified" || d.Binary {
				t.Errorf("FileDiff = %+v", d)
			}
			if len(d.Hunks) != tc.hunks {
				t.Errorf("%d hunks, want %d", len(d.Hunks), tc.hunks)
			}
			got, want := render(d.Hunks), gitDiff(t, tc.old, tc.new)
			if got != want {
				t.Errorf("Unified:\n%s\ngit diff:\n%s", got, want)
			}
		})
	}
}

func TestUnifiedHeaders(t *testing.T) {
	long := numbered(100)
	for _, tc := range []struct {
		name     string
		old, new string
		want     [][4]int // old start, old lines, new start, new lines
	}{
		{"middle", join(long), join(edit(long, 50, "x\n")), [][4]int{{47, 7, 47, 7}}},
		{"start", join(long), join(edit(long, 1, "x\n")), [][4]int{{1, 4, 1, 4}}},
		{"end", join(long), join(edit(long, 100, "x\n")), [][4]int{{97, 4, 97, 4}}},
		{"two", join(long), join(edit(edit(long, 20, "x\n"), 80, "y\n")), [][4]int{{17, 7, 17, 7}, {77, 7, 77, 7}}},
		{"inserted", join(long), join(insert(long, 40, "a\n", "b\n")), [][4]int{{37, 6, 37, 8}}},
		{"added", "", "a\nb\n", [][4]int{{0, 0, 1, 2}}},
		{"deleted", "a\nb\n", "", [][4]int{{1, 2, 0, 0}}},
	} {
		d := Unified("f", []byte(tc.old), []byte(tc.new), "modified")
		var got [][4]int
		for _, h := range d.Hunks {
			got = append(got, [4]int{h.OldStart, h.OldLines, h.NewStart, h.NewLines})
			if len(h.Lines) == 0 {
				t.Errorf("%s: empty hunk", tc.name)
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: hunks %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestUnifiedNoChangesAndBinary(t *testing.T) {
	if d := Unified("same", []byte("a\nb\n"), []byte("a\nb\n"), "modified"); d.Hunks != nil || d.Binary {
		t.Errorf("equal contents: %+v", d)
	}
	if d := Unified("empty", nil, []byte{}, "added"); d.Hunks != nil || d.Status != "added" {
		t.Errorf("empty added file: %+v", d)
	}
	if d := Unified("img.png", []byte("\x89PNG\x00\x01"), []byte("\x89PNG\x00\x02"), "modified"); !d.Binary || d.Hunks != nil {
		t.Errorf("binary: %+v", d)
	}
	if d := Unified("half", []byte("text\n"), []byte("bin\x00"), "modified"); !d.Binary {
		t.Errorf("one binary side: %+v", d)
	}
	late := strings.Repeat("x", binaryPeek) + "\x00"
	if d := Unified("late", []byte(late+"a\n"), []byte(late+"b\n"), "modified"); d.Binary || len(d.Hunks) != 1 {
		t.Errorf("NUL past 8000 bytes: %+v", d)
	}
}

// apply rebuilds one side from the other and the hunks, checking that the
// hunks' line numbers and counts agree with their lines.
func apply(t *testing.T, from string, hs []Hunk, reverse bool) string {
	t.Helper()
	src := strings.SplitAfter(from, "\n")
	if src[len(src)-1] == "" {
		src = src[:len(src)-1]
	}
	keep, drop := "+", "-"
	if reverse {
		keep, drop = "-", "+"
	}
	var out []string
	pos := 0 // lines of src consumed
	for _, h := range hs {
		start, n := h.OldStart, h.OldLines
		if reverse {
			start, n = h.NewStart, h.NewLines
		}
		if n > 0 {
			start-- // to 0-based
		}
		if start < pos {
			t.Fatalf("hunk at %d overlaps the previous one (at %d)", start, pos)
		}
		out = append(out, src[pos:start]...)
		pos = start
		seen := 0
		for _, l := range h.Lines {
			switch l.Op {
			case " ", drop:
				if got := strings.TrimSuffix(src[pos], "\n"); got != l.Text {
					t.Fatalf("line %d is %q, hunk says %q", pos+1, got, l.Text)
				}
				if l.Op == " " {
					out = append(out, src[pos])
				}
				pos++
				seen++
			case keep:
				out = append(out, l.Text+"\n")
			}
		}
		if seen != n {
			t.Fatalf("hunk counts %d lines, holds %d", n, seen)
		}
	}
	return strings.Join(append(out, src[pos:]...), "")
}

// TestUnifiedRandomAgainstGit compares random edits of very repetitive
// texts, where many alignments are equally short, with git. With git's
// indent heuristic off the hunk headers must all agree; lines may be
// placed differently among equal ones. (With the heuristic, git's default,
// about one hunk header in twelve differs on such texts: git shifts an
// ambiguous block to where indentation and blank lines suggest.)
func TestUnifiedRandomAgainstGit(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	words := []string{"a", "b", "c", "", "}", "    return x", "def f():"}
	text := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = words[r.Intn(len(words))] + "\n"
		}
		return out
	}
	headers := func(s string) (out []string) {
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "@@") {
				out = append(out, l)
			}
		}
		return out
	}
	const n = 200
	same := 0
	for i := range n {
		old := text(r.Intn(40))
		new := append([]string(nil), old...)
		for range 1 + r.Intn(4) {
			at := r.Intn(len(new) + 1)
			switch r.Intn(3) {
			case 0:
				new = append(new[:at:at], append(text(1+r.Intn(3)), new[at:]...)...)
			case 1:
				if at < len(new) {
					new = append(new[:at:at], new[at+1:]...)
				}
			case 2:
				if at < len(new) {
					new[at] = "changed\n"
				}
			}
		}
		got := render(Unified("f", []byte(join(old)), []byte(join(new)), "modified").Hunks)
		want := gitDiff(t, join(old), join(new), "diff.indentHeuristic=false")
		if !reflect.DeepEqual(headers(got), headers(want)) {
			t.Errorf("case %d: hunk headers differ:\n%s\ngit diff:\n%s", i, got, want)
		}
		if got == want {
			same++
		}
	}
	t.Logf("%d of %d random diffs identical to git's line for line", same, n)
}

// TestUnifiedRoundTrip applies the hunks of random edits both ways.
func TestUnifiedRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	words := []string{"a", "b", "c", "d", "", "}", "return x"}
	text := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = words[r.Intn(len(words))] + "\n"
		}
		return out
	}
	for i := range 300 {
		old := text(r.Intn(60))
		new := append([]string(nil), old...)
		for range r.Intn(6) {
			at := r.Intn(len(new) + 1)
			switch r.Intn(3) {
			case 0:
				new = append(new[:at:at], append(text(1+r.Intn(3)), new[at:]...)...)
			case 1:
				if at < len(new) {
					new = append(new[:at:at], new[at+1:]...)
				}
			case 2:
				if at < len(new) {
					new[at] = "changed\n"
				}
			}
		}
		a, b := join(old), join(new)
		d := Unified("f", []byte(a), []byte(b), "modified")
		if got := apply(t, a, d.Hunks, false); got != b {
			t.Fatalf("case %d: applying the hunks to old gives\n%q\nwant\n%q", i, got, b)
		}
		if got := apply(t, b, d.Hunks, true); got != a {
			t.Fatalf("case %d: reversing the hunks on new gives\n%q\nwant\n%q", i, got, a)
		}
		for j, h := range d.Hunks {
			if j > 0 {
				prev := d.Hunks[j-1]
				if gap := h.OldStart - (prev.OldStart + prev.OldLines); gap <= 0 {
					t.Fatalf("case %d: hunks %d and %d should have been merged (gap %d)", i, j-1, j, gap)
				}
			}
		}
	}
}

func TestUnifiedHugeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	var a, b strings.Builder
	for i := range maxDiffLines/2 + 1 {
		fmt.Fprintf(&a, "%d\n", i)
		fmt.Fprintf(&b, "%d\n", i+1)
	}
	d := Unified("big", []byte(a.String()), []byte(b.String()), "modified")
	if len(d.Hunks) != 1 || d.Hunks[0].OldLines != maxDiffLines/2+1 || d.Hunks[0].NewLines != maxDiffLines/2+1 {
		t.Fatalf("huge file: %d hunks", len(d.Hunks))
	}
}
