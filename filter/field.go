package filter

import (
	"sort"
	"strings"

	"github.com/modeldb/modeldb/internal/suggest"
)

// valueType is what a field's values are, which decides the operators and
// literals it takes.
type valueType int

const (
	numType  valueType = iota // REAL or INTEGER: metrics, rows, sizes, exit status
	textType                  // text
	timeType                  // fixed-width UTC time text (runs.time)
	boolType                  // 0 or 1
	jsonType                  // a parameter: canonical JSON in value, its number in num
	setType                   // dataset columns: a set of names
	roleType                  // datasets.ROLE on its own: only exists
)

// source says where a field's values live: a column of runs r, or a table
// correlated with r.id through its run column. Every string in it is SQL
// written here; the user's names travel in keys, as arguments.
type source struct {
	name  string // the field as written, for messages
	pos   int    // where it was written
	typ   valueType
	col   string // a column of r, e.g. "r.author"; "" for a table source
	from  string // e.g. "latest_metrics m"
	alias string // e.g. "m"
	keys  []keyCond
	value string // e.g. "m.value"
	// nullable: a row may be present without a value (a dataset's rows),
	// so exists must test the value too.
	nullable bool
	// many: a run may have several values (its stages), so a comparison
	// asks whether any of them matches, and the field cannot be sorted on.
	many bool
}

// keyCond narrows a table source to a field: col = ? with val.
type keyCond struct {
	col string
	val string
}

// runColumns are the fields stored once per run.
var runColumns = map[string]source{
	"name":        {typ: textType, col: "r.name"},
	"author":      {typ: textType, col: "r.author"},
	"message":     {typ: textType, col: "r.message"},
	"time":        {typ: timeType, col: "r.time"},
	"exit_status": {typ: numType, col: "r.exit_status"},
}

var sourceColumns = map[string]source{
	"commit": {typ: textType, col: "r.source_commit"},
	"branch": {typ: textType, col: "r.source_branch"},
	"remote": {typ: textType, col: "r.source_remote"},
	"dirty":  {typ: boolType, col: "r.source_dirty"},
}

var stageColumns = map[string]source{
	"op":   {typ: textType, from: "stages s", alias: "s", value: "s.op", many: true},
	"name": {typ: textType, from: "stages s", alias: "s", value: "s.name", many: true},
}

var artifactColumns = map[string]source{
	"path":   {typ: textType, from: "artifacts a", alias: "a", value: "a.path", many: true},
	"sha256": {typ: textType, from: "artifacts a", alias: "a", value: "a.sha256", many: true},
	"size":   {typ: numType, from: "artifacts a", alias: "a", value: "a.size", many: true},
}

var datasetColumns = map[string]source{
	"columns": {typ: setType, from: "dataset_columns c", alias: "c", value: "c.name", many: true},
	"path":    {typ: textType, from: "datasets d", alias: "d", value: "d.path", nullable: true},
	"sha256":  {typ: textType, from: "datasets d", alias: "d", value: "d.sha256", nullable: true},
	"size":    {typ: numType, from: "datasets d", alias: "d", value: "d.size", nullable: true},
	"rows":    {typ: numType, from: "datasets d", alias: "d", value: "d.rows", nullable: true},
	"stored":  {typ: boolType, from: "datasets d", alias: "d", value: "d.stored", nullable: true},
}

// prefixes are the first words of fields, for suggestions.
var prefixes = []string{
	"name", "author", "message", "time", "branch", "exit_status", "source",
	"metrics", "params", "stages", "datasets", "artifacts", "tags", "env",
}

// aliases are words people reach for that name another field.
var aliases = map[string]string{
	"environment": "env", "environ": "env", "msg": "message", "user": "author",
	"date": "time", "status": "exit_status", "param": "params", "metric": "metrics",
	"tag": "tags", "stage": "stages", "dataset": "datasets", "data": "datasets",
	"artifact": "artifacts", "pipeline": "stages", "hyperparams": "params",
}

