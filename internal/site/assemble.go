package site

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// RelatedLimit is how many related briefings a briefing page lists.
const RelatedLimit = 5

// Assemble computes every index the pages show from the briefings' converted
// content and section topics. Call it once, after every briefing's Content,
// Mentions and Section.Topics are set.
//
// What concerns one briefing alone is computed in parallel; the lists that
// gather many briefings are filled in one pass, newest briefing first, so
// that each is in that order. Counts of entity pairs and of entities in
// topics are gathered as integer keys, sorted and counted in runs rather
// than in maps: at 100,000 briefings there are millions of them.
func (s *Site) Assemble() { s.AssembleWith(nil) }

// Memo remembers what Assemble computed for one version of a site so that
// the next version can reuse it where its inputs are the same: `dossier
// serve` keeps one across rebuilds. The zero Memo remembers nothing yet.
type Memo struct {
	related struct {
		sum  uint64
		list [][]memoRelated // by briefing index
	}
	// weights are the entities' Related and Topics and the topics'
	// Entities, by rank, for the pair keys they were counted from.
	weights struct {
		sum            uint64
		related        [][]memoWeight // by entity rank
		entityTopics   [][]memoWeight // by entity rank: topic ranks
		topicEntities  [][]memoWeight // by topic rank: entity ranks
		entities, tops int
	}
}

// memoWeight is an EntityWeight or TopicWeight by rank.
type memoWeight struct{ rank, count int32 }

// memoRelated is a related briefing by index, as a Memo keeps it.
type memoRelated struct {
	o      int32
	score  float64
	shared []string
}

// AssembleWith is Assemble reusing and updating m (nil: no memo).
func (s *Site) AssembleWith(m *Memo) {
	for i, e := range s.Entities {
		e.rank = i
		e.Appearances, e.Mentions, e.Related, e.Topics = nil, 0, nil, nil
	}
	for i, t := range s.Topics {
		t.rank = i
		t.Sections, t.Briefings, t.Entities = nil, nil, nil
	}

	apps := make([][]*Appearance, len(s.Briefings))
	parallel(len(s.Briefings), func(i int) { apps[i] = s.Briefings[i].assemble() })

	var pairs, entityTopics []uint64 // rank<<32 | rank
	for i, b := range s.Briefings {  // newest first, so every list below is too
		for _, m := range b.Mentions {
			m.Entity.Mentions += m.Count
			for _, j := range m.Sections {
				for _, t := range b.Sections[j].Topics {
					entityTopics = append(entityTopics, key(m.Entity.rank, t.rank))
				}
			}
		}
		for _, sec := range b.Sections {
			for _, t := range sec.Topics {
				t.Sections = append(t.Sections, sec)
			}
		}
		for j, e := range b.Entities {
			e.Appearances = append(e.Appearances, apps[i][j])
		}
		for j, x := range b.Entities {
			for _, y := range b.Entities[j+1:] {
				pairs = append(pairs, key(min(x.rank, y.rank), max(x.rank, y.rank)))
			}
		}
		for _, t := range b.Tagged {
			t.Briefings = append(t.Briefings, b)
		}
	}

	if m != nil && m.weightsFrom(s, pairs, entityTopics) {
		s.relate(m)
		return
	}
	runs(pairs, func(x, y, n int) {
		a, b := s.Entities[x], s.Entities[y]
		a.Related = append(a.Related, EntityWeight{b, n})
		b.Related = append(b.Related, EntityWeight{a, n})
	})
	runs(entityTopics, func(x, y, n int) {
		e, t := s.Entities[x], s.Topics[y]
		e.Topics = append(e.Topics, TopicWeight{t, n})
		t.Entities = append(t.Entities, EntityWeight{e, n})
	})
	parallel(len(s.Entities), func(i int) {
		e := s.Entities[i]
		sortEntityWeights(e.Related)
		slices.SortFunc(e.Topics, func(x, y TopicWeight) int {
			return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Topic.rank, y.Topic.rank))
		})
	})
	for _, t := range s.Topics {
		sortEntityWeights(t.Entities)
	}
	if m != nil {
		m.keepWeights(s)
	}
	s.relate(m)
}

