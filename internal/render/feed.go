package render

import (
	"encoding/xml"
	"io"
	"time"

	"github.com/dossier-dev/dossier/internal/site"
)

// feedSize is how many of the newest briefings the Atom feed carries.
const feedSize = 20

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	Title    string     `xml:"title"`
	ID       string     `xml:"id"`
	Updated  string     `xml:"updated"`
	Link     atomLink   `xml:"link"`
	Summary  string     `xml:"summary,omitempty"`
	Authors  []atomName `xml:"author"`
	Category []atomCat  `xml:"category"`
}

type atomName struct {
	Name string `xml:"name"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// Feed writes the Atom feed of the newest briefings. Without a base URL, ids
// are tag-free URNs and links are relative to the feed, which feed readers
// resolve against the feed's own address.
func Feed(w io.Writer, s *site.Site, baseURL string) error {
	f := atomFeed{Title: s.Config.Title, ID: idFor(baseURL, "")}
	f.Links = []atomLink{{Rel: "self", Href: baseURL + "feed.xml"}, {Href: cmpOr(baseURL, "./")}}
	var newest time.Time
	for i, b := range s.Briefings {
		if i == feedSize {
			break
		}
		if b.Date.After(newest) {
			newest = b.Date
		}
		e := atomEntry{Title: b.Title, ID: idFor(baseURL, PathOf(b)), Updated: b.Date.Format(time.RFC3339),
			Link: atomLink{Href: baseURL + PathOf(b)}, Summary: b.Summary}
		for _, a := range b.Authors {
			e.Authors = append(e.Authors, atomName{a})
		}
		for _, t := range b.Topics {
			e.Category = append(e.Category, atomCat{t.Title})
		}
		f.Entries = append(f.Entries, e)
	}
	// The feed's date is its newest entry's, not the clock's, so that the
	// same content always gives the same bytes.
	f.Updated = newest.Format(time.RFC3339)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func idFor(baseURL, path string) string {
	if baseURL != "" {
		return baseURL + path
	}
	return "urn:dossier:" + cmpOr(path, "site")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL
}

type sitemapURL struct {
	XMLName xml.Name `xml:"url"`
	Loc     string   `xml:"loc"`
	LastMod string   `xml:"lastmod,omitempty"`
}

// Sitemap writes sitemap.xml listing every page folder of jobs. The sitemap
// protocol wants absolute URLs; without a base URL the locations are
// relative to the site root, which search engines will not accept, so set
// baseURL (or --base-url) for a public deploy.
func Sitemap(w io.Writer, s *site.Site, jobs []Job, baseURL string) error {
	dates := map[string]string{}
	for _, b := range s.Briefings {
		dates[PathOf(b)+"index.html"] = b.Date.Format("2006-01-02")
	}
	var u urlset
	for _, j := range jobs {
		if j.File == "404.html" {
			continue
		}
		loc := j.File[:len(j.File)-len("index.html")]
		u.URLs = append(u.URLs, sitemapURL{Loc: cmpOr(baseURL+loc, "./"), LastMod: dates[j.File]})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(u); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
