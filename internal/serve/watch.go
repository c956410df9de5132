package serve

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchedTops are the names at the site root whose changes matter: the
// configuration file and the folders a build reads.
var watchedTops = []string{"dossier.toml", "content", "templates", "themes", "static"}

// hugeBatch is how many changed paths make a batch ask for everything.
const hugeBatch = 5000

// Batch is the changes of one quiet period.
type Batch struct {
	// Paths are slash-separated, relative to the site root, sorted.
	Paths []string
	// All reports that events were lost: everything must be read again.
	All bool
}

// Empty reports whether the batch asks for nothing.
func (b Batch) Empty() bool { return len(b.Paths) == 0 && !b.All }

// Clock schedules the end of a quiet period; tests replace it.
type Clock interface {
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a scheduled call that can be stopped.
type Timer interface {
	Stop() bool
}

type realClock struct{}

func (realClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Watcher turns file-system events under a site folder into batches of
// changed paths. fsnotify does not watch recursively, so it watches every
// folder under content/, templates/, themes/ and static/ (and the root,
// for dossier.toml and for those folders appearing), adding folders as
// they are created. Editors save in many ways (vim renames the old file
// away and writes a new one; JetBrains IDEs rename a temporary file over
// the original and send no Write), so every Create, Write, Rename and
// Remove simply marks its path as changed; CHMOD-only events and editor
// temporary files are ignored. Changes are collected until the site has
// been quiet for the delay, and then announced once on Ready.
//
// Events are read on a goroutine of the Watcher's own that never waits
// for a rebuild, so the kernel queue is drained while a rebuild runs.
type Watcher struct {
	root  string
	delay time.Duration
	clock Clock
	warn  func(error)
	fsw   *fsnotify.Watcher
	ready chan struct{}
	done  chan struct{}
	// observe, when set, sees every raw event first (tests use it to know
	// that the events of a file operation have all been handled).
	observe func(fsnotify.Event)

	mu      sync.Mutex
	pending map[string]bool
	all     bool
	timer   Timer
	dirs    map[string]bool // folders watched, as added
	// rescan is set when a watched folder was renamed or removed.
	// fsnotify drops the watch of a moved folder after the folder's new
	// name has been reported (and watched again, which inotify counts
	// as the same watch), so the folders are checked again when the
	// batch is taken.
	rescan bool
}

// WatchOptions configure a Watcher.
type WatchOptions struct {
	// Delay is the quiet period that ends a batch (default 150 ms).
	Delay time.Duration
	// Clock schedules the end of quiet periods (default: the real clock).
	Clock Clock
	// Warn receives problems that do not stop watching, such as a folder
	// that could not be watched (default: ignored).
	Warn func(error)
}

// Watch starts watching the site folder root.
func Watch(root string, opts WatchOptions) (*Watcher, error) {
	return watch(root, opts, nil)
}

func watch(root string, opts WatchOptions, observe func(fsnotify.Event)) (*Watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	w := &Watcher{root: filepath.Clean(root), delay: opts.Delay, clock: opts.Clock, warn: opts.Warn, fsw: fsw,
		ready: make(chan struct{}, 1), done: make(chan struct{}), observe: observe, pending: map[string]bool{}, dirs: map[string]bool{}}
	if w.delay <= 0 {
		w.delay = 150 * time.Millisecond
	}
	if w.clock == nil {
		w.clock = realClock{}
	}
	if w.warn == nil {
		w.warn = func(error) {}
	}
	if err := fsw.Add(w.root); err != nil {
		fsw.Close()
		return nil, fmt.Errorf("watch %s: %w", root, w.explain(err))
	}
	for _, top := range watchedTops[1:] {
		w.addTree(filepath.Join(w.root, top), nil)
	}
	go w.loop()
	return w, nil
}

// Ready receives a value when a batch is waiting; Take it.
func (w *Watcher) Ready() <-chan struct{} { return w.ready }

// Take returns the changes collected so far and starts a new batch. Tests
// call it directly instead of waiting for the quiet period.
func (w *Watcher) Take() Batch {
	w.mu.Lock()
	// So much moved (a branch checkout, an archive extracted) that
	// folders may have come and gone unseen: check them all.
	rescan := w.rescan || len(w.pending) > hugeBatch
	w.rescan = false
	w.mu.Unlock()
	if rescan {
		w.resync()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	b := Batch{All: w.all || len(w.pending) > hugeBatch}
	if !b.All {
		for p := range w.pending {
			b.Paths = append(b.Paths, p)
		}
		slices.Sort(b.Paths)
	}
	w.pending, w.all = map[string]bool{}, false
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	return b
}

// Close stops watching and waits for the event goroutine to end.
func (w *Watcher) Close() error {
	err := w.fsw.Close()
	<-w.done
	w.mu.Lock()
	if w.timer != nil {
		w.timer.Stop()
	}
	w.mu.Unlock()
	return err
}

func (w *Watcher) loop() {
	defer close(w.done)
	for {
		select {
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ev)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: read everything again, and watch
				// again any folder created meanwhile.
				w.mu.Lock()
				w.all = true
				w.mu.Unlock()
				for _, top := range watchedTops[1:] {
					w.addTree(filepath.Join(w.root, top), nil)
				}
				w.arm()
				continue
			}
			w.warn(fmt.Errorf("watch: %w", err))
		}
	}
}

func (w *Watcher) handle(ev fsnotify.Event) {
	if w.observe != nil {
		w.observe(ev)
	}
	if ev.Op&^fsnotify.Chmod == 0 {
		return // attributes only: the content is the same
	}
	rel, ok := w.rel(ev.Name)
	if !ok || ignored(rel) {
		return
	}
	if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
		w.mu.Lock()
		if w.dirs[ev.Name] {
			w.rescan = true
			for d := range w.dirs {
				if d == ev.Name || strings.HasPrefix(d, ev.Name+string(filepath.Separator)) {
					delete(w.dirs, d)
				}
			}
		}
		w.mu.Unlock()
	}
	var inside []string
	if ev.Has(fsnotify.Create) {
		// A new folder (mkdir, or one moved in) holds files that sent
		// no events of their own: watch it and count them as created.
		if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
			w.addTree(ev.Name, &inside)
		}
	}
	w.mu.Lock()
	w.pending[rel] = true
	for _, p := range inside {
		w.pending[p] = true
	}
	w.mu.Unlock()
	w.arm()
}