const fieldList = "name, author, message, time, branch, exit_status, source.*, metrics.*, params.*, stages.*, datasets.*, artifacts.*, tags.*, env.*"

// resolve turns a field token into its source, or fails with a message
// that says what fields there are.
func (p *parser) resolve(t token) *source {
	segs := segments(t.pieces)
	head := segs[0]
	headText := head[0].text
	// The field as written after its first word, for suggestions.
	rest := t.text[len(headText):]
	unknown := func(guess string) {
		if guess != "" {
			p.fail(t.pos, "unknown field %q (did you mean %q?)", t.text, guess)
		}
		p.fail(t.pos, "unknown field %q (fields: %s)", t.text, fieldList)
	}
	if len(head) != 1 {
		unknown("")
	}
	withSource := func(s source) *source {
		s.name, s.pos = t.text, t.pos
		return &s
	}
	sub := func(table map[string]source, what string) *source {
		if len(segs) != 2 {
			p.fail(t.pos, "unknown field %q (%s.* is one of: %s)", t.text, what, nameList(table))
		}
		attr := segText(segs[1])
		s, ok := table[attr]
		if !ok {
			if g := suggest.Closest(attr, names(table), 2); g != "" {
				unknown(what + "." + g)
			}
			p.fail(t.pos, "unknown field %q (%s.* is one of: %s)", t.text, what, nameList(table))
		}
		return withSource(s)
	}
	needKey := func(example string) string {
		if len(segs) < 2 {
			p.fail(t.pos, "%s needs a name after it: %s", t.text, example)
		}
		return joinSegs(segs[1:])
	}
	switch headText {
	case "name", "author", "message", "time", "exit_status":
		if len(segs) > 1 {
			p.fail(t.pos, "unknown field %q (%s has no parts)", t.text, headText)
		}
		return withSource(runColumns[headText])
	case "branch":
		if len(segs) > 1 {
			p.fail(t.pos, "unknown field %q (branch has no parts; for the branch of the code, write source.branch)", t.text)
		}
		return withSource(source{typ: textType, from: "branch_runs b", alias: "b", value: "b.branch", many: true})
	case "source":
		return sub(sourceColumns, "source")
	case "stages":
		return sub(stageColumns, "stages")
	case "artifacts":
		return sub(artifactColumns, "artifacts")
	case "metrics":
		if len(segs) < 2 {
			p.fail(t.pos, "metrics needs a name after it: metrics.NAME, e.g. metrics.accuracy")
		}
		return p.metric(t)
	case "params":
		key := needKey("params.KEY, e.g. params.C or params.classifier.C")
		return withSource(source{typ: jsonType, from: "params_flat p", alias: "p", value: "p.value",
			keys: []keyCond{{"p.key", key}}})
	case "tags":
		key := needKey("tags.KEY")
		return withSource(source{typ: textType, from: "tags t", alias: "t", value: "t.value",
			keys: []keyCond{{"t.key", key}}})
	case "env":
		key := needKey("env.KEY, e.g. env.PYTHON_VERSION")
		return withSource(source{typ: textType, from: "environment e", alias: "e", value: "e.value",
			keys: []keyCond{{"e.key", key}}})
	case "datasets":
		if len(segs) < 2 {
			p.fail(t.pos, "datasets needs a role after it: datasets.ROLE.columns, e.g. datasets.train.columns")
		}
		last := segText(segs[len(segs)-1])
		if len(segs) == 2 {
			// datasets.rows is a slip for datasets.ROLE.rows; a role that
			// is really called "rows" is written datasets."rows".
			if _, ok := datasetColumns[last]; ok && segs[1][0].kind != pQuoted {
				p.fail(t.pos, "%s: write datasets.ROLE.%s, e.g. datasets.train.%s", t.text, last, last)
			}
			return withSource(source{typ: roleType, from: "datasets d", alias: "d",
				keys: []keyCond{{"d.role", last}}})
		}
		s, ok := datasetColumns[last]
		if !ok {
			role := joinSegs(segs[1 : len(segs)-1])
			if g := suggest.Closest(last, names(datasetColumns), 2); g != "" {
				unknown("datasets." + quoteName(role) + "." + g)
			}
			p.fail(t.pos, "unknown field %q (datasets.ROLE.* is one of: %s)", t.text, nameList(datasetColumns))
		}
		s.keys = []keyCond{{s.alias + ".role", joinSegs(segs[1 : len(segs)-1])}}
		return withSource(s)
	}
	guess := aliases[headText]
	if guess == "" {
		guess = suggest.Closest(headText, prefixes, 2)
	}
	if guess == "" {
		guess = suggest.Closest(strings.ToLower(headText), prefixes, 2)
	}
	if guess != "" {
		unknown(guess + rest)
	}
	unknown("")
	return nil
}

