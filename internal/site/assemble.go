package site

import (
	"cmp"
	"math"
	"slices"
)

// RelatedLimit is how many related briefings a briefing page lists.
const RelatedLimit = 5

// Assemble computes every index the pages show from the briefings' converted
// content and section topics. Call it once, after every briefing's Content,
// Mentions and Section.Topics are set.
func (s *Site) Assemble() {
	for _, e := range s.Entities {
		e.Appearances, e.Mentions, e.Related, e.Topics = nil, 0, nil, nil
	}
	for _, t := range s.Topics {
		t.Sections, t.Briefings, t.Entities = nil, nil, nil
	}

	coCount := map[[2]*Entity]int{}
	entityTopics := map[*Entity]map[*Topic]int{}
	topicEntities := map[*Topic]map[*Entity]int{}

	for _, b := range s.Briefings { // newest first, so every list below is too
		for _, sec := range b.Sections {
			sec.Briefing = b
			sec.Entities = sec.Entities[:0]
		}
		counts := map[*Entity]int{}
		for _, m := range b.Mentions {
			counts[m.Entity] += m.Count
			m.Entity.Mentions += m.Count
			for _, i := range m.Sections {
				sec := b.Sections[i]
				sec.Entities = append(sec.Entities, m.Entity)
				for _, t := range sec.Topics {
					inc(entityTopics, m.Entity, t)
					inc(topicEntities, t, m.Entity)
				}
			}
		}
		for _, sec := range b.Sections {
			slices.SortFunc(sec.Entities, func(a, b *Entity) int { return compareFold(a.Name, b.Name) })
			for _, t := range sec.Topics {
				t.Sections = append(t.Sections, sec)
			}
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
		for _, e := range b.Entities {
			a := &Appearance{Briefing: b, Count: counts[e], Listed: slices.Contains(b.Listed, e)}
			for _, m := range b.Mentions {
				if m.Entity == e {
					a.Sentence = m.Sentence
				}
			}
			e.Appearances = append(e.Appearances, a)
		}
		for i, x := range b.Entities {
			for _, y := range b.Entities[i+1:] {
				coCount[pair(x, y)]++
			}
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
		for _, t := range b.Tagged {
			t.Briefings = append(t.Briefings, b)
		}
	}

	for p, n := range coCount {
		p[0].Related = append(p[0].Related, EntityWeight{p[1], n})
		p[1].Related = append(p[1].Related, EntityWeight{p[0], n})
	}
	for _, e := range s.Entities {
		sortEntityWeights(e.Related)
		for t, n := range entityTopics[e] {
			e.Topics = append(e.Topics, TopicWeight{t, n})
		}
		slices.SortFunc(e.Topics, func(x, y TopicWeight) int {
			return cmp.Or(cmp.Compare(y.Count, x.Count), compareFold(x.Topic.Title, y.Topic.Title))
		})
	}
	for _, t := range s.Topics {
		for e, n := range topicEntities[t] {
			t.Entities = append(t.Entities, EntityWeight{e, n})
		}
		sortEntityWeights(t.Entities)
	}
	s.relate()
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
// Scores are summed in dense slices indexed by briefing, not in maps: a
// name that most briefings carry makes the work quadratic in its count,
// which at ten thousand briefings must stay cheap.
func (s *Site) relate() {
	n := len(s.Briefings)
	type key struct {
		e *Entity
		t *Topic
	}
	postings := map[key][]int{} // key → indexes into s.Briefings, ascending
	keys := make([][]key, n)    // briefing index → its keys: entities, then topics
	for i, b := range s.Briefings {
		for _, e := range b.Entities {
			k := key{e: e}
			postings[k] = append(postings[k], i)
			keys[i] = append(keys[i], k)
		}
		for _, t := range b.Topics {
			k := key{t: t}
			postings[k] = append(postings[k], i)
			keys[i] = append(keys[i], k)
		}
	}
	weight := func(k key) float64 {
		w := math.Log(1 + float64(n)/float64(len(postings[k])))
		if k.t != nil {
			w /= 2
		}
		return w
	}
	name := func(k key) string {
		if k.e != nil {
			return k.e.Name
		}
		return k.t.Title
	}

	scores := make([]float64, n)
	var touched []int
	best := make([]int, 0, RelatedLimit)
	// better is the order of related briefings: higher score first; on
	// equal scores the lower index, which is the newer briefing since
	// s.Briefings is in compareBriefings order.
	better := func(x, y int) bool { return scores[x] > scores[y] || (scores[x] == scores[y] && x < y) }
	for i, b := range s.Briefings {
		touched = touched[:0]
		for _, k := range keys[i] {
			w := weight(k)
			for _, o := range postings[k] {
				if o == i {
					continue
				}
				if scores[o] == 0 {
					touched = append(touched, o)
				}
				scores[o] += w
			}
		}
		// Keep the RelatedLimit best candidates in order. A popular name
		// makes thousands of candidates, and sorting them all to keep five
		// was most of the cost of relate at 10,000 briefings.
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
					shared = append(shared, weighted{name(k), weight(k)})
				}
			}
			b.Related = append(b.Related, &Related{Briefing: s.Briefings[o], Score: scores[o], Shared: telling(shared)})
		}
		for _, o := range touched {
			scores[o] = 0
		}
	}
}

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

func inc[K, V comparable](m map[K]map[V]int, k K, v V) {
	if m[k] == nil {
		m[k] = map[V]int{}
	}
	m[k][v]++
}

func pair(a, b *Entity) [2]*Entity {
	if compareFold(a.Name, b.Name) > 0 || (a.Name == b.Name && a.Slug > b.Slug) {
		a, b = b, a
	}
	return [2]*Entity{a, b}
}

func sortEntityWeights(ws []EntityWeight) {
	slices.SortFunc(ws, func(x, y EntityWeight) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), compareFold(x.Entity.Name, y.Entity.Name), cmp.Compare(x.Entity.Slug, y.Entity.Slug))
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
