package build

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dossier-dev/dossier/internal/markdown"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/site"
	"github.com/dossier-dev/dossier/internal/source"
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

func newDigest(seed maphash.Seed) digest { return digest{seed: seed, h: 0x9e3779b97f4a7c15} }

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

// egoNodes is how many of an entity's neighbours its first page's digest
// covers. The neighbourhood graph (render's egoLimit) draws 12; the margin
// keeps a somewhat larger drawing covered too.
const egoNodes = 24

// digester computes the page digests of one build. It first digests every
// document's card and chip and every entity's relations, then the pages,
// in parallel, from those.
type digester struct {
	ss   *Session
	s    *site.Site
	site uint64

	bInfo  map[*site.Briefing]briefingInfo
	tChip  map[*site.Topic]uint64
	tCard  map[*site.Topic]uint64
	tSide  map[*site.Topic]uint64
	eChip  map[*site.Entity]uint64
	eCard  map[*site.Entity]uint64
	eRel   map[*site.Entity]uint64
	eIndex map[*site.Entity]int

	// The lists that several pages show.
	cards, topics, entities, graph uint64

	// fields are the briefing field digests of this build, which become
	// the session's memo (ss.fields) for the next one.
	fields map[*source.File]fieldsMemo
}

// digests returns the digest of every page of jobs that this file knows;
// other pages get none (0).
func (ss *Session) digests(s *site.Site, jobs []render.Job, ropts render.Options) map[string]uint64 {
	g := ss.newDigester(s, ropts)
	docs := make(map[string]any, len(s.Briefings)+len(s.Topics)+len(s.Entities)+len(s.Pages))
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
	size := max(s.Config.PageSize, 1)
	sums := make([]uint64, len(jobs))
	parallel(len(jobs), func(i int) {
		sums[i] = g.page(jobs[i].File, docs, size)
	})
	out := make(map[string]uint64, len(jobs))
	for i, j := range jobs {
		if sums[i] != 0 {
			out[j.File] = sums[i]
		}
	}
	return out
}

// parallel calls f(0) … f(n-1) on every processor.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	per := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < min(lo+per, n); i++ {
				f(i)
			}
		}()
	}
	wg.Wait()
}

func (ss *Session) newDigester(s *site.Site, ropts render.Options) *digester {
	g := &digester{ss: ss, s: s,
		bInfo: make(map[*site.Briefing]briefingInfo, len(s.Briefings)),
		tChip: make(map[*site.Topic]uint64, len(s.Topics)), tCard: make(map[*site.Topic]uint64, len(s.Topics)),
		tSide: make(map[*site.Topic]uint64, len(s.Topics)),
		eChip: make(map[*site.Entity]uint64, len(s.Entities)), eCard: make(map[*site.Entity]uint64, len(s.Entities)),
		eRel: make(map[*site.Entity]uint64, len(s.Entities)), eIndex: make(map[*site.Entity]int, len(s.Entities)),
		fields: make(map[*source.File]fieldsMemo, len(s.Briefings))}
	defer func() { ss.fields = g.fields }()

	d := g.new()
	d.str(fmt.Sprintf("%#v|%#v", s.Config, ropts))
	d.int(len(s.Briefings))
	d.int(len(s.Topics))
	d.int(len(s.Entities))
	for _, p := range s.Pages {
		g.pageFields(&d, p)
	}
	g.site = d.sum()

	for _, t := range s.Topics {
		g.tChip[t] = g.topicChip(t)
	}
	for i, e := range s.Entities {
		g.eChip[e] = g.entityChip(e)
		g.eIndex[e] = i
	}
	for _, b := range s.Briefings {
		g.bInfo[b] = briefingInfo{card: g.briefingCard(b), entry: ss.entryOf(b.Path)}
	}
	for _, t := range s.Topics {
		g.tCard[t] = g.topicCard(t)
		g.tSide[t] = g.topicSide(t)
	}
	rel := make([]uint64, len(s.Entities))
	parallel(len(s.Entities), func(i int) { rel[i] = g.entityRelations(s.Entities[i]) })
	for i, e := range s.Entities {
		g.eCard[e] = g.entityCard(e)
		g.eRel[e] = rel[i]
	}

	cards, topics, entities, graph := g.new(), g.new(), g.new(), g.new()
	for _, b := range s.Briefings {
		cards.u64(g.bInfo[b].card)
	}
	for _, t := range s.Topics {
		topics.u64(g.tCard[t])
	}
	for _, e := range s.Entities {
		entities.u64(g.eCard[e])
		graph.u64(g.eCard[e])
		graph.u64(g.eRel[e])
	}
	g.cards, g.topics, g.entities, g.graph = cards.sum(), topics.sum(), entities.sum(), graph.sum()
	return g
}

