package ui

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
)

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{10.0, "10"}, {0.0001, "0.0001"}, {json.Number("1e-7"), "1e-7"}, {true, "true"}, {nil, "null"},
		{"l2", "l2"}, {"10", `"10"`}, {"true", `"true"`}, {"", `""`},
		{[]any{64.0, 32.0}, "[64,32]"}, {map[string]any{"a": 1.0}, `{"a":1}`},
	} {
		if got := FormatValue(tc.in); got != tc.want {
			t.Errorf("FormatValue(%#v) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got := FormatSize(1536); got != "1.5 KiB" {
		t.Errorf("FormatSize = %s", got)
	}
}

func TestPlainStylesAddNothing(t *testing.T) {
	s := NewStyles(&bytes.Buffer{}, false)
	if got := s.Commit.Render("abc"); got != "abc" {
		t.Fatalf("plain Render = %q", got)
	}
	c := NewStyles(&bytes.Buffer{}, true)
	if got := c.Commit.Render("abc"); !strings.Contains(got, "\x1b[") {
		t.Fatalf("coloured Render has no escape: %q", got)
	}
}

func id(s string) objects.ID { return objects.Hash([]byte(s)) }

// TestGraph draws a history where a branch forks from the second commit:
// the branch's lane must join back with "|/".
func TestGraph(t *testing.T) {
	s := NewStyles(&bytes.Buffer{}, false)
	root, base, mainTip, sideTip := id("root"), id("base"), id("main"), id("side")
	commits := []struct {
		id      objects.ID
		parents []objects.ID
		label   string
	}{
		{mainTip, []objects.ID{base}, "main"},
		{sideTip, []objects.ID{base}, "side"},
		{base, []objects.ID{root}, "base"},
		{root, nil, "root"},
	}
	var buf bytes.Buffer
	g := NewGraph(s)
	for i, c := range commits {
		e := LogEntry{ID: c.id, Commit: &objects.Commit{Name: c.label, Parents: c.parents}}
		if err := s.WriteLog(&buf, e, true, g, i == 0); err != nil {
			t.Fatal(err)
		}
	}
	want := "* " + mainTip.Short() + " main\n" +
		"| * " + sideTip.Short() + " side\n" +
		"|/\n" +
		"* " + base.Short() + " base\n" +
		"* " + root.Short() + " root\n"
	if buf.String() != want {
		t.Fatalf("graph:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestKeyMetricsInLog(t *testing.T) {
	s := NewStyles(&bytes.Buffer{}, false)
	c := &objects.Commit{Name: "r", Author: "a", Time: "2026-01-02T03:04:05.000000000Z", Message: "m",
		Metrics: []objects.Metric{{Name: "accuracy", Value: 0.91}, {Name: "accuracy", Slice: "country=US", Value: 0.88}}}
	lines := s.LongLog(LogEntry{ID: id("x"), Commit: c, Refs: []string{"HEAD -> main", "tag: v1"}})
	text := strings.Join(lines, "\n")
	for _, want := range []string{"(HEAD -> main, tag: v1)", "Run:    r", "    m", "accuracy=0.91  accuracy[country=US]=0.88"} {
		if !strings.Contains(text, want) {
			t.Errorf("long log lacks %q:\n%s", want, text)
		}
	}
}
