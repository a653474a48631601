package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

// cols builds a column list from alternating names and types.
func cols(nameType ...string) []Column {
	c := make([]Column, 0, len(nameType)/2)
	for i := 0; i+1 < len(nameType); i += 2 {
		c = append(c, Column{Name: nameType[i], Type: nameType[i+1]})
	}
	return c
}

func TestProfileReader(t *testing.T) {
	tests := []struct {
		name  string // test case
		file  string // name passed to ProfileReader
		input string
		want  Profile // SHA256 and Size are filled in from input
	}{
		{"types", "d.csv", "i,f,b,s,e\n1,1.5,true,x,\n-2,1e-3,FALSE,y,\n+3,2,True,3,\n",
			Profile{Format: "csv", Rows: 3, Columns: cols("i", "int", "f", "float", "b", "bool", "s", "string", "e", "empty")}},
		{"int then float", "d.csv", "a\n1\n2.5\n", Profile{Format: "csv", Rows: 2, Columns: cols("a", "float")}},
		{"float then string", "d.csv", "a\n2.5\nabc\n", Profile{Format: "csv", Rows: 2, Columns: cols("a", "string")}},
		{"int and bool", "d.csv", "a\n1\ntrue\n", Profile{Format: "csv", Rows: 2, Columns: cols("a", "string")}},
		{"bool then int", "d.csv", "a\nfalse\n0\n", Profile{Format: "csv", Rows: 2, Columns: cols("a", "string")}},
		{"ParseFloat words", "d.csv", "a\nNaN\n1.5\n-Inf\n", Profile{Format: "csv", Rows: 3, Columns: cols("a", "float")}},
		{"int64 overflow", "d.csv", "a,b\n99999999999999999999,1e999\n", Profile{Format: "csv", Rows: 1, Columns: cols("a", "float", "b", "float")}},
		{"blanks and spaces", "d.csv", "a,b\n 1 ,\n,  \n2,\n", Profile{Format: "csv", Rows: 3, Columns: cols("a", "int", "b", "empty")}},
		{"BOM", "d.csv", "\ufeffid,name\n1,a\n", Profile{Format: "csv", Rows: 1, Columns: cols("id", "int", "name", "string")}},
		{"BOM before quoted header", "d.csv", "\ufeff\"id\",name\n1,a\n", Profile{Format: "csv", Rows: 1, Columns: cols("id", "int", "name", "string")}},
		{"CRLF", "d.csv", "a,b\r\n1,true\r\n2,false\r\n", Profile{Format: "csv", Rows: 2, Columns: cols("a", "int", "b", "bool")}},
		{"quoted fields", "d.csv", "id,text\n1,\"hello\nworld\"\n2,\"say \"\"hi\"\", ok\"\n",
			Profile{Format: "csv", Rows: 2, Columns: cols("id", "int", "text", "string")}},
		{"quoted numbers", "d.csv", "a\n\"1\"\n\"2\"\n", Profile{Format: "csv", Rows: 2, Columns: cols("a", "int")}},
		{"blank lines", "d.csv", "a\n\n1\n\n2\n\n", Profile{Format: "csv", Rows: 2, Columns: cols("a", "int")}},
		{"no final newline", "d.csv", "a,b\n1,2", Profile{Format: "csv", Rows: 1, Columns: cols("a", "int", "b", "int")}},
		{"ragged row", "d.csv", "a,b\n1,2\n3\n4,5\n", Profile{Format: "csv", Rows: -1, Warning: "line 3: wrong number of fields"}},
		{"ragged header", "d.csv", "a\n1,2\n", Profile{Format: "csv", Rows: -1, Warning: "line 2: wrong number of fields"}},
		{"bare quote", "d.csv", "a,b\n1,x\"y\n", Profile{Format: "csv", Rows: -1, Warning: "line 2, column 4: bare \" in non-quoted-field"}},
		{"unterminated quote", "d.csv", "a,b\n1,\"xy\n2,3\n", Profile{Format: "csv", Rows: -1, Warning: "line 3, column 5: extraneous or missing \" in quoted-field"}},
		{"empty", "d.csv", "", Profile{Format: "csv"}},
		{"BOM only", "d.csv", "\ufeff", Profile{Format: "csv"}},
		{"newlines only", "d.csv", "\n\r\n\n", Profile{Format: "csv"}},
		{"header only", "d.csv", "a,b\n", Profile{Format: "csv", Columns: cols("a", "empty", "b", "empty")}},
		{"header only, no newline", "d.csv", "a,b", Profile{Format: "csv", Columns: cols("a", "empty", "b", "empty")}},
		{"upper-case extension", "D.CSV", "a\n1\n", Profile{Format: "csv", Rows: 1, Columns: cols("a", "int")}},
		{"tsv", "d.tsv", "a\tb\n1\tx, y\n2\tz\n", Profile{Format: "tsv", Rows: 2, Columns: cols("a", "int", "b", "string")}},
		{"tsv stray quotes", "d.tsv", "a\tb\n1,5\t5\" screen\n", Profile{Format: "tsv", Rows: 1, Columns: cols("a", "string", "b", "string")}},
		{"tab extension", "d.Tab", "a\tb\n1\t2\n", Profile{Format: "tsv", Rows: 1, Columns: cols("a", "int", "b", "int")}},
		{"tsv ragged", "d.tsv", "a\tb\n1\n", Profile{Format: "tsv", Rows: -1, Warning: "line 2: wrong number of fields"}},
		{"binary", "model.bin", "\x00\x01a,b\n", Profile{Rows: -1}},
		{"no extension", "data", "a,b\n1,2\n", Profile{Rows: -1}},
		{"compressed csv", "d.csv.gz", "a,b\n1,2\n", Profile{Rows: -1}},
		{"empty non-tabular", "x.json", "", Profile{Rows: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := sha256.Sum256([]byte(tt.input))
			tt.want.SHA256 = hex.EncodeToString(sum[:])
			tt.want.Size = int64(len(tt.input))
			got, err := ProfileReader(strings.NewReader(tt.input), tt.file, nil)
			if err != nil {
				t.Fatalf("ProfileReader: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ProfileReader =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestRecordLimit(t *testing.T) {
	const limit = 8
	tests := []struct {
		name, input string
		wantRows    int64
		wantWarning string
	}{
		{"records at limit", "ab\n12345678\n12345678\n12345678\n", 3, ""},
		{"last record at limit without newline", "ab\n1\n12345678", 2, ""},
		{"record over limit", "ab\n1234567\n123456789\n1\n", -1, "data row 2: record longer than 8 bytes"},
		{"last record over limit without newline", "ab\n123456789", -1, "data row 1: record longer than 8 bytes"},
		{"header over limit", "abcdefghij\n1\n", -1, "header: record longer than 8 bytes"},
		{"unterminated quote", "ab\n1\n\"" + strings.Repeat("x\n", 100), -1, "data row 2: record longer than 8 bytes"},
		{"BOM not counted", "\ufeffabcdefg\n1\n", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var copied bytes.Buffer
			got, err := profile(strings.NewReader(tt.input), "d.csv", &copied, limit)
			if err != nil {
				t.Fatalf("profile: %v", err)
			}
			if got.Rows != tt.wantRows || got.Warning != tt.wantWarning {
				t.Errorf("Rows, Warning = %d, %q; want %d, %q", got.Rows, got.Warning, tt.wantRows, tt.wantWarning)
			}
			if got.Size != int64(len(tt.input)) || copied.String() != tt.input {
				t.Errorf("Size %d, copied %d bytes; want all %d", got.Size, copied.Len(), len(tt.input))
			}
		})
	}
}