// briefingInfo is what pages need of a briefing they name.
type briefingInfo struct {
	card  uint64
	entry *convEntry // its conversion
}

// page returns the digest of one page, or 0 for a page it does not know.
func (g *digester) page(file string, docs map[string]any, size int) uint64 {
	dir := strings.TrimSuffix(file, "index.html")
	d := g.new()
	d.str(file)
	d.u64(g.site)
	switch dir {
	case "": // home: latest briefings, topics with counts, most-mentioned entities
		d.u64(g.cards)
		d.u64(g.topics)
		d.u64(g.entities)
	case "404.html", "search/":
		// The site's own data only (the search page counts kinds, which
		// the site digest has).
	case "briefings/", "timeline/":
		g.listPage(&d, 1, size)
	case "topics/":
		d.u64(g.topics)
	case "entities/":
		d.u64(g.entities)
	case "entities/graph/":
		d.u64(g.graph)
	default:
		if n, ok := listPageNumber(dir); ok {
			g.listPage(&d, n, size)
			break
		}
		doc, n := docs[dir], 1
		if doc == nil {
			doc, n = pagedDoc(docs, dir)
		}
		switch x := doc.(type) {
		case *site.Briefing:
			g.briefingPage(&d, x)
		case *site.Topic:
			g.topicPage(&d, x, n, size)
		case *site.Entity:
			g.entityPage(&d, x, n, size)
		case *site.Page:
			g.pageFields(&d, x)
			g.contentOf(&d, x.Path)
		default:
			return 0 // unknown: always rendered
		}
	}
	return d.sum() | 1 // never 0, which means unknown
}

// listPage digests page n of the list of briefings or the time line: the
// cards of the briefings on it, and how many briefings there are (the
// pager shows the number of pages). A briefing added or removed elsewhere
// shifts the others, which changes the cards on the page.
func (g *digester) listPage(d *digest, n, size int) {
	d.int(len(g.s.Briefings))
	lo := min((n-1)*size, len(g.s.Briefings))
	for _, b := range g.s.Briefings[lo:min(lo+size, len(g.s.Briefings))] {
		d.u64(g.bInfo[b].card)
	}
}

// listPageNumber reports whether dir is a continuation of the list of
// briefings or the time line ("briefings/page/2/"), and its number.
func listPageNumber(dir string) (int, bool) {
	for _, base := range []string{"briefings/page/", "timeline/page/"} {
		if rest, ok := strings.CutPrefix(dir, base); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(rest, "/"))
			return n, err == nil && n >= 2
		}
	}
	return 0, false
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

func (g *digester) new() digest { return newDigest(g.ss.seed) }

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
	d := g.new()
	d.u64(g.briefingFields(b))
	d.int(len(b.Topics))
	for _, t := range b.Topics {
		d.u64(g.tChip[t])
	}
	return d.sum()
}

// fieldsMemo is the digest of a briefing's own fields, with what they
// were made from: its decoded file, its conversion (the summary may come
// from there) and the site's default marking.
type fieldsMemo struct {
	entry *convEntry
	class string
	sum   uint64
}

