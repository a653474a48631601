package ui

import (
	"fmt"
	"strings"

	"github.com/modeldb/modeldb/diff"
)

// RunDiffMarkdown renders a run diff as GitHub-flavoured Markdown for a
// pull-request comment: a summary, the pipeline as a nested list, and
// tables for params, datasets, metrics (✅ better, ❌ worse), artifacts and
// environment. It never contains ANSI escapes.
func RunDiffMarkdown(d *diff.RunDiff, opts RunDiffOptions) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### modeldb diff: %s → %s\n\n", diffMDCode(d.A.Name), diffMDCode(d.B.Name))
	fmt.Fprintf(&b, "Commits %s → %s. ", diffMDCode(d.A.Commit.Short()), diffMDCode(d.B.Commit.Short()))
	if d.HasChanges() {
		fmt.Fprintf(&b, "**Changed:** %s.\n", diffSummary(d))
	} else {
		b.WriteString("**No changes in content** (pipeline, params, datasets, metrics, artifacts).\n")
	}
	section := func(name string) { fmt.Fprintf(&b, "\n#### %s\n\n", name) }
	if len(d.Stages) > 0 {
		section("Pipeline")
		diffMDStages(&b, d.Stages, "", opts)
	}
	if rows := diffMDValueRows(d.Params, opts); len(rows) > 0 {
		section("Params")
		diffMDTable(&b, []string{"param", "change"}, rows)
	}
	if len(d.Datasets) > 0 {
		section("Datasets")
		var rows [][]string
		for _, x := range d.Datasets {
			rows = append(rows, []string{diffMDCode(x.Role), diffMDStatus(x.Status), diffMDDataset(x)})
		}
		diffMDTable(&b, []string{"dataset", "status", "details"}, rows)
	}
	if len(d.Metrics) > 0 {
		section("Metrics")
		var rows [][]string
		for _, m := range d.Metrics {
			c := diffMetricCells(m)
			verdict := ""
			switch {
			case m.Verdict == diff.Better:
				verdict = "✅ better"
			case m.Verdict == diff.Worse:
				verdict = "❌ worse"
			case m.Status == diff.Added, m.Status == diff.Removed:
				verdict = string(m.Status)
			}
			rows = append(rows, []string{diffMDCode(c[0]), c[1], c[2], c[3], c[4], verdict})
		}
		diffMDTable(&b, []string{"metric", "old>", "new>", "Δ>", "Δ%>", ""}, rows)
	}
	if len(d.Artifacts) > 0 {
		section("Artifacts")
		var rows [][]string
		for _, a := range d.Artifacts {
			rows = append(rows, []string{diffMDCode(a.Path), diffMDStatus(a.Status), strings.ReplaceAll(diffArtifact(a), "  ", " · ")})
		}
		diffMDTable(&b, []string{"artifact", "status", "sha256 and size"}, rows)
	}
	if d.Source != nil {
		section("Source")
		fmt.Fprintf(&b, "%s: %s\n", diffMDStatus(d.Source.Status), diffMDEscape(diffSource(d.Source)))
	}
	if rows := diffMDValueRows(d.Env, opts); len(rows) > 0 {
		section("Environment")
		diffMDTable(&b, []string{"entry", "change"}, rows)
	}
	if rows := diffMDValueRows(d.Tags, opts); len(rows) > 0 {
		section("Tags")
		diffMDTable(&b, []string{"tag", "change"}, rows)
	}
	return b.String()
}

// CodeSectionMarkdown renders the source-code diff of a run diff (--code)
// as a Markdown section to follow RunDiffMarkdown.
func CodeSectionMarkdown(files []diff.FileDiff) string {
	if len(files) == 0 {
		return "\n#### Code\n\nNo changes.\n"
	}
	return "\n#### Code\n\n" + CodeDiffMarkdown(files)
}

func diffMDStatus(st diff.Status) string {
	if st == diff.Same {
		return "same"
	}
	return "**" + string(st) + "**"
}

// diffMDStages writes stage diffs as a nested list, with their changed params
// as sub-items.
func diffMDStages(b *strings.Builder, ds []diff.StageDiff, indent string, opts RunDiffOptions) {
	for _, d := range ds {
		path, name, op := diffStageLabel(d)
		fmt.Fprintf(b, "%s- %s %s %s · %s\n", indent, diffMDStatus(d.Status), diffMDCodeEach(path), diffMDEscape(name), diffMDCodeEach(op))
		for _, r := range diffMDValueRows(d.Params, opts) {
			fmt.Fprintf(b, "%s  - %s: %s\n", indent, r[0], r[1])
		}
		for _, l := range []struct {
			label string
			ld    *diff.ListDiff
		}{{"inputs", d.Inputs}, {"outputs", d.Outputs}} {
			if l.ld != nil {
				fmt.Fprintf(b, "%s  - %s: %s\n", indent, l.label, diffMDList(l.ld))
			}
		}
		diffMDStages(b, d.Stages, indent+"  ", opts)
	}
}

