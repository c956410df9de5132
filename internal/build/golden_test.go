package build

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGoldenPages compares whole rendered pages of the cross-linking fixture
// with files under testdata/golden. After an intended change to templates or
// conversion, run `go test ./internal/build -run TestGoldenPages -update`
// and review the diff.
func TestGoldenPages(t *testing.T) {
	src := writeSite(t, "testdata/sites/crosslink.txtar")
	out := buildSite(t, src, Options{})
	for golden, page := range map[string]string{
		"briefing.html": "briefings/visit/index.html",
		"topic.html":    "topics/military-cooperation/index.html",
		"entity.html":   "entities/kim-jong-un/index.html",
	} {
		t.Run(golden, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(out, page))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", golden)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (-want +got):\n%s", page, path, cmp.Diff(string(want), string(got)))
			}
		})
	}
}
