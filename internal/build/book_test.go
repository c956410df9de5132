package build

import (
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func TestMemoryIsAFileSystem(t *testing.T) {
	m := NewMemory()
	for name, data := range map[string]string{
		"index.html":                 "home",
		"briefings/x/index.html":     "x",
		"briefings/x/map.png":        "png",
		"assets/style.css":           "css",
		"briefings/y/deep/index.htm": "y",
	} {
		if err := m.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := fstest.TestFS(m, "index.html", "briefings/x/index.html", "briefings/x/map.png", "assets/style.css", "briefings/y/deep/index.htm"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", ".", "/abs", "../up", "briefings"} {
		if err := m.WriteFile(bad, nil); err == nil {
			t.Errorf("WriteFile(%q): want an error", bad)
		}
	}
}

func TestMemoryReplacesFilesWhileServing(t *testing.T) {
	m := NewMemory()
	if err := m.WriteFile("book/index.html", []byte("first")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 100 {
				if i%2 == 0 {
					if err := m.WriteFile("book/index.html", []byte(strings.Repeat("second", i))); err != nil {
						t.Error(err)
					}
					continue
				}
				b, err := fs.ReadFile(m, "book/index.html")
				if err != nil || !(string(b) == "first" || strings.HasPrefix(string(b), "second") || len(b) == 0) {
					t.Errorf("read %q, %v", b, err)
				}
			}
		})
	}
	wg.Wait()
}
