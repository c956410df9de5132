// Package site is the model of a briefing site: briefings, entities, topics,
// plain pages and the sections of their bodies, with the indexes that the
// pages show (which sections belong to a topic, which briefings mention an
// entity, which entities appear together). It does no I/O and knows nothing
// about Markdown or templates: the build package fills in converted content.
package site

import (
	"slices"
	"sort"
	"time"

	"github.com/dossier-dev/dossier/internal/blob"
	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/source"
)

// Site is everything a build knows about the content.
type Site struct {
	Config    config.Config
	Briefings []*Briefing // newest first
	Entities  []*Entity   // by name
	Topics    []*Topic    // by title
	Pages     []*Page     // by title
	// Broken are the content files left out for errors of their own (see
	// source.LoadAll): a wikilink to one says so.
	Broken []source.Broken

	topicNames *nameTable[*Topic]
	files      map[string]*source.File
}

// File returns the decoded source file at path (as source.File.Path has it),
// or nil for stubs and unknown paths.
func (s *Site) File(path string) *source.File { return s.files[path] }

// ForgetFiles lets go of the decoded source files, after which File
// returns nil. A full build calls it once the site is assembled: pages are
// rendered from the model alone, and the files' structures (front matter
// values, lists, positions, a few dozen pointers each) would otherwise stay
// for the collector to trace in every collection while pages render.
func (s *Site) ForgetFiles() { s.files = nil }

// Content is a converted Markdown body, shared by every kind of document.
// HTML holds link and id sentinels; the render package resolves them for the
// page the content is placed on.
type Content struct {
	Sections  []*Section // Sections[0] is the text before the first ## heading
	Footnotes blob.Blob
	Headings  []Heading
}

// Heading is an entry of a page's table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Section is one ## section of a document (or, at index 0, its preamble).
type Section struct {
	Briefing *Briefing // nil for sections of entity, topic and plain pages
	Index    int
	ID       string
	Title    string
	Line     int
	// HTML is kept compressed: a large site holds every section from
	// conversion until its last page is written.
	HTML blob.Blob
	// TopicNames are the names given by a {topics="…"} attribute.
	TopicNames []string
	// Topics are the topics the section belongs to, by attribute or by
	// heading text, ordered by title.
	Topics []*Topic
	// Entities are the entities mentioned in the section, by name.
	Entities []*Entity
}

// Briefing is one dated briefing.
type Briefing struct {
	Path    string // source file, for diagnostics
	Slug    string
	Title   string
	Date    time.Time
	Summary string
	// AutoSummary is set when Summary was not written in the front matter
	// but taken from the first paragraph, which the page already shows.
	AutoSummary    bool
	Classification string // effective marking: its own, else the site default
	Location       string
	Authors        []string
	Sources        []source.Link
	Params         map[string]any
	Assets         []string

	// TopicNames and EntityNames are the front matter lists, as written.
	TopicNames  []string
	EntityNames []string
	// Tagged are the topics of the front matter (stubs for unknown names).
	Tagged []*Topic
	// Listed are the entities of the front matter (stubs for unknown names).
	Listed []*Entity

	Content
	// Mentions holds one entry per entity mentioned in the body.
	Mentions []*Mention

	// Filled in by Assemble.
	rank     int       // index in Site.Briefings
	Topics   []*Topic  // tagged topics and the topics of its sections, by title
	Entities []*Entity // mentioned or listed entities, most mentioned first
	Related  []*Related
}

// Rank is the briefing's index in Site.Briefings, as of the last Assemble.
func (b *Briefing) Rank() int { return b.rank }

// Rank is the entity's index in Site.Entities, as of the last Assemble.
func (e *Entity) Rank() int { return e.rank }

// Rank is the topic's index in Site.Topics, as of the last Assemble.
func (t *Topic) Rank() int { return t.rank }

// Mention is how one entity is mentioned in one briefing.
type Mention struct {
	Entity   *Entity
	Count    int
	Sections []int // indexes into the briefing's Sections
	Sentence string
}

// Related is a briefing related to another, with the names they share.
type Related struct {
	Briefing *Briefing
	Score    float64
	Shared   []string
}

// Entity is a person, organization, place, event, piece of equipment or
// other named thing that briefings mention.
type Entity struct {
	Path    string // "" for stubs
	Slug    string
	Name    string
	Type    string
	Aliases []string
	Summary string
	Params  map[string]any
	Stub    bool // named in front matter, but no profile file
	Content

	// Filled in by Assemble.
	rank        int           // index in Site.Entities
	site        *Site         // whose Entities the ranks in related are
	Appearances []*Appearance // newest first
	Mentions    int           // total mentions across briefings
	// related are the entities it appears with, most shared briefings
	// first, as rank<<32 | count: a large site has millions, which as
	// EntityWeight values would take twice the memory. See Related.
	related []uint64
	Topics  []TopicWeight // topics of the sections it is mentioned in
}

