// Package output writes a build's files into its destination folder safely.
// New and changed files are written into a staging folder beside the
// destination while the build runs and moved into place only by Commit, so a
// build that fails leaves the previous output untouched. Files whose bytes
// did not change are never rewritten (their modification time stays). A
// manifest records what Dossier wrote, so that stale files of earlier builds
// are removed and files Dossier did not write are never touched.
package output

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"

	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// ManifestName is the file in the destination that lists what Dossier wrote.
const ManifestName = ".dossier-manifest"

// Stats counts what a commit did.
type Stats struct {
	Written   int // files created or changed
	Unchanged int // files whose bytes were already there
	Removed   int // stale files of an earlier build
	Bytes     int64
}

// Writer stages the files of one build. WriteFile may be called from many
// goroutines; Commit and Abort from one, after all writes.
type Writer struct {
	dest  string
	stage string
	prev  map[string]bool // the previous manifest

	mu      sync.Mutex
	files   map[string]bool // every file of this build
	changed []string        // files staged because they are new or differ
	stats   Stats
}

// Open prepares a build into dest for a site whose source folder is src.
// It refuses a destination that is the file-system root or the home folder,
// that is or contains the source, or that holds files Dossier did not write.
func Open(dest, src string) (*Writer, error) {
	absDest, err := filepath.Abs(dest)
	if err != nil {
		return nil, fmt.Errorf("resolve destination %s: %w", dest, err)
	}
	absSrc, err := filepath.Abs(src)
	if err != nil {
		return nil, fmt.Errorf("resolve source %s: %w", src, err)
	}
	absDest, absSrc = realPath(absDest), realPath(absSrc)
	if absDest == filepath.Dir(absDest) {
		return nil, fmt.Errorf("refusing to build into %s: it is the root of the file system; choose a folder such as public/", dest)
	}
	if home, err := os.UserHomeDir(); err == nil && absDest == realPath(home) {
		return nil, fmt.Errorf("refusing to build into %s: it is your home folder; choose a folder such as public/", dest)
	}
	if absDest == absSrc || within(absSrc, absDest) {
		return nil, fmt.Errorf("refusing to build into %s: it holds the site's source; choose a folder inside it such as public/", dest)
	}
	w := &Writer{dest: absDest, prev: map[string]bool{}, files: map[string]bool{}}
	if err := w.readManifest(); err != nil {
		return nil, err
	}
	if foreign, err := w.foreignFiles(); err != nil {
		return nil, err
	} else if len(foreign) > 0 {
		more := ""
		if len(foreign) > 5 {
			more = fmt.Sprintf(" and %d more", len(foreign)-5)
			foreign = foreign[:5]
		}
		return nil, fmt.Errorf("refusing to build into %s: it holds files Dossier did not write (%s%s); "+
			"move files you want published into the site's static/ folder, or build into an empty folder", dest, strings.Join(foreign, ", "), more)
	}
	if err := os.MkdirAll(filepath.Dir(absDest), 0o755); err != nil {
		return nil, fmt.Errorf("create destination: %w", err)
	}
	w.stage, err = os.MkdirTemp(filepath.Dir(absDest), "."+filepath.Base(absDest)+".dossier-stage-")
	if err != nil {
		return nil, fmt.Errorf("create staging folder: %w", err)
	}
	return w, nil
}

// realPath resolves symbolic links where the path exists, so that a
// destination reached through a link is still recognised as the source.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// within reports whether p is inside dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..")
}

func (w *Writer) readManifest() error {
	f, err := os.Open(filepath.Join(w.dest, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read manifest: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			w.prev[line] = true
		}
	}
	return sc.Err()
}

