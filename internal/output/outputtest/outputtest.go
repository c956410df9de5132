// Package outputtest records and compares folder trees for the tests that
// check the output guarantees: a failed build leaves the previous output
// byte for byte as it was, and unchanged files keep their modification
// time. It is imported only by tests.
package outputtest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// File is what a test remembers of one file, folder or symbolic link:
// its bytes (a link's target), modification time and mode. Folders have
// no data and a zero time, since their times change with their contents.
type File struct {
	Data    string
	ModTime time.Time
	Mode    fs.FileMode
}

// Tree is a snapshot of a folder, by slash path relative to it.
type Tree map[string]File

// Snapshot records every file and folder under dir. A dir that does not
// exist gives an empty tree.
func Snapshot(t testing.TB, dir string) Tree {
	t.Helper()
	out := Tree{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		f := File{Mode: info.Mode()}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			f.Data, _ = os.Readlink(p)
		case !d.IsDir():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			f.Data, f.ModTime = string(b), info.ModTime()
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Same asserts that two snapshots are identical, modification times
// included.
func Same(t testing.TB, got, want Tree) {
	t.Helper()
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: missing", name)
		case g.Data != w.Data:
			t.Errorf("%s: bytes changed: %.80q, was %.80q", name, g.Data, w.Data)
		case !g.ModTime.Equal(w.ModTime):
			t.Errorf("%s: rewritten: modification time %v, was %v", name, g.ModTime, w.ModTime)
		case g.Mode != w.Mode:
			t.Errorf("%s: mode %v, was %v", name, g.Mode, w.Mode)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: appeared", name)
		}
	}
}
