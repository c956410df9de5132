package build

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dossier-dev/dossier/internal/markdown"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/site"
)

// Page digests decide which pages a rebuild renders again: each page gets
// a digest of the data it shows, and only pages whose digest changed are
// rendered. A digest covers
//
//   - what every page shows: the configuration, the render options, the
//     counts of briefings, topics and entities, and the plain pages of the
//     navigation;
//   - all of the page's own document: its front matter, its converted
//     Markdown (through the digest of the conversion) and every list the
//     site assembles for it;
//   - for every other document the page names: that document's own fields
//     (front matter, summary), its counts, and the names of the topics a
//     briefing carries — what a card, chip or list entry shows.
//
// Pages this file does not know (a kind added later) are always rendered,
// so a new page is never stale, only slower to preview.

// digest hashes values without ambiguity (strings carry their length)
// and in order. Strings and byte slices go through maphash; the running
// value is mixed after each word, which keeps small values (the bulk of a
// page digest is other digests and counts) cheap to add.
type digest struct {
	seed maphash.Seed
	h    uint64
}

func newDigest(seed maphash.Seed) *digest { return &digest{seed: seed, h: 0x9e3779b97f4a7c15} }

func writeLen(h *maphash.Hash, n int) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(n))
	h.Write(b[:])
}

// u64 adds a word: the splitmix64 finaliser over the running value plus
// the word.
func (d *digest) u64(v uint64) {
	x := d.h*0xbf58476d1ce4e5b9 + v
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	d.h = x
}

func (d *digest) int(v int) { d.u64(uint64(v)) }

func (d *digest) bool(v bool) {
	if v {
		d.u64(1)
	} else {
		d.u64(0)
	}
}

func (d *digest) str(s string) {
	d.u64(uint64(len(s)))
	d.u64(maphash.String(d.seed, s))
}

func (d *digest) bytes(b []byte) {
	d.u64(uint64(len(b)))
	d.u64(maphash.Bytes(d.seed, b))
}

func (d *digest) strs(ss []string) {
	d.int(len(ss))
	for _, s := range ss {
		d.str(s)
	}
}

func (d *digest) time(t time.Time) {
	d.str(t.Format(time.RFC3339Nano))
	d.str(t.Location().String())
}

// value hashes a front-matter value as decoded: maps in key order.
func (d *digest) value(v any) {
	switch x := v.(type) {
	case nil:
		d.str("nil")
	case string:
		d.str("s")
		d.str(x)
	case map[string]any:
		d.str("m")
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		d.int(len(keys))
		for _, k := range keys {
			d.str(k)
			d.value(x[k])
		}
	case []any:
		d.str("l")
		d.int(len(x))
		for _, e := range x {
			d.value(e)
		}
	case time.Time:
		d.str("t")
		d.time(x)
	default:
		d.str(fmt.Sprintf("%T %#v", x, x))
	}
}

func (d *digest) sum() uint64 { return d.h }

// resultSum digests a conversion result, whole and section by section.
func resultSum(seed maphash.Seed, r markdown.Result) (uint64, []uint64) {
	d := newDigest(seed)
	secs := make([]uint64, len(r.Sections))
	for i, s := range r.Sections {
		sd := newDigest(seed)
		sd.str(s.ID)
		sd.str(s.Title)
		sd.strs(s.Topics)
		sd.int(s.Line)
		sd.bytes(s.HTML)
		secs[i] = sd.sum()
		d.u64(secs[i])
	}
	d.bytes(r.Footnotes)
	d.int(len(r.Headings))
	for _, h := range r.Headings {
		d.int(h.Level)
		d.str(h.ID)
		d.str(h.Text)
	}
	d.int(len(r.Mentions))
	for _, m := range r.Mentions {
		d.str(m.Ref.Path())
		d.int(m.Count)
		d.int(len(m.Sections))
		for _, s := range m.Sections {
			d.int(s)
		}
		d.str(m.Sentence)
	}
	d.str(r.Summary)
	return d.sum(), secs
}

