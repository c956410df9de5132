package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
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

// The limits of the sitemaps protocol (sitemaps.org): a sitemap file lists
// at most 50,000 URLs and is at most 50 MB (52,428,800 bytes) uncompressed.
const (
	SitemapLimit    = 50_000
	sitemapMaxBytes = 50 << 20
)

// SitemapFile is a file of the sitemap, at the site root.
type SitemapFile struct {
	Name string // "sitemap.xml", "sitemap-1.xml", …
	Data []byte
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

type sitemapIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapRef
}

type sitemapRef struct {
	XMLName xml.Name `xml:"sitemap"`
	Loc     string   `xml:"loc"`
}

// Sitemap writes sitemap.xml listing every page folder of jobs in one file,
// however many there are; Sitemaps splits a large sitemap as the protocol
// requires.
func Sitemap(w io.Writer, s *site.Site, jobs []Job, baseURL string) error {
	return writeXML(w, urlset{URLs: sitemapURLs(s, jobs, baseURL)})
}

// Sitemaps returns the sitemap of every page folder of jobs. The sitemap
// protocol wants absolute URLs; without a base URL the locations are
// relative to the site root, which search engines will not accept, so set
// baseURL (or --base-url) for a public deploy.
//
// A site of at most limit pages (SitemapLimit for the protocol's 50,000)
// whose list stays under 50 MB gets one file, sitemap.xml. A larger one
// gets a sitemap index as sitemap.xml, which lists sitemap-1.xml,
// sitemap-2.xml, … (by baseURL, or relative to the site root like the
// pages), each with at most limit pages and under 50 MB, in the order of
// jobs.
func Sitemaps(s *site.Site, jobs []Job, baseURL string, limit int) ([]SitemapFile, error) {
	return sitemapFiles(sitemapURLs(s, jobs, baseURL), baseURL, limit, sitemapMaxBytes)
}

// sitemapURLs lists the page folders of jobs, with the date of each
// briefing's page.
func sitemapURLs(s *site.Site, jobs []Job, baseURL string) []sitemapURL {
	dates := make(map[string]string, len(s.Briefings))
	for _, b := range s.Briefings {
		dates[PathOf(b)+"index.html"] = b.Date.Format("2006-01-02")
	}
	urls := make([]sitemapURL, 0, len(jobs))
	for _, j := range jobs {
		if j.File == "404.html" {
			continue
		}
		loc := j.File[:len(j.File)-len("index.html")]
		urls = append(urls, sitemapURL{Loc: cmpOr(baseURL+loc, "./"), LastMod: dates[j.File]})
	}
	return urls
}

// sitemapFiles makes the sitemap files of urls, at most limit URLs and
// maxBytes bytes a file.
func sitemapFiles(urls []sitemapURL, baseURL string, limit, maxBytes int) ([]SitemapFile, error) {
	limit = max(limit, 1)
	if len(urls) <= limit {
		data, err := xmlBytes(urlset{URLs: urls})
		if err != nil {
			return nil, err
		}
		if len(data) <= maxBytes {
			return []SitemapFile{{Name: "sitemap.xml", Data: data}}, nil
		}
	}
	var parts [][]byte
	var split func(urls []sitemapURL) error
	split = func(urls []sitemapURL) error {
		data, err := xmlBytes(urlset{URLs: urls})
		if err != nil {
			return err
		}
		if len(data) > maxBytes {
			if len(urls) == 1 {
				return fmt.Errorf("the sitemap entry for %s alone is more than %d bytes", urls[0].Loc, maxBytes)
			}
			if err := split(urls[:len(urls)/2]); err != nil {
				return err
			}
			return split(urls[len(urls)/2:])
		}
		parts = append(parts, data)
		return nil
	}
	for lo := 0; lo < len(urls); lo += limit {
		if err := split(urls[lo:min(lo+limit, len(urls))]); err != nil {
			return nil, err
		}
	}
	files := make([]SitemapFile, 0, len(parts)+1)
	var index sitemapIndex
	for i, data := range parts {
		name := "sitemap-" + strconv.Itoa(i+1) + ".xml"
		index.Sitemaps = append(index.Sitemaps, sitemapRef{Loc: baseURL + name})
		files = append(files, SitemapFile{Name: name, Data: data})
	}
	data, err := xmlBytes(index)
	if err != nil {
		return nil, err
	}
	return append([]SitemapFile{{Name: "sitemap.xml", Data: data}}, files...), nil
}

func xmlBytes(v any) ([]byte, error) {
	var buf bytes.Buffer
	err := writeXML(&buf, v)
	return buf.Bytes(), err
}

// writeXML writes v as an indented XML document.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
