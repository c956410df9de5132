package render

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/dossier-dev/dossier/internal/markdown"
	"github.com/dossier-dev/dossier/internal/site"
)

// Options say how pages link.
type Options struct {
	Offline bool   // folder links name their index.html
	BaseURL string // absolute URL of the site root with a trailing slash, or ""
	Live    bool   // pages are served by `dossier serve`
}

// Job is one page to render: its output file and how to make its data.
// Data is built lazily so that a parallel renderer holds only the pages it
// is working on.
type Job struct {
	File string // output path relative to the destination: "briefings/x/index.html"
	Data func() *Page
}

// Homepage limits.
const (
	homeLatest   = 10
	homeEntities = 15
	relatedMax   = 12
	topicsMax    = 12
	taggedMax    = 12
	// pagerWindow is how many page links a pager shows on each side of
	// the current page, besides the first and the last.
	pagerWindow = 2
	// entityIndexSize is how many entities the entity index lists on a
	// page. At 100,000 briefings (15,000 entities) one index would be
	// about 6.5 MB; a site with at most this many, about 860 KB at 430
	// bytes an entity, keeps its index on one page.
	entityIndexSize = 2000
)

// Plan lists every page of the site in a fixed order.
func Plan(s *site.Site, opts Options) []Job {
	pb := &planner{s: s, info: siteInfo(s, opts), opts: opts}
	var jobs []Job
	add := func(file string, f func() *Page) { jobs = append(jobs, Job{File: file, Data: f}) }

	add("index.html", pb.home)
	add("404.html", pb.notFound)
	size := max(s.Config.PageSize, 1)
	// The list of briefings and the time line hold pageSize briefings a
	// page, like topic and entity pages: at 10,000 briefings a single
	// page would be megabytes.
	for n := 1; n == 1 || (n-1)*size < len(s.Briefings); n++ {
		add(pagedPath("briefings/", n)+"index.html", func() *Page { return pb.list("briefings", "Briefings", n, size) })
	}
	for n := 1; n == 1 || (n-1)*size < len(s.Briefings); n++ {
		add(pagedPath("timeline/", n)+"index.html", func() *Page { return pb.list("timeline", "Timeline", n, size) })
	}
	add("topics/index.html", func() *Page {
		p := pb.page("topics", "Topics", "topics/")
		p.Topics = s.Topics
		return p
	})
	// The entity index is one page up to entityIndexSize entities.
	for n := 1; n == 1 || (n-1)*entityIndexSize < len(s.Entities); n++ {
		add(pagedPath("entities/", n)+"index.html", func() *Page { return pb.entityIndex(n) })
	}
	for _, b := range s.Briefings {
		add(PathOf(b)+"index.html", func() *Page { return pb.briefing(b) })
	}
	for _, t := range s.Topics {
		for n := 1; n == 1 || (n-1)*size < len(t.Sections); n++ {
			add(pagedPath(PathOf(t), n)+"index.html", func() *Page { return pb.topic(t, n, size) })
		}
	}
	for _, e := range s.Entities {
		for n := 1; n == 1 || (n-1)*size < len(e.Appearances); n++ {
			add(pagedPath(PathOf(e), n)+"index.html", func() *Page { return pb.entity(e, n, size) })
		}
	}
	for _, d := range s.Pages {
		add(PathOf(d)+"index.html", func() *Page { return pb.doc(d) })
	}

	// Search and the entity graph: see search.go and graph.go.
	add("search/index.html", pb.search)
	add("entities/graph/index.html", pb.entityGraph)
	return jobs
}

type planner struct {
	s    *site.Site
	info *SiteInfo
	opts Options
}

func (pb *planner) page(kind, title, path string) *Page {
	p := &Page{Site: pb.info, Kind: kind, Title: title, Path: path,
		Classification: pb.s.Config.Classification, root: rootFor(path), offline: pb.opts.Offline}
	if pb.opts.BaseURL != "" {
		p.Canonical = pb.opts.BaseURL + path
	}
	return p
}

