package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/modeldb/modeldb/diff"
)

// compareCellMax is the widest a value may be in a terminal comparison;
// longer values are cut with "…" (--json and --md have them whole).
const compareCellMax = 40

// compareAbsent stands for a stage, parameter or metric a run lacks.
const compareAbsent = "—"

// WriteComparison renders a comparison as a table with one column per run:
// the aligned pipeline stages, the parameters (only those that differ
// unless all) and the metrics, with the best value of each marked "*"
// (and bold green in colour).
func (s *Styles) WriteComparison(w io.Writer, c *diff.Comparison, all bool) error {
	var t compareTable
	names, commits := make([]string, len(c.Runs)), make([]string, len(c.Runs))
	for i, r := range c.Runs {
		names[i], commits[i] = s.RunName.Render(r.Name), s.Commit.Render(r.Commit.Short())
	}
	t.add("", names...)
	t.add("", commits...)
	if len(c.Stages) > 0 {
		t.heading(s.Heading.Render("Pipeline"))
		s.compareStageRows(&t, c.Stages, "  ")
	}
	params, total := compareParamRows(c, all)
	if total > 0 {
		t.heading(s.Heading.Render("Params"))
		for _, p := range params {
			cells := make([]string, len(p.row.Values))
			for i, v := range p.row.Values {
				cells[i] = s.Dim.Render(compareAbsent)
				if p.row.Present[i] {
					style := s.Value
					if !p.row.Differs {
						style = s.Dim
					}
					cells[i] = style.Render(compareTruncate(FormatValue(v), compareCellMax))
				}
			}
			t.add("  "+s.Label.Render(p.label), cells...)
		}
		if hidden := total - len(params); hidden > 0 {
			t.note("  " + s.Dim.Render(compareHidden(hidden, len(params) > 0)+" (--all shows them)"))
		}
	}
	if len(c.Metrics) > 0 {
		t.heading(s.Heading.Render("Metrics"))
		best := Style{s.Good.style.Bold(true), s.Good.on}
		for _, m := range c.Metrics {
			label := "  " + s.Metric.Render(m.Key())
			if arrow := compareArrow(m.Direction); arrow != "" {
				label += " " + s.Dim.Render(arrow)
			}
			marked := compareBest(m)
			cells := make([]string, len(m.Values))
			for i, v := range m.Values {
				switch {
				case v == nil:
					cells[i] = s.Dim.Render(compareAbsent)
				case marked[i]:
					cells[i] = best.Render(FormatNumber(*v) + " *")
				default:
					cells[i] = FormatNumber(*v)
				}
			}
			t.add(label, cells...)
		}
	}
	_, err := io.WriteString(w, t.String())
	return err
}

func (s *Styles) compareStageRows(t *compareTable, rows []diff.StageRow, indent string) {
	for _, r := range rows {
		ops := compareOps(r)
		cells := make([]string, len(r.Cells))
		style := s.Operator
		if !r.Differs {
			style = s.Dim
		}
		for i, op := range ops {
			cells[i] = s.Dim.Render(compareAbsent)
			if r.Cells[i] != nil {
				cells[i] = style.Render(op.op)
				if op.name != "" {
					cells[i] += " " + s.RunName.Render("("+op.name+")")
				}
			}
		}
		t.add(indent+s.Dim.Render(r.Path)+" "+r.Name(), cells...)
		s.compareStageRows(t, r.Stages, indent+"  ")
	}
}

// compareOp is what a comparison shows of one run's stage.
type compareOp struct {
	op   string // the operator's last part ("StandardScaler"), or all of it
	name string // the stage's name, when the names in the row differ
}

