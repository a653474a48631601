package fs

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/modeldb/modeldb/objects"
	"github.com/modeldb/modeldb/refs"
)

const symbolicPrefix = "ref: "

type refStore struct {
	root    string // the .modeldb directory
	durable bool
}

func (s *refStore) refPath(name refs.Name) string {
	return filepath.Join(s.root, filepath.FromSlash(string(name)))
}

func (s *refStore) logPath(name refs.Name) string {
	return filepath.Join(s.root, "logs", filepath.FromSlash(string(name)))
}

func (s *refStore) Ref(name refs.Name) (refs.Ref, error) {
	if err := name.Validate(); err != nil {
		return refs.Ref{}, err
	}
	b, err := os.ReadFile(s.refPath(name))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.EISDIR) {
		return refs.Ref{}, fmt.Errorf("%s: %w", name, refs.ErrNotFound)
	}
	if err != nil {
		return refs.Ref{}, fmt.Errorf("read ref %s: %w", name, err)
	}
	r, err := parseRef(name, string(b))
	if err != nil {
		return r, &refs.DamagedError{Name: name, Err: err}
	}
	return r, nil
}

func parseRef(name refs.Name, content string) (refs.Ref, error) {
	content = strings.TrimSuffix(content, "\n")
	if t, ok := strings.CutPrefix(content, symbolicPrefix); ok {
		target := refs.Name(t)
		if err := target.Validate(); err != nil {
			return refs.Ref{}, err
		}
		return refs.Ref{Name: name, Target: target}, nil
	}
	id, err := objects.ParseID(content)
	if err != nil {
		return refs.Ref{}, err
	}
	return refs.Ref{Name: name, ID: id}, nil
}

func (s *refStore) Refs(prefix string) ([]refs.Ref, error) {
	var out []refs.Ref
	var damaged []error
	base := filepath.Join(s.root, "refs")
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		rel, _ := filepath.Rel(s.root, p)
		name := filepath.ToSlash(rel)
		if d.IsDir() {
			// Skip subtrees that cannot contain the prefix.
			if !strings.HasPrefix(name+"/", prefix) && !strings.HasPrefix(prefix, name+"/") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasPrefix(name, prefix) || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		r, err := s.Ref(refs.Name(name))
		var de *refs.DamagedError
		if errors.As(err, &de) {
			damaged = append(damaged, err) // keep listing the others
			return nil
		}
		if err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if err == nil {
		err = errors.Join(damaged...)
	}
	return out, err
}

func (s *refStore) Update(who string, updates ...refs.Update) error {
	for _, u := range updates {
		if err := u.Name.Validate(); err != nil {
			return err
		}
	}
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	olds := make([]objects.ID, len(updates))
	for i, u := range updates {
		cur, err := s.Ref(u.Name)
		if err != nil && !errors.Is(err, refs.ErrNotFound) {
			return err
		}
		olds[i] = cur.ID
		if u.Old != nil && *u.Old != cur.ID {
			return &refs.ConflictError{Name: u.Name, Expected: *u.Old, Actual: cur.ID}
		}
	}
	return s.apply(who, updates, olds)
}

// apply writes the updates of a transaction whose checks passed, in two
// rounds of fsyncs: first every new value to a temporary file and every
// reflog line, all fsynced together; then the renames, and the
// directories fsynced together. As in git, the reflog line is written
// before the reference moves: after a crash between the two it describes a
// change that did not happen, which is harmless (its objects exist).
func (s *refStore) apply(who string, updates []refs.Update, olds []objects.ID) error {
	tmps := make([]string, len(updates))
	now := time.Now()
	err := parallel(2*len(updates), func(k int) error {
		i, u := k/2, updates[k/2]
		if k%2 == 1 {
			if u.Target != "" || strings.HasPrefix(string(u.Name), refs.RunsPrefix) {
				return nil // symbolic refs and run names keep no reflog
			}
			return s.appendLog(u.Name, refs.LogEntry{Old: olds[i], New: u.New, Who: who, Time: now, Message: u.Message})
		}
		if u.New.IsZero() && u.Target == "" {
			return nil // a deletion
		}
		content := u.New.String() + "\n"
		if u.Target != "" {
			content = symbolicPrefix + string(u.Target) + "\n"
		}
		dir := filepath.Dir(s.refPath(u.Name))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("write ref %s: %w", u.Name, err)
		}
		tmp, err := writeTemp(dir, ".tmp-", []byte(content), s.durable)
		if err != nil {
			return fmt.Errorf("write ref %s: %w", u.Name, err)
		}
		tmps[i] = tmp
		return nil
	})
	defer func() {
		for _, t := range tmps {
			if t != "" {
				os.Remove(t)
			}
		}
	}()
	if err != nil {
		return err
	}
	dirs := map[string]bool{}
	for i, u := range updates {
		p := s.refPath(u.Name)
		dirs[filepath.Dir(p)] = true
		if tmps[i] == "" {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("delete ref %s: %w", u.Name, err)
			}
			continue
		}
		if err := os.Rename(tmps[i], p); err != nil {
			return fmt.Errorf("write ref %s: %w", u.Name, err)
		}
		tmps[i] = ""
	}
	dirList := make([]string, 0, len(dirs))
	for d := range dirs {
		dirList = append(dirList, d)
	}
	return parallel(len(dirList), func(i int) error { return syncDirIf(dirList[i], s.durable) })
}

// lock takes the repository's reference lock. flock(2) is released by the
// kernel when the process dies, so a killed writer never leaves a stale lock.
func (s *refStore) lock() (func(), error) {
	f, err := os.OpenFile(filepath.Join(s.root, "refs.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock refs: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock refs: %w", err)
	}
	return func() { f.Close() }, nil
}

func (s *refStore) appendLog(name refs.Name, e refs.LogEntry) error {
	p := s.logPath(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write reflog of %s: %w", name, err)
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("write reflog of %s: %w", name, err)
	}
	_, err = f.WriteString(e.Format())
	if err == nil && s.durable {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write reflog of %s: %w", name, err)
	}
	return nil
}

func (s *refStore) Reflog(name refs.Name) ([]refs.LogEntry, error) {
	if err := name.Validate(); err != nil {
		return nil, err
	}
	f, err := os.Open(s.logPath(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []refs.LogEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		e, err := refs.ParseLogEntry(sc.Text())
		if err != nil {
			// A torn last line from a crash is not history; stop there.
			break
		}
		out = append(out, e)
	}
	return out, sc.Err()
}
