package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/site"
)

// decodedSitemap is a sitemap file read back with encoding/xml.
type decodedSitemap struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

func TestSitemaps(t *testing.T) {
	// A site of n briefings, and its jobs: the pages Plan would list.
	siteOf := func(n int) (*site.Site, []Job) {
		s := &site.Site{}
		jobs := []Job{{File: "index.html"}, {File: "404.html"}, {File: "briefings/index.html"}}
		for i := range n {
			b := &site.Briefing{Slug: fmt.Sprintf("b%03d", i), Date: time.Date(2024, 1, 1+i%28, 0, 0, 0, 0, time.UTC)}
			s.Briefings = append(s.Briefings, b)
			jobs = append(jobs, Job{File: PathOf(b) + "index.html"})
		}
		return s, jobs
	}
	for _, tc := range []struct {
		name      string
		briefings int
		baseURL   string
		limit     int
		maxBytes  int
		files     int // 1: a single urlset; more: an index and files-1 sitemaps; 0: an index, of as many as the size needs
	}{
		{"small", 10, "https://example.org/x/", SitemapLimit, sitemapMaxBytes, 1},
		{"small, relative", 10, "", SitemapLimit, sitemapMaxBytes, 1},
		{"exactly the limit", 9, "https://example.org/", 11, sitemapMaxBytes, 1},
		{"one past the limit", 10, "https://example.org/", 11, sitemapMaxBytes, 3},
		{"by count", 100, "https://example.org/x/", 25, sitemapMaxBytes, 6}, // 102 URLs: 25+25+25+25+2
		{"by count, relative", 100, "", 25, sitemapMaxBytes, 6},             //
		{"by size", 100, "https://example.org/x/", SitemapLimit, 2000, 0},   // as many as 2,000 bytes allow
		{"by count and size", 100, "https://example.org/", 30, 2500, 0},     //
		{"one a file", 5, "https://example.org/", 1, sitemapMaxBytes, 8},    // 7 URLs
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, jobs := siteOf(tc.briefings)
			files, err := sitemapFiles(sitemapURLs(s, jobs, tc.baseURL), tc.baseURL, tc.limit, tc.maxBytes)
			if err != nil {
				t.Fatal(err)
			}
			if tc.files > 0 && len(files) != tc.files || tc.files == 0 && len(files) < 3 {
				t.Errorf("%d files, want %d", len(files), tc.files)
			}
			if files[0].Name != "sitemap.xml" {
				t.Fatalf("first file is %s", files[0].Name)
			}
			byName := map[string][]byte{}
			for _, f := range files {
				if byName[f.Name] != nil {
					t.Errorf("%s twice", f.Name)
				}
				byName[f.Name] = f.Data
				if len(f.Data) > tc.maxBytes {
					t.Errorf("%s: %d bytes, more than %d", f.Name, len(f.Data), tc.maxBytes)
				}
				if !bytes.HasPrefix(f.Data, []byte(xml.Header)) {
					t.Errorf("%s has no XML declaration", f.Name)
				}
			}
			decode := func(name string) decodedSitemap {
				var d decodedSitemap
				if err := xml.NewDecoder(bytes.NewReader(byName[name])).Decode(&d); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if d.XMLName.Space != sitemapNS {
					t.Errorf("%s: namespace %q", name, d.XMLName.Space)
				}
				return d
			}
			seen := map[string]int{}
			urlset := func(name string) {
				d := decode(name)
				if d.XMLName.Local != "urlset" || len(d.Sitemaps) > 0 {
					t.Fatalf("%s: <%s> with %d sitemaps, want a urlset", name, d.XMLName.Local, len(d.Sitemaps))
				}
				if len(d.URLs) > tc.limit || len(d.URLs) == 0 {
					t.Errorf("%s: %d URLs, want 1 to %d", name, len(d.URLs), tc.limit)
				}
				for _, u := range d.URLs {
					seen[u.Loc]++
					if strings.Contains(u.Loc, "/briefings/b") != (u.LastMod != "") && tc.baseURL != "" {
						t.Errorf("%s: %s has lastmod %q", name, u.Loc, u.LastMod)
					}
				}
			}
			top := decode("sitemap.xml")
			switch top.XMLName.Local {
			case "urlset":
				if len(files) != 1 {
					t.Errorf("a urlset and %d other files", len(files)-1)
				}
				urlset("sitemap.xml")
			case "sitemapindex":
				if len(top.URLs) > 0 || len(top.Sitemaps) != len(files)-1 {
					t.Fatalf("index of %d sitemaps with %d URLs, for %d files", len(top.Sitemaps), len(top.URLs), len(files)-1)
				}
				for i, sm := range top.Sitemaps {
					name := fmt.Sprintf("sitemap-%d.xml", i+1)
					if sm.Loc != tc.baseURL+name {
						t.Errorf("index entry %d is %q, want %q", i, sm.Loc, tc.baseURL+name)
					}
					if byName[name] == nil {
						t.Fatalf("index names %s, which is not written", name)
					}
					urlset(name)
				}
			default:
				t.Fatalf("sitemap.xml is a <%s>", top.XMLName.Local)
			}
			// Every page but the 404 page, exactly once.
			for _, j := range jobs {
				loc := cmpOr(tc.baseURL+strings.TrimSuffix(j.File, "index.html"), "./")
				want := 1
				if j.File == "404.html" {
					loc, want = tc.baseURL+"404.html", 0
				}
				if seen[loc] != want {
					t.Errorf("%s listed %d times, want %d", loc, seen[loc], want)
				}
				delete(seen, loc)
			}
			for loc := range seen {
				t.Errorf("%s listed, which is no page", loc)
			}
		})
	}
}

// TestSitemapSmall: a site under the limit keeps the single sitemap.xml
// that Sitemap writes.
func TestSitemapSmall(t *testing.T) {
	s := &site.Site{}
	jobs := []Job{{File: "index.html"}, {File: "topics/index.html"}, {File: "404.html"}}
	var want bytes.Buffer
	if err := Sitemap(&want, s, jobs, "https://example.org/"); err != nil {
		t.Fatal(err)
	}
	files, err := Sitemaps(s, jobs, "https://example.org/", SitemapLimit)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name != "sitemap.xml" || !bytes.Equal(files[0].Data, want.Bytes()) {
		t.Errorf("Sitemaps gave %d files, want sitemap.xml as Sitemap writes it:\n%s", len(files), want.String())
	}
	const head = xml.Header + `<urlset xmlns="` + sitemapNS + `">
  <url>
    <loc>https://example.org/</loc>
  </url>`
	if !strings.HasPrefix(want.String(), head) {
		t.Errorf("sitemap.xml starts\n%s\nwant\n%s", want.String(), head)
	}
}

// TestSitemapEntryTooLarge: an entry that alone is over the size limit is
// an error, not a file the protocol forbids.
func TestSitemapEntryTooLarge(t *testing.T) {
	urls := []sitemapURL{{Loc: "https://example.org/" + strings.Repeat("a", 500) + "/"}}
	if _, err := sitemapFiles(urls, "https://example.org/", 10, 300); err == nil {
		t.Error("no error")
	}
}
