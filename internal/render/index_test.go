package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/site"
)

func TestPageGroups(t *testing.T) {
	groups := []site.EntityGroup{
		{Type: "person", Entities: make([]*site.Entity, 3)},
		{Type: "place", Entities: make([]*site.Entity, 4)},
	}
	for _, tc := range []struct {
		n, size int
		want    string
	}{
		{1, 10, "person:3 place:4"},
		{1, 3, "person:3"},
		{2, 3, "place:3"},
		{3, 3, "place:1"},
		{1, 5, "person:3 place:2"},
		{2, 5, "place:2"},
		{3, 5, ""},
	} {
		var got []string
		for _, g := range pageGroups(groups, tc.n, tc.size) {
			got = append(got, fmt.Sprintf("%s:%d", g.Type, len(g.Entities)))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("pageGroups(%d, %d) = %v, want %s", tc.n, tc.size, got, tc.want)
		}
	}
}

// TestEntityIndexPages: past entityIndexSize entities the entity index
// continues on entities/page/2/, …, each page listing its share, linked by
// a pager; a smaller site keeps one page without a pager.
func TestEntityIndexPages(t *testing.T) {
	r, err := Load([]Layer{{FS: defaultTemplates(), Name: defaultLayer, embedded: true}})
	if err != nil {
		t.Fatal(err)
	}
	types := []string{"person", "organization", "place"}
	for _, count := range []int{entityIndexSize, 2*entityIndexSize + 1} {
		s := &site.Site{Config: config.Config{Title: "T", PageSize: 50}}
		for i := range count {
			s.Entities = append(s.Entities, &site.Entity{Slug: fmt.Sprintf("e%05d", i), Name: fmt.Sprintf("E%05d", i), Type: types[i%3]})
		}
		seen := map[string]int{}
		pages := 0
		for _, j := range Plan(s, Options{}) {
			if j.File != "entities/index.html" && !strings.HasPrefix(j.File, "entities/page/") {
				continue
			}
			pages++
			p := j.Data()
			n := 0
			for _, g := range p.Groups {
				for _, e := range g.Entities {
					seen[e.Slug]++
					n++
				}
			}
			if n > entityIndexSize {
				t.Errorf("%s lists %d entities", j.File, n)
			}
			var buf bytes.Buffer
			if err := r.Execute(&buf, p); err != nil {
				t.Fatal(err)
			}
			hasPager := strings.Contains(buf.String(), `<nav class="pager"`)
			if hasPager != (count > entityIndexSize) {
				t.Errorf("%d entities: %s has a pager: %v", count, j.File, hasPager)
			}
			if count > entityIndexSize && j.File == "entities/index.html" && !strings.Contains(buf.String(), `href="../entities/page/2/"`) {
				t.Errorf("%s does not link page 2", j.File)
			}
		}
		if want := (count + entityIndexSize - 1) / entityIndexSize; pages != want {
			t.Errorf("%d entities: %d index pages, want %d", count, pages, want)
		}
		if len(seen) != count {
			t.Errorf("%d entities: %d listed", count, len(seen))
		}
		for slug, n := range seen {
			if n != 1 {
				t.Errorf("%s listed %d times", slug, n)
			}
		}
	}
}
