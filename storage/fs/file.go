package fs

import (
	"os"
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
