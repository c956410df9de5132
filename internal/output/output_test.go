package output

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/dossier-dev/dossier/internal/output/outputtest"
)

// noLeftovers asserts that no hidden build folder is left beside dest.
func noLeftovers(t *testing.T, dest string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".dossier-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// build writes files (slash path → contents) into dest as one build.
func build(t *testing.T, dest string, files map[string]string) Stats {
	t.Helper()
	w, err := Open(dest, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range slices.Sorted(mapKeys(files)) {
		if err := w.WriteFile(name, []byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	noLeftovers(t, dest)
	return st
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// age sets every file under dir to an old modification time, so that a
// rewrite cannot hide inside the clock's resolution.
func age(t *testing.T, dir string) {
	t.Helper()
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
		return err
	})
}

var siteA = map[string]string{
	"index.html":             "home A",
	"briefings/a/index.html": "briefing a",
	"briefings/b/index.html": "briefing b",
	"assets/style.css":       "css",
}

func TestFirstBuildAndManifest(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	st := build(t, dest, siteA)
	if st.Written != 4 || st.Unchanged != 0 || st.Removed != 0 {
		t.Errorf("stats %+v", st)
	}
	for name, data := range siteA {
		if b, _ := os.ReadFile(filepath.Join(dest, name)); string(b) != data {
			t.Errorf("%s = %q", name, b)
		}
	}
	m, _ := os.ReadFile(filepath.Join(dest, ManifestName))
	want := manifestHeader + "assets/style.css\nbriefings/a/index.html\nbriefings/b/index.html\nindex.html\n"
	if string(m) != want {
		t.Errorf("manifest:\n%s\nwant:\n%s", m, want)
	}
	if info, _ := os.Stat(dest); info.Mode().Perm() != 0o755 {
		t.Errorf("destination mode %v, want 0755", info.Mode().Perm())
	}
}

func TestUnchangedFilesKeepTheirTime(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, siteA)
	age(t, dest)
	before := outputtest.Snapshot(t, dest)
	inode := func(rel string) uint64 {
		info, err := os.Stat(filepath.Join(dest, rel))
		if err != nil {
			t.Fatal(err)
		}
		return info.Sys().(*syscall.Stat_t).Ino
	}
	ino := inode("briefings/a/index.html")

	next := map[string]string{}
	for k, v := range siteA {
		next[k] = v
	}
	next["index.html"] = "home B"
	st := build(t, dest, next)
	if st.Written != 1 || st.Unchanged != 3 {
		t.Errorf("stats %+v, want 1 written and 3 unchanged", st)
	}
	after := outputtest.Snapshot(t, dest)
	for _, name := range []string{"briefings/a/index.html", "briefings/b/index.html", "assets/style.css", ManifestName} {
		if !after[name].ModTime.Equal(before[name].ModTime) {
			t.Errorf("%s: modification time changed from %v to %v", name, before[name].ModTime, after[name].ModTime)
		}
	}
	if after["index.html"].Data != "home B" || after["index.html"].ModTime.Equal(before["index.html"].ModTime) {
		t.Errorf("changed file not rewritten: %+v", after["index.html"])
	}
	if got := inode("briefings/a/index.html"); got != ino {
		t.Errorf("unchanged file was replaced (inode %d, was %d)", got, ino)
	}

	// A build with nothing new changes nothing at all.
	age(t, dest)
	before = outputtest.Snapshot(t, dest)
	st = build(t, dest, next)
	if st.Written != 0 || st.Unchanged != 4 {
		t.Errorf("stats %+v, want 0 written", st)
	}
	outputtest.Same(t, outputtest.Snapshot(t, dest), before)
}

func TestUnchangedFilesWithoutHardLinks(t *testing.T) {
	// Where hard links fail, the copy keeps the time too.
	dir := t.TempDir()
	old := filepath.Join(dir, "old")
	os.WriteFile(old, []byte("x"), 0o644)
	when := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	os.Chtimes(old, when, when)
	p := filepath.Join(dir, "new")
	os.WriteFile(p, nil, 0o644) // os.Link fails: the name exists
	if err := keep(old, p); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(p)
	if b, _ := os.ReadFile(p); string(b) != "x" || !info.ModTime().Equal(when) {
		t.Errorf("copy: %q at %v", b, info.ModTime())
	}
}

func TestStaleFilesRemoved(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, siteA)
	st := build(t, dest, map[string]string{"index.html": "home A", "assets/style.css": "css"})
	if st.Removed != 2 {
		t.Errorf("removed %d, want 2", st.Removed)
	}
	if _, err := os.Stat(filepath.Join(dest, "briefings")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("folder of stale files still there: %v", err)
	}
	// A stale page folder that becomes a file, and a file that becomes a folder.
	build(t, dest, map[string]string{"briefings": "now a file", "index.html/x": "now a folder"})
	if b, _ := os.ReadFile(filepath.Join(dest, "briefings")); string(b) != "now a file" {
		t.Errorf("briefings = %q", b)
	}
}

func TestAbortLeavesOutputUntouched(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, siteA)
	age(t, dest)
	before := outputtest.Snapshot(t, dest)
	w, err := Open(dest, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w.WriteFile("index.html", []byte("half a build"))
	w.WriteFile("briefings/a/index.html", []byte("briefing a"))
	w.Abort()
	outputtest.Same(t, outputtest.Snapshot(t, dest), before)
	noLeftovers(t, dest)
	if _, err := w.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	outputtest.Same(t, outputtest.Snapshot(t, dest), before)
}

func TestFailedCommitLeavesOutputUntouched(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, siteA)
	age(t, dest)
	w, err := Open(dest, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w.WriteFile("index.html", []byte("new home"))
	// Someone saves a file into the destination while the build runs.
	os.WriteFile(filepath.Join(dest, "notes.txt"), []byte("mine"), 0o644)
	before := outputtest.Snapshot(t, dest)
	_, err = w.Commit()
	want := "refusing to build into " + dest + ": it holds files Dossier did not write (notes.txt); " +
		"move files you want published into the site's static/ folder, or build into an empty folder"
	if err == nil || err.Error() != want {
		t.Fatalf("Commit: %v\nwant %s", err, want)
	}
	outputtest.Same(t, outputtest.Snapshot(t, dest), before)
	noLeftovers(t, dest)
}

func TestSwapWithoutAtomicExchange(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, siteA)
	age(t, dest)
	before := outputtest.Snapshot(t, dest)
	w, err := Open(dest, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w.exchange = func(a, b string) error { return errExchangeUnsupported }
	for k, v := range siteA {
		w.WriteFile(k, []byte(v))
	}
	w.WriteFile("extra.html", []byte("x"))
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	noLeftovers(t, dest)
	after := outputtest.Snapshot(t, dest)
	delete(after, "extra.html")
	delete(after, ManifestName)
	delete(before, ManifestName)
	outputtest.Same(t, after, before)
}

func TestRecoverFromKilledSwap(t *testing.T) {
	// A build killed between the two renames of the fallback swap leaves
	// the previous tree aside and no destination; the next Open puts it back.
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	build(t, dest, siteA)
	age(t, dest)
	before := outputtest.Snapshot(t, dest)
	dead := deadPID(t)
	aside := filepath.Join(parent, ".public.dossier-old-"+strconv.Itoa(dead)+"-123")
	if err := os.Rename(dest, aside); err != nil {
		t.Fatal(err)
	}
	staged := filepath.Join(parent, ".public.dossier-new-"+strconv.Itoa(dead)+"-456")
	os.MkdirAll(filepath.Join(staged, "briefings"), 0o755)
	os.WriteFile(filepath.Join(staged, "index.html"), []byte("half"), 0o644)

	w, err := Open(dest, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	outputtest.Same(t, outputtest.Snapshot(t, dest), before)
	w.Abort()
	noLeftovers(t, dest)
}

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	name, err := exec.LookPath("true")
	if err != nil {
		name, err = os.Args[0], nil
	}
	cmd := exec.Command(name, "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func TestRefusals(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	site := t.TempDir()
	file := filepath.Join(t.TempDir(), "public")
	os.WriteFile(file, []byte("x"), 0o644)
	foreign := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(foreign, 0o755)
	for i := range 7 {
		os.WriteFile(filepath.Join(foreign, fmt.Sprintf("f%d.txt", i)), nil, 0o644)
	}
	busy := filepath.Join(t.TempDir(), "public")
	// pid 1 always runs.
	os.MkdirAll(filepath.Join(filepath.Dir(busy), ".public.dossier-new-1-99"), 0o755)
	link := filepath.Join(t.TempDir(), "link")
	os.Symlink(site, link)

	for _, tc := range []struct {
		name, dest, src, want string
	}{
		{"root", "/", site, "refusing to build into /: it is the root of the file system; choose a folder such as public/"},
		{"home", home, site, "refusing to build into " + home + ": it is your home folder; choose a folder such as public/"},
		{"the source", site, site, "refusing to build into " + site + ": it holds the site's source; choose a folder inside it such as public/"},
		{"a folder around the source", filepath.Dir(site), site, "refusing to build into " + filepath.Dir(site) + ": it holds the site's source; choose a folder inside it such as public/"},
		{"the source through a link", link, site, "refusing to build into " + link + ": it holds the site's source; choose a folder inside it such as public/"},
		{"a file", file, site, "refusing to build into " + file + ": it is a file, not a folder; remove it or choose another destination with -d"},
		{"foreign files", foreign, site, "refusing to build into " + foreign + ": it holds files Dossier did not write (f0.txt, f1.txt, f2.txt, f3.txt, f4.txt and 2 more); " +
			"move files you want published into the site's static/ folder, or build into an empty folder"},
		{"another build", busy, site, "refusing to build into " + busy + ": another dossier build (process 1) is writing it; wait for it to finish " +
			"(if no build is running, remove " + filepath.Join(filepath.Dir(busy), ".public.dossier-new-1-99") + ")"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := filepath.Dir(tc.dest)
			var before outputtest.Tree
			if tc.name != "root" && tc.name != "a folder around the source" {
				before = outputtest.Snapshot(t, parent)
			}
			w, err := Open(tc.dest, tc.src)
			if err == nil {
				w.Abort()
				t.Fatal("Open succeeded")
			}
			if err.Error() != tc.want {
				t.Errorf("got  %s\nwant %s", err, tc.want)
			}
			if before != nil {
				outputtest.Same(t, outputtest.Snapshot(t, parent), before)
			}
		})
	}
}

func TestDestinationThroughALink(t *testing.T) {
	parent := t.TempDir()
	real := filepath.Join(parent, "www")
	os.Mkdir(real, 0o750)
	link := filepath.Join(parent, "public")
	os.Symlink(real, link)
	build(t, link, siteA)
	build(t, link, map[string]string{"index.html": "B"})
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(real, "index.html")); string(b) != "B" {
		t.Errorf("index.html = %q", b)
	}
	if info, _ := os.Stat(real); info.Mode().Perm() != 0o750 {
		t.Errorf("destination mode %v, want the 0750 it had", info.Mode().Perm())
	}
}

