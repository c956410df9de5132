package build

import (
	"bytes"
	"context"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestRebuildSearchIndex follows the search index through rebuilds: after
// every step the site equals a full build, Changed and Removed list exactly
// the files that are new, changed or gone since the last successful
// rebuild, and an edit of one briefing changes few files of the index. One
// step fails after the index was brought up to date (a template that
// fails as it runs); the next must still report what changed since the
// last good site.
func TestRebuildSearchIndex(t *testing.T) {
	dir := siteDir(t, rebuildSite)
	opts := SessionOptions{Live: true}
	sess := NewSession(os.DirFS(dir), opts)
	ctx := context.Background()
	first, err := sess.Rebuild(ctx, Changes{All: true})
	if err != nil {
		t.Fatal(err)
	}
	visit := "content/briefings/2023-09-13-visit.md"
	good := first.Files
	searchFiles := func(files map[string][]byte) int {
		n := 0
		for f := range files {
			if strings.HasPrefix(f, "search/") && f != "search/index.html" {
				n++
			}
		}
		return n
	}
	if n := searchFiles(good); n < 3 {
		t.Fatalf("the index has %d files", n)
	}
	for i, st := range []struct {
		name       string
		do         func() []string
		fails      bool
		mostSearch int // search files that may change; -1: any
	}{
		{"nothing changed", func() []string { return []string{visit} }, false, 0},
		{"edit a briefing's text", func() []string {
			editFile(t, dir, visit, "The weather was fine.", "The weather was grey and cold.")
			return []string{visit}
		}, false, 4},
		{"edit a briefing and break a template as it runs", func() []string {
			editFile(t, dir, visit, "The weather was grey and cold.", "The weather was wet.")
			writeFile(t, dir, "templates/404.html", `{{define "main"}}<p>{{index .Site.Title 99}}</p>{{end}}`+"\n")
			return []string{visit, "templates/404.html"}
		}, true, 0},
		{"fix the template", func() []string {
			removeAll(t, dir, "templates")
			return []string{"templates"}
		}, false, 4},
		{"add a briefing", func() []string {
			p := "content/briefings/2024-03-01-veto.md"
			writeFile(t, dir, p, "---\ntitle: The Veto\ndate: 2024-03-01\n---\nRussia vetoed the zyzzyva resolution.\n")
			return []string{p}
		}, false, -1},
		{"delete a briefing", func() []string {
			removeAll(t, dir, "content/briefings/2024-01-02-quiet.md")
			return []string{"content/briefings/2024-01-02-quiet.md"}
		}, false, -1},
		{"retitle an entity", func() []string {
			editFile(t, dir, "content/entities/vladivostok.md", "name: Vladivostok", "name: Vladivostok City\naliases: [Vladivostok]")
			return []string{"content/entities/vladivostok.md"}
		}, false, -1},
	} {
		upd, err := sess.Rebuild(ctx, Changes{Paths: st.do()})
		if st.fails {
			if err == nil {
				t.Fatalf("step %d, %s: the rebuild did not fail", i+1, st.name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %d, %s: %v", i+1, st.name, err)
		}
		want, err := fullBuild(t, dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		sameSite(t, st.name, upd.Files, want)
		var changed, removed []string
		for f, b := range upd.Files {
			if o, ok := good[f]; !ok || !bytes.Equal(o, b) {
				changed = append(changed, f)
			}
		}
		for f := range good {
			if _, ok := upd.Files[f]; !ok {
				removed = append(removed, f)
			}
		}
		slices.Sort(changed)
		slices.Sort(removed)
		if !slices.Equal(upd.Changed, changed) {
			t.Errorf("step %d, %s: Changed = %q, want %q", i+1, st.name, upd.Changed, changed)
		}
		if !slices.Equal(upd.Removed, removed) {
			t.Errorf("step %d, %s: Removed = %q, want %q", i+1, st.name, upd.Removed, removed)
		}
		n := 0
		for _, f := range changed {
			if strings.HasPrefix(f, "search/") && f != "search/index.html" {
				n++
			}
		}
		if st.mostSearch >= 0 && n > st.mostSearch {
			t.Errorf("step %d, %s: %d of %d files of the index changed, want at most %d", i+1, st.name, n, searchFiles(upd.Files), st.mostSearch)
		}
		if st.name == "fix the template" && n == 0 {
			t.Errorf("step %d, %s: the index did not change since the last good site, but the briefing did", i+1, st.name)
		}
		t.Logf("step %d, %s: %d of %d index files changed; %d files changed, %d removed", i+1, st.name, n,
			searchFiles(upd.Files), len(changed), len(removed))
		good = maps.Clone(upd.Files)
	}
}
