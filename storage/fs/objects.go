package fs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

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

// compressMin is the size below which objects are stored raw: small
// metadata objects (commits) gain little from compression, and reading
// them raw keeps history fast.
const compressMin = 1024

type objectStore struct {
	dir   string // .../objects
	tmp   string // .../tmp
	enc   *zstd.Encoder
	dec   *zstd.Decoder
	zOnce struct{ enc, dec sync.Once }

	durable bool

	fanMu sync.Mutex
	fans  [256]int // open fan-out directories, 0 when not open

	npending atomic.Int64 // len(pending), read without the lock on the read path

	mu      sync.Mutex
	dirty   map[string]bool // directories whose entries must be fsynced by Sync
	pending map[objects.ID]pendingObject
}

func newObjectStore(root string, durable bool) (*objectStore, error) {
	return &objectStore{
		dir: filepath.Join(root, "objects"), tmp: filepath.Join(root, "tmp"),
		dirty: map[string]bool{}, durable: durable,
		pending: map[objects.ID]pendingObject{},
	}, nil
}

// encoder and decoder are made on first use: commands that only read
// small (raw) objects, like log, never pay for zstd's tables.
func (s *objectStore) encoder() *zstd.Encoder {
	s.zOnce.enc.Do(func() {
		s.enc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	})
	return s.enc
}

func (s *objectStore) decoder() *zstd.Decoder {
	s.zOnce.dec.Do(func() {
		s.dec, _ = zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxObjectSize), zstd.WithDecoderConcurrency(0))
	})
	return s.dec
}

func (s *objectStore) closeCodecs() {
	if s.enc != nil {
		s.enc.Close()
	}
	if s.dec != nil {
		s.dec.Close()
	}
}

func (s *objectStore) path(id objects.ID) (dir, file string) {
	hex := id.String()
	dir = filepath.Join(s.dir, hex[:2])
	return dir, filepath.Join(dir, hex[2:])
}

// readLoose reads a loose object file relative to its fan-out directory,
// whose descriptor is kept open: resolving one path component instead of
// four matters when history reads one object per line.
func (s *objectStore) readLoose(id objects.ID) ([]byte, error) {
	hex := id.String()
	fd, err := s.fanDir(id[0])
	if err == nil {
		data, err := readFileAt(fd, hex[2:])
		if !errors.Is(err, fs.ErrNotExist) {
			return data, err
		}
	}
	_, p := s.path(id) // the directory may be new since it was opened
	return readFile(p)
}

// fanDir returns an open descriptor of the fan-out directory for ids that
// start with b.
func (s *objectStore) fanDir(b byte) (int, error) {
	s.fanMu.Lock()
	defer s.fanMu.Unlock()
	if fd := s.fans[b]; fd > 0 {
		return fd, nil
	}
	fd, err := syscall.Open(filepath.Join(s.dir, fmt.Sprintf("%02x", b)), syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	s.fans[b] = fd
	return fd, nil
}

func (s *objectStore) closeFans() {
	s.fanMu.Lock()
	defer s.fanMu.Unlock()
	for i, fd := range s.fans {
		if fd > 0 {
			syscall.Close(fd)
			s.fans[i] = 0
		}
	}
}

func (s *objectStore) Has(id objects.ID) (bool, error) {
	s.mu.Lock()
	_, queued := s.pending[id]
	s.mu.Unlock()
	if queued {
		return true, nil
	}
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
	var po pendingObject
	queued := false
	if s.npending.Load() > 0 {
		s.mu.Lock()
		po, queued = s.pending[id]
		s.mu.Unlock()
	}
	var stored []byte
	var err error
	if queued {
		stored, err = readFile(po.file.Name())
	} else {
		stored, err = s.readLoose(id)
	}
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
		return s.decoder().DecodeAll(stored[1:], nil)
	}
	return nil, fmt.Errorf("unknown encoding byte %d", stored[0])
}

