package cli_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/modeldb/modeldb/internal/cli"
)

var update = flag.Bool("update", false, "update the golden files in testdata/script when a cmp fails")

func TestMain(m *testing.M) {
	os.Exit(testscript.RunMain(m, map[string]func() int{
		"modeldb": func() int { return cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr) },
	}))
}

// TestScripts runs the end-to-end CLI scripts in testdata/script. Each
// script runs the real modeldb binary (this test binary, re-executed) in a
// fresh $WORK directory.
//
// Custom commands, besides the standard testscript ones:
//
//	exits N PROG [ARGS...]   run PROG and require exit status exactly N
//	lines FILE N             FILE (or stdout/stderr) has exactly N lines
//	sha256 FILE              print the SHA-256 of FILE in hex
//	envout VAR [REGEXP]      set $VAR to the trimmed last stdout, or to the
//	                         first group (else the match) of REGEXP in it
//	mkfile NAME SIZE SEED    write SIZE (K/M suffix: KiB/MiB) deterministic
//	                         pseudo-random bytes from SEED to NAME
//	corrupt PATH             flip the lowest bit of the last byte of PATH
//	corruptobj ID            corrupt the object file of ID in .modeldb
//	rmobj ID                 delete the object file of ID from .modeldb
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                "../../testdata/script",
		UpdateScripts:      *update,
		RequireUniqueNames: true,
		Setup: func(env *testscript.Env) error {
			home, err := os.MkdirTemp("", "modeldb-home-")
			if err != nil {
				return err
			}
			env.Defer(func() { os.RemoveAll(home) })
			env.Setenv("HOME", home)
			env.Setenv("MODELDB_AUTHOR", "Test User <test@example.com>")
			env.Setenv("NO_COLOR", "1")
			env.Setenv("TZ", "UTC")
			// Keep git (provenance) from reading the machine's configuration.
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":      cmdExits,
			"lines":      cmdLines,
			"sha256":     cmdSHA256,
			"envout":     cmdEnvout,
			"mkfile":     cmdMkfile,
			"corrupt":    cmdCorrupt,
			"corruptobj": cmdCorruptObj,
			"rmobj":      cmdRmObj,
			"setref":     cmdSetRef,
		},
	})
}

func noNeg(ts *testscript.TestScript, neg bool, name string) {
	if neg {
		ts.Fatalf("%s does not support negation", name)
	}
}

// exits N PROG [ARGS...] runs PROG like exec and checks its exit status.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "exits")
	if len(args) < 2 {
		ts.Fatalf("usage: exits N PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// lines FILE N checks the number of lines of FILE (stdout, stderr or a file).
func cmdLines(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: lines FILE N")
	}
	want, err := strconv.Atoi(args[1])
	if err != nil {
		ts.Fatalf("lines: bad count %q", args[1])
	}
	text := ts.ReadFile(args[0])
	got := strings.Count(text, "\n")
	if text != "" && !strings.HasSuffix(text, "\n") {
		got++
	}
	if (got == want) == neg {
		if neg {
			ts.Fatalf("%s has %d lines, want any other number", args[0], got)
		}
		ts.Fatalf("%s has %d lines, want %d:\n%s", args[0], got, want, text)
	}
}

// sha256 FILE prints the hex SHA-256 of FILE.
func cmdSHA256(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "sha256")
	if len(args) != 1 {
		ts.Fatalf("usage: sha256 FILE")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	sum := sha256.Sum256(data)
	fmt.Fprintf(ts.Stdout(), "%s\n", hex.EncodeToString(sum[:]))
}

// envout VAR [REGEXP] sets VAR from the last stdout.
func cmdEnvout(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "envout")
	if len(args) != 1 && len(args) != 2 {
		ts.Fatalf("usage: envout VAR [REGEXP]")
	}
	out := ts.ReadFile("stdout")
	val := strings.TrimSpace(out)
	if len(args) == 2 {
		re, err := regexp.Compile(`(?m)` + args[1])
		ts.Check(err)
		m := re.FindStringSubmatch(out)
		if m == nil {
			ts.Fatalf("envout: no match for %#q in stdout:\n%s", args[1], out)
		}
		val = m[0]
		if len(m) > 1 {
			val = m[1]
		}
	}
	if val == "" {
		ts.Fatalf("envout: empty value for %s", args[0])
	}
	ts.Setenv(args[0], val)
}