// briefingFields digests a briefing's own fields, once per file and
// conversion rather than once per build.
func (g *digester) briefingFields(b *site.Briefing) uint64 {
	f, e := g.s.File(b.Path), g.ss.entryOf(b.Path)
	if m, ok := g.ss.fields[f]; ok && m.entry == e && m.class == g.s.Config.Classification {
		g.fields[f] = m
		return m.sum
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
	v := d.sum()
	if f != nil {
		g.fields[f] = fieldsMemo{entry: e, class: g.s.Config.Classification, sum: v}
	}
	return v
}

func (g *digester) topicChip(t *site.Topic) uint64 {
	d := g.new()
	d.str(t.Slug)
	d.str(t.Title)
	d.bool(t.Stub)
	return d.sum()
}

// topicCard adds to the chip what the topic index shows.
func (g *digester) topicCard(t *site.Topic) uint64 {
	d := g.new()
	d.u64(g.tChip[t])
	d.str(t.Path)
	d.strs(t.Aliases)
	d.str(t.Summary)
	d.value(t.Params)
	d.int(len(t.Sections))
	d.int(len(t.Briefings))
	return d.sum()
}

// topicSide digests what every page of a topic shows beside its sections:
// the briefings tagged with it and its most-mentioned entities.
func (g *digester) topicSide(t *site.Topic) uint64 {
	d := g.new()
	d.int(len(t.Briefings))
	for _, b := range t.Briefings {
		d.u64(g.bInfo[b].card)
	}
	d.int(len(t.Entities))
	for _, w := range t.Entities {
		d.u64(g.eChip[w.Entity])
		d.int(w.Count)
	}
	return d.sum()
}

func (g *digester) entityChip(e *site.Entity) uint64 {
	d := g.new()
	d.str(e.Slug)
	d.str(e.Name)
	d.str(e.Type)
	d.bool(e.Stub)
	return d.sum()
}

// entityCard adds to the chip what the entity index and graphs show.
func (g *digester) entityCard(e *site.Entity) uint64 {
	d := g.new()
	d.u64(g.eChip[e])
	d.str(e.Path)
	d.strs(e.Aliases)
	d.str(e.Summary)
	d.value(e.Params)
	d.int(e.Mentions)
	d.int(len(e.Appearances))
	return d.sum()
}

// entityRelations digests the entities and topics an entity appears with.
func (g *digester) entityRelations(e *site.Entity) uint64 {
	d := g.new()
	d.int(len(e.Related))
	for _, r := range e.Related {
		d.u64(g.eChip[r.Entity])
		d.int(r.Count)
	}
	d.int(len(e.Topics))
	for _, t := range e.Topics {
		d.u64(g.tChip[t.Topic])
		d.int(t.Count)
	}
	return d.sum()
}

func (g *digester) briefingPage(d *digest, b *site.Briefing) {
	info := g.bInfo[b]
	d.u64(info.card)
	if info.entry != nil {
		d.u64(info.entry.sum)
	}
	for _, sec := range b.Sections {
		d.int(len(sec.Topics))
		for _, t := range sec.Topics {
			d.u64(g.tChip[t])
		}
		d.int(len(sec.Entities))
		for _, e := range sec.Entities {
			d.u64(g.eChip[e])
		}
	}
	for _, es := range [][]*site.Entity{b.Entities, b.Listed} {
		d.int(len(es))
		for _, e := range es {
			d.u64(g.eChip[e])
		}
	}
	d.int(len(b.Tagged))
	for _, t := range b.Tagged {
		d.u64(g.tChip[t])
	}
	d.int(len(b.Related))
	for _, r := range b.Related {
		d.u64(g.bInfo[r.Briefing].card)
		d.u64(math.Float64bits(r.Score))
		d.strs(r.Shared)
	}
}

func (g *digester) topicPage(d *digest, t *site.Topic, n, size int) {
	d.int(n)
	d.int(size)
	d.u64(g.tCard[t])
	g.contentOf(d, t.Path)
	lo := min((n-1)*size, len(t.Sections))
	for _, sec := range t.Sections[lo:min(lo+size, len(t.Sections))] {
		info := g.bInfo[sec.Briefing]
		d.u64(info.card)
		d.int(sec.Index)
		if e := info.entry; e != nil && sec.Index < len(e.secs) {
			d.u64(e.secs[sec.Index])
		}
		d.int(len(sec.Topics))
		for _, t := range sec.Topics {
			d.u64(g.tChip[t])
		}
	}
	d.u64(g.tSide[t])
}

func (g *digester) entityPage(d *digest, e *site.Entity, n, size int) {
	d.int(n)
	d.int(size)
	d.u64(g.eCard[e])
	g.contentOf(d, e.Path)
	index := g.eIndex[e]
	lo := min((n-1)*size, len(e.Appearances))
	for _, a := range e.Appearances[lo:min(lo+size, len(e.Appearances))] {
		info := g.bInfo[a.Briefing]
		d.u64(info.card)
		d.int(a.Count)
		d.bool(a.Listed)
		// The sentence comes from the briefing's conversion, which
		// digested it once, by the entity's place in the site.
		d.int(len(a.Sentence))
		if c := info.entry; c != nil && a.Sentence != "" {
			if v, ok := c.sentence[index]; ok {
				d.u64(v)
				continue
			}
		}
		d.str(a.Sentence)
	}
	d.u64(g.eRel[e])
	if n == 1 {
		// The first page draws the entity's neighbourhood: the entities
		// it appears with most and how they appear with each other.
		for _, r := range e.Related[:min(egoNodes, len(e.Related))] {
			d.u64(g.eCard[r.Entity])
			d.u64(g.eRel[r.Entity])
		}
	}
}