// list is page n of the list of briefings or of the time line (kind is
// "briefings" or "timeline", which is also the folder).
func (pb *planner) list(kind, title string, n, size int) *Page {
	base := kind + "/"
	p := pb.page(kind, title, pagedPath(base, n))
	p.Months = months(page(pb.s.Briefings, n, size))
	p.Pager = pb.pager(p, base, n, size, len(pb.s.Briefings))
	return p
}

// entityIndex is page n of the entity index: every entity, by type then
// name, entityIndexSize a page.
func (pb *planner) entityIndex(n int) *Page {
	p := pb.page("entities", "Entities", pagedPath("entities/", n))
	p.Groups = pageGroups(site.EntitiesByType(pb.s.Entities), n, entityIndexSize)
	if len(pb.s.Entities) > entityIndexSize {
		p.Pager = pb.pager(p, "entities/", n, entityIndexSize, len(pb.s.Entities))
	}
	return p
}

// pageGroups returns page n of the entities of groups, size a page, in
// their groups.
func pageGroups(groups []site.EntityGroup, n, size int) []site.EntityGroup {
	lo, hi := (n-1)*size, n*size
	var out []site.EntityGroup
	at := 0 // index of the group's first entity among all
	for _, g := range groups {
		from, to := max(lo-at, 0), min(hi-at, len(g.Entities))
		if from < to {
			out = append(out, site.EntityGroup{Type: g.Type, Entities: g.Entities[from:to]})
		}
		at += len(g.Entities)
	}
	return out
}

func (pb *planner) home() *Page {
	p := pb.page("home", "", "")
	p.Description = pb.s.Config.Title
	h := &HomeView{Latest: pb.s.Briefings[:min(homeLatest, len(pb.s.Briefings))]}
	for _, t := range pb.s.Topics {
		if len(t.Sections) > 0 || len(t.Briefings) > 0 {
			h.Topics = append(h.Topics, TopicCount{t, len(t.Sections)})
		}
	}
	slices.SortStableFunc(h.Topics, func(a, b TopicCount) int { return cmp.Compare(b.Count, a.Count) })
	for _, e := range pb.s.Entities {
		if e.Mentions > 0 {
			h.Entities = append(h.Entities, site.EntityWeight{Entity: e, Count: e.Mentions})
		}
	}
	slices.SortStableFunc(h.Entities, func(a, b site.EntityWeight) int { return cmp.Compare(b.Count, a.Count) })
	h.Entities = h.Entities[:min(homeEntities, len(h.Entities))]
	p.Home = h
	return p
}

func (pb *planner) notFound() *Page {
	// 404.html sits at the root, but hosts serve it for missing URLs at any
	// depth, where relative links would break. With a base URL we can link
	// absolutely; without one, links are right for the site root.
	p := pb.page("404", "Page not found", "")
	if pb.opts.BaseURL != "" {
		p.root = pb.opts.BaseURL
	}
	p.Canonical = ""
	return p
}

func (pb *planner) briefing(b *site.Briefing) *Page {
	p := pb.page("briefing", b.Title, PathOf(b))
	p.Description = b.Summary
	p.Classification = b.Classification
	own := markdown.FixContext{Root: p.root, Offline: p.offline, Home: p.Path, OwnPage: true}
	p.Briefing = &BriefingView{
		B:         b,
		Sections:  pb.sections(p, b.Sections, own),
		Footnotes: fixup(p.arena(), b.Footnotes, own),
		Groups:    site.EntitiesByType(b.Entities),
		TOC:       toc(b.Headings),
	}
	return p
}

// sections resolves the sentinels of sections for page p.
func (pb *planner) sections(p *Page, secs []*site.Section, fc markdown.FixContext) []SectionView {
	out := make([]SectionView, len(secs))
	for i, sec := range secs {
		out[i] = SectionView{Section: sec, HTML: fixup(p.arena(), sec.HTML, fc)}
		if sec.Briefing != nil {
			out[i].Anchor = p.Rel(PathOf(sec.Briefing) + "#" + sec.ID)
		}
	}
	return out
}

