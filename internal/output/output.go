// Package output writes a build's files into its destination folder safely.
//
// A build never edits the destination in place. Open creates a staging
// folder beside the destination; WriteFile puts every file of the new build
// there — a new or changed file is written, a file whose bytes did not
// change is hard-linked from the destination, so that it keeps its inode
// and modification time. Commit then replaces the whole destination with
// the staging folder in one atomic rename (renameat2 RENAME_EXCHANGE on
// Linux), so the destination is at every instant either the complete
// previous output or the complete new one. A build that fails or is
// interrupted before that rename leaves the previous output byte for byte
// as it was, and one killed at any instant leaves at worst a hidden staging
// folder that the next build removes.
//
// A manifest records what Dossier wrote. Files that an earlier build wrote
// and this one does not are stale: they are simply not carried into the new
// tree. A file Dossier did not write is never deleted: Open refuses a
// destination that holds one, and Commit checks again just before the swap.
package output

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/dossier-dev/dossier/internal/slab"
)

// ManifestName is the file in the destination that lists what Dossier wrote.
const ManifestName = ".dossier-manifest"

// manifestHeader is the first line of every manifest.
const manifestHeader = "# Files written by Dossier. Dossier removes and replaces only these.\n"

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
	dest   string // absolute, symbolic links resolved
	shown  string // the destination as the user named it, for messages
	stage  string
	prev   map[string]bool // the previous manifest
	exists bool            // the destination existed when the build began

	// exchange swaps two folders atomically; a field so that tests can
	// take the path of systems that cannot.
	exchange func(a, b string) error

	mu    sync.Mutex
	files map[string]bool // every file of this build
	// dirs are the folders of the staging tree made so far: each is made
	// once, not checked again for every file written into it.
	dirs  map[string]bool
	stats Stats
	done  bool
	// names holds the keys of files and dirs. They live until the build
	// ends, and they arrive one for each page among the renderer's
	// garbage: allocated one by one, each kept the small span it landed
	// in from being freed (once the pages of a 10,000-briefing build were
	// written, 8 MB of live objects held 88 MB of spans), and the
	// collector counts that space against the memory limit. Copied into
	// blocks of their own, they fill them (6 MB of spans then).
	names slab.Strings
}

// Open prepares a build into dest for a site whose source folder is src.
// It refuses a destination that is the file-system root or the home folder,
// that is or contains the source, that is not a folder, or that holds files
// Dossier did not write. It also finishes what an earlier build that was
// killed left behind (see the package documentation).
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
	w := &Writer{dest: absDest, shown: dest, prev: map[string]bool{}, files: map[string]bool{}, dirs: map[string]bool{}, exchange: exchange}
	if err := w.recover(); err != nil {
		return nil, err
	}
	st, err := os.Lstat(absDest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("inspect destination %s: %w", dest, err)
	case !st.IsDir():
		return nil, fmt.Errorf("refusing to build into %s: it is a file, not a folder; remove it or choose another destination with -d", dest)
	default:
		w.exists = true
	}
	if err := w.readManifest(); err != nil {
		return nil, err
	}
	if err := w.refuseForeign(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(absDest), 0o755); err != nil {
		return nil, fmt.Errorf("create destination: %w", err)
	}
	w.stage, err = os.MkdirTemp(filepath.Dir(absDest), w.tempPrefix("new"))
	if err != nil {
		return nil, fmt.Errorf("create staging folder beside %s: %w", dest, err)
	}
	// The staging folder becomes the destination: give it the
	// destination's permissions (MkdirTemp makes it private) and, where
	// allowed, its owner.
	mode := fs.FileMode(0o755)
	if st != nil && w.exists {
		mode = st.Mode().Perm()
		chownLike(w.stage, st)
	}
	if err := os.Chmod(w.stage, mode); err != nil {
		w.Abort()
		return nil, fmt.Errorf("create staging folder: %w", err)
	}
	return w, nil
}

