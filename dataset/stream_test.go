package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// genCSV returns a well-formed CSV of about size bytes with columns of
// every type.
func genCSV(size int) []byte {
	var b bytes.Buffer
	b.WriteString("id,score,ok,label,note\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%d,%d.%03d,%t,item-%d,\"a, \"\"quoted\"\"\nnote\"\n", i, i%97, i%1000, i%3 == 0, i)
	}
	return b.Bytes()
}

func TestProfileHashAndCopy(t *testing.T) {
	big := genCSV(1 << 20)
	inputs := []struct {
		name, file string
		data       []byte
	}{
		{"small csv", "d.csv", []byte("a,b\n1,2\n")},
		{"ragged csv", "d.csv", []byte("a,b\n1\n" + strings.Repeat("2,3\n", 50000))},
		{"large csv", "d.csv", big},
		{"large non-tabular", "d.bin", big},
		{"empty", "d.csv", nil},
	}
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"plain", func(r io.Reader) io.Reader { return r }},
		{"one byte", iotest.OneByteReader},
		{"half", iotest.HalfReader},
		{"data with EOF", iotest.DataErrReader},
	}
	for _, in := range inputs {
		for _, rd := range readers {
			t.Run(in.name+"/"+rd.name, func(t *testing.T) {
				var copied bytes.Buffer
				p, err := ProfileReader(rd.wrap(bytes.NewReader(in.data)), in.file, &copied)
				if err != nil {
					t.Fatalf("ProfileReader: %v", err)
				}
				sum := sha256.Sum256(in.data)
				if want := hex.EncodeToString(sum[:]); p.SHA256 != want {
					t.Errorf("SHA256 = %s, want %s", p.SHA256, want)
				}
				if p.Size != int64(len(in.data)) {
					t.Errorf("Size = %d, want %d", p.Size, len(in.data))
				}
				if !bytes.Equal(copied.Bytes(), in.data) {
					t.Errorf("copy received %d bytes differing from the %d input bytes", copied.Len(), len(in.data))
				}
			})
		}
	}
}

func TestProfileLargeCSV(t *testing.T) {
	data := genCSV(1 << 20)
	p, err := ProfileReader(bytes.NewReader(data), "d.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := cols("id", "int", "score", "float", "ok", "bool", "label", "string", "note", "string")
	if p.Warning != "" || p.Rows != int64(bytes.Count(data, []byte("\n"))-1)/2 || !reflect.DeepEqual(p.Columns, want) {
		t.Errorf("got Rows %d, Warning %q, Columns %v", p.Rows, p.Warning, p.Columns)
	}
}

// failWriter accepts ok bytes, then fails.
type failWriter struct {
	ok    int
	short bool // fail with a short write and no error
}

var errWrite = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) <= w.ok {
		w.ok -= len(p)
		return len(p), nil
	}
	n := w.ok
	w.ok = 0
	if w.short {
		return n, nil
	}
	return n, errWrite
}

func TestProfileErrors(t *testing.T) {
	errRead := errors.New("connection reset")
	csvData := "a,b\n" + strings.Repeat("1,2\n", 100000)
	tests := []struct {
		name string
		file string
		r    io.Reader
		copy io.Writer
		want error
	}{
		{"copy fails at once", "d.csv", strings.NewReader(csvData), &failWriter{}, errWrite},
		{"copy fails later", "d.csv", strings.NewReader(csvData), &failWriter{ok: 100000}, errWrite},
		{"copy fails non-tabular", "d.bin", strings.NewReader(csvData), &failWriter{ok: 10}, errWrite},
		{"copy fails after warning", "d.csv", strings.NewReader("a\n1,2\n" + csvData), &failWriter{ok: 100000}, errWrite},
		{"short write", "d.csv", strings.NewReader(csvData), &failWriter{ok: 5, short: true}, io.ErrShortWrite},
		{"read fails csv", "d.csv", io.MultiReader(strings.NewReader("a,b\n1,2\n"), iotest.ErrReader(errRead)), nil, errRead},
		{"read fails in quotes", "d.csv", io.MultiReader(strings.NewReader("a,b\n1,\"x"), iotest.ErrReader(errRead)), nil, errRead},
		{"read fails at start", "d.csv", iotest.ErrReader(errRead), nil, errRead},
		{"read fails non-tabular", "d.bin", io.MultiReader(strings.NewReader("xyz"), iotest.ErrReader(errRead)), nil, errRead},
		{"read fails after warning", "d.csv", io.MultiReader(strings.NewReader("a\n1,2\n"), iotest.ErrReader(errRead)), nil, errRead},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ProfileReader(tt.r, tt.file, tt.copy)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ProfileReader error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.file) {
				t.Errorf("error %q does not name %s", err, tt.file)
			}
			if !reflect.DeepEqual(p, Profile{}) {
				t.Errorf("Profile = %+v, want zero on error", p)
			}
		})
	}
}

func TestProfileFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "train.CSV")
	data := []byte("x,y\n1,a\n2,b\n")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var copied bytes.Buffer
	got, err := ProfileFile(path, &copied)
	if err != nil {
		t.Fatalf("ProfileFile: %v", err)
	}
	want, err := ProfileReader(bytes.NewReader(data), "train.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || !bytes.Equal(copied.Bytes(), data) {
		t.Errorf("ProfileFile = %+v, copied %q; want %+v, %q", got, copied.Bytes(), want, data)
	}

	if _, err := ProfileFile(filepath.Join(dir, "missing.csv"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ProfileFile(missing) error = %v, want os.ErrNotExist", err)
	}
	if _, err := ProfileFile(dir, nil); err == nil {
		t.Errorf("ProfileFile(directory) succeeded, want error")
	}
}
