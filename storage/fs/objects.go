package fs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/storage"
)

// Encodings of a loose object file: the first byte says how the rest is stored.
const (
	encodingRaw  byte = 0
	encodingZstd byte = 1
)

// maxObjectSize bounds the decoded size of one object, so a hostile or
// damaged file cannot make a read allocate without limit.
const maxObjectSize = 256 << 20

// compressMin is the size below which objects are stored raw.
const compressMin = 128

type objectStore struct {
	dir string // .../objects
	tmp string // .../tmp
	enc *zstd.Encoder
	dec *zstd.Decoder

	durable bool

	mu    sync.Mutex
	dirty map[string]bool // directories whose entries must be fsynced by Sync
}

func newObjectStore(root string, durable bool) (*objectStore, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxObjectSize), zstd.WithDecoderConcurrency(0))
	if err != nil {
		return nil, err
	}
	return &objectStore{
		dir: filepath.Join(root, "objects"), tmp: filepath.Join(root, "tmp"),
		enc: enc, dec: dec, dirty: map[string]bool{}, durable: durable,
	}, nil
}

func (s *objectStore) path(id objects.ID) (dir, file string) {
	hex := id.String()
	dir = filepath.Join(s.dir, hex[:2])
	return dir, filepath.Join(dir, hex[2:])
}

func (s *objectStore) Has(id objects.ID) (bool, error) {
	_, p := s.path(id)
	_, err := os.Lstat(p)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return false, err
}

func (s *objectStore) Get(id objects.ID) ([]byte, error) {
	_, p := s.path(id)
	stored, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read object %s: %w", id, storage.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read object %s: %w", id, err)
	}
	data, err := s.decode(stored)
	if err != nil {
		return nil, &objects.CorruptError{ID: id, Reason: err.Error()}
	}
	if objects.Hash(data) != id {
		return nil, &objects.CorruptError{ID: id, Reason: "content does not match its id"}
	}
	return data, nil
}

func (s *objectStore) decode(stored []byte) ([]byte, error) {
	if len(stored) == 0 {
		return nil, errors.New("empty file")
	}
	switch stored[0] {
	case encodingRaw:
		return stored[1:], nil
	case encodingZstd:
		return s.dec.DecodeAll(stored[1:], nil)
	}
	return nil, fmt.Errorf("unknown encoding byte %d", stored[0])
}

func (s *objectStore) encode(data []byte) []byte {
	if len(data) >= compressMin {
		out := make([]byte, 1, len(data)/2+16)
		out[0] = encodingZstd
		out = s.enc.EncodeAll(data, out)
		if len(out) < len(data)-len(data)/32 {
			return out
		}
	}
	out := make([]byte, 1+len(data))
	out[0] = encodingRaw
	copy(out[1:], data)
	return out
}

func (s *objectStore) Put(data []byte) (objects.ID, error) {
	id := objects.Hash(data)
	dir, p := s.path(id)
	if _, err := os.Lstat(p); err == nil {
		return id, nil
	}
	if err := s.ensureDir(dir); err != nil {
		return id, err
	}
	tmp, err := writeTemp(s.tmp, "obj-", s.encode(data), s.durable)
	if err != nil {
		return id, fmt.Errorf("write object %s: %w", id.Short(), err)
	}
	defer os.Remove(tmp)
	// Link, not rename: an existing object is never replaced.
	if err := os.Link(tmp, p); err != nil && !errors.Is(err, fs.ErrExist) {
		return id, fmt.Errorf("write object %s: %w", id.Short(), err)
	}
	s.markDirty(dir)
	return id, nil
}

func (s *objectStore) ensureDir(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	s.markDirty(filepath.Dir(dir))
	return nil
}

func (s *objectStore) markDirty(dir string) {
	s.mu.Lock()
	s.dirty[dir] = true
	s.mu.Unlock()
}

func (s *objectStore) Sync() error {
	s.mu.Lock()
	dirs := s.dirty
	s.dirty = map[string]bool{}
	s.mu.Unlock()
	for d := range dirs {
		if err := syncDirIf(d, s.durable); err != nil {
			return fmt.Errorf("sync %s: %w", d, err)
		}
	}
	return nil
}

func (s *objectStore) List(prefix string, fn func(objects.ID) error) error {
	fans, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	for _, fan := range fans {
		name := fan.Name()
		if len(name) != 2 || !objects.IsHex(name) || !fan.IsDir() {
			continue
		}
		if len(prefix) >= 2 && name != prefix[:2] || len(prefix) == 1 && name[0] != prefix[0] {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(s.dir, name))
		if err != nil {
			return err
		}
		for _, e := range entries {
			hex := name + e.Name()
			if !strings.HasPrefix(hex, prefix) {
				continue
			}
			id, err := objects.ParseID(hex)
			if err != nil {
				continue // not an object file
			}
			if err := fn(id); err != nil {
				return err
			}
		}
	}
	return nil
}
