package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func FuzzProfileReader(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"), "d.csv")
	f.Add([]byte("\ufeff\"a\",b\r\n1,\"x\ny\"\r\n"), "d.csv")
	f.Add([]byte("a\tb\n1\n"), "d.tsv")
	f.Add([]byte("a,b\n1,\"2\n"), "d.csv")
	f.Add([]byte{0, 1, 2, 0xff}, "d.bin")
	f.Add([]byte(""), "d.TAB")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		var copied bytes.Buffer
		p, err := ProfileReader(bytes.NewReader(data), name, &copied)
		if err != nil {
			t.Fatalf("ProfileReader: %v", err)
		}
		sum := sha256.Sum256(data)
		if p.SHA256 != hex.EncodeToString(sum[:]) || p.Size != int64(len(data)) {
			t.Errorf("SHA256, Size = %s, %d; want %x, %d", p.SHA256, p.Size, sum, len(data))
		}
		if !bytes.Equal(copied.Bytes(), data) {
			t.Errorf("copy received %d bytes, want the %d input bytes", copied.Len(), len(data))
		}
		if p.Rows < -1 {
			t.Errorf("Rows = %d, want >= -1", p.Rows)
		}
		if (p.Format == "" || p.Warning != "") && (p.Rows != -1 || p.Columns != nil) {
			t.Errorf("Format %q, Warning %q with Rows %d, Columns %v", p.Format, p.Warning, p.Rows, p.Columns)
		}
		if p.Format != "" && p.Warning == "" && p.Rows > 0 && p.Columns == nil {
			t.Errorf("%d rows but no columns", p.Rows)
		}
	})
}