// foreignFiles lists files in the destination that no manifest accounts for.
func (w *Writer) foreignFiles() ([]string, error) {
	var out []string
	err := filepath.WalkDir(w.dest, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == w.dest {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(w.dest, p)
		rel = filepath.ToSlash(rel)
		if rel != ManifestName && !w.prev[rel] {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("inspect destination: %w", err)
	}
	slices.Sort(out)
	return out, nil
}

// WriteFile records rel (a slash path) as part of the output with contents
// data. Unchanged files are not written at all.
func (w *Writer) WriteFile(rel string, data []byte) error {
	if err := w.claim(rel); err != nil {
		return err
	}
	if same(filepath.Join(w.dest, filepath.FromSlash(rel)), data) {
		w.mu.Lock()
		w.stats.Unchanged++
		w.mu.Unlock()
		return nil
	}
	p := filepath.Join(w.stage, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	w.mu.Lock()
	w.changed = append(w.changed, rel)
	w.stats.Written++
	w.stats.Bytes += int64(len(data))
	w.mu.Unlock()
	return nil
}

// CopyFile records rel as a copy of name in fsys.
func (w *Writer) CopyFile(rel string, fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("copy %s: %w", name, err)
	}
	return w.WriteFile(rel, data)
}

// claim makes sure no two outputs of a build want the same file, and that
// rel cannot leave the destination.
func (w *Writer) claim(rel string) error {
	if rel == "" || path.IsAbs(rel) || path.Clean(rel) != rel || strings.HasPrefix(rel, "../") || rel == ".." || rel == ManifestName {
		return fmt.Errorf("write %q: not a file path inside the destination", rel)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.files[rel] {
		return fmt.Errorf("write %s: two parts of the site want to write this file (a page and a static file with the same path?)", rel)
	}
	w.files[rel] = true
	return nil
}

// same reports whether the file at p holds exactly data.
func same(p string, data []byte) bool {
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() || st.Size() != int64(len(data)) {
		return false
	}
	old, err := os.ReadFile(p)
	return err == nil && bytes.Equal(old, data)
}

// Commit moves the staged files into the destination, removes files that an
// earlier build wrote and this one did not, and writes the new manifest.
func (w *Writer) Commit() (Stats, error) {
	defer os.RemoveAll(w.stage)
	if err := os.MkdirAll(w.dest, 0o755); err != nil {
		return w.stats, fmt.Errorf("create destination: %w", err)
	}
	slices.Sort(w.changed)
	for _, rel := range w.changed {
		to := filepath.Join(w.dest, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return w.stats, fmt.Errorf("install %s: %w", rel, err)
		}
		// A folder in the way (an old page folder that is now a file) can
		// only be one Dossier wrote, since foreign files were refused.
		if st, err := os.Lstat(to); err == nil && st.IsDir() {
			os.RemoveAll(to)
		}
		if err := os.Rename(filepath.Join(w.stage, filepath.FromSlash(rel)), to); err != nil {
			return w.stats, fmt.Errorf("install %s: %w", rel, err)
		}
	}
	var stale []string
	for rel := range w.prev {
		if !w.files[rel] {
			stale = append(stale, rel)
		}
	}
	slices.Sort(stale)
	for _, rel := range stale {
		p := filepath.Join(w.dest, filepath.FromSlash(rel))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return w.stats, fmt.Errorf("remove stale %s: %w", rel, err)
		}
		w.stats.Removed++
		// Remove folders the stale file leaves empty, up to the destination.
		for dir := filepath.Dir(p); dir != w.dest && within(dir, w.dest); dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil {
				break
			}
		}
	}
	if err := w.writeManifest(); err != nil {
		return w.stats, err
	}
	return w.stats, nil
}

func (w *Writer) writeManifest() error {
	names := make([]string, 0, len(w.files))
	for rel := range w.files {
		names = append(names, rel)
	}
	slices.Sort(names)
	var buf bytes.Buffer
	buf.WriteString("# Files written by Dossier. Dossier removes and replaces only these.\n")
	for _, n := range names {
		buf.WriteString(n)
		buf.WriteByte('\n')
	}
	p := filepath.Join(w.dest, ManifestName)
	if same(p, buf.Bytes()) {
		return nil
	}
	tmp := filepath.Join(w.stage, ManifestName)
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// Abort discards everything staged; the destination stays as it was.
func (w *Writer) Abort() {
	os.RemoveAll(w.stage)
}
