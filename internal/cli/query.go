package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/urfave/cli/v2"

	"github.com/modeldb/modeldb/index"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
	"github.com/modeldb/modeldb/repo"
)

func queryCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "query",
		Usage:     "answer a question about every run with one SQL query (read-only)",
		ArgsUsage: "SQL",
		Description: "Runs one SELECT statement against the query index, .modeldb/index.sqlite, which is\n" +
			"built on first use and kept up to date by every commit. The tables (runs, commits,\n" +
			"refs, branch_runs, stages, params, metrics, datasets, dataset_columns, artifacts,\n" +
			"tags, environment) and views (params_flat, latest_metrics, run_metrics, run_params,\n" +
			"run_columns, current_runs) are described in docs/query.md. SQL - reads the statement\n" +
			"from standard input.\n\n" +
			"  modeldb query \"SELECT run_name, value FROM run_metrics\n" +
			"                 WHERE metric = 'accuracy' AND slice = 'country=US' ORDER BY value DESC LIMIT 5\"",
		OnUsageError: commandUsageError("query"),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "csv", Usage: "print CSV (RFC 4180) with a header line"},
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array with one object per row"},
			&cli.BoolFlag{Name: "no-header", Usage: "leave out the header line (table and CSV)"},
		},
		Action: func(c *cli.Context) error {
			if err := argsBetween(c, 1, 1, "[--csv [--no-header] | --json] SQL"); err != nil {
				return err
			}
			if c.Bool("csv") && c.Bool("json") {
				return usagef("query: give --csv or --json, not both")
			}
			if c.Bool("no-header") && c.Bool("json") {
				return usagef("query: --no-header goes with --csv or the table, not --json")
			}
			return runQuery(e, c)
		},
	}
}

func runQuery(e *env, c *cli.Context) error {
	query := c.Args().First()
	if query == "-" {
		b, err := io.ReadAll(e.in)
		if err != nil {
			return err
		}
		query = string(b)
	}
	// Refuse writes before the index is opened (or built) at all.
	if err := index.CheckReadOnly(query); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	r, err := e.openRepo()
	if err != nil {
		return err
	}
	defer r.Close()
	ix, err := openIndex(r)
	if err != nil {
		return err
	}
	defer ix.Close()
	rows, err := ix.Query(context.Background(), query)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	switch {
	case c.Bool("json"):
		return writeRowsJSON(e.out, rows)
	case c.Bool("csv"):
		return writeRowsCSV(e.out, rows, !c.Bool("no-header"))
	}
	return writeRowsTable(e, rows, !c.Bool("no-header"))
}

// indexPath is where a repository's query index lives.
func indexPath(r *repo.Repo) string { return filepath.Join(r.Dir, index.FileName) }

// openIndex opens the repository's query index, building it or bringing it
// up to date first (see package index). The filter language uses it too.
func openIndex(r *repo.Repo) (*index.Index, error) {
	return index.Open(indexPath(r), indexSource{r})
}

// updateIndex brings an existing query index up to date after a commit,
// best effort: the commit has succeeded whatever happens here. Without an
// index file nothing is done (the first query builds it), so commits stay
// as fast as ever for those who never query.
func updateIndex(e *env, r *repo.Repo) {
	if _, err := os.Stat(indexPath(r)); err != nil {
		return
	}
	ix, err := index.Open(indexPath(r), indexSource{r})
	if err == nil {
		err = ix.Close()
	}
	if err != nil {
		msg := strings.TrimPrefix(oneLine(err.Error()), "query index: ")
		fmt.Fprintf(e.err, "modeldb: warning: query index not updated: %s; run 'modeldb reindex'\n", msg)
	}
}

// indexSource adapts a repository to index.Source.
type indexSource struct{ r *repo.Repo }

func (s indexSource) Refs() ([]refs.Ref, error) {
	var out []refs.Ref
	for _, prefix := range []string{refs.HeadsPrefix, refs.TagsPrefix, refs.RemotesPrefix} {
		list, err := s.r.Store.Refs(prefix)
		if err != nil && !onlyDamaged(err) {
			return nil, err
		}
		out = append(out, list...) // a damaged reference is fsck's to report
	}
	branch, head, err := s.r.Head()
	if err != nil {
		return nil, err
	}
	if !head.IsZero() {
		out = append(out, refs.Ref{Name: refs.HEAD, ID: head, Target: branch})
	}
	return out, nil
}

func (s indexSource) ReadCommit(id objects.ID) (*objects.Commit, error) { return s.r.ReadCommit(id) }
func (s indexSource) ReadRun(id objects.ID) (*objects.Run, error)       { return s.r.ReadRun(id) }

