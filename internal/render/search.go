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

// SearchIndex builds the search index of a site: its files go under
// search/ beside the search page.
func SearchIndex(ctx context.Context, s *site.Site) (*search.Index, error) {
	return search.Build(ctx, SearchDocs(s), search.Options{})
}

// SearchDocs turns the site's documents into search documents: briefings
// oldest first (so that adding a briefing leaves the names of the existing
// records alone), then entities, topics and plain pages.
func SearchDocs(s *site.Site) []search.Doc {
	docs := make([]search.Doc, 0, len(s.Briefings)+len(s.Entities)+len(s.Topics)+len(s.Pages))
	for _, b := range slices.Backward(s.Briefings) {
		d := search.Doc{Kind: "briefing", Title: b.Title, Date: b.Date.Format("2006-01-02"), Path: PathOf(b),
			Meta: b.Location, HTML: contentHTML(b.Content)}
		if !b.AutoSummary {
			// An automatic summary is the first paragraph, which the body
			// already holds.
			d.Summary = b.Summary
		}
		for _, h := range b.Headings {
			d.Headings = append(d.Headings, h.Text)
		}
		docs = append(docs, d)
	}
	for _, e := range s.Entities {
		docs = append(docs, search.Doc{Kind: "entity", Title: e.Name, Names: e.Aliases, Path: PathOf(e),
			Meta: typeName(e.Type), Summary: e.Summary, HTML: contentHTML(e.Content)})
	}
	for _, t := range s.Topics {
		docs = append(docs, search.Doc{Kind: "topic", Title: t.Title, Names: t.Aliases, Path: PathOf(t),
			Summary: t.Summary, HTML: contentHTML(t.Content)})
	}
	for _, p := range s.Pages {
		docs = append(docs, search.Doc{Kind: "page", Title: p.Title, Path: PathOf(p), Summary: p.Summary,
			HTML: contentHTML(p.Content)})
	}
	return docs
}

// contentHTML is a converted body and its footnotes, as one piece of HTML.
func contentHTML(c site.Content) []byte {
	n := c.Footnotes.Len()
	for _, sec := range c.Sections {
		n += sec.HTML.Len() + 1
	}
	buf := make([]byte, 0, n)
	for _, sec := range c.Sections {
		buf = sec.HTML.AppendTo(buf)
		buf = append(buf, '\n')
	}
	return c.Footnotes.AppendTo(buf)
}
