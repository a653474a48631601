package ui

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/diff"
)

// codeFiles covers every kind of file diff: modified with two hunks,
// added, deleted, binary and without hunks.
func codeFiles() []diff.FileDiff {
	var old, new strings.Builder
	for i := 1; i <= 20; i++ {
		line := "\tline " + strings.Repeat("x", i%3) + "\n"
		old.WriteString(line)
		switch i {
		case 2:
			new.WriteString("\tchanged\n")
		case 17:
		default:
			new.WriteString(line)
		}
	}
	return []diff.FileDiff{
		diff.Unified("src/train.py", []byte(old.String()), []byte(new.String()), "modified"),
		diff.Unified("src/new.py", nil, []byte("a = 1\n"), "added"),
		diff.Unified("old.txt", []byte("x\ny\n"), nil, "deleted"),
		{Path: "model.bin", Status: "modified", Binary: true},
		{Path: "img.png", Status: "added", Binary: true},
		{Path: "same.txt", Status: "modified"},
	}
}

const wantCodeDiff = "diff --modeldb a/src/train.py b/src/train.py\n" +
	"--- a/src/train.py\n" +
	"+++ b/src/train.py\n" +
	"@@ -1,5 +1,5 @@\n" +
	" \tline x\n" +
	"-\tline xx\n" +
	"+\tchanged\n" +
	" \tline \n" +
	" \tline x\n" +
	" \tline xx\n" +
	"@@ -14,7 +14,6 @@\n" +
	" \tline xx\n" +
	" \tline \n" +
	" \tline x\n" +
	"-\tline xx\n" +
	" \tline \n" +
	" \tline x\n" +
	" \tline xx\n" +
	"diff --modeldb a/src/new.py b/src/new.py\n" +
	"--- /dev/null\n" +
	"+++ b/src/new.py\n" +
	"@@ -0,0 +1 @@\n" +
	"+a = 1\n" +
	"diff --modeldb a/old.txt b/old.txt\n" +
	"--- a/old.txt\n" +
	"+++ /dev/null\n" +
	"@@ -1,2 +0,0 @@\n" +
	"-x\n" +
	"-y\n" +
	"diff --modeldb a/model.bin b/model.bin\n" +
	"Binary files a/model.bin and b/model.bin differ\n" +
	"diff --modeldb a/img.png b/img.png\n" +
	"Binary files /dev/null and b/img.png differ\n" +
	"diff --modeldb a/same.txt b/same.txt\n"

func TestWriteCodeDiffPlain(t *testing.T) {
	var buf bytes.Buffer
	if err := NewStyles(&buf, false).WriteCodeDiff(&buf, codeFiles()); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != wantCodeDiff {
		t.Fatalf("WriteCodeDiff:\n%s\nwant:\n%s", got, wantCodeDiff)
	}
	buf.Reset()
	if err := NewStyles(&buf, false).WriteCodeDiff(&buf, nil); err != nil || buf.Len() != 0 {
		t.Fatalf("no files: %q, %v", buf.String(), err)
	}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestWriteCodeDiffColour(t *testing.T) {
	var buf bytes.Buffer
	s := NewStyles(&buf, true)
	if err := s.WriteCodeDiff(&buf, codeFiles()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if plain := sgr.ReplaceAllString(out, ""); plain != wantCodeDiff {
		t.Fatalf("colour output without its escapes:\n%s\nwant:\n%s", plain, wantCodeDiff)
	}
	lines := strings.Split(out, "\n")
	find := func(plain string) string {
		for _, l := range lines {
			if sgr.ReplaceAllString(l, "") == plain {
				return l
			}
		}
		t.Fatalf("no line %q in\n%q", plain, out)
		return ""
	}
	red, green := s.CodeRemoved.Render("x"), s.CodeAdded.Render("x")
	redOn, _, _ := strings.Cut(red, "x")
	greenOn, _, _ := strings.Cut(green, "x")
	if redOn == "" || greenOn == "" || redOn == greenOn {
		t.Fatalf("styles: removed %q, added %q", red, green)
	}
	// Whole lines are coloured, marker included, and tabs are kept.
	if l := find("-\tline xx"); !strings.HasPrefix(l, redOn+"-\t") {
		t.Errorf("removed line %q is not red", l)
	}
	if l := find("+\tchanged"); !strings.HasPrefix(l, greenOn+"+\t") {
		t.Errorf("added line %q is not green", l)
	}
	if l := find(" \tline "); l != " \tline " {
		t.Errorf("context line %q is styled", l)
	}
	for _, plain := range []string{"@@ -1,5 +1,5 @@", "diff --modeldb a/old.txt b/old.txt", "+++ /dev/null", "Binary files a/model.bin and b/model.bin differ"} {
		if l := find(plain); l == plain {
			t.Errorf("%q is not styled", plain)
		}
	}
}

func TestCodeDiffMarkdown(t *testing.T) {
	files := codeFiles()
	md := CodeDiffMarkdown(files)
	if strings.Contains(md, "\x1b") {
		t.Fatal("Markdown holds escape sequences")
	}
	// One fenced block per file, holding what the terminal shows.
	var want strings.Builder
	for i, f := range files {
		var buf bytes.Buffer
		if err := NewStyles(&buf, false).WriteCodeDiff(&buf, []diff.FileDiff{f}); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			want.WriteString("\n")
		}
		want.WriteString("```diff\n" + buf.String() + "```\n")
	}
	if md != want.String() {
		t.Fatalf("CodeDiffMarkdown:\n%s\nwant:\n%s", md, want.String())
	}
	if CodeDiffMarkdown(nil) != "" {
		t.Error("no files gave Markdown")
	}

	// A source line holding a fence cannot close the block.
	readme := diff.Unified("README.md", []byte("```sh\nmake\n```\n"), []byte("````sh\nmake test\n````\n"), "modified")
	got := CodeDiffMarkdown([]diff.FileDiff{readme})
	if !strings.HasPrefix(got, "`````diff\n") || !strings.HasSuffix(got, "\n`````\n") {
		t.Fatalf("fence not lengthened:\n%s", got)
	}
}

func TestQuotePath(t *testing.T) {
	for in, want := range map[string]string{
		"a/src/train.py":  "a/src/train.py",
		"a/with space.py": "a/with space.py",
		"a/données.csv":   "a/données.csv",
		"a/tab\there":     `"a/tab\there"`,
		"a/\x1b[31mred":   `"a/\033[31mred"`,
		`a/quote"back\`:   `"a/quote\"back\\"`,
	} {
		if got := quotePath(in); got != want {
			t.Errorf("quotePath(%q) = %s, want %s", in, got, want)
		}
	}
	var buf bytes.Buffer
	if err := NewStyles(&buf, false).WriteCodeDiff(&buf, []diff.FileDiff{{Path: "x\ny", Status: "added", Binary: true}}); err != nil {
		t.Fatal(err)
	}
	if want := "diff --modeldb \"a/x\\ny\" \"b/x\\ny\"\nBinary files /dev/null and \"b/x\\ny\" differ\n"; buf.String() != want {
		t.Errorf("quoted header:\n%q\nwant\n%q", buf.String(), want)
	}
}
