package render_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/dossier-dev/dossier/internal/render"
)

// TestSitemapsOfSite splits the sitemap of a generated site with a small
// limit: every page of the plan but the 404 page is in exactly one file.
func TestSitemapsOfSite(t *testing.T) {
	m := loadCorpus(t, 60)
	const base = "https://example.org/s/"
	jobs := render.Plan(m.Site, render.Options{BaseURL: base})
	for _, limit := range []int{render.SitemapLimit, 40, 7} {
		files, err := render.Sitemaps(m.Site, jobs, base, limit)
		if err != nil {
			t.Fatal(err)
		}
		if want := len(jobs) - 1; (want <= limit) != (len(files) == 1) {
			t.Errorf("limit %d: %d pages in %d files", limit, want, len(files))
		}
		seen := map[string]int{}
		for _, f := range files {
			var d struct {
				XMLName xml.Name
				Locs    []string `xml:"url>loc"`
				Maps    []string `xml:"sitemap>loc"`
			}
			if err := xml.Unmarshal(f.Data, &d); err != nil {
				t.Fatalf("limit %d: %s: %v", limit, f.Name, err)
			}
			if len(d.Locs) > limit {
				t.Errorf("limit %d: %s lists %d URLs", limit, f.Name, len(d.Locs))
			}
			for _, l := range d.Locs {
				seen[l]++
			}
			if len(files) > 1 && f.Name == "sitemap.xml" && (d.XMLName.Local != "sitemapindex" || len(d.Maps) != len(files)-1) {
				t.Errorf("limit %d: sitemap.xml is a <%s> of %d sitemaps", limit, d.XMLName.Local, len(d.Maps))
			}
		}
		for _, j := range jobs {
			loc, want := base+strings.TrimSuffix(j.File, "index.html"), 1
			if j.File == "404.html" {
				want = 0
			}
			if seen[loc] != want {
				t.Errorf("limit %d: %s listed %d times", limit, loc, seen[loc])
			}
		}
		if len(seen) != len(jobs)-1 {
			t.Errorf("limit %d: %d URLs for %d pages", limit, len(seen), len(jobs)-1)
		}
	}
}
