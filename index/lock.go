package index

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// The index file's lock (FileName + ".lock", flock(2)) lets a process
// replace the index file safely. Every open Index holds it shared; a
// process that builds the file from scratch holds it exclusively, so it
// knows that no other modeldb process has the old file open. That
// matters because SQLite names a database's WAL files after the
// database's path: a process still on a replaced file would write into,
// or delete, the WAL files of the new one.

// errRebuilding is returned when the lock stays taken exclusively (by a
// build) for as long as a shared hold waits.
var errRebuilding = errors.New("another modeldb process is rebuilding the index; try again when it has finished")

// errInUse is returned when other processes keep the index open for as
// long as an exclusive hold waits.
var errInUse = errors.New("another modeldb process has kept the index open too long to rebuild it; try again")

type fileLock struct{ f *os.File }

func openLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &fileLock{f}, nil
}

// shared takes (or turns an exclusive hold into) a shared hold, waiting
// up to timeout.
func (l *fileLock) shared(timeout time.Duration) error {
	return l.take(unix.LOCK_SH, timeout, errRebuilding)
}

// exclusive takes (or turns a shared hold into) an exclusive hold,
// waiting up to timeout. Turning a shared hold into an exclusive one
// releases the shared hold first, so two processes doing it at once do not
// wait for each other forever: one gets it, then the other.
func (l *fileLock) exclusive(timeout time.Duration) error {
	return l.take(unix.LOCK_EX, timeout, errInUse)
}

func (l *fileLock) take(how int, timeout time.Duration, timedOut error) error {
	deadline := time.Now().Add(timeout)
	wait := time.Millisecond
	for {
		err := unix.Flock(int(l.f.Fd()), how|unix.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) && !errors.Is(err, unix.EINTR) {
			return fmt.Errorf("lock %s: %w", l.f.Name(), err)
		}
		if time.Now().After(deadline) {
			return timedOut
		}
		time.Sleep(wait)
		wait = min(2*wait, 100*time.Millisecond)
	}
}

func (l *fileLock) close() error { return l.f.Close() } // closing releases the hold