// Dir returns the absolute destination folder.
func (w *Writer) Dir() string { return w.dest }

// tempPrefix names the hidden folders of a build beside the destination:
// .public.dossier-new-<pid>- for the tree being built and
// .public.dossier-old-<pid>- for the previous tree on its way out. The
// process id tells a leftover of a dead build from a running one.
func (w *Writer) tempPrefix(kind string) string {
	return "." + filepath.Base(w.dest) + ".dossier-" + kind + "-" + strconv.Itoa(os.Getpid()) + "-"
}

// leftover is a hidden build folder found beside the destination.
type leftover struct {
	path string
	kind string // "new" or "old"
	pid  int
}

// leftovers lists the hidden build folders beside the destination.
func (w *Writer) leftovers() ([]leftover, error) {
	entries, err := os.ReadDir(filepath.Dir(w.dest))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("inspect the folder of %s: %w", w.shown, err)
	}
	base := "." + filepath.Base(w.dest) + ".dossier-"
	var out []leftover
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), base)
		if !ok || !e.IsDir() {
			continue
		}
		kind, rest, _ := strings.Cut(rest, "-")
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if (kind != "new" && kind != "old") || err != nil {
			continue
		}
		out = append(out, leftover{filepath.Join(filepath.Dir(w.dest), e.Name()), kind, pid})
	}
	return out, nil
}

// recover deals with the hidden folders of earlier builds. One of a build
// that is still running means two builds want the same destination, which
// is refused. Those of builds that died are removed, except that when the
// destination itself is missing because a build died between the two
// renames of a non-atomic swap, the previous tree is put back first.
func (w *Writer) recover() error {
	found, err := w.leftovers()
	if err != nil {
		return err
	}
	for _, l := range found {
		if l.pid != os.Getpid() && alive(l.pid) {
			return fmt.Errorf("refusing to build into %s: another dossier build (process %d) is writing it; wait for it to finish "+
				"(if no build is running, remove %s)", w.shown, l.pid, l.path)
		}
		if l.pid == os.Getpid() {
			return fmt.Errorf("refusing to build into %s: this process is already building into it", w.shown)
		}
	}
	if _, err := os.Lstat(w.dest); errors.Is(err, fs.ErrNotExist) {
		for _, l := range found {
			if l.kind == "old" {
				if err := os.Rename(l.path, w.dest); err != nil {
					return fmt.Errorf("restore the previous output of %s from %s: %w", w.shown, l.path, err)
				}
				break
			}
		}
	}
	for _, l := range found {
		if err := os.RemoveAll(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s, left by an interrupted build: %w", l.path, err)
		}
	}
	return nil
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
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
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
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read manifest: %w", err)
	}
	return nil
}

// refuseForeign returns an error naming the files in the destination that
// no manifest accounts for.
func (w *Writer) refuseForeign() error {
	foreign, err := foreignFiles(w.dest, w.prev)
	if err != nil {
		return err
	}
	if len(foreign) == 0 {
		return nil
	}
	more := ""
	if len(foreign) > 5 {
		more = fmt.Sprintf(" and %d more", len(foreign)-5)
		foreign = foreign[:5]
	}
	return fmt.Errorf("refusing to build into %s: it holds files Dossier did not write (%s%s); "+
		"move files you want published into the site's static/ folder, or build into an empty folder", w.shown, strings.Join(foreign, ", "), more)
}

