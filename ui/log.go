package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/modeldb/modeldb/objects"
)

// LogEntry is one commit as log shows it.
type LogEntry struct {
	ID     objects.ID
	Commit *objects.Commit
	Refs   []string
}

// DateLayout is how dates are shown to people.
const DateLayout = "Mon Jan 2 15:04:05 2006 -0700"

// FormatTime renders a commit time for people, in local time.
func FormatTime(s string) string {
	t, err := time.Parse(objects.TimeFormat, s)
	if err != nil {
		return s
	}
	return t.Local().Format(DateLayout)
}

func (s *Styles) decorations(refs []string) string {
	if len(refs) == 0 {
		return ""
	}
	parts := make([]string, len(refs))
	for i, r := range refs {
		switch {
		case strings.HasPrefix(r, "HEAD -> "):
			parts[i] = s.Head.Render("HEAD ->") + " " + s.Ref.Render(strings.TrimPrefix(r, "HEAD -> "))
		case r == "HEAD":
			parts[i] = s.Head.Render(r)
		case strings.HasPrefix(r, "tag: "):
			parts[i] = s.Tag.Render(r)
		default:
			parts[i] = s.Ref.Render(r)
		}
	}
	return " " + s.Commit.Render("(") + strings.Join(parts, s.Commit.Render(", ")) + s.Commit.Render(")")
}

// OnelineLog renders "ID NAME (refs) message" on one line.
func (s *Styles) OnelineLog(e LogEntry) string {
	line := s.Commit.Render(e.ID.Short()) + " " + s.RunName.Render(e.Commit.Name) + s.decorations(e.Refs)
	if msg := firstLine(e.Commit.Message); msg != "" {
		line += " " + msg
	}
	return line
}

// LongLog renders the multi-line form of a log entry, without a trailing
// newline.
func (s *Styles) LongLog(e LogEntry) []string {
	lines := []string{
		s.Commit.Render("commit "+e.ID.String()) + s.decorations(e.Refs),
		s.Label.Render("Run:    ") + s.RunName.Render(e.Commit.Name),
		s.Label.Render("Author: ") + e.Commit.Author,
		s.Label.Render("Date:   ") + FormatTime(e.Commit.Time),
	}
	if e.Commit.Message != "" {
		lines = append(lines, "")
		for _, l := range strings.Split(strings.TrimRight(e.Commit.Message, "\n"), "\n") {
			lines = append(lines, "    "+l)
		}
	}
	if ms := e.Commit.Metrics; len(ms) > 0 {
		lines = append(lines, "", "    "+s.MetricsLine(ms))
	}
	return lines
}

// WriteLog writes entries in the long or one-line format, with a graph
// when graph is non-nil.
func (s *Styles) WriteLog(w io.Writer, e LogEntry, oneline bool, graph *Graph, first bool) error {
	var lines []string
	if oneline {
		lines = []string{s.OnelineLog(e)}
	} else {
		lines = s.LongLog(e)
		if !first {
			lines = append([]string{""}, lines...)
		}
	}
	if graph == nil {
		_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
		return err
	}
	var b strings.Builder
	start := 0
	if !oneline && !first {
		b.WriteString(strings.TrimRight(graph.Continuation(), " ") + "\n") // the blank separator line
		start = 1
	}
	joins, head, rest := graph.Next(e.ID, e.Commit.Parents)
	for _, j := range joins {
		b.WriteString(j + "\n")
	}
	for i, l := range lines[start:] {
		p := rest
		if i == 0 {
			p = head
		}
		b.WriteString(strings.TrimRight(p+l, " ") + "\n")
	}
	_, err := fmt.Fprint(w, b.String())
	return err
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
