package dataset

import (
	"bytes"
	"sync"
	"testing"
)

// benchCSV is a generated CSV of about 20 MB, built once.
var benchCSV = sync.OnceValue(func() []byte { return genCSV(20 << 20) })

func BenchmarkProfileCSV(b *testing.B) {
	data := benchCSV()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := ProfileReader(bytes.NewReader(data), "bench.csv", nil)
		if err != nil || p.Warning != "" {
			b.Fatalf("ProfileReader: %v, warning %q", err, p.Warning)
		}
	}
}