// foreignFiles lists what is in dir that the manifest known does not
// account for: files, links and anything else that is not a folder.
func foreignFiles(dir string, known map[string]bool) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel != ManifestName && !known[rel] {
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
// data. A file whose bytes are already in the destination is not written:
// it is linked into the new tree and keeps its modification time.
func (w *Writer) WriteFile(rel string, data []byte) error {
	if err := w.claim(rel); err != nil {
		return err
	}
	p := filepath.Join(w.stage, filepath.FromSlash(rel))
	if err := w.mkdir(filepath.Dir(p)); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	old := filepath.Join(w.dest, filepath.FromSlash(rel))
	if w.prev[rel] && same(old, data) && keep(old, p) == nil {
		w.mu.Lock()
		w.stats.Unchanged++
		w.mu.Unlock()
		return nil
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	w.mu.Lock()
	w.stats.Written++
	w.stats.Bytes += int64(len(data))
	w.mu.Unlock()
	return nil
}

// mkdir makes the staging folder dir and its parents, unless this build
// made it already.
func (w *Writer) mkdir(dir string) error {
	w.mu.Lock()
	made, parent := w.dirs[dir], w.dirs[filepath.Dir(dir)]
	w.mu.Unlock()
	if made {
		return nil
	}
	if parent {
		// The usual case, a page's own folder: one mkdir, no stat.
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	w.mu.Lock()
	w.dirs[w.names.Clone(dir)] = true
	w.mu.Unlock()
	return nil
}

// keep puts the unchanged file old into the new tree at p: as a hard link,
// which is the same file with the same modification time, or, where the
// file system has no hard links, as a copy given the same time.
func keep(old, p string) error {
	if err := os.Link(old, p); err == nil {
		return nil
	}
	src, err := os.Open(old)
	if err != nil {
		return err
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return err
	}
	dst, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	return os.Chtimes(p, st.ModTime(), st.ModTime())
}

// CopyFile records rel as a copy of name in fsys.
func (w *Writer) CopyFile(rel string, fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("copy %s: %w", name, err)
	}
	return w.WriteFile(rel, data)
}

// claim makes sure no two outputs of a build want the same file, that no
// output wants a file where another wants a folder, and that rel cannot
// leave the destination.
func (w *Writer) claim(rel string) error {
	if rel == "" || rel == "." || path.IsAbs(rel) || path.Clean(rel) != rel || strings.HasPrefix(rel, "../") || rel == ".." ||
		rel == ManifestName || strings.ContainsAny(rel, "\\\x00") {
		return fmt.Errorf("write %q: not a file path inside the destination", rel)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.files[rel] {
		return fmt.Errorf("write %s: two parts of the site want to write this file (a page and a static file with the same path?)", rel)
	}
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		if w.files[dir] {
			return fmt.Errorf("write %s: %s is already a file of the site, so it cannot also be a folder", rel, dir)
		}
	}
	w.files[w.names.Clone(rel)] = true
	return nil
}

// same reports whether the regular file at p holds exactly data.
func same(p string, data []byte) bool {
	st, err := os.Lstat(p)
	if err != nil || !st.Mode().IsRegular() || st.Size() != int64(len(data)) {
		return false
	}
	old, err := os.ReadFile(p)
	return err == nil && bytes.Equal(old, data)
}

// Commit makes the staged tree the destination. Files an earlier build
// wrote and this one did not are left behind with the previous tree, which
// is then removed. On an error before the swap the destination is as it
// was; Commit never leaves the staging folder behind.
func (w *Writer) Commit() (Stats, error) {
	if w.done {
		return w.stats, errors.New("commit: the build was already committed or aborted")
	}
	w.done = true
	if err := w.commit(); err != nil {
		os.RemoveAll(w.stage)
		return w.stats, err
	}
	return w.stats, nil
}

func (w *Writer) commit() error {
	if err := w.writeManifest(); err != nil {
		return err
	}
	for rel := range w.prev {
		if !w.files[rel] {
			if _, err := os.Lstat(filepath.Join(w.dest, filepath.FromSlash(rel))); err == nil {
				w.stats.Removed++
			}
		}
	}
	// Someone may have put a file into the destination while the build ran;
	// the swap would hide it, so stop while nothing has changed yet.
	if err := w.refuseForeign(); err != nil {
		return err
	}
	if !w.exists {
		if err := os.Rename(w.stage, w.dest); err != nil {
			return w.swapError(err)
		}
		return nil
	}
	retired, err := w.swap()
	if err != nil {
		return err
	}
	return w.retire(retired)
}

// swap exchanges the staged tree and the destination and returns where the
// previous tree now is. Where the system can exchange two folders
// atomically (Linux), that is one step. Elsewhere the destination is first
// renamed aside and the staged tree renamed into its place; a build killed
// between the two is repaired by the next Open, which finds the previous
// tree aside and the destination missing, and puts it back.
func (w *Writer) swap() (string, error) {
	err := w.exchange(w.stage, w.dest)
	if err == nil {
		return w.stage, nil
	}
	if !errors.Is(err, errExchangeUnsupported) {
		return "", w.swapError(err)
	}
	old, err := os.MkdirTemp(filepath.Dir(w.dest), w.tempPrefix("old"))
	if err != nil {
		return "", fmt.Errorf("replace %s: %w", w.shown, err)
	}
	if err := os.Remove(old); err != nil {
		return "", fmt.Errorf("replace %s: %w", w.shown, err)
	}
	if err := os.Rename(w.dest, old); err != nil {
		return "", w.swapError(err)
	}
	if err := os.Rename(w.stage, w.dest); err != nil {
		if rerr := os.Rename(old, w.dest); rerr != nil {
			return "", fmt.Errorf("replace %s: %w; the previous output is in %s: rename it back (%v)", w.shown, err, old, rerr)
		}
		return "", w.swapError(err)
	}
	return old, nil
}

// swapError explains a failed swap. A destination that is a mount point
// cannot be renamed; the user can build into a folder inside it.
func (w *Writer) swapError(err error) error {
	if errors.Is(err, syscall.EXDEV) || errors.Is(err, syscall.EBUSY) {
		return fmt.Errorf("cannot replace %s: it is a mount point or on another file system than the folder around it, "+
			"so it cannot be swapped in one step; build into a folder inside it, such as -d %s", w.shown, filepath.Join(w.shown, "site"))
	}
	return fmt.Errorf("replace %s: %w", w.shown, err)
}

// retire removes the previous tree, now at dir, file by file: only files
// its manifest lists, the manifest itself and the folders they leave
// empty. Anything else (a file someone put into the destination during the
// swap) is moved into the new destination, or, if Dossier wrote a file of
// that name, left in dir and reported.
func (w *Writer) retire(dir string) error {
	for rel := range w.prev {
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove the previous output: %w", err)
		}
	}
	os.Remove(filepath.Join(dir, ManifestName))
	rest, err := foreignFiles(dir, nil)
	if err != nil {
		return err
	}
	var stuck []string
	for _, rel := range rest {
		from := filepath.Join(dir, filepath.FromSlash(rel))
		to := filepath.Join(w.dest, filepath.FromSlash(rel))
		if _, err := os.Lstat(to); err == nil || os.MkdirAll(filepath.Dir(to), 0o755) != nil || os.Rename(from, to) != nil {
			stuck = append(stuck, rel)
		}
	}
	if len(stuck) > 0 {
		return fmt.Errorf("files appeared in %s while Dossier replaced it (%s); they are kept in %s: move them where they belong",
			w.shown, strings.Join(stuck, ", "), dir)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove the previous output: %w", err)
	}
	return nil
}

func (w *Writer) writeManifest() error {
	names := make([]string, 0, len(w.files))
	for rel := range w.files {
		names = append(names, rel)
	}
	slices.Sort(names)
	var buf bytes.Buffer
	buf.WriteString(manifestHeader)
	for _, n := range names {
		buf.WriteString(n)
		buf.WriteByte('\n')
	}
	p := filepath.Join(w.stage, ManifestName)
	old := filepath.Join(w.dest, ManifestName)
	if same(old, buf.Bytes()) && keep(old, p) == nil {
		return nil
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// Abort discards everything staged; the destination stays as it was.
func (w *Writer) Abort() {
	w.done = true
	os.RemoveAll(w.stage)
}

// errExchangeUnsupported means the system cannot swap two folders in one
// step.
var errExchangeUnsupported = errors.New("atomic exchange of folders not supported")
