package dataset

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// bom is the UTF-8 byte order mark some tools write at the start of a file.
const bom = "\ufeff"

// table is what readTable learned about a tabular file.
type table struct {
	rows    int64
	columns []Column
	warning string
}

// readTable parses src as CSV (format "csv") or TSV, stopping at the first
// parse error or at a record of more than maxRecord bytes before its line
// ending; either is reported as a warning. It stops early, too, on an error from src, which
// the caller finds in src.err. It does not read src to the end after a
// warning.
func readTable(src *source, format string, maxRecord int64) table {
	br := bufio.NewReaderSize(src, 64<<10)
	skipped := int64(0)
	src.limit = int64(len(bom)) - 1 // let Peek read the BOM and no more
	if b, _ := br.Peek(len(bom)); string(b) == bom {
		_, _ = br.Discard(len(bom)) // cannot fail: Peek buffered the bytes
		skipped = int64(len(bom))
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	if format == "tsv" {
		cr.Comma = '\t'
		cr.LazyQuotes = true // TSV has no quoting convention; keep stray quotes literal
	}
	var cols []column
	var rows int64
	for {
		src.limit = skipped + cr.InputOffset() + maxRecord
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return table{rows: -1, warning: warning(err, rows, cols == nil, maxRecord)}
		}
		if cols == nil {
			cols = make([]column, len(rec))
			for i, name := range rec {
				cols[i].name = name
			}
			continue
		}
		rows++
		for i, f := range rec {
			cols[i].observe(f)
		}
	}
	src.limit = -1
	return table{rows: rows, columns: columns(cols)}
}

// columns returns the public summary of cols; nil for nil.
func columns(cols []column) []Column {
	if cols == nil {
		return nil
	}
	out := make([]Column, len(cols))
	for i := range cols {
		out[i] = Column{Name: cols[i].name, Type: cols[i].typ()}
	}
	return out
}

// warning describes a parse failure after rows data rows.
func warning(err error, rows int64, inHeader bool, maxRecord int64) string {
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
		return fmt.Sprintf("line %d: %v", pe.Line, pe.Err)
	case errors.As(err, &pe):
		return fmt.Sprintf("line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	case errors.Is(err, errRecordTooLong) && inHeader:
		return fmt.Sprintf("header: record longer than %d bytes", maxRecord)
	case errors.Is(err, errRecordTooLong):
		return fmt.Sprintf("data row %d: record longer than %d bytes", rows+1, maxRecord)
	}
	return err.Error()
}