// metric reads the key after "metrics." as `modeldb commit --metric` does:
// [SPLIT:]NAME[SLICE], the split ending at the first ':' before any '['.
func (p *parser) metric(t token) *source {
	ps := t.pieces[2:] // after "metrics" and "."
	slice, split := "", ""
	for i, pc := range ps {
		if pc.kind != pBracket {
			continue
		}
		if i != len(ps)-1 {
			p.fail(ps[i+1].pos, "nothing may follow a metric's [SLICE] in %q", t.text)
		}
		if pc.text == "" {
			p.fail(pc.pos, "empty slice in %q; want metrics.[SPLIT:]NAME[SLICE]", t.text)
		}
		slice, ps = pc.text, ps[:i]
		break
	}
	for i, pc := range ps {
		if pc.kind == pColon {
			split = piecesText(ps[:i])
			if split == "" {
				p.fail(pc.pos, "empty split in %q; want metrics.[SPLIT:]NAME[SLICE]", t.text)
			}
			ps = ps[i+1:]
			break
		}
	}
	if len(ps) == 0 {
		p.fail(t.end, "no metric name in %q; want metrics.[SPLIT:]NAME[SLICE]", t.text)
	}
	for _, pc := range ps {
		if at := strings.IndexByte(pc.text, '@'); pc.kind == pBare && at >= 0 {
			p.fail(pc.pos+at, "%q: a filter looks at a metric's last value; leave out @STEP (quote a name that has an '@')", t.text)
		}
	}
	name := piecesText(ps)
	if name == "" {
		p.fail(t.pos, "empty metric name in %q", t.text)
	}
	return &source{name: t.text, pos: t.pos, typ: numType, from: "latest_metrics m", alias: "m", value: "m.value",
		keys: []keyCond{{"m.name", name}, {"m.slice", slice}, {"m.split", split}}}
}

// segments splits field pieces at their dots.
func segments(ps []piece) [][]piece {
	var segs [][]piece
	var cur []piece
	for _, pc := range ps {
		if pc.kind == pDot {
			segs = append(segs, cur)
			cur = nil
			continue
		}
		cur = append(cur, pc)
	}
	return append(segs, cur)
}

// piecesText spells pieces out literally: quoted names unquoted, brackets
// kept, dots and colons as themselves.
func piecesText(ps []piece) string {
	var b strings.Builder
	for _, pc := range ps {
		if pc.kind == pBracket {
			b.WriteString("[" + pc.text + "]")
		} else {
			b.WriteString(pc.text)
		}
	}
	return b.String()
}

func segText(seg []piece) string { return piecesText(seg) }

func joinSegs(segs [][]piece) string {
	parts := make([]string, len(segs))
	for i, s := range segs {
		parts[i] = segText(s)
	}
	return strings.Join(parts, ".")
}

// quoteName writes a name as a field part, quoting it when it is not a
// plain word.
func quoteName(s string) string {
	plain := s != ""
	for _, r := range s {
		if !isBare(r) {
			plain = false
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func names(m map[string]source) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func nameList(m map[string]source) string { return strings.Join(names(m), ", ") }
