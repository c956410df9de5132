// Package render turns the site model into pages: it loads html/template
// templates (the site's templates/ over the theme's over the embedded
// default theme), builds the data each page template receives, resolves the
// link and id sentinels of converted Markdown for the page's depth, and
// writes the Atom feed and the sitemap.
package render

import (
	"html/template"
	"strings"
	"sync"
	"unsafe"

	"github.com/dossier-dev/dossier/internal/blob"
	"github.com/dossier-dev/dossier/internal/markdown"
	"github.com/dossier-dev/dossier/internal/site"
)

// Page is the data every page template receives as dot.
type Page struct {
	Site *SiteInfo
	// Kind is one of home, briefings, briefing, topics, topic, entities,
	// entity, timeline, page, 404, search, graph; and book for the
	// briefing book that `dossier pdf --book` prints.
	Kind string
	// Title is the page's own title ("" on the home page).
	Title string
	// Description is a one-line summary for <meta name="description">.
	Description string
	// Path is the page's folder relative to the site root, without a leading
	// slash: "" for the home page, "briefings/x/", "topics/t/page/2/".
	Path string
	// Canonical is the page's absolute URL, or "" when baseURL is not set.
	Canonical string
	// Classification is the banner shown at the top and bottom of the page;
	// "" shows no banner.
	Classification string

	// Exactly one group of the following is set, by Kind.
	Home     *HomeView          // home
	Months   []MonthGroup       // briefings, timeline
	Briefing *BriefingView      // briefing
	Topics   []*site.Topic      // topics (every topic, by title)
	Topic    *TopicView         // topic
	Groups   []site.EntityGroup // entities (every entity, by type then name)
	Entity   *EntityView        // entity
	Doc      *DocView           // page
	Search   *SearchView        // search (see search.go)
	Graph    *GraphView         // graph; on an entity's first page, its neighbourhood (see graph.go)
	Book     *BookView          // book (only for `dossier pdf --book`)

	// Pager is set on topic and entity pages; it has one page when the
	// content fits (see Pager.Many).
	Pager *Pager

	root    string // relative prefix from this page to the site root
	offline bool
	text    *textArena // holds the HTML of its views until Release
}

// Release lets the next page use the memory that holds the HTML of p's
// views (its sections and footnotes, resolved for p). The renderer calls it
// once p has been executed and its output copied; p must not be used
// after it. A page that is never released leaves that memory to the
// collector.
func (p *Page) Release() {
	if a := p.text; a != nil {
		p.text = nil
		a.reset()
		textArenas.Put(a)
	}
}

// arena returns the textArena of p, taking one when p has none yet.
func (p *Page) arena() *textArena {
	if p.text == nil {
		p.text = textArenas.Get().(*textArena)
	}
	return p.text
}

// SiteInfo is what every page knows about the site.
type SiteInfo struct {
	Title          string
	Language       string
	BaseURL        string
	Classification string // the site's default banner
	Paper          string // "A4" or "Letter", for print CSS
	Pages          []*site.Page
	Counts         Counts
	// Live is set only on pages served by `dossier serve`.
	Live bool

	memo *memo // the partials rendered for this build's pages (see memo.go)
}

// Counts are the numbers of each kind of page.
type Counts struct{ Briefings, Topics, Entities int }

// HomeView is the home page's content.
type HomeView struct {
	Latest   []*site.Briefing    // the newest briefings (at most 10)
	Topics   []TopicCount        // every non-empty topic with its section count, most sections first
	Entities []site.EntityWeight // the most-mentioned entities (at most 15)
}

// TopicCount is a topic with how many sections belong to it.
type TopicCount struct {
	Topic *site.Topic
	Count int
}

// MonthGroup is the briefings of one month, newest first.
type MonthGroup struct {
	Month     string // "September 2023"
	ID        string // "2023-09", an anchor
	Briefings []*site.Briefing
}

// SectionView is a section placed on a page, its HTML resolved for that page.
type SectionView struct {
	Section *site.Section
	// HTML is the section's heading and content (for Sections[0], the text
	// before the first heading, possibly empty).
	HTML template.HTML
	// Anchor is the relative URL of the section in its briefing.
	Anchor string
}

// BriefingView is a briefing page's content.
type BriefingView struct {
	B         *site.Briefing
	Sections  []SectionView // Sections[0] is the preamble; each later one is a ## section
	Footnotes template.HTML
	Groups    []site.EntityGroup // the entities it mentions or lists, by type
	// TOC is B.Headings as a table of contents, for templates that would
	// otherwise nest the headings themselves.
	TOC []TOCEntry
}