// digester computes the page digests of one build, remembering the digest
// of each document's card and chip.
type digester struct {
	ss    *Session
	s     *site.Site
	site  uint64
	bCard map[*site.Briefing]uint64
	tChip map[*site.Topic]uint64
	tCard map[*site.Topic]uint64
	eChip map[*site.Entity]uint64
	eCard map[*site.Entity]uint64
	eRel  map[*site.Entity]uint64
	tSide map[*site.Topic]uint64
}

// digests returns the digest of every page of jobs that this file knows;
// other pages get none (0).
func (ss *Session) digests(s *site.Site, jobs []render.Job, ropts render.Options) map[string]uint64 {
	g := &digester{ss: ss, s: s,
		bCard: make(map[*site.Briefing]uint64, len(s.Briefings)),
		tChip: map[*site.Topic]uint64{}, tCard: map[*site.Topic]uint64{},
		eChip: map[*site.Entity]uint64{}, eCard: map[*site.Entity]uint64{}, eRel: map[*site.Entity]uint64{},
		tSide: map[*site.Topic]uint64{}}

	d := g.new()
	d.str(fmt.Sprintf("%#v|%#v", s.Config, ropts))
	d.int(len(s.Briefings))
	d.int(len(s.Topics))
	d.int(len(s.Entities))
	for _, p := range s.Pages {
		g.pageFields(d, p)
	}
	g.site = d.sum()

	docs := map[string]any{}
	for _, b := range s.Briefings {
		docs[render.PathOf(b)] = b
	}
	for _, t := range s.Topics {
		docs[render.PathOf(t)] = t
	}
	for _, e := range s.Entities {
		docs[render.PathOf(e)] = e
	}
	for _, p := range s.Pages {
		docs[render.PathOf(p)] = p
	}
	// The lists that several pages show are digested once.
	var cards, topics, entities, graph uint64
	lists := func() {
		if cards != 0 {
			return
		}
		d := g.new()
		for _, b := range s.Briefings {
			d.u64(g.briefingCard(b))
		}
		cards = d.sum()
		d = g.new()
		for _, t := range s.Topics {
			d.u64(g.topicCard(t))
		}
		topics = d.sum()
		d = g.new()
		for _, e := range s.Entities {
			d.u64(g.entityCard(e))
		}
		entities = d.sum()
		d = g.new()
		for _, e := range s.Entities {
			d.u64(g.entityCard(e))
			d.u64(g.entityRelations(e))
		}
		graph = d.sum()
	}
	size := max(s.Config.PageSize, 1)
	out := make(map[string]uint64, len(jobs))
	for _, j := range jobs {
		dir := strings.TrimSuffix(j.File, "index.html")
		d := g.new()
		d.str(j.File)
		d.u64(g.site)
		switch dir {
		case "": // home: latest briefings, topics with counts, most-mentioned entities
			lists()
			d.u64(cards)
			d.u64(topics)
			d.u64(entities)
		case "404.html", "search/":
			// The site's own data only (the search page counts kinds,
			// which the site digest has).
		case "briefings/", "timeline/":
			lists()
			d.u64(cards)
		case "topics/":
			lists()
			d.u64(topics)
		case "entities/":
			lists()
			d.u64(entities)
		case "entities/graph/":
			lists()
			d.u64(graph)
		default:
			doc, n := docs[dir], 1
			if doc == nil {
				doc, n = pagedDoc(docs, dir)
			}
			switch x := doc.(type) {
			case *site.Briefing:
				g.briefingPage(d, x)
			case *site.Topic:
				g.topicPage(d, x, n, size)
			case *site.Entity:
				g.entityPage(d, x, n, size)
			case *site.Page:
				g.pageFields(d, x)
				g.contentOf(d, x.Path)
			default:
				continue // unknown: always rendered
			}
		}
		out[j.File] = d.sum() | 1 // never 0, which means unknown
	}
	return out
}

