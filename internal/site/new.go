package site

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/source"
)

// reservedSlugs are the top-level folders of the output that a plain page
// (served at /<slug>/) must not take.
var reservedSlugs = []string{"assets", "briefings", "entities", "page", "search", "timeline", "topics"}

// graphSlug is the folder of the entity graph, entities/graph/, which no
// entity may take.
const graphSlug = "graph"

// EntityTypes are the entity types of SPEC §3, in the order pages list them.
var EntityTypes = []string{"person", "organization", "place", "event", "equipment", "other"}

// New builds the model from decoded content files: it checks that slugs are
// unique per kind, resolves the topics and entities named in briefings' front
// matter (creating stub pages for names that match no file) and sorts
// everything. Content (HTML) is filled in later by the build.
func New(cfg config.Config, files []*source.File) (*Site, diag.List) {
	var diags diag.List
	s := &Site{Config: cfg}
	// The briefings are one array. Every section, appearance and related
	// briefing points at its briefing: millions of pointers at 100,000
	// briefings, which the collector follows in every cycle. Into one
	// object that is cheap; into a hundred thousand small ones it was a
	// sixth of each cycle's marking.
	nb := 0
	for _, f := range files {
		if f.Kind == source.KindBriefing {
			nb++
		}
	}
	briefings := make([]Briefing, 0, nb)
	for _, f := range files {
		switch f.Kind {
		case source.KindEntity:
			m := f.Entity
			s.Entities = append(s.Entities, &Entity{Path: f.Path, Slug: f.Slug, Name: m.Name, Type: cmp.Or(m.Type, "other"),
				Aliases: m.Aliases, Summary: m.Summary, Params: f.Params})
		case source.KindTopic:
			m := f.Topic
			s.Topics = append(s.Topics, &Topic{Path: f.Path, Slug: f.Slug, Title: m.Title, Aliases: m.Aliases,
				Summary: m.Summary, Params: f.Params})
		case source.KindPage:
			m := f.Page
			if slices.Contains(reservedSlugs, f.Slug) {
				p := f.PosOf("slug")
				diags.Errorf(f.Path, p.Line, p.Col, "page slug %q is taken by the site's own %s/ pages; choose another slug", f.Slug, f.Slug)
				continue
			}
			s.Pages = append(s.Pages, &Page{Path: f.Path, Slug: f.Slug, Title: m.Title, Summary: m.Summary, Params: f.Params})
		case source.KindBriefing:
			briefings = append(briefings, briefingOf(cfg, f))
			s.Briefings = append(s.Briefings, &briefings[len(briefings)-1])
		}
	}
	byPath := make(map[string]*source.File, len(files))
	for _, f := range files {
		byPath[f.Path] = f
	}
	checkSlugs(&diags, byPath, "briefing", s.Briefings, func(b *Briefing) (string, string) { return b.Slug, b.Path })
	checkSlugs(&diags, byPath, "entity", s.Entities, func(e *Entity) (string, string) { return e.Slug, e.Path })
	for _, e := range s.Entities {
		if e.Slug == graphSlug {
			p := byPath[e.Path].PosOf("slug")
			diags.Errorf(e.Path, p.Line, p.Col, "entity slug %q is taken by the entity graph at entities/%s/; set another slug", graphSlug, graphSlug)
		}
	}
	checkSlugs(&diags, byPath, "topic", s.Topics, func(t *Topic) (string, string) { return t.Slug, t.Path })
	checkSlugs(&diags, byPath, "page", s.Pages, func(p *Page) (string, string) { return p.Slug, p.Path })

	entities := newNameTable(s.Entities, func(e *Entity) []string { return append([]string{e.Name, e.Slug}, e.Aliases...) })
	topics := newNameTable(s.Topics, func(t *Topic) []string { return append([]string{t.Title, t.Slug}, t.Aliases...) })
	for _, b := range s.Briefings {
		f := byPath[b.Path]
		for _, name := range b.EntityNames {
			e, err := entities.lookup(name)
			if err != "" {
				p := f.PosOf("entities")
				diags.Errorf(b.Path, p.Line, p.Col, "entities: %s", err)
				continue
			}
			if e == nil && source.Slugify(name) == graphSlug {
				p := f.PosOf("entities")
				diags.Errorf(b.Path, p.Line, p.Col, "entities: %q would make a page at entities/%s/, which the entity graph takes; name another entity", name, graphSlug)
				continue
			}
			if e == nil {
				e = &Entity{Slug: source.Slugify(name), Name: name, Type: "other", Stub: true}
				s.Entities = append(s.Entities, e)
				entities.add(e, []string{name, e.Slug})
			}
			if !slices.Contains(b.Listed, e) {
				b.Listed = append(b.Listed, e)
			}
		}
		for _, name := range b.TopicNames {
			t, err := topics.lookup(name)
			if err != "" {
				p := f.PosOf("topics")
				diags.Errorf(b.Path, p.Line, p.Col, "topics: %s", err)
				continue
			}
			if t == nil {
				t = &Topic{Slug: source.Slugify(name), Title: name, Stub: true}
				s.Topics = append(s.Topics, t)
				topics.add(t, []string{name, t.Slug})
			}
			if !slices.Contains(b.Tagged, t) {
				b.Tagged = append(b.Tagged, t)
			}
		}
	}
	s.topicNames = topics
	s.files = byPath
	s.sort()
	return s, diags
}