// Related lists the entities e appears with and in how many briefings,
// most shared briefings first (then in the order of Site.Entities). It
// makes the list on each call: code that needs a few uses TopRelated,
// code that goes through them EachRelated.
func (e *Entity) Related() []EntityWeight { return e.TopRelated(len(e.related)) }

// TopRelated is the first n entities of Related (fewer if there are not
// as many).
func (e *Entity) TopRelated(n int) []EntityWeight {
	n = min(n, len(e.related))
	if n == 0 {
		return nil
	}
	out := make([]EntityWeight, n)
	for i, w := range e.related[:n] {
		out[i] = e.weight(w)
	}
	return out
}

// RelatedCount is how many entities e appears with.
func (e *Entity) RelatedCount() int { return len(e.related) }

// EachRelated calls fn with each entity of Related, in order, until fn
// returns false.
func (e *Entity) EachRelated(fn func(EntityWeight) bool) {
	for _, w := range e.related {
		if !fn(e.weight(w)) {
			return
		}
	}
}

// EachRelatedAmong calls fn with the rank (index in Site.Entities) and
// count of each entity of Related whose rank is in ranks (ascending), in
// order, until fn returns false: for finding the few entities of a graph
// among the thousands an entity of a large site appears with. Those it
// shares a single briefing with come last, in the order of rank, and so
// does each run of one count: a long run is searched for the ranks
// instead of read through.
func (e *Entity) EachRelatedAmong(ranks []int, fn func(rank, count int) bool) {
	r := e.related
	met := make([]bool, len(ranks)) // an entity is in the list once
	for i := 0; i < len(r); {
		c := r[i] & 0xffffffff
		// The run of count c, r[i:end], in the order of rank: most runs
		// are short, so its end is looked for near i first.
		end := i + gallop(len(r)-i, func(k int) bool { return r[i+k]&0xffffffff < c })
		if end-i <= 4*len(ranks) {
			for ; i < end; i++ {
				if x := slices.Index(ranks, int(r[i]>>32)); x >= 0 {
					met[x] = true
					if !fn(ranks[x], int(c)) {
						return
					}
				}
			}
			continue
		}
		run := r[i:end]
		for x, rank := range ranks {
			if met[x] {
				continue
			}
			k := gallop(len(run), func(k int) bool { return int(run[k]>>32) >= rank })
			if k < len(run) && int(run[k]>>32) == rank {
				met[x] = true
				if !fn(rank, int(c)) {
					return
				}
				k++
			}
			run = run[k:]
		}
		i = end
	}
}

// gallop is sort.Search for an answer likely to be small: it doubles a
// bound from 1 until f holds there, then searches below it.
func gallop(n int, f func(int) bool) int {
	lo, hi := 0, 1
	for hi < n && !f(hi) {
		lo, hi = hi+1, 2*hi+1
	}
	hi = min(hi, n)
	return lo + sort.Search(hi-lo, func(k int) bool { return f(lo + k) })
}

func (e *Entity) weight(w uint64) EntityWeight {
	return EntityWeight{e.site.Entities[w>>32], int(w & 0xffffffff)}
}

// Appearance is one briefing that mentions or lists an entity.
type Appearance struct {
	Briefing *Briefing
	Count    int // mentions in the text
	// mention is 1 + the index in Briefing.Mentions of the entity's
	// mention, 0 when it is only listed: a large site has millions of
	// appearances, and a string here was a pointer more for the collector
	// to follow in each of them.
	mention int32
	Listed  bool // named in the briefing's front matter
}

// Sentence is the sentence around the entity's first mention in the
// briefing, "" when the briefing only lists it.
func (a *Appearance) Sentence() string {
	if a.mention == 0 {
		return ""
	}
	return a.Briefing.Mentions[a.mention-1].Sentence
}

// EntityWeight is an entity with a count.
type EntityWeight struct {
	Entity *Entity
	Count  int
}

// TopicWeight is a topic with a count.
type TopicWeight struct {
	Topic *Topic
	Count int
}

// Topic gathers the sections of every briefing about one subject.
type Topic struct {
	Path    string // "" for stubs
	Slug    string
	Title   string
	Aliases []string
	Summary string
	Params  map[string]any
	Stub    bool
	Content

	// Filled in by Assemble.
	rank      int            // index in Site.Topics
	Sections  []*Section     // newest briefing first, then document order
	Briefings []*Briefing    // tagged in front matter, newest first
	Entities  []EntityWeight // most mentioned in its sections
}

// Page is a plain page such as "About".
type Page struct {
	Path    string
	Slug    string
	Title   string
	Summary string
	Params  map[string]any
	Content
}
