package files_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/modeldb/modeldb/files"
	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/storage/mem"
)

func randomBytes(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

func TestStoreRestoreRoundTrip(t *testing.T) {
	for _, size := range []int{0, 1, 1000, 3 << 20, 9 << 20} {
		s := mem.New()
		data := randomBytes(size, int64(size))
		id, f, err := files.Store(s, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if f.SHA256 != hex.EncodeToString(sum[:]) || f.Size != int64(size) {
			t.Fatalf("size %d: manifest %s/%d, want sha256sum %x", size, f.SHA256, f.Size, sum)
		}
		var out bytes.Buffer
		if err := files.Restore(s, id, &out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("size %d: restored bytes differ", size)
		}
	}
}

func TestInsertionSharesChunks(t *testing.T) {
	s := mem.New()
	base := randomBytes(16<<20, 1)
	_, a, _ := files.Store(s, bytes.NewReader(base))
	edited := append(append(append([]byte{}, base[:5<<20]...), []byte("inserted bytes")...), base[5<<20:]...)
	_, b, _ := files.Store(s, bytes.NewReader(edited))
	shared := map[objects.ID]bool{}
	for _, c := range a.Chunks {
		shared[c.ID] = true
	}
	n := 0
	for _, c := range b.Chunks {
		if shared[c.ID] {
			n++
		}
	}
	if n < len(b.Chunks)-2 {
		t.Fatalf("after an insertion only %d of %d chunks are shared", n, len(b.Chunks))
	}
}

func TestRestoreDetectsCorruptChunk(t *testing.T) {
	s := mem.New()
	id, f, _ := files.Store(s, bytes.NewReader(randomBytes(2<<20, 2)))
	s.Corrupt(f.Chunks[0].ID, []byte("bad"))
	dst := filepath.Join(t.TempDir(), "model.bin")
	os.WriteFile(dst, []byte("old content"), 0o644)
	err := files.RestoreFile(s, id, dst, 0o644)
	var ce *objects.CorruptError
	if !errors.As(err, &ce) || ce.ID != f.Chunks[0].ID {
		t.Fatalf("restore with corrupt chunk: %v", err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "old content" {
		t.Fatalf("failed restore changed the target: %q", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(dst))
	if len(entries) != 1 {
		t.Fatalf("failed restore left files behind: %v", entries)
	}
}