// TOCEntry is an entry of a briefing's table of contents: a ## heading and
// the deeper headings that follow it. Headings before the first ## heading
// make an entry of their own, whose Heading is nil.
type TOCEntry struct {
	Heading *site.Heading
	Sub     []*site.Heading
}

// toc groups headings (in document order) into the entries of a table of
// contents.
func toc(hs []site.Heading) []TOCEntry {
	var out []TOCEntry
	for i := range hs {
		h := &hs[i]
		switch {
		case h.Level == 2:
			out = append(out, TOCEntry{Heading: h})
			continue
		case len(out) == 0:
			out = append(out, TOCEntry{})
		}
		out[len(out)-1].Sub = append(out[len(out)-1].Sub, h)
	}
	return out
}

// TopicView is a topic page's content.
type TopicView struct {
	T *site.Topic
	// Body is the topic definition's own text.
	Body []SectionView
	// Sections are this page's share of every briefing section that belongs
	// to the topic, newest first; ids are prefixed so that they stay unique.
	Sections []SectionView
	// Tagged are the newest briefings tagged with the topic (at most 12),
	// and TaggedMore how many more there are: the sidebar stays short
	// however many briefings a topic gathers.
	Tagged     []*site.Briefing
	TaggedMore int
}

// EntityView is an entity page's content.
type EntityView struct {
	E    *site.Entity
	Body []SectionView
	// Appearances are this page's share of the briefings that mention or
	// list the entity, newest first.
	Appearances []AppearanceView
	Related     []site.EntityWeight // at most 12
	// Topics are the entity's topics with most sections first (at most
	// 12), and TopicsMore how many more there are: like Related, the
	// sidebar stays short however many topics a large site gives an
	// entity, and it is repeated on every page of the entity.
	Topics     []site.TopicWeight
	TopicsMore int
}

// AppearanceView is an appearance on an entity page: what site.Appearance
// holds, with its sentence.
//
// The sentence is read when the page is planned, for all the page's
// appearances in one loop: it sits three pointers away, in briefings
// spread over the whole heap, and a read from the template, one between
// thousands of instructions of evaluation, waited for each of them in
// turn (a fifth of an entity page's time at 100,000 briefings). The
// fields are copies rather than an embedded *site.Appearance, which
// text/template would look up field by field through the embedding, a
// search that allocates, at every use.
type AppearanceView struct {
	Briefing *site.Briefing
	Count    int  // mentions in the text
	Listed   bool // named in the briefing's front matter
	Sentence string
}

// appearanceViews returns the views of apps.
func appearanceViews(apps []*site.Appearance) []AppearanceView {
	out := make([]AppearanceView, len(apps))
	for i, a := range apps {
		out[i] = AppearanceView{Briefing: a.Briefing, Count: a.Count, Listed: a.Listed, Sentence: a.Sentence()}
	}
	return out
}

// DocView is a plain page's content.
type DocView struct {
	P         *site.Page
	Body      []SectionView
	Footnotes template.HTML
}

// Pager links the pages of a long topic or entity page.
type Pager struct {
	Number int // 1-based
	Total  int
	Prev   string // relative URL, "" on the first page
	Next   string // relative URL, "" on the last page
	Links  []PagerLink
}

// PagerLink is one numbered page link. Gap marks an elision ("…") between
// the window around the current page and the first or last page.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}

// Many reports whether there is more than one page.
func (p *Pager) Many() bool { return p != nil && p.Total > 1 }

// Rel returns the relative URL from this page to a site-root-relative path
// such as "entities/kim-jong-un/" or "assets/style.css" ("" is the home page).
// With offline links, folder URLs name their index.html.
func (p *Page) Rel(path string) string {
	return relURL(p.root, path, p.offline)
}

// Asset returns the relative URL of a file of the theme's static folder.
func (p *Page) Asset(name string) string { return p.Rel("assets/" + name) }

// URL returns the relative URL of a briefing, entity, topic or plain page
// (given as *site.Briefing, *site.Entity, *site.Topic or *site.Page).
func (p *Page) URL(v any) string { return p.Rel(PathOf(v)) }

// Is reports whether this page is the given root-relative path, for marking
// the current navigation entry.
func (p *Page) Is(path string) bool {
	return p.Path == path || (path != "" && strings.HasPrefix(p.Path, path))
}

// TopFolder returns the first folder of the page's path: "briefings/" for
// "briefings/x/" and "briefings/page/2/", "" for the home page. For a
// one-folder path such as the navigation's "topics/", .Is is the same test
// as eq .TopFolder, which can be passed to a memoized partial.
func (p *Page) TopFolder() string {
	if i := strings.IndexByte(p.Path, '/'); i >= 0 {
		return p.Path[:i+1]
	}
	return p.Path
}