// weightsFrom gives s's entities and topics the weights remembered for the
// same pair keys, and reports whether it could. It records the keys' digest
// for keepWeights.
func (m *Memo) weightsFrom(s *Site, pairs, entityTopics []uint64) bool {
	var h maphash.Hash
	h.SetSeed(relateSeed)
	var buf [8]byte
	for _, keys := range [][]uint64{pairs, entityTopics} {
		binary.LittleEndian.PutUint64(buf[:], uint64(len(keys)))
		h.Write(buf[:])
		for _, k := range keys {
			binary.LittleEndian.PutUint64(buf[:], k)
			h.Write(buf[:])
		}
	}
	sum := h.Sum64()
	w := &m.weights
	if w.sum != sum || w.entities != len(s.Entities) || w.tops != len(s.Topics) {
		w.sum, w.related, w.entityTopics, w.topicEntities = sum, nil, nil, nil
		return false
	}
	for i, e := range s.Entities {
		e.Related = make([]EntityWeight, len(w.related[i]))
		for j, r := range w.related[i] {
			e.Related[j] = EntityWeight{s.Entities[r.rank], int(r.count)}
		}
		e.Topics = make([]TopicWeight, len(w.entityTopics[i]))
		for j, r := range w.entityTopics[i] {
			e.Topics[j] = TopicWeight{s.Topics[r.rank], int(r.count)}
		}
	}
	for i, t := range s.Topics {
		t.Entities = make([]EntityWeight, len(w.topicEntities[i]))
		for j, r := range w.topicEntities[i] {
			t.Entities[j] = EntityWeight{s.Entities[r.rank], int(r.count)}
		}
	}
	return true
}

// keepWeights remembers the weights Assemble computed, under the digest
// weightsFrom recorded.
func (m *Memo) keepWeights(s *Site) {
	w := &m.weights
	w.entities, w.tops = len(s.Entities), len(s.Topics)
	w.related = make([][]memoWeight, len(s.Entities))
	w.entityTopics = make([][]memoWeight, len(s.Entities))
	for i, e := range s.Entities {
		for _, r := range e.Related {
			w.related[i] = append(w.related[i], memoWeight{int32(r.Entity.rank), int32(r.Count)})
		}
		for _, r := range e.Topics {
			w.entityTopics[i] = append(w.entityTopics[i], memoWeight{int32(r.Topic.rank), int32(r.Count)})
		}
	}
	w.topicEntities = make([][]memoWeight, len(s.Topics))
	for i, t := range s.Topics {
		for _, r := range t.Entities {
			w.topicEntities[i] = append(w.topicEntities[i], memoWeight{int32(r.Entity.rank), int32(r.Count)})
		}
	}
}

// assemble computes what concerns b alone: its sections' entities, its
// entities and topics in the order its page shows them, and one
// Appearance for each of its entities, in the order of b.Entities.
func (b *Briefing) assemble() []*Appearance {
	for _, sec := range b.Sections {
		sec.Briefing = b
		sec.Entities = sec.Entities[:0]
	}
	counts := make(map[*Entity]int, len(b.Mentions))
	for _, m := range b.Mentions {
		counts[m.Entity] += m.Count
		for _, i := range m.Sections {
			sec := b.Sections[i]
			sec.Entities = append(sec.Entities, m.Entity)
		}
	}
	for _, sec := range b.Sections {
		slices.SortFunc(sec.Entities, func(a, b *Entity) int { return compareFold(a.Name, b.Name) })
	}

	// The briefing's entities: mentioned ones by count, then listed ones.
	b.Entities = b.Entities[:0]
	for _, m := range b.Mentions {
		b.Entities = append(b.Entities, m.Entity)
	}
	for _, e := range b.Listed {
		if _, ok := counts[e]; !ok {
			b.Entities = append(b.Entities, e)
		}
	}
	slices.SortStableFunc(b.Entities, func(x, y *Entity) int {
		return cmp.Or(cmp.Compare(counts[y], counts[x]), compareFold(x.Name, y.Name))
	})
	apps := make([]*Appearance, len(b.Entities))
	for i, e := range b.Entities {
		a := &Appearance{Briefing: b, Count: counts[e], Listed: slices.Contains(b.Listed, e)}
		for _, m := range b.Mentions {
			if m.Entity == e {
				a.Sentence = m.Sentence
			}
		}
		apps[i] = a
	}

	// The briefing's topics: tagged ones and those of its sections.
	b.Topics = append(b.Topics[:0], b.Tagged...)
	for _, sec := range b.Sections {
		for _, t := range sec.Topics {
			if !slices.Contains(b.Topics, t) {
				b.Topics = append(b.Topics, t)
			}
		}
	}
	slices.SortFunc(b.Topics, func(x, y *Topic) int { return compareFold(x.Title, y.Title) })
	return apps
}

