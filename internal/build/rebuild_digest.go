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
	"sync/atomic"
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

	// By rank (site.Briefing.Rank and the like).
	bInfo []briefingInfo
	tChip []uint64
	tCard []uint64
	tSide []uint64
	eChip []uint64
	eCard []uint64
	eRel  []uint64

	// The lists that several pages show.
	cards, topics, entities, graph uint64

	// keep, when set, lets the pages of the briefings, entities and topics
	// it marks (by rank) keep the digest of the last build.
	keep *keepSet
}

// keepSet marks the documents whose pages cannot have changed since the
// last build, whose page digests it holds.
type keepSet struct {
	last                        map[string]uint64
	briefings, entities, topics []bool
}

// digestState is what the page digests of a build leave for the next: the
// site and its document folders, and the digests of the parts pages are
// made of, by rank.
type digestState struct {
	site  *site.Site
	docs  map[string]any
	top   uint64 // digester.site
	card  []uint64
	eCard []uint64
	eRel  []uint64
	tCard []uint64
	tSide []uint64
}

// digests returns the digest of every page of jobs that this file knows;
// other pages get none (0). With patch non-nil, s is the last build's site
// refreshed for the briefings in patch (see Session.convert), and last are
// the page digests of that build: pages that cannot have changed keep
// theirs (see keepers).
func (ss *Session) digests(s *site.Site, jobs []render.Job, ropts render.Options, patch []*site.Briefing, last map[string]uint64) map[string]uint64 {
	g := ss.newDigester(s, ropts)
	docs := ss.lastDigest.docs
	if ss.lastDigest.site != s || docs == nil {
		docs = make(map[string]any, len(s.Briefings)+len(s.Topics)+len(s.Entities)+len(s.Pages))
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
	}
	if patch != nil && ss.lastDigest.site == s && last != nil {
		g.keep = g.keepers(&ss.lastDigest, patch, last)
	}
	ss.lastDigest = digestState{site: s, docs: docs, top: g.site, card: make([]uint64, len(g.bInfo)),
		eCard: g.eCard, eRel: g.eRel, tCard: g.tCard, tSide: g.tSide}
	for i, info := range g.bInfo {
		ss.lastDigest.card[i] = info.card
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

// keepers works out which pages of a refreshed site (see site.Refresh)
// cannot have changed since the last build, whose digests are in was. The
// site's briefings, entities and topics are the same objects with the
// same names, in the same order; only the bodies of the briefings in
// patch changed, and with them what Assemble gathers from those bodies.
// So:
//
//   - a briefing's page changes if the briefing is in patch, or if one of
//     its related briefings is another one or changed its card;
//   - an entity's page changes if a briefing in patch names it now (before
//     but not now changes its count of appearances, which is in its card),
//     or if its card or relations, or those of a neighbour its graph
//     draws, changed;
//   - a topic's page changes if a section or the front matter of a
//     briefing in patch names it now (before but not now changes its
//     counts), or if its card or side (tagged briefings, entities)
//     changed.
//
// Every other page (lists, indexes, the home page) is digested anew.
func (g *digester) keepers(was *digestState, patch []*site.Briefing, last map[string]uint64) *keepSet {
	s := g.s
	if was.top != g.site || len(was.card) != len(s.Briefings) || len(was.eCard) != len(s.Entities) || len(was.tCard) != len(s.Topics) {
		return nil
	}
	k := &keepSet{last: last, briefings: make([]bool, len(s.Briefings)),
		entities: make([]bool, len(s.Entities)), topics: make([]bool, len(s.Topics))}
	cardChanged := make([]bool, len(s.Briefings))
	for i, info := range g.bInfo {
		cardChanged[i] = info.card != was.card[i]
	}
	touched := func(b *site.Briefing) {
		k.briefings[b.Rank()] = false
		for _, e := range b.Entities {
			k.entities[e.Rank()] = false
		}
		for _, t := range b.Topics {
			k.topics[t.Rank()] = false
		}
	}
	kept := g.ss.assembly.RelatedKept()
	for i, b := range s.Briefings {
		ok := kept && !cardChanged[i]
		for _, r := range b.Related {
			ok = ok && !cardChanged[r.Briefing.Rank()]
		}
		k.briefings[i] = ok
	}
	relChanged := make([]bool, len(s.Entities))
	for i := range s.Entities {
		relChanged[i] = g.eCard[i] != was.eCard[i] || g.eRel[i] != was.eRel[i]
	}
	for i, e := range s.Entities {
		ok := !relChanged[i]
		for _, r := range e.TopRelated(egoNodes) {
			ok = ok && !relChanged[r.Entity.Rank()]
		}
		k.entities[i] = ok
	}
	for i := range s.Topics {
		k.topics[i] = g.tCard[i] == was.tCard[i] && g.tSide[i] == was.tSide[i]
	}
	for _, b := range patch {
		touched(b)
	}
	return k
}

// parallel calls f(0) … f(n-1) on every processor. Work is handed out in
// small chunks as workers ask for it, since the cost of an item varies
// (a page of a large entity against a briefing's).
func parallel(n int, f func(i int)) {
	const chunk = 64
	workers := min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					f(i)
				}
			}
		})
	}
	wg.Wait()
}

