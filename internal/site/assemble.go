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

	"github.com/dossier-dev/dossier/internal/slab"
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
	// own is each briefing's own part of Assemble, for a briefing that has
	// not changed since (see Changed), while the entities and topics are
	// the same ones in the same order (ranks and name numbers hold).
	own      map[*Briefing]*own
	changed  map[*Briefing]bool
	entities []*Entity
	topics   []*Topic

	related struct {
		sum       uint64
		list      [][]memoRelated // by briefing index
		briefings []*Briefing     // whose Related were last set from list
		kept      bool            // the last Assemble left every Related as it was
	}
	// weights are the entities' Related and Topics and the topics'
	// Entities, by rank, for the pair keys they were counted from.
	weights struct {
		sum            uint64
		related        [][]uint64     // by entity rank, as Entity.related
		entityTopics   [][]memoWeight // by entity rank: topic ranks
		topicEntities  [][]memoWeight // by topic rank: entity ranks
		entities, tops int
		// The entities and topics that hold these weights now, and
		// whether the last Assemble found them so.
		heldEntities []*Entity
		heldTopics   []*Topic
		kept         bool
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

// RelatedKept reports whether the last AssembleWith left the Related of
// every briefing as the one before it had made them: the same briefings,
// related to the same briefings with the same scores and shared names.
func (m *Memo) RelatedKept() bool { return m.related.kept }

// WeightsKept reports whether the last AssembleWith left the weights of
// every entity and topic (Entity.Related and Topics, Topic.Entities) as
// the one before it had made them.
func (m *Memo) WeightsKept() bool { return m.weights.kept }

// Changed tells m that the content of briefings changed since the last
// Assemble saw them (see Site.Refresh): their own part is made again.
// Briefings m has not seen (those of a site made anew) always are.
func (m *Memo) Changed(bs ...*Briefing) {
	if m.changed == nil {
		m.changed = map[*Briefing]bool{}
	}
	for _, b := range bs {
		m.changed[b] = true
	}
}

// own is what Assemble computes for one briefing alone.
type own struct {
	apps []*Appearance // one for each of b.Entities
	// pairs are the pairs of its entities, entityTopics each mention of
	// an entity in a section with a topic: rank<<32 | rank.
	pairs, entityTopics []uint64
	// names are its entities' ranks, then its topics' ranks after the
	// entities' (relate's name numbers).
	names []int32
	// keys is a digest of pairs and entityTopics, names one of names.
	keys, nameSum uint64
}

// AssembleWith is Assemble reusing and updating m (nil: no memo). The
// sites m sees must be assembled only through it.
func (s *Site) AssembleWith(m *Memo) {
	// The weights (entities' Related and Topics, topics' Entities) are
	// reset only when they are counted again: a memo may find that the
	// entities and topics hold the right ones already.
	for i, e := range s.Entities {
		e.rank, e.site = i, s
		e.Appearances, e.Mentions = nil, 0
	}
	for i, t := range s.Topics {
		t.rank = i
		t.Sections, t.Briefings = nil, nil
	}
	for i, b := range s.Briefings {
		b.rank = i
	}

	owns := make([]*own, len(s.Briefings))
	ownOf := func(i int) { owns[i] = s.Briefings[i].own(len(s.Entities), noKeep) }
	if m == nil {
		parallelWith(len(s.Briefings), func() func(int) {
			k := newKeep()
			return func(i int) { owns[i] = s.Briefings[i].own(len(s.Entities), k) }
		})
	} else {
		// A briefing's own part depends on nothing but the briefing and
		// the ranks of the entities and topics.
		if !slices.Equal(m.entities, s.Entities) || !slices.Equal(m.topics, s.Topics) {
			m.own = nil
		}
		var redo []int
		for i, b := range s.Briefings {
			if o, ok := m.own[b]; ok && !m.changed[b] {
				owns[i] = o
			} else {
				redo = append(redo, i)
			}
		}
		parallel(len(redo), func(i int) { ownOf(redo[i]) })
		m.own, m.changed = make(map[*Briefing]*own, len(s.Briefings)), nil
		m.entities, m.topics = slices.Clone(s.Entities), slices.Clone(s.Topics)
		for i, b := range s.Briefings {
			m.own[b] = owns[i]
		}
	}

	for i, b := range s.Briefings { // newest first, so every list below is too
		for _, m := range b.Mentions {
			m.Entity.Mentions += m.Count
		}
		for _, sec := range b.Sections {
			for _, t := range sec.Topics {
				t.Sections = append(t.Sections, sec)
			}
		}
		for j, e := range b.Entities {
			e.Appearances = append(e.Appearances, owns[i].apps[j])
		}
		for _, t := range b.Tagged {
			t.Briefings = append(t.Briefings, b)
		}
	}

	if m != nil && m.weightsFrom(s, owns) {
		s.relate(m, owns)
		return
	}
	for _, e := range s.Entities {
		e.related, e.Topics = nil, nil
	}
	for _, t := range s.Topics {
		t.Entities = nil
	}
	var np, net int
	for _, o := range owns {
		np, net = np+len(o.pairs), net+len(o.entityTopics)
	}
	pairs, entityTopics := make([]uint64, 0, np), make([]uint64, 0, net)
	for _, o := range owns {
		pairs = append(pairs, o.pairs...)
		entityTopics = append(entityTopics, o.entityTopics...)
	}
	// Each list is counted first and then filled in a part of one array:
	// grown by append, the lists left as much garbage as they kept.
	var sorted sync.WaitGroup
	sorted.Go(func() { sortKeys(entityTopics, len(s.Entities)) }) // millions each at 100,000 briefings: one on each core
	sortKeys(pairs, len(s.Entities))
	sorted.Wait()
	nRelated := make([]int, len(s.Entities))
	runs(pairs, func(x, y, _ int) { nRelated[x]++; nRelated[y]++ })
	related := carve[uint64](nRelated)
	runs(pairs, func(x, y, n int) {
		related[x] = append(related[x], uint64(y)<<32|uint64(n))
		related[y] = append(related[y], uint64(x)<<32|uint64(n))
	})
	nTopics, nEntities := make([]int, len(s.Entities)), make([]int, len(s.Topics))
	runs(entityTopics, func(x, y, _ int) { nTopics[x]++; nEntities[y]++ })
	topics, entities := carve[TopicWeight](nTopics), carve[EntityWeight](nEntities)
	runs(entityTopics, func(x, y, n int) {
		topics[x] = append(topics[x], TopicWeight{s.Topics[y], n})
		entities[y] = append(entities[y], EntityWeight{s.Entities[x], n})
	})
	for i, e := range s.Entities {
		e.related, e.Topics = related[i], topics[i]
	}
	for i, t := range s.Topics {
		t.Entities = entities[i]
	}
	parallel(len(s.Entities), func(i int) {
		e := s.Entities[i]
		// Most shared first, then in the order of Site.Entities (name,
		// then slug): the order of the keys (MaxUint32-count)<<32 | rank,
		// which slices.Sort puts in order without a call per comparison
		// (the thousands a popular entity of a large site has took most
		// of this loop's time that way).
		r := e.related
		for j, w := range r {
			r[j] = (math.MaxUint32-w&math.MaxUint32)<<32 | w>>32
		}
		slices.Sort(r)
		for j, w := range r {
			r[j] = (w&math.MaxUint32)<<32 | (math.MaxUint32 - w>>32)
		}
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
	s.relate(m, owns)
}

// own computes what concerns b alone (see assemble) and the keys the
// lists of many briefings are counted from; ne is the number of entities.
func (b *Briefing) own(ne int, k *keep) *own {
	o := &own{apps: b.assemble(k)}
	for _, m := range b.Mentions {
		for _, j := range m.Sections {
			for _, t := range b.Sections[j].Topics {
				o.entityTopics = append(o.entityTopics, key(m.Entity.rank, t.rank))
			}
		}
	}
	for j, x := range b.Entities {
		for _, y := range b.Entities[j+1:] {
			o.pairs = append(o.pairs, key(min(x.rank, y.rank), max(x.rank, y.rank)))
		}
	}
	o.names = make([]int32, 0, len(b.Entities)+len(b.Topics))
	for _, e := range b.Entities {
		o.names = append(o.names, int32(e.rank))
	}
	for _, t := range b.Topics {
		o.names = append(o.names, int32(ne+t.rank))
	}
	var h maphash.Hash
	h.SetSeed(relateSeed)
	for _, keys := range [][]uint64{o.pairs, o.entityTopics} {
		writeU64(&h, uint64(len(keys)))
		for _, k := range keys {
			writeU64(&h, k)
		}
	}
	o.keys = h.Sum64()
	h.Reset()
	writeU64(&h, uint64(len(o.names)))
	for _, k := range o.names {
		writeU64(&h, uint64(k))
	}
	o.nameSum = h.Sum64()
	return o
}

func writeU64(h *maphash.Hash, v uint64) {
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], v)
	h.Write(buf[:])
}

// weightsFrom gives s's entities and topics the weights remembered for the
// same pair keys (those of owns, in order), and reports whether it could.
// It records the keys' digest for keepWeights.
func (m *Memo) weightsFrom(s *Site, owns []*own) bool {
	var h maphash.Hash
	h.SetSeed(relateSeed)
	writeU64(&h, uint64(len(owns)))
	for _, o := range owns {
		writeU64(&h, o.keys)
	}
	sum := h.Sum64()
	w := &m.weights
	w.kept = false
	if w.sum != sum || w.entities != len(s.Entities) || w.tops != len(s.Topics) {
		w.sum, w.related, w.entityTopics, w.topicEntities = sum, nil, nil, nil
		w.heldEntities, w.heldTopics = nil, nil
		return false
	}
	if slices.Equal(w.heldEntities, s.Entities) && slices.Equal(w.heldTopics, s.Topics) {
		w.kept = true
		return true
	}
	w.heldEntities, w.heldTopics = slices.Clone(s.Entities), slices.Clone(s.Topics)
	for i, e := range s.Entities {
		e.related = w.related[i] // never changed in place
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
	w.heldEntities, w.heldTopics = slices.Clone(s.Entities), slices.Clone(s.Topics)
	w.related = make([][]uint64, len(s.Entities))
	w.entityTopics = make([][]memoWeight, len(s.Entities))
	for i, e := range s.Entities {
		w.related[i] = e.related
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
func (b *Briefing) assemble(k *keep) []*Appearance {
	// Each section's entities, in the order of the mentions, are parts of
	// one array: a briefing is a few objects for the collector to trace
	// rather than one for each section.
	at := make([]int, len(b.Sections)+1) // where each section's part ends
	for _, m := range b.Mentions {
		for _, i := range m.Sections {
			at[i+1]++
		}
	}
	for i := range b.Sections {
		at[i+1] += at[i]
	}
	all := k.entities.Make(at[len(b.Sections)])
	counts := make(map[*Entity]int, len(b.Mentions))
	for _, m := range b.Mentions {
		counts[m.Entity] += m.Count
		for _, i := range m.Sections {
			all[at[i]] = m.Entity
			at[i]++
		}
	}
	start := 0
	for i, sec := range b.Sections {
		sec.Briefing = b
		sec.Entities = nil
		if end := at[i]; end > start {
			sec.Entities = all[start:end:end]
			slices.SortFunc(sec.Entities, func(a, b *Entity) int { return compareFold(a.Name, b.Name) })
			start = end
		}
	}

	// The briefing's entities: mentioned ones by count, then listed ones.
	if n := len(b.Mentions) + len(b.Listed); cap(b.Entities) < n {
		b.Entities = k.entities.Make(n)
	}
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
	each := k.appearances.Make(len(b.Entities))
	for i, e := range b.Entities {
		a := &each[i]
		*a = Appearance{Briefing: b, Count: counts[e], Listed: slices.Contains(b.Listed, e)}
		for j, m := range b.Mentions {
			if m.Entity == e {
				a.mention = int32(j + 1)
			}
		}
		apps[i] = a
	}

	// The briefing's topics: tagged ones and those of its sections.
	n := len(b.Tagged)
	for _, sec := range b.Sections {
		n += len(sec.Topics)
	}
	if cap(b.Topics) < n {
		b.Topics = k.topics.Make(n)
	}
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

// sortKeys sorts keys (made by key, with every x below nx) in place, in
// ascending order as slices.Sort would: each key is first moved into the
// part of keys that holds its x, a swap at a time (a count of each x gives
// the parts' bounds), then each part is sorted on its own. A
// 100,000-briefing site has millions of keys, and a comparison sort of
// them all did a third more comparisons per key than at 10,000.
func sortKeys(keys []uint64, nx int) {
	start := make([]int, nx+1)
	for _, k := range keys {
		start[k>>32+1]++
	}
	for x := 1; x <= nx; x++ {
		start[x] += start[x-1]
	}
	// next[x] is the first place in x's part not yet known to hold an x.
	next := slices.Clone(start[:nx])
	for x := range nx {
		for next[x] < start[x+1] {
			k := keys[next[x]]
			if y := int(k >> 32); y != x {
				keys[next[x]], keys[next[y]] = keys[next[y]], k
				next[y]++
				continue
			}
			next[x]++
		}
	}
	for x := range nx {
		slices.Sort(keys[start[x]:start[x+1]])
	}
}

// runs calls fn for each distinct key of the sorted keys, in order, with
// the two ranks it holds and how many times it occurs.
func runs(keys []uint64, fn func(x, y, n int)) {
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		fn(int(keys[i]>>32), int(keys[i]&math.MaxUint32), j-i)
		i = j
	}
}

// carve returns empty slices with the capacities of sizes, parts of one
// array; nil for a size of 0.
func carve[T any](sizes []int) [][]T {
	total := 0
	for _, n := range sizes {
		total += n
	}
	all := make([]T, total)
	out := make([][]T, len(sizes))
	at := 0
	for i, n := range sizes {
		if n > 0 {
			out[i] = all[at : at : at+n]
			at += n
		}
	}
	return out
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
func (s *Site) relate(m *Memo, owns []*own) {
	n := len(s.Briefings)
	// Names are numbered: entities by rank, then topics.
	ne := len(s.Entities)
	keys := make([][]int32, n) // briefing → its names: entities, then topics
	for i, o := range owns {
		keys[i] = o.names
	}
	if m != nil {
		sum := relateSum(s, owns)
		m.related.kept = false
		if m.related.sum == sum && len(m.related.list) == n {
			if slices.Equal(m.related.briefings, s.Briefings) {
				// The same briefings hold the same Related still.
				m.related.kept = true
				return
			}
			for i, b := range s.Briefings {
				b.Related = b.Related[:0]
				for _, r := range m.related.list[i] {
					b.Related = append(b.Related, &Related{Briefing: s.Briefings[r.o], Score: r.score, Shared: r.shared})
				}
			}
			m.related.briefings = slices.Clone(s.Briefings)
			return
		}
		m.related.sum, m.related.list = sum, make([][]memoRelated, n)
		m.related.briefings = slices.Clone(s.Briefings)
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
	// Which briefings carry each topic, a bit for each, for the pruning
	// below: topic by topic, so that relating one briefing reads the
	// bits of its few topics (tens of kilobytes at 100,000 briefings,
	// which stay in the CPU's cache) rather than a line of bits for each
	// of thousands of candidates, each a cache miss.
	words := (n + 63) / 64
	topicBits := make([]uint64, len(s.Topics)*words)
	for i, ks := range keys {
		for _, k := range ks {
			if t := int(k) - ne; t >= 0 {
				topicBits[t*words+i/64] |= 1 << (i % 64)
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
		var shared []weighted
		k := noKeep
		if m == nil {
			k = newKeep()
		}
		best := make([]int32, 0, RelatedLimit)
		// better is the order of related briefings: higher score first; on
		// equal scores the lower index, which is the newer briefing since
		// s.Briefings is in compareBriefings order.
		better := func(x, y int32) bool { return scores[x] > scores[y] || (scores[x] == scores[y] && x < y) }
		// add adds the weights of the names ks to the scores of the
		// briefings that carry them, noting each briefing it reaches first.
		add := func(i int, ks []int32) {
			for _, k := range ks {
				w := weights[k]
				for _, o := range postings[k] {
					if scores[o] == 0 && int(o) != i {
						touched = append(touched, o)
					}
					scores[o] += w
				}
			}
			scores[i] = 0
		}
		// pick keeps the RelatedLimit best candidates in order. A popular
		// name makes thousands of candidates, and sorting them all to
		// keep five was most of the cost of relate at 10,000 briefings.
		pick := func() {
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
		}
		return func(i int) {
			b := s.Briefings[i]
			ks := keys[i]
			// The names are the entities, then the topics.
			split := len(ks)
			for split > 0 && int(ks[split-1]) >= ne {
				split--
			}
			touched = touched[:0]
			add(i, ks[:split])
			topics := ks[split:]
			switch {
			case len(topics) == 0:
				// The scores are complete.
				pick()
			case len(touched) < RelatedLimit:
				// Too few candidates to prune: the topics' postings too,
				// after the entities', as for every name in order.
				add(i, topics)
				pick()
			default:
				// A topic is carried by a thousand briefings at 100,000,
				// and summing its postings was most of the work. First
				// score only the briefings that share an entity, adding
				// the topics they share in the same order as the postings
				// would, so each score is the same to the last bit. A
				// briefing that shares no entity scores at most the sum
				// of the topics' weights (fewer of the same positive
				// terms, added in the same order, never give more): if
				// the fifth best is above that, none can be among the
				// best, and the topics' postings are not needed.
				var most float64
				for _, k := range topics {
					most += weights[k]
				}
				for _, k := range topics {
					// Topic by topic, in order: each score gets the same
					// terms in the same order as by the postings.
					bits, w := topicBits[(int(k)-ne)*words:], weights[k]
					for _, o := range touched {
						if bits[uint32(o)/64]&(1<<(uint32(o)%64)) != 0 {
							scores[o] += w
						}
					}
				}
				pick()
				if scores[best[RelatedLimit-1]] > most {
					break
				}
				for _, o := range touched {
					scores[o] = 0
				}
				touched = touched[:0]
				add(i, ks)
				pick()
			}
			// One array holds the briefing's related ones and one their
			// shared names.
			if cap(b.Related) < len(best) {
				b.Related = k.relatedPtrs.Make(len(best))
			}
			b.Related = b.Related[:0]
			rel := k.related.Make(len(best))
			names := k.names.Make(len(best) * sharedShown)[:0]
			for j, o := range best {
				shared = shared[:0]
				for _, k := range keys[i] {
					if slices.Contains(keys[o], k) {
						shared = append(shared, weighted{name(k), weights[k]})
					}
				}
				from := len(names)
				names = appendTelling(names, shared)
				rel[j] = Related{Briefing: s.Briefings[o], Score: scores[o], Shared: names[from:len(names):len(names)]}
				b.Related = append(b.Related, &rel[j])
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

// keep allocates what Assemble keeps for the pages: a full build's values
// come from blocks of their own (see package slab), one keep for each
// worker; noKeep, for a Memo's rebuilds, allocates each value on its own.
type keep struct {
	entities    *slab.Of[*Entity]
	topics      *slab.Of[*Topic]
	appearances *slab.Of[Appearance]
	related     *slab.Of[Related]
	relatedPtrs *slab.Of[*Related]
	names       *slab.Of[string]
}

func newKeep() *keep {
	return &keep{new(slab.Of[*Entity]), new(slab.Of[*Topic]), new(slab.Of[Appearance]),
		new(slab.Of[Related]), new(slab.Of[*Related]), new(slab.Of[string])}
}

var noKeep = &keep{}

// relateSum is a digest of everything relate reads: each briefing's names
// in order (as numbers) and the names themselves.
func relateSum(s *Site, owns []*own) uint64 {
	var h maphash.Hash
	h.SetSeed(relateSeed)
	writeU64(&h, uint64(len(owns)))
	for _, o := range owns {
		writeU64(&h, o.nameSum)
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
	return appendTelling(make([]string, 0, min(len(ws), sharedShown)), ws)
}

// appendTelling appends telling(ws) to out.
func appendTelling(out []string, ws []weighted) []string {
	slices.SortFunc(ws, func(a, b weighted) int { return cmp.Or(cmp.Compare(b.w, a.w), compareFold(a.name, b.name)) })
	from := len(out)
	for _, w := range ws {
		if len(out)-from == sharedShown {
			break
		}
		if !slices.Contains(out[from:], w.name) {
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