// pagedDoc finds the topic or entity of a continuation page folder such as
// "topics/x/page/2/".
func pagedDoc(docs map[string]any, dir string) (any, int) {
	i := strings.LastIndex(strings.TrimSuffix(dir, "/"), "/page/")
	if i < 0 {
		return nil, 0
	}
	n, err := strconv.Atoi(strings.TrimSuffix(dir[i+len("/page/"):], "/"))
	if err != nil || n < 2 {
		return nil, 0
	}
	switch doc := docs[dir[:i+1]].(type) {
	case *site.Topic, *site.Entity:
		return doc, n
	}
	return nil, 0
}

func (g *digester) new() *digest { return newDigest(g.ss.seed) }

// contentOf adds the digest of a document's converted Markdown.
func (g *digester) contentOf(d *digest, path string) {
	if e := g.ss.entryOf(path); e != nil {
		d.u64(e.sum)
	} else {
		d.u64(0)
	}
}

func (g *digester) pageFields(d *digest, p *site.Page) {
	d.str(p.Path)
	d.str(p.Slug)
	d.str(p.Title)
	d.str(p.Summary)
	d.value(p.Params)
}

// briefingCard digests what a list entry of a briefing shows: its own
// fields and the names of its topics.
func (g *digester) briefingCard(b *site.Briefing) uint64 {
	if v, ok := g.bCard[b]; ok {
		return v
	}
	d := g.new()
	d.str(b.Path)
	d.str(b.Slug)
	d.str(b.Title)
	d.time(b.Date)
	d.str(b.Summary)
	d.bool(b.AutoSummary)
	d.str(b.Classification)
	d.str(b.Location)
	d.strs(b.Authors)
	d.int(len(b.Sources))
	for _, s := range b.Sources {
		d.str(s.Title)
		d.str(s.URL)
	}
	d.value(b.Params)
	d.strs(b.Assets)
	d.strs(b.TopicNames)
	d.strs(b.EntityNames)
	d.int(len(b.Topics))
	for _, t := range b.Topics {
		d.u64(g.topicChip(t))
	}
	v := d.sum()
	g.bCard[b] = v
	return v
}

func (g *digester) topicChip(t *site.Topic) uint64 {
	if v, ok := g.tChip[t]; ok {
		return v
	}
	d := g.new()
	d.str(t.Slug)
	d.str(t.Title)
	d.bool(t.Stub)
	v := d.sum()
	g.tChip[t] = v
	return v
}

// topicCard adds to the chip what the topic index shows.
func (g *digester) topicCard(t *site.Topic) uint64 {
	if v, ok := g.tCard[t]; ok {
		return v
	}
	d := g.new()
	d.u64(g.topicChip(t))
	d.str(t.Path)
	d.strs(t.Aliases)
	d.str(t.Summary)
	d.value(t.Params)
	d.int(len(t.Sections))
	d.int(len(t.Briefings))
	v := d.sum()
	g.tCard[t] = v
	return v
}

func (g *digester) entityChip(e *site.Entity) uint64 {
	if v, ok := g.eChip[e]; ok {
		return v
	}
	d := g.new()
	d.str(e.Slug)
	d.str(e.Name)
	d.str(e.Type)
	d.bool(e.Stub)
	v := d.sum()
	g.eChip[e] = v
	return v
}

// entityCard adds to the chip what the entity index and graphs show.
func (g *digester) entityCard(e *site.Entity) uint64 {
	if v, ok := g.eCard[e]; ok {
		return v
	}
	d := g.new()
	d.u64(g.entityChip(e))
	d.str(e.Path)
	d.strs(e.Aliases)
	d.str(e.Summary)
	d.value(e.Params)
	d.int(e.Mentions)
	d.int(len(e.Appearances))
	v := d.sum()
	g.eCard[e] = v
	return v
}

