package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// fakeClock runs quiet-period timers only when the test says the delay
// has passed, so that what makes one batch does not depend on timing.
type fakeClock struct {
	mu     sync.Mutex
	timers []*fakeTimer
	armed  chan struct{}
}

type fakeTimer struct {
	c       *fakeClock
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock { return &fakeClock{armed: make(chan struct{}, 1000)} }

func (c *fakeClock) AfterFunc(_ time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, f: f}
	c.timers = append(c.timers, t)
	select {
	case c.armed <- struct{}{}:
	default:
	}
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// elapse lets the delay pass: every timer still running fires. It returns
// how many fired.
func (c *fakeClock) elapse() int {
	c.mu.Lock()
	var due []*fakeTimer
	for _, t := range c.timers {
		if !t.stopped {
			t.stopped = true
			due = append(due, t)
		}
	}
	c.timers = nil
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
	return len(due)
}

// testWatcher is a Watcher on a temporary site with a fake clock, and a
// way to know that every event of what the test did has been handled.
type testWatcher struct {
	*Watcher
	t      *testing.T
	root   string
	clock  *fakeClock
	marks  chan string
	nmarks int
}

// waitLimit only bounds a test that would otherwise hang; nothing is
// timed against it.
const waitLimit = 10 * time.Second

func newTestWatcher(t *testing.T, files ...string) *testWatcher {
	t.Helper()
	root := t.TempDir()
	for _, f := range append([]string{"content/briefings/a.md", "content/entities/e.md"}, files...) {
		write(t, root, f, "---\ntitle: x\n---\n")
	}
	tw := &testWatcher{t: t, root: root, clock: newFakeClock(), marks: make(chan string, 100)}
	w, err := watch(root, WatchOptions{Clock: tw.clock, Warn: func(err error) { t.Errorf("watcher warned: %v", err) }},
		func(ev fsnotify.Event) {
			if name := filepath.Base(ev.Name); strings.HasPrefix(name, "mark-") && ev.Has(fsnotify.Create) {
				tw.marks <- name
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	tw.Watcher = w
	return tw
}

// settle waits until every event of what the test did so far has been
// handled: inotify reports events in order, so once a marker file created
// now has been seen, everything before it has been too.
func (tw *testWatcher) settle() {
	tw.t.Helper()
	tw.nmarks++
	name := fmt.Sprintf("mark-%d", tw.nmarks)
	write(tw.t, tw.root, name, "")
	timeout := time.After(waitLimit)
	for {
		select {
		case got := <-tw.marks:
			if got == name {
				return
			}
		case <-timeout:
			tw.t.Fatalf("the watcher never saw %s", name)
		}
	}
}

// expect settles and checks the batch.
func (tw *testWatcher) expect(want ...string) {
	tw.t.Helper()
	tw.settle()
	got := tw.Take()
	if got.All || !slices.Equal(got.Paths, want) {
		tw.t.Errorf("batch: got %q (all %v), want %q", got.Paths, got.All, want)
	}
}

func write(t *testing.T, root, rel, text string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (tw *testWatcher) path(rel string) string {
	return filepath.Join(tw.root, filepath.FromSlash(rel))
}

func (tw *testWatcher) do(err error) {
	tw.t.Helper()
	if err != nil {
		tw.t.Fatal(err)
	}
}

func TestServeWatchPlainWrite(t *testing.T) {
	tw := newTestWatcher(t)
	write(t, tw.root, "content/briefings/a.md", "---\ntitle: y\n---\n")
	tw.expect("content/briefings/a.md")
}

// TestWatchVimSave saves as vim does by default (writebackup,
// backupcopy=auto): probe the folder with 4913, rename the original to a~,
// write a new file, set its mode, delete the backup.
func TestServeWatchVimSave(t *testing.T) {
	tw := newTestWatcher(t)
	write(t, tw.root, "content/briefings/4913", "")
	tw.do(os.Remove(tw.path("content/briefings/4913")))
	tw.do(os.Rename(tw.path("content/briefings/a.md"), tw.path("content/briefings/a.md~")))
	write(t, tw.root, "content/briefings/.a.md.swp", "swap")
	write(t, tw.root, "content/briefings/a.md", "---\ntitle: vim\n---\n")
	tw.do(os.Chmod(tw.path("content/briefings/a.md"), 0o600))
	tw.do(os.Remove(tw.path("content/briefings/a.md~")))
	tw.do(os.Remove(tw.path("content/briefings/.a.md.swp")))
	tw.expect("content/briefings/a.md")
}

// TestWatchJetBrainsSave saves as IntelliJ's "safe write" does: write a
// temporary file, move the original aside, move the temporary file over
// it (no Write event for the original name), delete the old one.
func TestServeWatchJetBrainsSave(t *testing.T) {
	tw := newTestWatcher(t)
	write(t, tw.root, "content/briefings/a.md___jb_tmp___", "---\ntitle: idea\n---\n")
	tw.do(os.Rename(tw.path("content/briefings/a.md"), tw.path("content/briefings/a.md___jb_old___")))
	tw.do(os.Rename(tw.path("content/briefings/a.md___jb_tmp___"), tw.path("content/briefings/a.md")))
	tw.do(os.Remove(tw.path("content/briefings/a.md___jb_old___")))
	tw.expect("content/briefings/a.md")
}

// TestWatchNewNestedFolder creates a folder with a folder and files inside
// at once, as mkdir -p and an archive extraction do: the files inside
// report no events of their own before the folder is watched.
func TestServeWatchNewNestedFolder(t *testing.T) {
	tw := newTestWatcher(t)
	tw.do(os.MkdirAll(tw.path("content/briefings/bundle/images"), 0o755))
	write(t, tw.root, "content/briefings/bundle/index.md", "---\ntitle: b\n---\n")
	write(t, tw.root, "content/briefings/bundle/images/map.svg", "<svg/>")
	tw.settle()
	got := tw.Take()
	for _, want := range []string{"content/briefings/bundle", "content/briefings/bundle/index.md", "content/briefings/bundle/images/map.svg"} {
		if !slices.Contains(got.Paths, want) {
			t.Errorf("batch %q lacks %s", got.Paths, want)
		}
	}
	for _, p := range got.Paths {
		if !strings.HasPrefix(p, "content/briefings/bundle") {
			t.Errorf("batch has %s", p)
		}
	}
	// The nested folder is watched from now on.
	write(t, tw.root, "content/briefings/bundle/images/map.svg", "<svg></svg>")
	tw.expect("content/briefings/bundle/images/map.svg")
	// And so is a whole top folder created later.
	write(t, tw.root, "templates/partials.html", "{{define \"x\"}}{{end}}")
	tw.settle()
	if got := tw.Take(); !slices.Contains(got.Paths, "templates/partials.html") {
		t.Errorf("new templates/ folder: batch %q", got.Paths)
	}
	write(t, tw.root, "templates/partials.html", "{{define \"y\"}}{{end}}")
	tw.expect("templates/partials.html")
}

func TestServeWatchRename(t *testing.T) {
	tw := newTestWatcher(t)
	tw.do(os.Rename(tw.path("content/briefings/a.md"), tw.path("content/briefings/b.md")))
	tw.expect("content/briefings/a.md", "content/briefings/b.md")
	// A renamed folder stays watched under its new name.
	write(t, tw.root, "content/briefings/x/index.md", "x")
	tw.settle()
	tw.Take()
	tw.do(os.Rename(tw.path("content/briefings/x"), tw.path("content/briefings/y")))
	tw.settle()
	if got := tw.Take(); !slices.Contains(got.Paths, "content/briefings/x") || !slices.Contains(got.Paths, "content/briefings/y") {
		t.Errorf("folder rename: batch %q", got.Paths)
	}
	write(t, tw.root, "content/briefings/y/index.md", "y")
	tw.expect("content/briefings/y/index.md")
}

func TestServeWatchDelete(t *testing.T) {
	tw := newTestWatcher(t)
	tw.do(os.Remove(tw.path("content/briefings/a.md")))
	tw.expect("content/briefings/a.md")
}

func TestServeWatchIgnoresChmodAndTemporaryFiles(t *testing.T) {
	tw := newTestWatcher(t)
	tw.do(os.Chmod(tw.path("content/briefings/a.md"), 0o600))
	for _, name := range []string{".#a.md", "#a.md#", "a.md~", ".a.md.swp", ".a.md.swx", "4913", "a.md___jb_tmp___", "a.md___jb_old___"} {
		write(t, tw.root, "content/briefings/"+name, "tmp")
		tw.do(os.Remove(tw.path("content/briefings/" + name)))
	}
	// Outside the folders a build reads.
	write(t, tw.root, "public/index.html", "out")
	write(t, tw.root, "notes.txt", "n")
	tw.expect()
}

func TestServeWatchConfigAndAtomicConfigSave(t *testing.T) {
	tw := newTestWatcher(t)
	write(t, tw.root, "dossier.toml.tmp", "title = \"x\"\n")
	tw.do(os.Rename(tw.path("dossier.toml.tmp"), tw.path("dossier.toml")))
	tw.expect("dossier.toml")
}

// TestWatchBurstIsOneBatch writes 100 files in a row: the quiet period
// starts again with each event, so they make one batch, one rebuild.
func TestServeWatchBurstIsOneBatch(t *testing.T) {
	tw := newTestWatcher(t)
	var want []string
	for i := range 100 {
		p := fmt.Sprintf("content/briefings/b%03d.md", i)
		write(t, tw.root, p, "---\ntitle: b\n---\n")
		want = append(want, p)
	}
	tw.settle()
	select {
	case <-tw.Ready():
		t.Fatal("a batch was announced before the quiet period ended")
	default:
	}
	if n := tw.clock.elapse(); n != 1 {
		t.Errorf("%d quiet periods ended, want 1", n)
	}
	select {
	case <-tw.Ready():
	default:
		t.Fatal("no batch announced after the quiet period")
	}
	got := tw.Take()
	if !slices.Equal(got.Paths, want) {
		t.Errorf("batch has %d paths, want the 100 files", len(got.Paths))
	}
	select {
	case <-tw.Ready():
		t.Error("a second batch was announced")
	default:
	}
	if got := tw.Take(); !got.Empty() {
		t.Errorf("second batch: %q", got.Paths)
	}
}

// TestWatchOverflowAsksForEverything: when the kernel queue overflows,
// events are lost, so the next batch asks for a full rebuild.
func TestServeWatchOverflowAsksForEverything(t *testing.T) {
	tw := newTestWatcher(t)
	tw.fsw.Errors <- fsnotify.ErrEventOverflow
	select {
	case <-tw.clock.armed:
	case <-time.After(waitLimit):
		t.Fatal("the overflow was never handled")
	}
	tw.clock.elapse()
	<-tw.Ready()
	if got := tw.Take(); !got.All {
		t.Errorf("batch after overflow: %+v, want All", got)
	}
}

// TestWatchHugeBatchAsksForEverything: a batch of thousands of paths (a
// branch checkout) asks for a full rebuild rather than a list.
func TestServeWatchHugeBatchAsksForEverything(t *testing.T) {
	tw := newTestWatcher(t)
	tw.mu.Lock()
	for i := range hugeBatch + 1 {
		tw.pending[fmt.Sprintf("content/briefings/b%d.md", i)] = true
	}
	tw.mu.Unlock()
	if got := tw.Take(); !got.All || len(got.Paths) != 0 {
		t.Errorf("huge batch: All %v with %d paths", got.All, len(got.Paths))
	}
}
