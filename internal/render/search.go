package render

import (
	"context"
	"slices"

	"github.com/dossier-dev/dossier/internal/search"
	"github.com/dossier-dev/dossier/internal/site"
)

// SearchView is the search page's content. The page itself is a form and
// an empty result list; search.js fills it from the index that SearchIndex
// builds, which the build writes under search/.
type SearchView struct {
	// Root leads from the search page to the site root, for result links.
	Root string
	// Offline result links name index.html, as every other link does.
	Offline bool
	// Kinds are the filters, one per kind of document the site has.
	Kinds []SearchKind
}

// SearchKind is one filter of the search page.
type SearchKind struct {
	Name  string // "briefing"
	Label string // "Briefings"
	Count int    // documents of the kind
}

func (pb *planner) search() *Page {
	p := pb.page("search", "Search", "search/")
	p.Description = "Search every briefing, entity and topic of " + pb.s.Config.Title
	v := &SearchView{Root: p.root, Offline: p.offline}
	counts := map[string]int{"briefing": len(pb.s.Briefings), "entity": len(pb.s.Entities),
		"topic": len(pb.s.Topics), "page": len(pb.s.Pages)}
	for _, k := range search.Kinds {
		if counts[k.Name] > 0 {
			v.Kinds = append(v.Kinds, SearchKind{Name: k.Name, Label: k.Label, Count: counts[k.Name]})
		}
	}
	p.Search = v
	return p
}

// SearchIndex builds the search index of a site in memory, for tests and
// measurements; a build writes it with WriteSearchIndex or keeps it up to
// date with UpdateSearchIndex. Its files go under search/ beside the
// search page.
func SearchIndex(ctx context.Context, s *site.Site) (*search.Index, error) {
	return search.Build(ctx, SearchDocs(s), search.Options{})
}

// WriteSearchIndex writes the search index of a site through write, each
// file (named relative to search/) as soon as it is ready; write is called
// from several goroutines at once. It holds no more than a few documents'
// text at a time.
func WriteSearchIndex(ctx context.Context, s *site.Site, write func(name string, data []byte) error) error {
	_, err := search.Write(ctx, SearchDocs(s), search.Options{}, write)
	return err
}

// UpdateSearchIndex brings ix up to date with the site: it indexes again
// only the documents that changed, writes through write (when not nil)
// the files whose bytes changed, and returns every file of the index.
//
// Each document's key stands for its converted content. sums, when not
// nil, gives a digest of the conversion of the document at a source path
// (and whether it has one), which spares hashing every document's HTML;
// otherwise the key hashes the compressed HTML (blob.Blob.Sum64).
func UpdateSearchIndex(ctx context.Context, s *site.Site, ix *search.Indexer, sums func(path string) (uint64, bool), write func(name string, data []byte) error) ([]search.File, error) {
	return ix.Update(ctx, searchDocs(s, &sums), write)
}

// SearchDocs turns the site's documents into search documents: briefings
// oldest first (so that adding a briefing leaves the names of the existing
// record packs alone), then entities, topics and plain pages. Their HTML
// is read (and decompressed) only when the index asks for it.
func SearchDocs(s *site.Site) []search.Doc { return searchDocs(s, nil) }

// searchDocs is SearchDocs, with keys when sums is not nil (see
// UpdateSearchIndex). A build has no use for keys, and its HTML may be on
// disk (blob.Spool).
func searchDocs(s *site.Site, sums *func(path string) (uint64, bool)) []search.Doc {
	key := func(d *search.Doc, path string, c *site.Content) {
		if sums != nil {
			d.Key = contentKey(*sums, path, c)
		}
	}
	docs := make([]search.Doc, 0, len(s.Briefings)+len(s.Entities)+len(s.Topics)+len(s.Pages))
	// A rebuild makes these documents anew for every edit: the date and
	// path of a briefing take one allocation, its headings come from one
	// slice for all.
	var heads []string
	var buf []byte
	for _, b := range slices.Backward(s.Briefings) {
		buf = b.Date.AppendFormat(buf[:0], "2006-01-02")
		n := len(buf)
		buf = append(buf, "briefings/"...) // PathOf(b)
		buf = append(buf, b.Slug...)
		buf = append(buf, '/')
		dp := string(buf)
		d := search.Doc{Kind: "briefing", Title: b.Title, Date: dp[:n], Path: dp[n:], Meta: b.Location,
			HTML: contentHTML{&b.Content}}
		if !b.AutoSummary {
			// An automatic summary is the first paragraph, which the body
			// already holds.
			d.Summary = b.Summary
		}
		if len(b.Headings) > 0 {
			if cap(heads)-len(heads) < len(b.Headings) {
				heads = make([]string, 0, max(1024, len(b.Headings)))
			}
			first := len(heads)
			for _, h := range b.Headings {
				heads = append(heads, h.Text)
			}
			d.Headings = heads[first:len(heads):len(heads)]
		}
		key(&d, b.Path, &b.Content)
		docs = append(docs, d)
	}
	for _, e := range s.Entities {
		d := search.Doc{Kind: "entity", Title: e.Name, Names: e.Aliases, Path: PathOf(e),
			Meta: typeName(e.Type), Summary: e.Summary, HTML: contentHTML{&e.Content}}
		key(&d, e.Path, &e.Content)
		docs = append(docs, d)
	}
	for _, t := range s.Topics {
		d := search.Doc{Kind: "topic", Title: t.Title, Names: t.Aliases, Path: PathOf(t),
			Summary: t.Summary, HTML: contentHTML{&t.Content}}
		key(&d, t.Path, &t.Content)
		docs = append(docs, d)
	}
	for _, p := range s.Pages {
		d := search.Doc{Kind: "page", Title: p.Title, Path: PathOf(p), Summary: p.Summary,
			HTML: contentHTML{&p.Content}}
		key(&d, p.Path, &p.Content)
		docs = append(docs, d)
	}
	return docs
}

// contentHTML gives a converted body and its footnotes as one piece of
// HTML. It is one pointer: a search document holds it without allocating.
type contentHTML struct{ c *site.Content }

// AppendHTML appends the HTML to dst.
func (h contentHTML) AppendHTML(dst []byte) []byte {
	for _, sec := range h.c.Sections {
		dst = sec.HTML.AppendTo(dst)
		dst = append(dst, '\n')
	}
	return h.c.Footnotes.AppendTo(dst)
}

// contentKey is the key of a search document: a hash of its converted
// content, from sums when it knows the document's source path, else from
// the compressed HTML. The Indexer compares the other fields itself.
func contentKey(sums func(string) (uint64, bool), path string, c *site.Content) uint64 {
	h := uint64(len(c.Sections))
	mix := func(v uint64) {
		h = (h ^ v) * 0x9e3779b97f4a7c15
		h ^= h >> 32
	}
	if sums != nil && path != "" {
		if sum, ok := sums(path); ok {
			mix(sum)
			return h | 1
		}
	}
	mix(2) // no sum: the blobs'
	for _, sec := range c.Sections {
		mix(sec.HTML.Sum64())
	}
	mix(c.Footnotes.Sum64())
	return h | 1 // never 0, which means unknown
}