// entityRelations digests the entities and topics an entity appears with.
func (g *digester) entityRelations(e *site.Entity) uint64 {
	if v, ok := g.eRel[e]; ok {
		return v
	}
	d := g.new()
	d.int(len(e.Related))
	for _, r := range e.Related {
		d.u64(g.entityChip(r.Entity))
		d.int(r.Count)
	}
	d.int(len(e.Topics))
	for _, t := range e.Topics {
		d.u64(g.topicChip(t.Topic))
		d.int(t.Count)
	}
	v := d.sum()
	g.eRel[e] = v
	return v
}

func (g *digester) briefingPage(d *digest, b *site.Briefing) {
	d.u64(g.briefingCard(b))
	g.contentOf(d, b.Path)
	for _, sec := range b.Sections {
		d.int(len(sec.Topics))
		for _, t := range sec.Topics {
			d.u64(g.topicChip(t))
		}
		d.int(len(sec.Entities))
		for _, e := range sec.Entities {
			d.u64(g.entityChip(e))
		}
	}
	chips := func(es []*site.Entity) {
		d.int(len(es))
		for _, e := range es {
			d.u64(g.entityChip(e))
		}
	}
	chips(b.Entities)
	chips(b.Listed)
	d.int(len(b.Tagged))
	for _, t := range b.Tagged {
		d.u64(g.topicChip(t))
	}
	d.int(len(b.Related))
	for _, r := range b.Related {
		d.u64(g.briefingCard(r.Briefing))
		d.u64(math.Float64bits(r.Score))
		d.strs(r.Shared)
	}
}

func (g *digester) topicPage(d *digest, t *site.Topic, n, size int) {
	d.int(n)
	d.int(size)
	d.u64(g.topicCard(t))
	g.contentOf(d, t.Path)
	lo := min((n-1)*size, len(t.Sections))
	for _, sec := range t.Sections[lo:min(lo+size, len(t.Sections))] {
		d.u64(g.briefingCard(sec.Briefing))
		d.int(sec.Index)
		if e := g.ss.entryOf(sec.Briefing.Path); e != nil && sec.Index < len(e.secs) {
			d.u64(e.secs[sec.Index])
		}
		d.int(len(sec.Topics))
		for _, t := range sec.Topics {
			d.u64(g.topicChip(t))
		}
	}
	d.u64(g.topicSide(t))
}

// topicSide digests what every page of a topic shows beside its sections:
// the briefings tagged with it and its most-mentioned entities.
func (g *digester) topicSide(t *site.Topic) uint64 {
	if v, ok := g.tSide[t]; ok {
		return v
	}
	d := g.new()
	d.int(len(t.Briefings))
	for _, b := range t.Briefings {
		d.u64(g.briefingCard(b))
	}
	d.int(len(t.Entities))
	for _, w := range t.Entities {
		d.u64(g.entityChip(w.Entity))
		d.int(w.Count)
	}
	v := d.sum()
	g.tSide[t] = v
	return v
}

func (g *digester) entityPage(d *digest, e *site.Entity, n, size int) {
	d.int(n)
	d.int(size)
	d.u64(g.entityCard(e))
	g.contentOf(d, e.Path)
	lo := min((n-1)*size, len(e.Appearances))
	for _, a := range e.Appearances[lo:min(lo+size, len(e.Appearances))] {
		d.u64(g.briefingCard(a.Briefing))
		d.int(a.Count)
		d.str(a.Sentence)
		d.bool(a.Listed)
	}
	d.u64(g.entityRelations(e))
	if n == 1 {
		// The first page draws the entity's neighbourhood: the entities
		// it appears with and how they appear with each other.
		for _, r := range e.Related {
			d.u64(g.entityCard(r.Entity))
			d.u64(g.entityRelations(r.Entity))
		}
	}
}
