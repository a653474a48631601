package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/modeldb/modeldb/objects"
)

// RunView is everything show prints about one run.
type RunView struct {
	CommitID objects.ID
	Commit   *objects.Commit
	RunID    objects.ID
	Run      *objects.Run
	Refs     []string
}

// WriteRun renders a run in full.
func (s *Styles) WriteRun(w io.Writer, v RunView) error {
	var b strings.Builder
	line := func(label, value string) {
		fmt.Fprintf(&b, "%s %s\n", s.Label.Render(fmt.Sprintf("%-9s", label)), value)
	}
	fmt.Fprintf(&b, "%s %s%s\n", s.Heading.Render("run"), s.RunName.Render(v.Run.Name), s.decorations(v.Refs))
	line("commit", s.Commit.Render(v.CommitID.String()))
	line("run id", s.Dim.Render(v.RunID.String()))
	for _, p := range v.Commit.Parents {
		line("parent", s.Commit.Render(p.String()))
	}
	line("author", v.Commit.Author)
	line("date", FormatTime(v.Commit.Time))
	if v.Commit.Message != "" {
		line("message", firstLine(v.Commit.Message))
	}
	r := v.Run
	if r.Started != "" || r.Finished != "" {
		line("timing", strings.TrimSpace(r.Started+" → "+r.Finished))
	}
	if len(r.Command) > 0 {
		line("command", strings.Join(r.Command, " "))
	}
	if r.ExitStatus != nil {
		line("exit", fmt.Sprint(*r.ExitStatus))
	}
	if r.Source != nil {
		line("source", s.sourceLine(r.Source))
	}
	s.writeSections(&b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

func (s *Styles) sourceLine(src *objects.Source) string {
	var parts []string
	if src.Commit != "" {
		c := src.Commit
		if len(c) > 10 {
			c = c[:10]
		}
		parts = append(parts, "git "+s.Commit.Render(c))
	}
	if src.Branch != "" {
		parts = append(parts, "on "+s.Ref.Render(src.Branch))
	}
	if src.Dirty {
		parts = append(parts, s.Bad.Render("(dirty)"))
	}
	if src.Remote != "" {
		parts = append(parts, s.Dim.Render(src.Remote))
	}
	return strings.Join(parts, " ")
}

func (s *Styles) writeSections(b *strings.Builder, r *objects.Run) {
	section := func(name string) { fmt.Fprintf(b, "\n%s\n", s.Heading.Render(name)) }
	if len(r.Pipeline) > 0 {
		section("Pipeline")
		s.writeStages(b, r.Pipeline, "  ", "")
	}
	if len(r.Params) > 0 {
		section("Params")
		rows := make([][2]string, 0, len(r.Params))
		for _, k := range SortedKeys(r.Params) {
			rows = append(rows, [2]string{k, FormatValue(r.Params[k])})
		}
		s.writePairs(b, rows, s.Label)
	}
	if len(r.Metrics) > 0 {
		section("Metrics")
		rows := make([][2]string, 0, len(r.Metrics))
		for _, m := range r.Metrics {
			rows = append(rows, [2]string{m.Key(), FormatNumber(m.Value)})
		}
		s.writePairs(b, rows, s.Metric)
	}
	if len(r.Datasets) > 0 {
		section("Datasets")
		for _, d := range r.Datasets {
			s.writeDataset(b, d)
		}
	}
	if len(r.Artifacts) > 0 {
		section("Artifacts")
		for _, a := range r.Artifacts {
			fmt.Fprintf(b, "  %s  %s  %s\n", a.Path, s.Value.Render(FormatSize(a.Size)), s.Dim.Render("sha256 "+a.SHA256))
		}
	}
	if len(r.Environment) > 0 {
		section("Environment")
		rows := make([][2]string, 0, len(r.Environment))
		for _, k := range SortedKeys(r.Environment) {
			rows = append(rows, [2]string{k, r.Environment[k]})
		}
		s.writePairs(b, rows, s.Label)
	}
	if len(r.Tags) > 0 {
		section("Tags")
		rows := make([][2]string, 0, len(r.Tags))
		for _, k := range SortedKeys(r.Tags) {
			rows = append(rows, [2]string{k, r.Tags[k]})
		}
		s.writePairs(b, rows, s.Label)
	}
}

func (s *Styles) writePairs(b *strings.Builder, rows [][2]string, keyStyle Style) {
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(b, "  %s  %s\n", keyStyle.Render(r[0]+strings.Repeat(" ", width-len(r[0]))), s.Value.Render(r[1]))
	}
}

func (s *Styles) writeStages(b *strings.Builder, stages []objects.Stage, indent, prefix string) {
	for i, st := range stages {
		num := fmt.Sprintf("%s%d", prefix, i+1)
		fmt.Fprintf(b, "%s%s %s  %s\n", indent, s.Dim.Render(num), s.RunName.Render(st.Name), s.Operator.Render(st.Op))
		if len(st.Params) > 0 {
			var ps []string
			for _, k := range SortedKeys(st.Params) {
				ps = append(ps, k+"="+FormatValue(st.Params[k]))
			}
			fmt.Fprintf(b, "%s    %s\n", indent, strings.Join(ps, " "))
		}
		if len(st.Inputs) > 0 {
			fmt.Fprintf(b, "%s    %s\n", indent, s.Dim.Render("in:  "+strings.Join(st.Inputs, ", ")))
		}
		if len(st.Outputs) > 0 {
			fmt.Fprintf(b, "%s    %s\n", indent, s.Dim.Render("out: "+strings.Join(st.Outputs, ", ")))
		}
		if st.Artifact != "" {
			fmt.Fprintf(b, "%s    %s\n", indent, s.Dim.Render("fitted: "+st.Artifact))
		}
		if st.Sample != nil && len(st.Sample.Rows) > 0 {
			fmt.Fprintf(b, "%s    %s %s\n", indent, s.Dim.Render("sample:"), strings.Join(st.Sample.Columns, ", "))
			for _, row := range st.Sample.Rows {
				cells := make([]string, len(row))
				for j, c := range row {
					cells[j] = FormatValue(c)
				}
				fmt.Fprintf(b, "%s      %s\n", indent, strings.Join(cells, ", "))
			}
		}
		if len(st.Stages) > 0 {
			s.writeStages(b, st.Stages, indent+"    ", num+".")
		}
	}
}

func (s *Styles) writeDataset(b *strings.Builder, d objects.Dataset) {
	desc := []string{s.Label.Render(d.Role)}
	if d.Path != "" {
		desc = append(desc, d.Path)
	}
	desc = append(desc, s.Value.Render(FormatSize(d.Size)))
	if d.Rows != nil {
		desc = append(desc, plural(*d.Rows, "row")+" × "+plural(int64(len(d.Columns)), "column"))
	}
	if d.Data != nil {
		desc = append(desc, s.Good.Render("stored"))
	}
	fmt.Fprintf(b, "  %s\n", strings.Join(desc, "  "))
	if d.SHA256 != "" {
		fmt.Fprintf(b, "    %s\n", s.Dim.Render("sha256 "+d.SHA256))
	}
	if len(d.Columns) > 0 {
		cols := make([]string, len(d.Columns))
		for i, c := range d.Columns {
			cols[i] = c.Name
			if c.Type != "" {
				cols[i] += ":" + c.Type
			}
		}
		fmt.Fprintf(b, "    %s\n", s.Dim.Render("columns "+strings.Join(cols, ", ")))
	}
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
