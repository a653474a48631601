package mem_test

import (
	"testing"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/storage"
	"github.com/modeldb/modeldb/storage/mem"
	"github.com/modeldb/modeldb/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, storagetest.Harness{
		New: func(t *testing.T) storage.Store { return mem.New() },
		Corrupt: func(t *testing.T, s storage.Store, id objects.ID) {
			s.(*mem.Store).Corrupt(id, []byte("flipped"))
		},
	})
}