func key(x, y int) uint64 { return uint64(x)<<32 | uint64(y) }

// runs sorts keys and calls fn for each distinct key, in order, with the
// two ranks it holds and how many times it occurs.
func runs(keys []uint64, fn func(x, y, n int)) {
	slices.Sort(keys)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		fn(int(keys[i]>>32), int(keys[i]&math.MaxUint32), j-i)
		i = j
	}
}

// parallel calls fn(i) for every i below n, on every core.
func parallel(n int, fn func(i int)) {
	parallelWith(n, func() func(int) { return fn })
}

// parallelWith is parallel for work that needs state of its own on each
// core: each worker calls worker once and then the function it returns.
func parallelWith(n int, worker func() func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			fn := worker()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// relate finds, for each briefing, the RelatedLimit briefings that share
// the most entities and topics with it. A shared name counts for more the
// fewer briefings carry it (inverse document frequency, log(1 + n/df)), so
// two briefings that both mention a minor official are closer than two
// that both mention a country every briefing names; a shared topic counts
// half as much as an entity as rare, since topics are broad. Ties go to the
// newer briefing. Each result keeps the shared names that say most about
// why, rarest first.
//
// Scores are summed in dense slices indexed by briefing and by name
// number, not in maps, on every core: the work is the sum, over names, of
// the square of the number of briefings that carry each, which a name in
// most briefings makes large.
//
// With a memo, a site whose briefings carry the same names in the same
// order as last time (the usual edit: a sentence, not a name) gets the
// same answer without the work.
func (s *Site) relate(m *Memo) {
	n := len(s.Briefings)
	// Names are numbered: entities by rank, then topics.
	ne := len(s.Entities)
	keys := make([][]int32, n) // briefing → its names: entities, then topics
	for i, b := range s.Briefings {
		ks := make([]int32, 0, len(b.Entities)+len(b.Topics))
		for _, e := range b.Entities {
			ks = append(ks, int32(e.rank))
		}
		for _, t := range b.Topics {
			ks = append(ks, int32(ne+t.rank))
		}
		keys[i] = ks
	}
	if m != nil {
		sum := relateSum(s, keys)
		if m.related.sum == sum && len(m.related.list) == n {
			for i, b := range s.Briefings {
				b.Related = b.Related[:0]
				for _, r := range m.related.list[i] {
					b.Related = append(b.Related, &Related{Briefing: s.Briefings[r.o], Score: r.score, Shared: r.shared})
				}
			}
			return
		}
		m.related.sum, m.related.list = sum, make([][]memoRelated, n)
	}

	postings := make([][]int32, ne+len(s.Topics)) // name → briefings, ascending
	for i, ks := range keys {
		for _, k := range ks {
			postings[k] = append(postings[k], int32(i))
		}
	}
	weights := make([]float64, len(postings))
	for k, ps := range postings {
		if len(ps) > 0 {
			weights[k] = math.Log(1 + float64(n)/float64(len(ps)))
			if k >= ne {
				weights[k] /= 2
			}
		}
	}
	name := func(k int32) string {
		if int(k) < ne {
			return s.Entities[k].Name
		}
		return s.Topics[int(k)-ne].Title
	}

	// Each briefing's related ones are found on their own, on every core.
	parallelWith(n, func() func(int) {
		scores := make([]float64, n)
		var touched []int32
		best := make([]int32, 0, RelatedLimit)
		// better is the order of related briefings: higher score first; on
		// equal scores the lower index, which is the newer briefing since
		// s.Briefings is in compareBriefings order.
		better := func(x, y int32) bool { return scores[x] > scores[y] || (scores[x] == scores[y] && x < y) }
		return func(i int) {
			b := s.Briefings[i]
			touched = touched[:0]
			for _, k := range keys[i] {
				w := weights[k]
				for _, o := range postings[k] {
					if scores[o] == 0 && int(o) != i {
						touched = append(touched, o)
					}
					scores[o] += w
				}
			}
			scores[i] = 0
			// Keep the RelatedLimit best candidates in order. A popular name
			// makes thousands of candidates, and sorting them all to keep
			// five was most of the cost of relate at 10,000 briefings.
			best = best[:0]
			for _, o := range touched {
				if len(best) == RelatedLimit && !better(o, best[len(best)-1]) {
					continue
				}
				if len(best) < RelatedLimit {
					best = append(best, o)
				} else {
					best[len(best)-1] = o
				}
				for j := len(best) - 1; j > 0 && better(best[j], best[j-1]); j-- {
					best[j], best[j-1] = best[j-1], best[j]
				}
			}
			b.Related = b.Related[:0]
			for _, o := range best {
				var shared []weighted
				for _, k := range keys[i] {
					if slices.Contains(keys[o], k) {
						shared = append(shared, weighted{name(k), weights[k]})
					}
				}
				b.Related = append(b.Related, &Related{Briefing: s.Briefings[o], Score: scores[o], Shared: telling(shared)})
				if m != nil {
					m.related.list[i] = append(m.related.list[i], memoRelated{o, scores[o], b.Related[len(b.Related)-1].Shared})
				}
			}
			for _, o := range touched {
				scores[o] = 0
			}
		}
	})
}

// relateSum is a digest of everything relate reads: each briefing's names
// in order (as numbers) and the names themselves.
func relateSum(s *Site, keys [][]int32) uint64 {
	var h maphash.Hash
	h.SetSeed(relateSeed)
	var buf [4]byte
	for _, ks := range keys {
		binary.LittleEndian.PutUint32(buf[:], uint32(len(ks)))
		h.Write(buf[:])
		for _, k := range ks {
			binary.LittleEndian.PutUint32(buf[:], uint32(k))
			h.Write(buf[:])
		}
	}
	for _, e := range s.Entities {
		h.WriteString(e.Name)
		h.WriteByte(0)
	}
	for _, t := range s.Topics {
		h.WriteString(t.Title)
		h.WriteByte(0)
	}
	return h.Sum64()
}

var relateSeed = maphash.MakeSeed()

// sharedShown is how many shared names a related briefing shows as the
// reason it is related.
const sharedShown = 4

type weighted struct {
	name string
	w    float64
}

// telling returns the names that say most about why two briefings are
// related: the rarest first, each name once (an entity and a topic may
// share one), at most sharedShown of them.
func telling(ws []weighted) []string {
	slices.SortFunc(ws, func(a, b weighted) int { return cmp.Or(cmp.Compare(b.w, a.w), compareFold(a.name, b.name)) })
	out := make([]string, 0, min(len(ws), sharedShown))
	for _, w := range ws {
		if len(out) == sharedShown {
			break
		}
		if !slices.Contains(out, w.name) {
			out = append(out, w.name)
		}
	}
	return out
}

func sortEntityWeights(ws []EntityWeight) {
	slices.SortFunc(ws, func(x, y EntityWeight) int {
		// Site.Entities is in the order of name, then slug.
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Entity.rank, y.Entity.rank))
	})
}

// EntitiesByType groups entities by type in the order of EntityTypes.
func EntitiesByType(es []*Entity) []EntityGroup {
	var groups []EntityGroup
	for _, typ := range EntityTypes {
		var g EntityGroup
		g.Type = typ
		for _, e := range es {
			if e.Type == typ {
				g.Entities = append(g.Entities, e)
			}
		}
		if len(g.Entities) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// EntityGroup is the entities of one type.
type EntityGroup struct {
	Type     string
	Entities []*Entity
}
