package fs

import (
	"errors"
	"os"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// writeTemp writes data to a new file in dir, fsyncs and closes it, and
// returns its path. The caller renames or links it into place.
func writeTemp(dir, pattern string, data []byte, durable bool) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	name := f.Name()
	_, err = f.Write(data)
	if err == nil && durable {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// syncDir fsyncs a directory so that entries created or renamed in it
// survive a power loss.
func syncDir(dir string) error {
	return syncDirIf(dir, true)
}

func syncDirIf(dir string, durable bool) error {
	if !durable {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// readFile reads a whole file with the fewest system calls. Most objects
// are small: one read into a pooled buffer that comes back short is the
// whole file (a short read of a regular file means end of file), so open,
// read, close. Larger files continue with fstat and further reads.
func readFile(path string) ([]byte, error) {
	return readFileAt(unix.AT_FDCWD, path)
}

// readFileAt is readFile of path relative to the directory dirfd.
func readFileAt(dirfd int, path string) ([]byte, error) {
	// O_NOATIME: reading history must not write inodes. It is refused
	// for files of other users; then open without it.
	flags := unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NOATIME
	fd, err := unix.Openat(dirfd, path, flags, 0)
	for errors.Is(err, syscall.EINTR) || errors.Is(err, syscall.EPERM) && flags&unix.O_NOATIME != 0 {
		if errors.Is(err, syscall.EPERM) {
			flags &^= unix.O_NOATIME
		}
		fd, err = unix.Openat(dirfd, path, flags, 0)
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	bp := smallBufs.Get().(*[]byte)
	defer smallBufs.Put(bp)
	small := *bp
	n, err := syscall.Read(fd, small)
	for errors.Is(err, syscall.EINTR) {
		n, err = syscall.Read(fd, small)
	}
	if err != nil {
		return nil, &os.PathError{Op: "read", Path: path, Err: err}
	}
	if n < len(small) {
		return append([]byte(nil), small[:n]...), nil
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	buf := make([]byte, max(st.Size, int64(n))+1)
	copy(buf, small)
	for {
		m, err := readFull(fd, buf[n:])
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		n += m
		if n < len(buf) {
			return buf[:n], nil
		}
		buf = append(buf, make([]byte, len(buf))...) // the file grew
	}
}

// readFull reads until buf is full or the file ends.
func readFull(fd int, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return n, err
		}
		if m == 0 {
			break
		}
		n += m
	}
	return n, nil
}

var smallBufs = sync.Pool{New: func() any { b := make([]byte, 8<<10); return &b }}

// parallel runs fn(0) … fn(n-1) on up to 8 goroutines and returns the
// first error. Independent fsyncs issued together let the file system
// commit them in one journal transaction.
func parallel(n int, fn func(i int) error) error {
	if n <= 1 {
		if n == 1 {
			return fn(0)
		}
		return nil
	}
	workers := min(n, 8)
	errs := make(chan error, n)
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}