func (s *objectStore) encode(data []byte) []byte {
	if len(data) >= compressMin {
		out := make([]byte, 1, len(data)/2+16)
		out[0] = encodingZstd
		out = s.encoder().EncodeAll(data, out)
		if len(out) < len(data)-len(data)/32 {
			return out
		}
	}
	out := make([]byte, 1+len(data))
	out[0] = encodingRaw
	copy(out[1:], data)
	return out
}

// Put writes data to a temporary file and queues it; Sync makes queued
// objects durable and visible together, so a commit pays for its fsyncs in
// one parallel batch rather than one after another.
func (s *objectStore) Put(data []byte) (objects.ID, error) {
	id := objects.Hash(data)
	dir, p := s.path(id)
	s.mu.Lock()
	_, queued := s.pending[id]
	s.mu.Unlock()
	if queued {
		return id, nil
	}
	if _, err := os.Lstat(p); err == nil {
		return id, nil
	}
	if err := s.ensureDir(dir); err != nil {
		return id, err
	}
	f, err := os.CreateTemp(s.tmp, "obj-")
	if err != nil {
		return id, fmt.Errorf("write object %s: %w", id.Short(), err)
	}
	if _, err := f.Write(s.encode(data)); err != nil {
		f.Close()
		os.Remove(f.Name())
		return id, fmt.Errorf("write object %s: %w", id.Short(), err)
	}
	s.mu.Lock()
	s.pending[id] = pendingObject{file: f, final: p, dir: dir}
	s.npending.Store(int64(len(s.pending)))
	full := len(s.pending) >= maxPending
	s.mu.Unlock()
	if full {
		return id, s.flush()
	}
	return id, nil
}

// maxPending bounds the queued objects (and so the open files) before
// Put flushes them itself.
const maxPending = 64

type pendingObject struct {
	file  *os.File // the temporary file, still open
	final string
	dir   string
}

// flush fsyncs the queued temporary files in parallel and links each to
// its final name. Link, not rename: an existing object is never replaced.
func (s *objectStore) flush() error {
	s.mu.Lock()
	batch := s.pending
	s.pending = map[objects.ID]pendingObject{}
	s.npending.Store(0)
	s.mu.Unlock()
	list := make([]pendingObject, 0, len(batch))
	for _, po := range batch {
		list = append(list, po)
	}
	defer func() {
		for _, po := range list {
			os.Remove(po.file.Name())
		}
	}()
	err := parallel(len(list), func(i int) error {
		po := list[i]
		var err error
		if s.durable {
			err = po.file.Sync()
		}
		if cerr := po.file.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Link(po.file.Name(), po.final)
			if errors.Is(err, fs.ErrExist) {
				err = nil
			}
		}
		if err != nil {
			return fmt.Errorf("write object %s: %w", filepath.Base(po.dir)+filepath.Base(po.final), err)
		}
		s.markDirty(po.dir)
		return nil
	})
	return err
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

// Sync flushes the queued objects and fsyncs every directory that gained
// an entry, in parallel.
func (s *objectStore) Sync() error {
	if err := s.flush(); err != nil {
		return err
	}
	s.mu.Lock()
	dirs := make([]string, 0, len(s.dirty))
	for d := range s.dirty {
		dirs = append(dirs, d)
	}
	s.dirty = map[string]bool{}
	s.mu.Unlock()
	return parallel(len(dirs), func(i int) error {
		if err := syncDirIf(dirs[i], s.durable); err != nil {
			return fmt.Errorf("sync %s: %w", dirs[i], err)
		}
		return nil
	})
}

func (s *objectStore) List(prefix string, fn func(objects.ID) error) error {
	// Queued objects first (they are not in the fan-out directories yet).
	s.mu.Lock()
	var queued []objects.ID
	for id := range s.pending {
		if strings.HasPrefix(id.String(), prefix) {
			queued = append(queued, id)
		}
	}
	s.mu.Unlock()
	seen := map[objects.ID]bool{}
	for _, id := range queued {
		seen[id] = true
		if err := fn(id); err != nil {
			return err
		}
	}
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
			if err != nil || seen[id] {
				continue // not an object file, or listed already
			}
			if err := fn(id); err != nil {
				return err
			}
		}
	}
	return nil
}