// arm (re)starts the quiet period.
func (w *Watcher) arm() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.timer != nil {
		w.timer.Stop()
	}
	w.timer = w.clock.AfterFunc(w.delay, func() {
		select {
		case w.ready <- struct{}{}:
		default: // already announced
		}
	})
}

// rel turns an event path into a site path, reporting whether it is one
// whose changes matter.
func (w *Watcher) rel(name string) (string, bool) {
	r, err := filepath.Rel(w.root, name)
	if err != nil || r == "." || strings.HasPrefix(r, "..") {
		return "", false
	}
	r = filepath.ToSlash(r)
	top, _, _ := strings.Cut(r, "/")
	return r, slices.Contains(watchedTops, top)
}

// addTree watches dir and every folder inside it; when files is not nil,
// it also collects the site paths of the files inside.
func (w *Watcher) addTree(dir string, files *[]string) {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone already, or an optional folder
			}
			w.warn(fmt.Errorf("watch %s: %w", p, err))
			return nil
		}
		if !d.IsDir() {
			if files != nil {
				if rel, ok := w.rel(p); ok && !ignored(rel) {
					*files = append(*files, rel)
				}
			}
			return nil
		}
		if d.Name() == ".git" {
			return fs.SkipDir
		}
		if err := w.fsw.Add(p); err != nil {
			w.warn(fmt.Errorf("watch %s: %w", p, w.explain(err)))
			if errors.Is(err, syscall.ENOSPC) {
				return fs.SkipAll // every further folder would fail too
			}
			return nil
		}
		w.mu.Lock()
		w.dirs[p] = true
		w.mu.Unlock()
		return nil
	})
	if err != nil {
		w.warn(fmt.Errorf("watch %s: %w", dir, err))
	}
}

// resync watches every folder that should be watched and is not, and
// counts the files in those folders as changed.
func (w *Watcher) resync() {
	watched := map[string]bool{}
	for _, p := range w.fsw.WatchList() {
		watched[p] = true
	}
	var files []string
	for _, top := range watchedTops[1:] {
		_ = filepath.WalkDir(filepath.Join(w.root, top), func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if d.Name() == ".git" {
				return fs.SkipDir
			}
			if !watched[p] {
				entries, _ := os.ReadDir(p)
				w.addTree(p, nil)
				for _, e := range entries {
					if rel, ok := w.rel(filepath.Join(p, e.Name())); ok && !e.IsDir() && !ignored(rel) {
						files = append(files, rel)
					}
				}
			}
			return nil
		})
	}
	w.mu.Lock()
	for _, f := range files {
		w.pending[f] = true
	}
	w.mu.Unlock()
}

// explain adds the remedy to the error Linux gives when the limit of
// inotify watches is reached.
func (w *Watcher) explain(err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("%w: the system limit of watched folders is reached; raise it with\n"+
			"  sudo sysctl fs.inotify.max_user_watches=524288\n"+
			"(add fs.inotify.max_user_watches=524288 to /etc/sysctl.conf to keep it)", err)
	}
	return err
}

// ignored reports editor temporary and backup files: vim's swap files,
// backups and 4913 probe, Emacs's lock and auto-save files, JetBrains's
// safe-write files.
func ignored(rel string) bool {
	name := rel[strings.LastIndexByte(rel, '/')+1:]
	switch {
	case name == "4913",
		strings.HasSuffix(name, "~"),
		strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".swo"),
		strings.Contains(name, "___jb_tmp___"), strings.Contains(name, "___jb_old___"),
		strings.HasPrefix(name, ".#"),
		len(name) > 1 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		return true
	}
	return false
}