// briefingOf is the briefing of a decoded briefing file, before anything
// of its body is known.
func briefingOf(cfg config.Config, f *source.File) Briefing {
	m := f.Briefing
	return Briefing{Path: f.Path, Slug: f.Slug, Title: m.Title, Date: m.Date,
		Summary: m.Summary, Classification: cmp.Or(m.Classification, cfg.Classification), Location: m.Location,
		Authors: m.Authors, Sources: m.Sources, Params: f.Params, Assets: f.Assets,
		TopicNames: m.Topics, EntityNames: m.Entities}
}

// Refresh prepares s, a site made by New and converted, for new versions
// of some of its briefing files whose front matter names and orders what
// the old versions did (see structural), so that only those briefings need
// converting again: the result is the site New would make from the new
// files, before conversion for those briefings and as converted for every
// other document. It reports false, changing nothing, when a file is not such a
// version of a briefing of s; the caller then makes the site anew. The
// briefings it refreshed must be converted again and given to the next
// Assemble's memo as changed (Memo.Changed).
func (s *Site) Refresh(files []*source.File) ([]*Briefing, bool) {
	byPath := make(map[string]*Briefing, len(files))
	for _, f := range files {
		byPath[f.Path] = nil
	}
	for _, b := range s.Briefings {
		if _, ok := byPath[b.Path]; ok {
			byPath[b.Path] = b
		}
	}
	fresh := make([]*Briefing, len(files))
	for i, f := range files {
		old, b := s.files[f.Path], byPath[f.Path]
		if b == nil || old == nil || f.Kind != source.KindBriefing || old.Kind != source.KindBriefing {
			return nil, false
		}
		now, was := briefingOf(s.Config, f), briefingOf(s.Config, old)
		fresh[i] = &now
		if !reflect.DeepEqual(structural(&now), structural(&was)) {
			return nil, false
		}
	}
	out := make([]*Briefing, len(files))
	for i, f := range files {
		b, n := byPath[f.Path], fresh[i]
		// What New sets from the file is what it set before or a field
		// that only the briefing's own page and cards show; what
		// conversion and Assemble set is made again.
		b.Summary, b.Location, b.Classification = n.Summary, n.Location, n.Classification
		b.Authors, b.Sources, b.Params = n.Authors, n.Sources, n.Params
		b.AutoSummary, b.Content, b.Mentions = false, Content{}, nil
		s.files[f.Path] = f
		out[i] = b
	}
	return out, true
}

// structural returns b without the front-matter fields that Refresh may
// take from a new version of its file: those that neither name nor order
// anything in the site (its summary, location, marking, authors, sources
// and other parameters). Its title, date, slug, assets, topics and
// entities must stay as they were.
func structural(b *Briefing) *Briefing {
	c := *b
	c.Summary, c.Location, c.Classification = "", "", ""
	c.Authors, c.Sources, c.Params = nil, nil, nil
	return &c
}