// onlyDamaged reports whether err consists of *refs.DamagedError only.
func onlyDamaged(err error) bool {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var de *refs.DamagedError
		if !errors.As(e, &de) {
			return false
		}
	}
	return true
}

// cellText renders a value for the table and CSV: NULL as "" (the table
// shows it as NULL), REAL with a decimal point so it reads as one, text as
// it is, a blob as text when it is UTF-8 and as x'…' hex otherwise.
func cellText(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return formatReal(t)
	case string:
		return t
	case []byte:
		if utf8.Valid(t) {
			return string(t)
		}
		return "x'" + hex.EncodeToString(t) + "'"
	case bool:
		return strconv.FormatBool(t)
	}
	return fmt.Sprint(v)
}

// formatReal writes a REAL in its shortest round-trip form, with ".0" when
// it would otherwise read as an integer.
func formatReal(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	case math.IsNaN(f):
		return "NaN"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

var tableEscaper = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`)

// writeRowsTable prints rows as aligned columns: numbers right-aligned,
// NULL shown as NULL, line breaks and tabs inside values escaped. The
// header is styled when colour is on; the last column is not padded.
func writeRowsTable(e *env, rows *index.Rows, header bool) error {
	n := len(rows.Columns)
	cells := make([][]string, 0, len(rows.Values)+1)
	if header {
		cells = append(cells, rows.Columns)
	}
	// A column is right-aligned when it holds numbers and nothing else
	// (NULL aside).
	numbers, others := make([]bool, n), make([]bool, n)
	for _, vals := range rows.Values {
		line := make([]string, n)
		for i, v := range vals {
			switch v.(type) {
			case int64, float64:
				numbers[i] = true
			case nil:
			default:
				others[i] = true
			}
			if v == nil {
				line[i] = "NULL"
			} else {
				line[i] = tableEscaper.Replace(cellText(v))
			}
		}
		cells = append(cells, line)
	}
	numeric := make([]bool, n)
	for i := range numeric {
		numeric[i] = numbers[i] && !others[i]
	}
	widths := make([]int, n)
	for _, line := range cells {
		for i, c := range line {
			widths[i] = max(widths[i], lipgloss.Width(c))
		}
	}
	var b bytes.Buffer
	for li, line := range cells {
		isHeader := header && li == 0
		var out strings.Builder
		for i, c := range line {
			if i > 0 {
				out.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-lipgloss.Width(c))
			styled := c
			switch {
			case isHeader:
				styled = e.styles.Heading.Render(c)
			case rows.Values[li-boolInt(header)][i] == nil:
				styled = e.styles.Dim.Render(c)
			}
			if numeric[i] {
				out.WriteString(pad + styled)
			} else if i < n-1 {
				out.WriteString(styled + pad)
			} else {
				out.WriteString(styled)
			}
		}
		b.WriteString(strings.TrimRight(out.String(), " "))
		b.WriteByte('\n')
	}
	_, err := e.out.Write(b.Bytes())
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeRowsCSV prints rows as CSV; NULL is an empty field.
func writeRowsCSV(w io.Writer, rows *index.Rows, header bool) error {
	cw := csv.NewWriter(w)
	if header {
		if err := cw.Write(rows.Columns); err != nil {
			return err
		}
	}
	rec := make([]string, len(rows.Columns))
	for _, vals := range rows.Values {
		for i, v := range vals {
			rec[i] = cellText(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeRowsJSON prints rows as a JSON array of objects whose keys are the
// column names in order (a repeated name gets a suffix: name, name_2).
// Integers and reals are numbers, NULL is null.
func writeRowsJSON(w io.Writer, rows *index.Rows) error {
	keys := make([][]byte, len(rows.Columns))
	used := map[string]bool{}
	for i, c := range rows.Columns {
		k := c
		for n := 2; used[k]; n++ {
			k = c + "_" + strconv.Itoa(n)
		}
		used[k] = true
		keys[i], _ = json.Marshal(k)
	}
	var b bytes.Buffer
	if len(rows.Values) == 0 {
		b.WriteString("[]\n")
	} else {
		b.WriteString("[\n")
		for ri, vals := range rows.Values {
			b.WriteString("  {")
			for i, v := range vals {
				if i > 0 {
					b.WriteString(",")
				}
				b.WriteString("\n    ")
				b.Write(keys[i])
				b.WriteString(": ")
				b.WriteString(jsonValue(v))
			}
			if len(vals) > 0 {
				b.WriteString("\n  ")
			}
			b.WriteString("}")
			if ri < len(rows.Values)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("]\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func jsonValue(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return strconv.Quote(formatReal(t))
		}
		return strconv.FormatFloat(t, 'g', -1, 64)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(cellText(v))
	return strings.TrimSuffix(b.String(), "\n")
}