// compareOps returns what to show of each cell's stage: its operator's
// last part, the whole operator when two different operators of the row
// share the last part, and the stage's name when the names in the row
// differ. Absent stages give the zero compareOp.
func compareOps(r diff.StageRow) []compareOp {
	short := func(op string) string { return op[strings.LastIndex(op, ".")+1:] }
	seen := map[string]string{} // last part → an operator with it
	whole, names := false, map[string]bool{}
	for _, c := range r.Cells {
		if c == nil {
			continue
		}
		names[c.Name] = true
		if other, ok := seen[short(c.Op)]; ok && other != c.Op {
			whole = true
		}
		seen[short(c.Op)] = c.Op
	}
	out := make([]compareOp, len(r.Cells))
	for i, c := range r.Cells {
		if c == nil {
			continue
		}
		out[i].op = c.Op
		if !whole {
			out[i].op = short(c.Op)
		}
		if len(names) > 1 {
			out[i].name = c.Name
		}
	}
	return out
}

// compareParam is a parameter row with its label: "stage.key" for stage
// parameters (nested stages as "outer.inner.key"), the key for run-level
// ones.
type compareParam struct {
	label string
	row   diff.ParamRow
}

// compareParamRows lists the stage parameters in pipeline order, then the
// run-level ones: all of them, or only those that differ. total counts them
// all.
func compareParamRows(c *diff.Comparison, all bool) (out []compareParam, total int) {
	add := func(prefix string, rows []diff.ParamRow) {
		for _, p := range rows {
			total++
			if all || p.Differs {
				out = append(out, compareParam{prefix + p.Key, p})
			}
		}
	}
	var walk func(prefix string, rows []diff.StageRow)
	walk = func(prefix string, rows []diff.StageRow) {
		for _, r := range rows {
			name := r.Name()
			if name == "" {
				name = r.Path
			}
			add(prefix+name+".", r.ParamRows)
			walk(prefix+name+".", r.Stages)
		}
	}
	walk("", c.Stages)
	add("", c.Params)
	return out, total
}

// compareBest says which runs to mark as best: those in m.Best, unless
// every run with a value has the best one (nothing to choose between).
func compareBest(m diff.MetricRow) map[int]bool {
	present := 0
	for _, v := range m.Values {
		if v != nil {
			present++
		}
	}
	marked := map[int]bool{}
	if len(m.Best) < present {
		for _, i := range m.Best {
			marked[i] = true
		}
	}
	return marked
}

// compareHidden says how many parameters were left out for being equal.
func compareHidden(n int, more bool) string {
	what := plural(int64(n), "param")
	if more {
		what = plural(int64(n), "more param")
	}
	if n == 1 {
		return what + ", equal in every run"
	}
	return what + ", each equal in every run"
}

func compareArrow(d diff.Direction) string {
	switch d {
	case diff.Up:
		return "↑"
	case diff.Down:
		return "↓"
	}
	return ""
}

