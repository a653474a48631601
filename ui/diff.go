package ui

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/modeldb/modeldb/diff"
)

// RunDiffOptions tune how a run diff is rendered.
type RunDiffOptions struct {
	// All shows what is hidden by default: unchanged params, environment
	// entries and tags, and the unchanged middle of long list values.
	All bool
}

// diffListContext is how many unchanged list elements are kept on each
// side of a change in an inline list diff (the rest become "…"), unless
// All.
const diffListContext = 2

// WriteRunDiff renders a run diff for a terminal (plain text when colour
// is off): a header and summary, then a section for each part of the runs.
func (s *Styles) WriteRunDiff(w io.Writer, d *diff.RunDiff, opts RunDiffOptions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %s %s %s\n", s.Heading.Render("diff"),
		s.RunName.Render(d.A.Name), s.Commit.Render(d.A.Commit.Short()), s.Dim.Render("→"),
		s.RunName.Render(d.B.Name), s.Commit.Render(d.B.Commit.Short()))
	if d.HasChanges() {
		fmt.Fprintf(&b, "%s %s\n", s.Label.Render("changed:"), diffSummary(d))
	} else {
		b.WriteString(s.Good.Render("no changes in content") + s.Dim.Render(" (pipeline, params, datasets, metrics, artifacts)") + "\n")
	}
	section := func(name string) { fmt.Fprintf(&b, "\n%s\n", s.Heading.Render(name)) }
	if len(d.Stages) > 0 {
		section("Pipeline")
		s.writeStageDiffs(&b, d.Stages, 0, opts)
	}
	if lines := s.diffValueLines(d.Params, "  ", opts); len(lines) > 0 {
		section("Params")
		b.WriteString(strings.Join(lines, "\n") + "\n")
	}
	if len(d.Datasets) > 0 {
		section("Datasets")
		s.writeDatasetDiffs(&b, d.Datasets)
	}
	if len(d.Metrics) > 0 {
		section("Metrics")
		s.writeMetricDiffs(&b, d.Metrics)
	}
	if len(d.Artifacts) > 0 {
		section("Artifacts")
		width := 0
		for _, a := range d.Artifacts {
			width = max(width, utf8.RuneCountInString(a.Path))
		}
		for _, a := range d.Artifacts {
			line := diffPad(a.Path, width) + "  " + diffArtifact(a)
			fmt.Fprintf(&b, "  %s\n", s.diffStatusLine(a.Status, line))
		}
	}
	if d.Source != nil {
		section("Source")
		fmt.Fprintf(&b, "  %s\n", s.diffStatusLine(d.Source.Status, diffSource(d.Source)))
	}
	if lines := s.diffValueLines(d.Env, "  ", opts); len(lines) > 0 {
		section("Environment")
		b.WriteString(strings.Join(lines, "\n") + "\n")
	}
	if lines := s.diffValueLines(d.Tags, "  ", opts); len(lines) > 0 {
		section("Tags")
		b.WriteString(strings.Join(lines, "\n") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCodeSection writes the source-code diff of a run diff (--code)
// under its own heading.
func (s *Styles) WriteCodeSection(w io.Writer, files []diff.FileDiff) error {
	if len(files) == 0 {
		_, err := fmt.Fprintf(w, "\n%s\n  %s\n", s.Heading.Render("Code"), s.Dim.Render("no changes"))
		return err
	}
	if _, err := fmt.Fprintf(w, "\n%s\n", s.Heading.Render("Code")); err != nil {
		return err
	}
	return s.WriteCodeDiff(w, files)
}

// diffSigil marks a line's status: "+" added, "-" removed, "~" changed, "↕"
// moved, "!" replaced, " " same.
func diffSigil(st diff.Status) string {
	switch st {
	case diff.Added:
		return "+"
	case diff.Removed:
		return "-"
	case diff.Changed:
		return "~"
	case diff.Moved:
		return "↕"
	case diff.Replaced:
		return "!"
	}
	return " "
}

// diffStatusStyle is the style of a whole line with status st.
func (s *Styles) diffStatusStyle(st diff.Status) Style {
	switch st {
	case diff.Added:
		return s.Added
	case diff.Removed:
		return s.Removed
	case diff.Same:
		return s.Dim
	}
	return s.Changed
}

// diffStatusLine renders "SIGIL text", dimmed when unchanged.
func (s *Styles) diffStatusLine(st diff.Status, text string) string {
	if st == diff.Same {
		return s.Dim.Render("  " + text)
	}
	return s.diffStatusStyle(st).Render(diffSigil(st)) + " " + text
}

func (s *Styles) writeStageDiffs(b *strings.Builder, ds []diff.StageDiff, depth int, opts RunDiffOptions) {
	indent := strings.Repeat("  ", depth)
	for _, d := range ds {
		path, name, op := diffStageLabel(d)
		status := fmt.Sprintf("%-8s", d.Status)
		line := fmt.Sprintf("  %s  %s%s %s  %s", s.diffStatusStyle(d.Status).Render(status), indent,
			s.Dim.Render(path), s.RunName.Render(name), s.Operator.Render(op))
		if d.Status == diff.Same {
			line = s.Dim.Render(fmt.Sprintf("  %s  %s%s %s  %s", status, indent, path, name, op))
		}
		b.WriteString(line + "\n")
		detail := strings.Repeat(" ", 12) + indent + "  "
		details := s.diffValueLines(d.Params, detail, opts)
		for _, l := range []struct {
			label string
			ld    *diff.ListDiff
		}{{"inputs", d.Inputs}, {"outputs", d.Outputs}} {
			if l.ld != nil {
				details = append(details, detail+s.Changed.Render("~")+" "+l.label+"  "+s.diffListChange(l.ld))
			}
		}
		if len(details) == 0 && (d.Status == diff.Changed || d.Status == diff.Moved) && !diffOwnChange(d) {
			details = append(details, detail+s.Dim.Render("(sample or fitted artifact changed)"))
		}
		for _, l := range details {
			b.WriteString(l + "\n")
		}
		s.writeStageDiffs(b, d.Stages, depth+1, opts)
	}
}

// diffStageLabel returns a stage diff's path ("2", or "2 → 3" when it moved),
// name and operator ("A → B" when they differ between the sides).
func diffStageLabel(d diff.StageDiff) (path, name, op string) {
	pick := func(f func(*diff.StageRef) string) string {
		switch {
		case d.Old == nil:
			return f(d.New)
		case d.New == nil:
			return f(d.Old)
		case f(d.Old) != f(d.New):
			return f(d.Old) + " → " + f(d.New)
		}
		return f(d.New)
	}
	return pick(func(r *diff.StageRef) string { return r.Path }),
		pick(func(r *diff.StageRef) string { return r.Name }),
		pick(func(r *diff.StageRef) string { return r.Op })
}

// diffOwnChange reports whether a stage diff shows a change of its own (or of
// a nested stage), rather than one only in its sample or fitted artifact,
// which the diff does not detail.
func diffOwnChange(d diff.StageDiff) bool {
	if d.Inputs != nil || d.Outputs != nil || d.Old.Name != d.New.Name || d.Old.Op != d.New.Op {
		return true
	}
	for _, p := range d.Params {
		if p.Status != diff.Same {
			return true
		}
	}
	for _, c := range d.Stages {
		if c.Status != diff.Same {
			return true
		}
	}
	return false
}

func (s *Styles) diffListChange(l *diff.ListDiff) string {
	var parts []string
	for _, a := range l.Added {
		parts = append(parts, s.Added.Render("+"+a))
	}
	for _, r := range l.Removed {
		parts = append(parts, s.Removed.Render("-"+r))
	}
	return strings.Join(parts, " ")
}

// diffValueLines renders compared values (params, environment, tags), one per
// line with its sigil and aligned keys; unchanged ones only with All, else
// counted on a last line.
func (s *Styles) diffValueLines(vs []diff.ValueDiff, indent string, opts RunDiffOptions) []string {
	width, hidden := 0, 0
	for _, v := range vs {
		if v.Status != diff.Same || opts.All {
			width = max(width, utf8.RuneCountInString(v.Key))
		}
	}
	var lines []string
	for _, v := range vs {
		if v.Status == diff.Same && !opts.All {
			hidden++
			continue
		}
		key := diffPad(v.Key, width)
		var text string
		switch v.Status {
		case diff.Same:
			lines = append(lines, indent+s.Dim.Render("  "+key+"  "+FormatValue(v.New)))
			continue
		case diff.Added:
			text = s.Added.Render(FormatValue(v.New))
		case diff.Removed:
			text = s.Removed.Render(FormatValue(v.Old))
		default:
			text = s.diffValueChange(v, opts, indent+"    ")
		}
		if strings.HasPrefix(text, "\n") { // a block of lines follows the key
			key = v.Key
		} else {
			text = "  " + text
		}
		lines = append(lines, indent+s.diffStatusStyle(v.Status).Render(diffSigil(v.Status))+" "+s.Label.Render(key)+text)
	}
	if hidden > 0 && len(lines) > 0 {
		lines = append(lines, indent+s.Dim.Render(fmt.Sprintf("  %d unchanged (--all shows them)", hidden)))
	}
	return lines
}

// diffValueChange renders a changed value: "old → new (+900%)", or an inline
// diff for long strings and lists (continuation lines get indent).
func (s *Styles) diffValueChange(v diff.ValueDiff, opts RunDiffOptions, indent string) string {
	if v.Text != nil {
		colour := s.Added.on
		text := diffInline(v, opts.All, func(op, t string) string {
			switch {
			case op == "-" && colour:
				return s.Removed.Render(t)
			case op == "+" && colour:
				return s.Added.Render(t)
			case op == "-":
				return "[-" + t + "-]"
			case op == "+":
				return "{+" + t + "+}"
			case op == "…":
				return s.Dim.Render(t)
			}
			return t
		})
		if strings.Contains(text, "\n") {
			return "\n" + indent + strings.ReplaceAll(strings.TrimSuffix(text, "\n"), "\n", "\n"+indent)
		}
		return text
	}
	out := FormatValue(v.Old) + " " + s.Dim.Render("→") + " " + s.Value.Render(FormatValue(v.New))
	if c := diffRelative(v.Delta, v.Relative); c != "" {
		out += "  " + s.Dim.Render("("+c+")")
	}
	return out
}

// diffInline renders a value's inline text diff (ValueDiff.Text) through
// mark, which gets one piece of one line at a time with its op: "=" kept,
// "-" removed, "+" added, "…" elided. Lists read as "[a, b, …]" with long
// unchanged runs elided unless all; multi-line strings keep their lines
// (the result then has newlines).
func diffInline(v diff.ValueDiff, all bool, mark func(op, text string) string) string {
	_, oldList := v.Old.([]any)
	_, newList := v.New.([]any)
	if oldList || newList {
		return diffInlineList(v.Text, all, mark)
	}
	var b strings.Builder
	for _, e := range v.Text {
		for i, line := range strings.Split(e.Text, "\n") {
			if i > 0 {
				b.WriteString("\n")
			}
			if line != "" {
				b.WriteString(mark(e.Op, line))
			}
		}
	}
	return b.String()
}

// diffInlineList renders a line diff of list elements (one per line) as a list.
func diffInlineList(edits []diff.Edit, all bool, mark func(op, text string) string) string {
	type run struct {
		op    string
		elems []string
	}
	var runs []run
	for _, e := range edits {
		elems := strings.Split(strings.TrimSuffix(e.Text, "\n"), "\n")
		if len(runs) > 0 && runs[len(runs)-1].op == e.Op {
			runs[len(runs)-1].elems = append(runs[len(runs)-1].elems, elems...)
		} else {
			runs = append(runs, run{e.Op, elems})
		}
	}
	var parts []string
	for i, r := range runs {
		if r.op != "=" || all {
			parts = append(parts, mark(r.op, strings.Join(r.elems, ", ")))
			continue
		}
		head, tail := diffListContext, diffListContext
		if i == 0 {
			head = 0
		}
		if i == len(runs)-1 {
			tail = 0
		}
		if len(r.elems) <= head+tail+1 {
			parts = append(parts, mark("=", strings.Join(r.elems, ", ")))
			continue
		}
		if head > 0 {
			parts = append(parts, mark("=", strings.Join(r.elems[:head], ", ")))
		}
		parts = append(parts, mark("…", "…"))
		if tail > 0 {
			parts = append(parts, mark("=", strings.Join(r.elems[len(r.elems)-tail:], ", ")))
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (s *Styles) writeDatasetDiffs(b *strings.Builder, ds []diff.DatasetDiff) {
	width := 0
	for _, d := range ds {
		width = max(width, utf8.RuneCountInString(d.Role))
	}
	for _, d := range ds {
		side := d.New
		if side == nil {
			side = d.Old
		}
		head := diffPad(d.Role, width)
		if side.Path != "" {
			head += "  " + side.Path
		}
		if d.Status != diff.Changed {
			fmt.Fprintf(b, "  %s\n", s.diffStatusLine(d.Status, head+"  "+diffDatasetSide(side)))
			continue
		}
		fmt.Fprintf(b, "  %s\n", s.diffStatusLine(d.Status, head))
		for _, l := range diffDatasetChanges(d) {
			fmt.Fprintf(b, "  %s  %s  %s\n", strings.Repeat(" ", width), s.Label.Render(diffPad(l[0], 7)), l[1])
		}
	}
}

// diffDatasetSide describes one side of a dataset: short digest and rows.
func diffDatasetSide(d *diff.DatasetSide) string {
	var parts []string
	if d.SHA256 != "" {
		parts = append(parts, "sha256 "+diffShortHash(d.SHA256))
	}
	if d.Rows != nil {
		parts = append(parts, plural(*d.Rows, "row"))
	}
	parts = append(parts, FormatSize(d.Size))
	return strings.Join(parts, "  ")
}

// diffDatasetChanges lists what changed in a dataset present on both sides,
// as (label, "old → new") pairs: path, sha256, rows, size, columns, types.
func diffDatasetChanges(d diff.DatasetDiff) [][2]string {
	o, n := d.Old, d.New
	var out [][2]string
	if o.Path != n.Path {
		out = append(out, [2]string{"path", o.Path + " → " + n.Path})
	}
	if o.SHA256 != n.SHA256 {
		out = append(out, [2]string{"sha256", diffShortHash(o.SHA256) + " → " + diffShortHash(n.SHA256)})
	}
	if (o.Rows == nil) != (n.Rows == nil) || o.Rows != nil && *o.Rows != *n.Rows {
		rows := func(r *int64) string {
			if r == nil {
				return "?"
			}
			return strconv.FormatInt(*r, 10)
		}
		out = append(out, [2]string{"rows", rows(o.Rows) + " → " + rows(n.Rows)})
	}
	if o.Size != n.Size {
		out = append(out, [2]string{"size", FormatSize(o.Size) + " → " + FormatSize(n.Size)})
	}
	if c := d.Columns; c != nil {
		var parts []string
		for _, a := range c.Added {
			parts = append(parts, "+"+a)
		}
		for _, r := range c.Removed {
			parts = append(parts, "-"+r)
		}
		out = append(out, [2]string{"columns", strings.Join(parts, " ")})
	}
	for _, r := range d.Retyped {
		out = append(out, [2]string{"retyped", r.Column + ": " + r.Old + " → " + r.New})
	}
	return out
}

func (s *Styles) writeMetricDiffs(b *strings.Builder, ms []diff.MetricDiff) {
	rows := make([][]string, 0, len(ms)+1)
	rows = append(rows, []string{"metric", "old", "new", "delta", "rel", ""})
	for _, m := range ms {
		rows = append(rows, diffMetricCells(m))
	}
	widths := make([]int, 6)
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for i, r := range rows {
		cells := []string{diffPad(r[0], widths[0])}
		for j := 1; j <= 4; j++ {
			cells = append(cells, strings.Repeat(" ", widths[j]-utf8.RuneCountInString(r[j]))+r[j])
		}
		line := strings.TrimRight(strings.Join(cells, "  "), " ")
		if i == 0 {
			fmt.Fprintf(b, "    %s\n", s.Dim.Render(line))
			continue
		}
		m := ms[i-1]
		switch {
		case m.Status == diff.Same:
			fmt.Fprintf(b, "  %s\n", s.Dim.Render("  "+line))
			continue
		case m.Verdict == diff.Better:
			line += "  " + s.Good.Render(r[5])
		case m.Verdict == diff.Worse:
			line += "  " + s.Bad.Render(r[5])
		}
		fmt.Fprintf(b, "  %s %s\n", s.diffStatusStyle(m.Status).Render(diffSigil(m.Status)), line)
	}
}

// diffMetricCells returns a metric diff's key, old and new values, absolute
// and relative delta and verdict as text ("" where there is none).
func diffMetricCells(m diff.MetricDiff) []string {
	num := func(f *float64) string {
		if f == nil {
			return ""
		}
		return FormatNumber(*f)
	}
	delta, rel := "", ""
	if m.Delta != nil {
		delta = diffDelta(*m.Old, *m.New)
		rel = diffRelative(nil, m.Relative)
	}
	return []string{m.Key(), num(m.Old), num(m.New), delta, rel, string(m.Verdict)}
}

// diffDelta renders new − old with no more decimals than the operands
// have, so 0.931 − 0.912 is "+0.019", not "+0.019000000000000017".
func diffDelta(old, new float64) string {
	d := new - old
	prec := max(deltaDecimals(old), deltaDecimals(new))
	if prec < 0 {
		return diffWithSign(strconv.FormatFloat(d, 'g', 4, 64), d)
	}
	return diffWithSign(strconv.FormatFloat(d, 'f', prec, 64), d)
}

// deltaDecimals is the number of digits after the point in f's shortest form,
// or -1 when that form has an exponent.
func deltaDecimals(f float64) int {
	s := FormatNumber(f)
	if strings.ContainsAny(s, "eE") {
		return -1
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

func diffWithSign(s string, f float64) string {
	if f >= 0 && !strings.HasPrefix(s, "+") {
		return "+" + s
	}
	return s
}

// diffRelative renders a relative change as a percentage ("+900%",
// "+2.1%", "-0.25%"), or the absolute delta when there is none (the old
// value was 0).
func diffRelative(delta, rel *float64) string {
	if rel == nil {
		if delta == nil {
			return ""
		}
		return diffWithSign(FormatNumber(*delta), *delta)
	}
	p := *rel * 100
	prec := 2
	switch a := math.Abs(p); {
	case a >= 100:
		prec = 0
	case a >= 1:
		prec = 1
	}
	s := strconv.FormatFloat(p, 'f', prec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strconv.FormatFloat(p, 'g', 1, 64)
	}
	return diffWithSign(s, p) + "%"
}

// diffArtifact describes an artifact: short digest and size, "old → new"
// for each that changed.
func diffArtifact(a diff.ArtifactDiff) string {
	side := func(x *diff.ArtifactSide) string {
		return "sha256 " + diffShortHash(x.SHA256) + "  " + FormatSize(x.Size)
	}
	switch {
	case a.Old == nil:
		return side(a.New)
	case a.New == nil:
		return side(a.Old)
	case a.Status == diff.Same:
		return side(a.New)
	}
	out := "sha256 " + diffShortHash(a.Old.SHA256) + " → " + diffShortHash(a.New.SHA256)
	if a.Old.Size != a.New.Size {
		out += "  " + FormatSize(a.Old.Size) + " → " + FormatSize(a.New.Size)
	} else {
		out += "  " + FormatSize(a.New.Size)
	}
	return out
}

// diffSource describes the git provenance of the runs: "git C on B
// (dirty)", with "old → new" when it changed.
func diffSource(d *diff.SourceDiff) string {
	plain := &Styles{} // zero styles render plain text
	switch {
	case d.Old == nil:
		return "(none) → " + plain.sourceLine(d.New)
	case d.New == nil:
		return plain.sourceLine(d.Old) + " → (none)"
	case d.Status == diff.Same:
		return plain.sourceLine(d.New)
	}
	return plain.sourceLine(d.Old) + " → " + plain.sourceLine(d.New)
}

// diffSummary says in one line what changed in content: "pipeline (3
// stages), params (2), datasets (1), metrics (2 better, 1 worse),
// artifacts (1)"; "" when nothing did.
func diffSummary(d *diff.RunDiff) string {
	var parts []string
	if n := diffCountStages(d.Stages); n > 0 {
		parts = append(parts, fmt.Sprintf("pipeline (%s)", plural(int64(n), "stage")))
	}
	count := func(name string, n int) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s (%d)", name, n))
		}
	}
	n := 0
	for _, v := range d.Params {
		if v.Status != diff.Same {
			n++
		}
	}
	count("params", n)
	n = 0
	for _, x := range d.Datasets {
		if x.Status != diff.Same {
			n++
		}
	}
	count("datasets", n)
	metrics := map[string]int{}
	for _, m := range d.Metrics {
		switch {
		case m.Verdict != "":
			metrics[string(m.Verdict)]++
		case m.Status != diff.Same:
			metrics[string(m.Status)]++
		}
	}
	var ms []string
	for _, k := range []string{"better", "worse", "changed", "added", "removed"} {
		if metrics[k] > 0 {
			ms = append(ms, fmt.Sprintf("%d %s", metrics[k], k))
		}
	}
	if len(ms) > 0 {
		parts = append(parts, "metrics ("+strings.Join(ms, ", ")+")")
	}
	n = 0
	for _, x := range d.Artifacts {
		if x.Status != diff.Same {
			n++
		}
	}
	count("artifacts", n)
	return strings.Join(parts, ", ")
}

// diffCountStages counts the stages, at any depth, that are not the same.
func diffCountStages(ds []diff.StageDiff) int {
	n := 0
	for _, d := range ds {
		if d.Status != diff.Same {
			n++
		}
		n += diffCountStages(d.Stages)
	}
	return n
}

func diffShortHash(h string) string {
	if len(h) > 10 {
		return h[:10]
	}
	if h == "" {
		return "?"
	}
	return h
}

func diffPad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s)))
}
