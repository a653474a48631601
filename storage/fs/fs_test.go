package fs_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/storage"
	"github.com/modeldb/modeldb/storage/fs"
	"github.com/modeldb/modeldb/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, storagetest.Harness{
		New: func(t *testing.T) storage.Store {
			s, err := fs.Create(filepath.Join(t.TempDir(), ".modeldb"))
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		Corrupt: func(t *testing.T, s storage.Store, id objects.ID) {
			p := filepath.Join(s.(*fs.Store).Root(), "objects", id.String()[:2], id.String()[2:])
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)-1] ^= 0x01 // one flipped bit
			os.Chmod(p, 0o644)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		},
	})
}