// TopicByName finds a topic by title, alias or slug, case-insensitively,
// creating a stub when nothing matches (tagging never blocks writing). It
// returns a message instead when the name is ambiguous. Call it before
// Assemble, from one goroutine.
func (s *Site) TopicByName(name string) (*Topic, string) {
	t, err := s.topicNames.lookup(name)
	if err != "" || t != nil {
		return t, err
	}
	t = &Topic{Slug: source.Slugify(name), Title: strings.TrimSpace(name), Stub: true}
	s.Topics = append(s.Topics, t)
	s.topicNames.add(t, []string{name, t.Slug})
	s.sort()
	return t, ""
}

// sort puts every list in its canonical order so that output never depends
// on file-system or goroutine order.
func (s *Site) sort() {
	slices.SortStableFunc(s.Briefings, compareBriefings)
	slices.SortStableFunc(s.Entities, func(a, b *Entity) int {
		return cmp.Or(compareFold(a.Name, b.Name), cmp.Compare(a.Slug, b.Slug))
	})
	slices.SortStableFunc(s.Topics, func(a, b *Topic) int {
		return cmp.Or(compareFold(a.Title, b.Title), cmp.Compare(a.Slug, b.Slug))
	})
	slices.SortStableFunc(s.Pages, func(a, b *Page) int {
		return cmp.Or(compareFold(a.Title, b.Title), cmp.Compare(a.Slug, b.Slug))
	})
}

// SortTopics orders topics by title, as every list of topics is shown.
func SortTopics(ts []*Topic) {
	slices.SortFunc(ts, func(a, b *Topic) int { return cmp.Or(compareFold(a.Title, b.Title), cmp.Compare(a.Slug, b.Slug)) })
}

// compareBriefings orders newest first, then by title and slug.
func compareBriefings(a, b *Briefing) int {
	return cmp.Or(b.Date.Compare(a.Date), compareFold(a.Title, b.Title), cmp.Compare(a.Slug, b.Slug))
}

// compareFold orders strings case-insensitively, then exactly. It gives the
// order of comparing strings.ToLower of both (UTF-8 byte order is code
// point order) without allocating: sorting 10,000 briefings' related
// candidates and every entity's neighbours calls it millions of times.
func compareFold(a, b string) int {
	x, y := a, b
	for x != "" && y != "" {
		rx, nx := lowerRune(x)
		ry, ny := lowerRune(y)
		if rx != ry {
			return cmp.Compare(rx, ry)
		}
		x, y = x[nx:], y[ny:]
	}
	return cmp.Or(cmp.Compare(len(x), len(y)), cmp.Compare(a, b))
}

// lowerRune returns the first rune of s lower-cased, as strings.ToLower
// would, and its length in s; ASCII takes the fast path.
func lowerRune(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return rune(c), 1
	}
	r, n := utf8.DecodeRuneInString(s)
	return unicode.ToLower(r), n
}

// checkSlugs reports every document whose slug an earlier one (in path
// order) already has, naming both files.
func checkSlugs[T any](diags *diag.List, files map[string]*source.File, kind string, items []T, key func(T) (slug, path string)) {
	first := map[string]string{}
	for _, it := range items {
		slug, path := key(it)
		if prev, ok := first[slug]; ok {
			p := files[path].PosOf("slug")
			diags.Errorf(path, p.Line, p.Col, "duplicate %s slug %q: %s has it too; set a different slug in one of them", kind, slug, prev)
			continue
		}
		first[slug] = path
	}
}

// nameTable resolves names written in front matter: case-insensitive, with
// runs of white space collapsed.
type nameTable[T comparable] struct {
	names map[string][]T
}

func newNameTable[T comparable](items []T, names func(T) []string) *nameTable[T] {
	nt := &nameTable[T]{names: map[string][]T{}}
	for _, it := range items {
		nt.add(it, names(it))
	}
	return nt
}

func (nt *nameTable[T]) add(it T, names []string) {
	for _, n := range names {
		k := normName(n)
		if k != "" && !slices.Contains(nt.names[k], it) {
			nt.names[k] = append(nt.names[k], it)
		}
	}
}

// lookup returns the one item called name, the zero T when none is, or a
// message when several are.
func (nt *nameTable[T]) lookup(name string) (T, string) {
	var zero T
	found := nt.names[normName(name)]
	switch len(found) {
	case 0:
		return zero, ""
	case 1:
		return found[0], ""
	default:
		return zero, fmt.Sprintf("%q names %d different things; write its slug instead", name, len(found))
	}
}

func normName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