func (pb *planner) topic(t *site.Topic, n, size int) *Page {
	p := pb.page("topic", t.Title, pagedPath(PathOf(t), n))
	p.Description = t.Summary
	own := markdown.FixContext{Root: p.root, Offline: p.offline, Home: PathOf(t), OwnPage: true}
	v := &TopicView{T: t, Body: pb.sections(p, t.Content.Sections, own)}
	secs := page(t.Sections, n, size)
	v.Sections = make([]SectionView, len(secs))
	for i, sec := range secs {
		// Sections from many briefings share this page: prefix their ids
		// with the briefing's slug, and send their in-document links back
		// into the briefing, where footnotes and other sections live.
		fc := markdown.FixContext{Root: p.root, Offline: p.offline, Home: PathOf(sec.Briefing), IDPrefix: sec.Briefing.Slug + "--"}
		v.Sections[i] = SectionView{Section: sec, HTML: fixup(p.arena(), sec.HTML, fc),
			Anchor: p.Rel(PathOf(sec.Briefing) + "#" + sec.ID)}
	}
	v.Tagged = t.Briefings[:min(taggedMax, len(t.Briefings))]
	v.TaggedMore = len(t.Briefings) - len(v.Tagged)
	p.Topic = v
	p.Pager = pb.pager(p, PathOf(t), n, size, len(t.Sections))
	return p
}

func (pb *planner) entity(e *site.Entity, n, size int) *Page {
	p := pb.page("entity", e.Name, pagedPath(PathOf(e), n))
	p.Description = e.Summary
	own := markdown.FixContext{Root: p.root, Offline: p.offline, Home: PathOf(e), OwnPage: true}
	p.Entity = &EntityView{E: e, Body: pb.sections(p, e.Content.Sections, own),
		Appearances: appearanceViews(page(e.Appearances, n, size)), Related: e.TopRelated(relatedMax),
		Topics: e.Topics[:min(topicsMax, len(e.Topics))], TopicsMore: max(0, len(e.Topics)-topicsMax)}
	p.Pager = pb.pager(p, PathOf(e), n, size, len(e.Appearances))
	if n == 1 {
		p.Graph = pb.egoGraph(p, e)
	}
	return p
}

func (pb *planner) doc(d *site.Page) *Page {
	p := pb.page("page", d.Title, PathOf(d))
	p.Description = d.Summary
	own := markdown.FixContext{Root: p.root, Offline: p.offline, Home: p.Path, OwnPage: true}
	p.Doc = &DocView{P: d, Body: pb.sections(p, d.Content.Sections, own),
		Footnotes: fixup(p.arena(), d.Footnotes, own)}
	return p
}

func (pb *planner) pager(p *Page, base string, n, size, count int) *Pager {
	total := max(1, (count+size-1)/size)
	pg := &Pager{Number: n, Total: total}
	// Link the first and last pages and a window around this one, so that
	// a pager's size does not grow with the number of pages.
	for i := 1; i <= total; i++ {
		if i != 1 && i != total && (i < n-pagerWindow || i > n+pagerWindow) {
			if l := len(pg.Links); l > 0 && !pg.Links[l-1].Gap {
				pg.Links = append(pg.Links, PagerLink{Gap: true})
			}
			continue
		}
		pg.Links = append(pg.Links, PagerLink{Number: i, URL: p.Rel(pagedPath(base, i)), Current: i == n})
	}
	if n > 1 {
		pg.Prev = p.Rel(pagedPath(base, n-1))
	}
	if n < total {
		pg.Next = p.Rel(pagedPath(base, n+1))
	}
	return pg
}

// pagedPath is the folder of page n of a paginated page: the page itself
// for n = 1, then <base>page/2/ and so on.
func pagedPath(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// page returns the n-th slice of size items.
func page[T any](items []T, n, size int) []T {
	lo := min((n-1)*size, len(items))
	return items[lo:min(lo+size, len(items))]
}

// months groups briefings (newest first) by calendar month.
func months(bs []*site.Briefing) []MonthGroup {
	var out []MonthGroup
	for _, b := range bs {
		id := b.Date.Format("2006-01")
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, MonthGroup{Month: b.Date.Format("January 2006"), ID: id})
		}
		out[len(out)-1].Briefings = append(out[len(out)-1].Briefings, b)
	}
	return out
}