func TestClaim(t *testing.T) {
	w, err := Open(filepath.Join(t.TempDir(), "public"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, rel := range []string{"", "../x", "a/../../x", "/etc/passwd", "a//b", "a\\..\\b", "a\x00b", ManifestName, ".", "a/"} {
		if err := w.WriteFile(rel, nil); err == nil || !strings.Contains(err.Error(), "not a file path inside the destination") {
			t.Errorf("WriteFile(%q): %v", rel, err)
		}
	}
	if err := w.WriteFile("a/b", nil); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteFile("a/b", nil); err == nil || err.Error() != "write a/b: two parts of the site want to write this file (a page and a static file with the same path?)" {
		t.Errorf("twice: %v", err)
	}
	if err := w.WriteFile("a/b/c", nil); err == nil || err.Error() != "write a/b/c: a/b is already a file of the site, so it cannot also be a folder" {
		t.Errorf("file as folder: %v", err)
	}
}

func TestConcurrentWrites(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	w, err := Open(dest, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			if err := w.WriteFile(fmt.Sprintf("d%d/p%d/index.html", i%7, i), []byte(strconv.Itoa(i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if st, err := w.Commit(); err != nil || st.Written != 200 {
		t.Fatalf("%+v %v", st, err)
	}
}

// TestKilledAnywhere kills a process that builds the same destination over
// and over, alternating between two sites, at random moments, and asserts
// each time that the destination holds one whole site or the other, never a
// mix, and that the next build cleans up after the dead one.
func TestKilledAnywhere(t *testing.T) {
	if os.Getenv("DOSSIER_OUTPUT_HELPER") != "" {
		t.Skip("helper process")
	}
	if testing.Short() {
		t.Skip("kills processes; slow")
	}
	dest := filepath.Join(t.TempDir(), "public")
	sites := [2]map[string]string{helperSite(0), helperSite(1)}
	build(t, dest, sites[0])
	whole := func() (int, string) {
		got := outputtest.Snapshot(t, dest)
		delete(got, ".")
		for i, s := range sites {
			if treeIs(got, s) {
				return i, ""
			}
		}
		var names []string
		for n := range got {
			names = append(names, n)
		}
		slices.Sort(names)
		return -1, strings.Join(names, " ")
	}
	for round := range 12 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperBuilder$")
		cmd.Env = append(os.Environ(), "DOSSIER_OUTPUT_HELPER="+dest)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the helper has committed once, so that the kill
		// lands while it builds, then at a random moment of its next builds.
		if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
			t.Fatalf("helper: %v", err)
		}
		time.Sleep(time.Duration(rand.IntN(40)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		if i, mix := whole(); i < 0 {
			t.Fatalf("round %d: destination is not one whole build: %s", round, mix)
		}
		build(t, dest, sites[round%2])
		if i, _ := whole(); i != round%2 {
			t.Fatalf("round %d: the build after the kill did not take", round)
		}
	}
}

// helperSite returns one of two sites that share some files and differ in
// others, with enough files that a commit takes a while.
func helperSite(n int) map[string]string {
	files := map[string]string{}
	for i := range 150 {
		files[fmt.Sprintf("briefings/b%03d/index.html", i)] = fmt.Sprintf("briefing %d of site %d", i, n*(i%2))
	}
	files[fmt.Sprintf("only-%d/index.html", n)] = "only in site " + strconv.Itoa(n)
	return files
}

func treeIs(got outputtest.Tree, files map[string]string) bool {
	n := 0
	for name, e := range got {
		if e.Mode.IsDir() || name == ManifestName {
			continue
		}
		if files[name] != e.Data {
			return false
		}
		n++
	}
	return n == len(files)
}

// TestHelperBuilder is the process TestKilledAnywhere kills: it builds the
// two sites in turn until it dies.
func TestHelperBuilder(t *testing.T) {
	dest := os.Getenv("DOSSIER_OUTPUT_HELPER")
	if dest == "" {
		t.Skip("run by TestKilledAnywhere")
	}
	for i := 0; ; i++ {
		w, err := Open(dest, "/nonexistent/dossier-source")
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range helperSite(i % 2) {
			if err := w.WriteFile(name, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			fmt.Println("committed")
		}
	}
}

// TestWriterCopiesNames: the writer keeps its own copy of every file and
// folder name (in blocks of its own, see Writer.names), never the caller's
// string, which for a page is one small allocation among the renderer's
// garbage. A name handed over in a buffer that is then written over must
// still be the one the manifest lists and that a second write of it is
// refused under.
func TestWriterCopiesNames(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	w, err := Open(dest, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	buf := []byte("briefings/kim/index.html")
	rel := unsafe.String(unsafe.SliceData(buf), len(buf))
	if err := w.WriteFile(rel, []byte("kim")); err != nil {
		t.Fatal(err)
	}
	copy(buf, "briefings/xyz/index.html")
	if err := w.WriteFile("briefings/kim/index.html", []byte("again")); err == nil {
		t.Error("a second write of the first name was not refused: the writer kept the caller's bytes")
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	m, _ := os.ReadFile(filepath.Join(dest, ManifestName))
	if want := manifestHeader + "briefings/kim/index.html\n"; string(m) != want {
		t.Errorf("manifest:\n%s\nwant:\n%s", m, want)
	}
}