// PathOf returns the site-root-relative folder of a document's page.
func PathOf(v any) string {
	switch d := v.(type) {
	case *site.Briefing:
		return "briefings/" + d.Slug + "/"
	case *site.Entity:
		return "entities/" + d.Slug + "/"
	case *site.Topic:
		return "topics/" + d.Slug + "/"
	case *site.Page:
		return d.Slug + "/"
	}
	return ""
}

func relURL(root, path string, offline bool) string {
	frag := ""
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path, frag = path[:i], path[i:]
	}
	u := root + path
	if offline && (path == "" || strings.HasSuffix(path, "/")) {
		u += "index.html"
	}
	if u == "" {
		u = "./"
	}
	return u + frag
}

// rootFor returns the relative prefix that leads from a page folder to the
// site root: "" for the root itself, "../../" for "briefings/x/". Pages at
// the same depth share the string, which keeps memo keys quick to compare
// (see memo.go).
func rootFor(path string) string {
	d := strings.Count(path, "/")
	if d < len(roots) {
		return roots[d]
	}
	return strings.Repeat("../", d)
}

// roots are the prefixes of rootFor for the usual depths.
var roots = func() (r [8]string) {
	for d := range r {
		r[d] = strings.Repeat("../", d)
	}
	return r
}()

// siteInfo is what every page, and the book, knows about the site.
func siteInfo(s *site.Site, opts Options) *SiteInfo {
	return &SiteInfo{
		Title: s.Config.Title, Language: s.Config.Language, BaseURL: opts.BaseURL,
		Classification: s.Config.Classification, Paper: s.Config.Print.Paper,
		Pages: s.Pages, Live: opts.Live, memo: &memo{site: s},
		Counts: Counts{Briefings: len(s.Briefings), Topics: len(s.Topics), Entities: len(s.Entities)},
	}
}

// fixup resolves the sentinels of stored HTML for the page fc describes,
// into a's blocks (nil: a new allocation).
func fixup(a *textArena, b blob.Blob, fc markdown.FixContext) template.HTML {
	buf := fixBufs.Get().(*[]byte)
	src := b.AppendTo((*buf)[:0])
	var out template.HTML
	if len(src) > 0 {
		// Resolving sentinels changes the length a little: start with
		// room for it, and hand the bytes over as the string without a
		// copy (nothing else holds them).
		dst := markdown.Fixup(a.room(len(src)+len(src)/8+64), src, fc)
		a.used(dst)
		out = template.HTML(unsafe.String(unsafe.SliceData(dst), len(dst)))
	}
	*buf = src
	fixBufs.Put(buf)
	return out
}

// textArena holds the HTML of one page's views. A build resolves the
// sentinels of every section once for each page that shows it: on a
// 100,000-briefing site 2.5 GB that lived until the page was written, a
// thirteenth of everything the build allocated, which the collector paid
// for in cycles. A page takes an arena when it first needs one, and the
// renderer gives it back (Page.Release) for the next page to fill.
type textArena struct {
	blocks [][]byte
	cur    int // the block being filled
	off    int // bytes used in it
}

// textBlock is the size of an arena's blocks. HTML larger than a quarter
// of one gets an allocation of its own.
const textBlock = 256 << 10

var textArenas = sync.Pool{New: func() any { return new(textArena) }}

// room returns an empty slice with room for at least n bytes (and as
// much more as the current block has). Pass what is written into it to
// used.
func (a *textArena) room(n int) []byte {
	if a == nil || n > textBlock/4 {
		return make([]byte, 0, n)
	}
	if a.cur < len(a.blocks) && a.off+n > textBlock {
		a.cur, a.off = a.cur+1, 0
	}
	if a.cur == len(a.blocks) {
		a.blocks = append(a.blocks, make([]byte, textBlock))
	}
	return a.blocks[a.cur][a.off:a.off:textBlock]
}

// used records that b, taken from room, now holds bytes that must stay;
// if b outgrew its room, append moved it elsewhere and the block is
// untouched.
func (a *textArena) used(b []byte) {
	if a == nil || a.cur == len(a.blocks) || len(b) == 0 {
		return
	}
	if blk := a.blocks[a.cur]; unsafe.SliceData(b) == unsafe.SliceData(blk[a.off:]) {
		a.off += len(b)
	}
}

// reset makes every block free again.
func (a *textArena) reset() { a.cur, a.off = 0, 0 }

// fixBufs hold the uncompressed HTML that fixup reads.
var fixBufs = sync.Pool{New: func() any { return new([]byte) }}