// mkfile NAME SIZE SEED writes deterministic pseudo-random bytes.
func cmdMkfile(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "mkfile")
	if len(args) != 3 {
		ts.Fatalf("usage: mkfile NAME SIZE SEED")
	}
	s, mult := args[1], int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		s, mult = strings.TrimSuffix(s, "K"), 1<<10
	case strings.HasSuffix(s, "M"):
		s, mult = strings.TrimSuffix(s, "M"), 1<<20
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		ts.Fatalf("mkfile: bad size %q", args[1])
	}
	seed, err := strconv.ParseUint(args[2], 10, 64)
	if err != nil {
		ts.Fatalf("mkfile: bad seed %q", args[2])
	}
	var key [32]byte
	copy(key[:], fmt.Sprintf("mkfile-%d", seed))
	data := make([]byte, n*mult)
	rand.NewChaCha8(key).Read(data)
	name := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(name), 0o777))
	ts.Check(os.WriteFile(name, data, 0o666))
}

// flipLastBit flips the lowest bit of the last byte of the file at p.
func flipLastBit(ts *testscript.TestScript, p string) {
	data, err := os.ReadFile(p)
	ts.Check(err)
	if len(data) == 0 {
		ts.Fatalf("corrupt: %s is empty", p)
	}
	data[len(data)-1] ^= 1
	st, err := os.Stat(p)
	ts.Check(err)
	ts.Check(os.Chmod(p, 0o600))
	ts.Check(os.WriteFile(p, data, 0o600))
	ts.Check(os.Chmod(p, st.Mode().Perm()))
}

func cmdCorrupt(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "corrupt")
	if len(args) != 1 {
		ts.Fatalf("usage: corrupt PATH")
	}
	flipLastBit(ts, ts.MkAbs(args[0]))
}

// objectFile returns the path of object id's file in the repository that
// contains the current directory: .modeldb/objects/<2 hex>/<62 hex>.
func objectFile(ts *testscript.TestScript, id string) string {
	if len(id) != 64 || strings.Trim(id, "0123456789abcdef") != "" {
		ts.Fatalf("%q is not a full object id", id)
	}
	dir := ts.MkAbs(".")
	for {
		if st, err := os.Stat(filepath.Join(dir, ".modeldb")); err == nil && st.IsDir() {
			return filepath.Join(dir, ".modeldb", "objects", id[:2], id[2:])
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			ts.Fatalf("no .modeldb above %s", ts.MkAbs("."))
		}
		dir = parent
	}
}

func cmdCorruptObj(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "corruptobj")
	if len(args) != 1 {
		ts.Fatalf("usage: corruptobj ID")
	}
	flipLastBit(ts, objectFile(ts, args[0]))
}

func cmdRmObj(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "rmobj")
	if len(args) != 1 {
		ts.Fatalf("usage: rmobj ID")
	}
	ts.Check(os.Remove(objectFile(ts, args[0])))
}

// setref REFNAME ID writes a reference file directly, as a ref received
// from elsewhere (or written by an older modeldb) would arrive, bypassing
// the checks modeldb makes when it creates names itself.
func cmdSetRef(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "setref")
	if len(args) != 2 || !strings.HasPrefix(args[0], "refs/") {
		ts.Fatalf("usage: setref refs/... ID")
	}
	p := ts.MkAbs(filepath.Join(".modeldb", filepath.FromSlash(args[0])))
	ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
	ts.Check(os.WriteFile(p, []byte(args[1]+"\n"), 0o644))
}