func diffMDList(l *diff.ListDiff) string {
	var parts []string
	for _, a := range l.Added {
		parts = append(parts, "+"+diffMDCode(a))
	}
	for _, r := range l.Removed {
		parts = append(parts, "−"+diffMDCode(r))
	}
	return strings.Join(parts, " ")
}

// diffMDValueRows renders compared values as (key, change) cells; unchanged
// ones only with All.
func diffMDValueRows(vs []diff.ValueDiff, opts RunDiffOptions) [][]string {
	var rows [][]string
	for _, v := range vs {
		var change string
		switch v.Status {
		case diff.Same:
			if !opts.All {
				continue
			}
			change = diffMDCode(FormatValue(v.New)) + " (same)"
		case diff.Added:
			change = "*added* " + diffMDCode(FormatValue(v.New))
		case diff.Removed:
			change = "*removed* " + diffMDCode(FormatValue(v.Old))
		default:
			change = diffMDValueChange(v, opts)
		}
		rows = append(rows, []string{diffMDCode(v.Key), change})
	}
	return rows
}

// diffMDValueChange renders a changed value: `old` → `new` (+900%), or an
// inline diff with <del> and <ins> for long strings and lists.
func diffMDValueChange(v diff.ValueDiff, opts RunDiffOptions) string {
	if v.Text != nil {
		text := diffInline(v, opts.All, func(op, t string) string {
			switch op {
			case "-":
				return "<del>" + diffMDSpaces(diffMDEscape(t)) + "</del>"
			case "+":
				return "<ins>" + diffMDSpaces(diffMDEscape(t)) + "</ins>"
			}
			return diffMDSpaces(diffMDEscape(t))
		})
		return strings.ReplaceAll(strings.TrimSuffix(text, "\n"), "\n", "<br>")
	}
	out := diffMDCode(FormatValue(v.Old)) + " → " + diffMDCode(FormatValue(v.New))
	if c := diffRelative(v.Delta, v.Relative); c != "" {
		out += " (" + c + ")"
	}
	return out
}

func diffMDDataset(d diff.DatasetDiff) string {
	if d.Status != diff.Changed {
		side := d.New
		if side == nil {
			side = d.Old
		}
		s := strings.ReplaceAll(diffMDEscape(diffDatasetSide(side)), "  ", " · ")
		if side.Path != "" {
			s = diffMDCode(side.Path) + " · " + s
		}
		return s
	}
	var parts []string
	for _, c := range diffDatasetChanges(d) {
		parts = append(parts, c[0]+" "+diffMDEscape(c[1]))
	}
	return strings.Join(parts, "; ")
}

// diffMDTable writes a table; a heading ending in ">" is right-aligned.
func diffMDTable(b *strings.Builder, head []string, rows [][]string) {
	names, rule := make([]string, len(head)), "|"
	for i, h := range head {
		names[i], rule = h, rule+"---|"
		if strings.HasSuffix(h, ">") {
			names[i], rule = strings.TrimSuffix(h, ">"), strings.TrimSuffix(rule, "---|")+"--:|"
		}
	}
	b.WriteString("| " + strings.Join(names, " | ") + " |\n" + rule + "\n")
	for _, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
}

// diffMDCodeEach renders "a → b" as `a` → `b`.
func diffMDCodeEach(s string) string {
	parts := strings.Split(s, " → ")
	for i, p := range parts {
		parts[i] = diffMDCode(p)
	}
	return strings.Join(parts, " → ")
}

// diffMDCode renders s as a Markdown code span, safe inside a table cell.
func diffMDCode(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

var diffMDHTMLEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// diffMDEscape makes text safe as Markdown inline text in a table cell: HTML
// special characters as entities, Markdown punctuation backslashed.
func diffMDEscape(s string) string {
	s = diffMDHTMLEscaper.Replace(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]|~#", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// diffMDSpaces keeps runs of spaces (the indentation of a multi-line
// value) from collapsing in HTML: a run of two or more becomes &nbsp;s.
func diffMDSpaces(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && (i+1 < len(s) && s[i+1] == ' ' || i > 0 && s[i-1] == ' ') {
			b.WriteString("&nbsp;")
		} else {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