// compareTruncate cuts s to at most n display columns, ending in "…".
func compareTruncate(s string, n int) string {
	if lipgloss.Width(s) <= n {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := lipgloss.Width(string(r))
		if w+rw > n-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// compareTable lays out rows of styled cells in columns, padding by
// display width (lipgloss.Width ignores colour codes and counts wide
// characters twice).
type compareTable struct {
	lines []compareLine
}

type compareLine struct {
	label string
	cells []string
	text  bool // label is a whole line (a heading or a note), outside the columns
	blank bool // a blank line goes before it
}

func (t *compareTable) add(label string, cells ...string) {
	t.lines = append(t.lines, compareLine{label: label, cells: cells})
}

func (t *compareTable) heading(text string) {
	t.lines = append(t.lines, compareLine{label: text, text: true, blank: true})
}

func (t *compareTable) note(text string) {
	t.lines = append(t.lines, compareLine{label: text, text: true})
}

func (t *compareTable) String() string {
	labelWidth := 0
	var widths []int
	for _, l := range t.lines {
		if l.text {
			continue
		}
		labelWidth = max(labelWidth, lipgloss.Width(l.label))
		for i, c := range l.cells {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], lipgloss.Width(c))
		}
	}
	pad := func(b *strings.Builder, s string, width int) {
		b.WriteString(s)
		b.WriteString(strings.Repeat(" ", width-lipgloss.Width(s)))
	}
	var b strings.Builder
	for _, l := range t.lines {
		if l.blank {
			b.WriteString("\n")
		}
		if l.text {
			b.WriteString(l.label + "\n")
			continue
		}
		var line strings.Builder
		pad(&line, l.label, labelWidth)
		for i, c := range l.cells {
			line.WriteString("  ")
			pad(&line, c, widths[i])
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	return b.String()
}

// WriteComparisonMarkdown renders a comparison as a Markdown table (GitHub
// flavoured), for a pull-request comment: one column per run, the best
// value of each metric in bold.
func WriteComparisonMarkdown(w io.Writer, c *diff.Comparison, all bool) error {
	var b strings.Builder
	n := len(c.Runs)
	row := func(label string, cells ...string) {
		if label == "" {
			b.WriteString("| |")
		} else {
			b.WriteString("| " + label + " |")
		}
		for i := 0; i < n; i++ {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			if cell == "" {
				b.WriteString(" |")
			} else {
				b.WriteString(" " + cell + " |")
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "### Comparing %d runs\n\n", n)
	names, commits := make([]string, n), make([]string, n)
	for i, r := range c.Runs {
		names[i], commits[i] = cmpMDText(r.Name), "`"+r.Commit.Short()+"`"
	}
	row("", names...)
	b.WriteString("|---" + strings.Repeat("|---", n) + "|\n")
	row("commit", commits...)
	if len(c.Stages) > 0 {
		row("**Pipeline**")
		cmpMDStages(row, c.Stages, "")
	}
	params, total := compareParamRows(c, all)
	if len(params) > 0 {
		row("**Params**")
		for _, p := range params {
			cells := make([]string, n)
			for i, v := range p.row.Values {
				cells[i] = compareAbsent
				if p.row.Present[i] {
					cells[i] = cmpMDCode(FormatValue(v))
				}
			}
			row(cmpMDText(p.label), cells...)
		}
	}
	if len(c.Metrics) > 0 {
		row("**Metrics**")
		for _, m := range c.Metrics {
			label := cmpMDText(m.Key())
			if arrow := compareArrow(m.Direction); arrow != "" {
				label += " " + arrow
			}
			marked := compareBest(m)
			cells := make([]string, n)
			for i, v := range m.Values {
				switch {
				case v == nil:
					cells[i] = compareAbsent
				case marked[i]:
					cells[i] = "**" + FormatNumber(*v) + "**"
				default:
					cells[i] = FormatNumber(*v)
				}
			}
			row(label, cells...)
		}
	}
	var notes []string
	if hidden := total - len(params); hidden > 0 {
		notes = append(notes, compareHidden(hidden, len(params) > 0)+", not shown.")
	}
	if len(c.Metrics) > 0 {
		notes = append(notes, "Best value in **bold** (↑ higher is better, ↓ lower is better).")
	}
	if len(notes) > 0 {
		b.WriteString("\n" + strings.Join(notes, " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cmpMDStages(row func(string, ...string), rows []diff.StageRow, indent string) {
	for _, r := range rows {
		ops := compareOps(r)
		cells := make([]string, len(r.Cells))
		for i, op := range ops {
			cells[i] = compareAbsent
			if r.Cells[i] != nil {
				cells[i] = cmpMDCode(op.op)
				if op.name != "" {
					cells[i] += " (" + cmpMDText(op.name) + ")"
				}
			}
		}
		row(indent+r.Path+" "+cmpMDText(r.Name()), cells...)
		cmpMDStages(row, r.Stages, indent+"&nbsp;&nbsp;")
	}
}

// cmpMDText escapes text for a Markdown table cell.
var cmpMDEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;",
	"[", `\[`, "]", `\]`, "\n", " ", "\r", " ")

func cmpMDText(s string) string { return cmpMDEscaper.Replace(s) }

// cmpMDCode renders s as code in a Markdown table cell.
func cmpMDCode(s string) string {
	if strings.Contains(s, "`") {
		return cmpMDText(s)
	}
	s = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
	return "`" + s + "`"
}
