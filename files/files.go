package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/restic/chunker"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/storage"
)

// Polynomial is the fixed irreducible polynomial of the chunker. It is part
// of the format: changing it would change every chunk boundary.
const Polynomial = chunker.Pol(0x3DA3358B4DC173)

// ErrMismatch is returned by Restore when the restored bytes do not hash to
// the manifest's SHA-256.
var ErrMismatch = errors.New("restored content does not match the recorded SHA-256")

// Store reads r to the end, stores its chunks and manifest in objs, and
// returns the manifest and its ID. Memory use is bounded by the largest
// chunk (8 MiB), whatever the size of the input.
func Store(objs storage.Objects, r io.Reader) (objects.ID, *objects.File, error) {
	whole := sha256.New()
	c := chunker.New(io.TeeReader(r, whole), Polynomial)
	buf := make([]byte, chunker.MaxSize)
	f := &objects.File{}
	for {
		ch, err := c.Next(buf)
		if err == io.EOF {
			break
		}
		if err != nil {
			return objects.ID{}, nil, fmt.Errorf("read: %w", err)
		}
		id, err := objs.Put(ch.Data)
		if err != nil {
			return objects.ID{}, nil, err
		}
		f.Chunks = append(f.Chunks, objects.Chunk{ID: id, Size: int64(ch.Length)})
		f.Size += int64(ch.Length)
	}
	f.SHA256 = hex.EncodeToString(whole.Sum(nil))
	data, _, err := objects.Encode(f)
	if err != nil {
		return objects.ID{}, nil, err
	}
	id, err := objs.Put(data)
	return id, f, err
}

// ReadManifest reads and decodes the file manifest id.
func ReadManifest(objs storage.Objects, id objects.ID) (*objects.File, error) {
	data, err := objs.Get(id)
	if err != nil {
		return nil, err
	}
	f, err := objects.DecodeFile(data)
	if err != nil {
		return nil, &objects.CorruptError{ID: id, Reason: err.Error()}
	}
	return f, nil
}

// Restore writes the content of file id to w, chunk by chunk. Every chunk
// is verified as it is read; at the end the whole content is checked
// against the manifest's SHA-256.
func Restore(objs storage.Objects, id objects.ID, w io.Writer) error {
	f, err := ReadManifest(objs, id)
	if err != nil {
		return err
	}
	whole := sha256.New()
	out := io.MultiWriter(w, whole)
	for _, ch := range f.Chunks {
		data, err := objs.Get(ch.ID)
		if err != nil {
			return err
		}
		if int64(len(data)) != ch.Size {
			return &objects.CorruptError{ID: id, Reason: fmt.Sprintf("chunk %s has %d bytes, manifest says %d", ch.ID.Short(), len(data), ch.Size)}
		}
		if _, err := out.Write(data); err != nil {
			return err
		}
	}
	if hex.EncodeToString(whole.Sum(nil)) != f.SHA256 {
		return fmt.Errorf("file %s: %w", id.Short(), ErrMismatch)
	}
	return nil
}

// RestoreFile restores file id to path atomically: the content goes to a
// temporary file beside path, is verified and fsynced, and only then
// renamed to path. On any error path is left as it was.
func RestoreFile(objs storage.Objects, id objects.ID, path string, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".modeldb-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = Restore(objs, id, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
