package cli

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptLeavesOutput presses Ctrl-C (sends SIGINT) to real
// `dossier build` processes at random moments of a build that rewrites
// every page, and asserts that each interrupted build leaves the previous
// output exactly as it was (bytes and modification times), and each build
// that finished first leaves the complete new output.
func TestInterruptLeavesOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs many builds")
	}
	bin, err := exec.LookPath("dossier")
	if err != nil {
		t.Skipf("the dossier command of TestMain is not on PATH: %v", err)
	}
	site := t.TempDir()
	writeVersionedSite(t, site, "A")
	if status := Main([]string{"build", "-s", site}, new(bytes.Buffer), new(bytes.Buffer)); status != 0 {
		t.Fatal("first build failed")
	}
	out := filepath.Join(site, "public")
	version := "A"

	// How long a whole build takes, to spread the signals over it.
	writeVersionedSite(t, site, "B")
	start := time.Now()
	if err := exec.Command(bin, "build", "-s", site).Run(); err != nil {
		t.Fatal(err)
	}
	full := time.Since(start)
	version = "B"
	t.Logf("a build takes %v", full)

	interrupted, finished := 0, 0
	for round := 0; round < 8 || interrupted < 3; round++ {
		if round == 40 {
			t.Fatalf("after 40 rounds, %d builds were interrupted and %d finished", interrupted, finished)
		}
		next := map[string]string{"A": "B", "B": "A"}[version]
		writeVersionedSite(t, site, next)
		ageFiles(t, out)
		before := snapshotFiles(t, out)

		cmd := exec.Command(bin, "build", "-s", site)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(full))))
		cmd.Process.Signal(os.Interrupt)
		err := cmd.Wait()
		status := 0
		if ee, ok := err.(*exec.ExitError); ok {
			status = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				status = -1 // killed while no handler was installed
			}
		}
		switch status {
		case 0:
			finished++
			version = next
			if got := pageVersion(t, out); got != next {
				t.Fatalf("round %d: build finished but the output is version %s, want %s", round, got, next)
			}
		case 1:
			interrupted++
			if stderr.String() != "dossier: interrupted\n" {
				t.Errorf("round %d: stderr %q", round, stderr.String())
			}
			if diff := compareFiles(snapshotFiles(t, out), before); diff != "" {
				t.Fatalf("round %d: interrupted build changed the output: %s", round, diff)
			}
		case -1:
			// The signal came while no handler was installed: before the
			// build began, or after it ended. Either way the output is one
			// whole version.
			if compareFiles(snapshotFiles(t, out), before) != "" {
				if got := pageVersion(t, out); got != next {
					t.Fatalf("round %d: killed by the signal, and the output is version %s, want %s or untouched", round, got, next)
				}
				version = next
			}
		default:
			t.Fatalf("round %d: exit status %d: %s", round, status, stderr.String())
		}
		entries, _ := os.ReadDir(site)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".dossier-") {
				t.Fatalf("round %d: left behind: %s", round, e.Name())
			}
		}
	}
	t.Logf("%d builds interrupted, %d finished", interrupted, finished)
}

// writeVersionedSite writes a site of 150 briefings whose every page says version v.
func writeVersionedSite(t *testing.T, dir, v string) {
	t.Helper()
	files := map[string]string{
		"dossier.toml":                    "title = \"Interrupt\"\n",
		"content/entities/kim-jong-un.md": "---\nname: Kim Jong Un\n---\nVersion " + v + ".\n",
	}
	for i := range 150 {
		files[fmt.Sprintf("content/briefings/2023-01-01-b%03d.md", i)] = fmt.Sprintf(
			"---\ntitle: Briefing %d\ndate: 2023-01-%02d\n---\nKim Jong Un, version %s.\n\n## Part\n\nText %d.\n", i, i%28+1, v, i)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pageVersion reads which version of the site the output holds, and
// checks that every briefing page holds the same one.
func pageVersion(t *testing.T, out string) string {
	t.Helper()
	seen := map[string]bool{}
	for i := range 150 {
		b, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("briefings/b%03d/index.html", i)))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"A", "B"} {
			if bytes.Contains(b, []byte("version "+v+".")) {
				seen[v] = true
			}
		}
	}
	if len(seen) != 1 {
		t.Fatalf("the output mixes versions: %v", seen)
	}
	for v := range seen {
		return v
	}
	return ""
}

type fileState struct {
	data  string
	mtime time.Time
}

func snapshotFiles(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = fileState{string(b), info.ModTime()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// compareFiles describes the first difference between two snapshots, or "".
func compareFiles(got, want map[string]fileState) string {
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			return name + " is gone"
		case g.data != w.data:
			return name + " has other bytes"
		case !g.mtime.Equal(w.mtime):
			return name + " was rewritten"
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			return name + " appeared"
		}
	}
	return ""
}

func ageFiles(t *testing.T, dir string) {
	t.Helper()
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, old, old)
		}
		return err
	})
}