func (ss *Session) newDigester(s *site.Site, ropts render.Options) *digester {
	g := &digester{ss: ss, s: s,
		bInfo: make([]briefingInfo, len(s.Briefings)),
		tChip: make([]uint64, len(s.Topics)), tCard: make([]uint64, len(s.Topics)), tSide: make([]uint64, len(s.Topics)),
		eChip: make([]uint64, len(s.Entities)), eCard: make([]uint64, len(s.Entities)), eRel: make([]uint64, len(s.Entities))}

	d := g.new()
	d.str(fmt.Sprintf("%#v|%#v", s.Config, ropts))
	d.int(len(s.Briefings))
	d.int(len(s.Topics))
	d.int(len(s.Entities))
	for _, p := range s.Pages {
		g.pageFields(&d, p)
	}
	g.site = d.sum()

	for i, t := range s.Topics {
		g.tChip[i] = g.topicChip(t)
	}
	for i, e := range s.Entities {
		g.eChip[i] = g.entityChip(e)
	}
	parallel(len(s.Briefings), func(i int) {
		b := s.Briefings[i]
		g.bInfo[i] = briefingInfo{card: g.briefingCard(b), entry: ss.entryOf(b.Path)}
	})
	for i, t := range s.Topics {
		g.tCard[i] = g.topicCard(t)
		g.tSide[i] = g.topicSide(t)
	}
	if was := &ss.lastDigest; was.site == s && len(was.eRel) == len(s.Entities) && ss.assembly.WeightsKept() {
		// The same entities, with the same names, hold the same weights.
		copy(g.eRel, was.eRel)
	} else {
		parallel(len(s.Entities), func(i int) { g.eRel[i] = g.entityRelations(s.Entities[i]) })
	}
	for i, e := range s.Entities {
		g.eCard[i] = g.entityCard(e)
	}

	cards, topics, entities, graph := g.new(), g.new(), g.new(), g.new()
	for i := range s.Briefings {
		cards.u64(g.bInfo[i].card)
	}
	for i := range s.Topics {
		topics.u64(g.tCard[i])
	}
	for i := range s.Entities {
		entities.u64(g.eCard[i])
		graph.u64(g.eCard[i])
		graph.u64(g.eRel[i])
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
		if k := g.keep; k != nil {
			var ok bool
			switch x := doc.(type) {
			case *site.Briefing:
				ok = k.briefings[x.Rank()]
			case *site.Topic:
				ok = k.topics[x.Rank()]
			case *site.Entity:
				ok = k.entities[x.Rank()]
			}
			if v, found := k.last[file]; ok && found {
				return v
			}
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
		d.u64(g.bInfo[b.Rank()].card)
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
		d.u64(g.tChip[t.Rank()])
	}
	return d.sum()
}

// fieldsMemo is the digest of a briefing's own fields, with what they
// were made from: its decoded file and the site's default marking. A
// conversion (convEntry) keeps it, since the summary may come from there.
type fieldsMemo struct {
	file  *source.File
	class string
	sum   uint64
}

// briefingFields digests a briefing's own fields, once per file and
// conversion rather than once per build.
func (g *digester) briefingFields(b *site.Briefing) uint64 {
	f, e := g.s.File(b.Path), g.ss.entryOf(b.Path)
	class := g.s.Config.Classification
	if e != nil && f != nil && e.fields.file == f && e.fields.class == class {
		return e.fields.sum
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
	if e != nil && f != nil {
		// Each conversion is one briefing's, which one goroutine digests.
		e.fields = fieldsMemo{file: f, class: class, sum: v}
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
	d.u64(g.tChip[t.Rank()])
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
		d.u64(g.bInfo[b.Rank()].card)
	}
	d.int(len(t.Entities))
	for _, w := range t.Entities {
		d.u64(g.eChip[w.Entity.Rank()])
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
	d.u64(g.eChip[e.Rank()])
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
	d.int(e.RelatedCount())
	e.EachRelated(func(r site.EntityWeight) bool {
		d.u64(g.eChip[r.Entity.Rank()])
		d.int(r.Count)
		return true
	})
	d.int(len(e.Topics))
	for _, t := range e.Topics {
		d.u64(g.tChip[t.Topic.Rank()])
		d.int(t.Count)
	}
	return d.sum()
}

func (g *digester) briefingPage(d *digest, b *site.Briefing) {
	info := g.bInfo[b.Rank()]
	d.u64(info.card)
	if info.entry != nil {
		d.u64(info.entry.sum)
	}
	for _, sec := range b.Sections {
		d.int(len(sec.Topics))
		for _, t := range sec.Topics {
			d.u64(g.tChip[t.Rank()])
		}
		d.int(len(sec.Entities))
		for _, e := range sec.Entities {
			d.u64(g.eChip[e.Rank()])
		}
	}
	for _, es := range [][]*site.Entity{b.Entities, b.Listed} {
		d.int(len(es))
		for _, e := range es {
			d.u64(g.eChip[e.Rank()])
		}
	}
	d.int(len(b.Tagged))
	for _, t := range b.Tagged {
		d.u64(g.tChip[t.Rank()])
	}
	d.int(len(b.Related))
	for _, r := range b.Related {
		d.u64(g.bInfo[r.Briefing.Rank()].card)
		d.u64(math.Float64bits(r.Score))
		d.strs(r.Shared)
	}
}

func (g *digester) topicPage(d *digest, t *site.Topic, n, size int) {
	d.int(n)
	d.int(size)
	d.u64(g.tCard[t.Rank()])
	g.contentOf(d, t.Path)
	lo := min((n-1)*size, len(t.Sections))
	for _, sec := range t.Sections[lo:min(lo+size, len(t.Sections))] {
		info := g.bInfo[sec.Briefing.Rank()]
		d.u64(info.card)
		d.int(sec.Index)
		if e := info.entry; e != nil && sec.Index < len(e.secs) {
			d.u64(e.secs[sec.Index])
		}
		d.int(len(sec.Topics))
		for _, t := range sec.Topics {
			d.u64(g.tChip[t.Rank()])
		}
	}
	d.u64(g.tSide[t.Rank()])
}

func (g *digester) entityPage(d *digest, e *site.Entity, n, size int) {
	d.int(n)
	d.int(size)
	d.u64(g.eCard[e.Rank()])
	g.contentOf(d, e.Path)
	index := int32(e.Rank())
	lo := min((n-1)*size, len(e.Appearances))
	for _, a := range e.Appearances[lo:min(lo+size, len(e.Appearances))] {
		info := g.bInfo[a.Briefing.Rank()]
		d.u64(info.card)
		d.int(a.Count)
		d.bool(a.Listed)
		// The sentence comes from the briefing's conversion, which
		// digested it once, by the entity's place in the site.
		sentence := a.Sentence()
		d.int(len(sentence))
		if c := info.entry; c != nil && sentence != "" {
			if v, ok := c.sentenceSum(index); ok {
				d.u64(v)
				continue
			}
		}
		d.str(sentence)
	}
	d.u64(g.eRel[e.Rank()])
	if n == 1 {
		// The first page draws the entity's neighbourhood: the entities
		// it appears with most and how they appear with each other.
		for _, r := range e.TopRelated(egoNodes) {
			d.u64(g.eCard[r.Entity.Rank()])
			d.u64(g.eRel[r.Entity.Rank()])
		}
	}
}
