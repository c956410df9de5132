package site

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/source"
)

// TestRelatedEqualsExhaustive compares relate, which numbers names and sums
// in slices on every core, with the plain version it replaced (relateExact:
// maps of pointers, one core), to the last bit of every score, on random
// sites shaped like real ones: a few names in most briefings, many in few.
// Across the seeds relate both skips the topics' postings (the usual case)
// and, when the entities leave the fifth best within reach of the topics,
// sums every name's postings after all.
func TestRelatedEqualsExhaustive(t *testing.T) {
	for seed := range uint64(24) {
		r := rand.New(rand.NewPCG(seed, 7))
		nb, ne, nt := 50+r.IntN(400), 5+r.IntN(60), 1+r.IntN(12)
		var files []*source.File
		for i := range ne {
			files = append(files, entityFile(fmt.Sprintf("e%d", i), fmt.Sprintf("Entity %d", i), "person"))
		}
		for i := range nt {
			files = append(files, topicFile(fmt.Sprintf("t%d", i), fmt.Sprintf("Topic %d", i)))
		}
		// Zipf-like popularity: name j is picked with weight 1/(j+1).
		pick := func(n, k int) []string {
			var out []string
			for range k {
				j := int(math.Floor(math.Pow(float64(n+1), r.Float64()))) - 1
				out = append(out, fmt.Sprint(min(j, n-1)))
			}
			slices.Sort(out)
			return slices.Compact(out)
		}
		for i := range nb {
			var es, ts []string
			for _, j := range pick(ne, 1+r.IntN(8)) {
				es = append(es, "Entity "+j)
			}
			for _, j := range pick(nt, r.IntN(4)) {
				ts = append(ts, "Topic "+j)
			}
			date := fmt.Sprintf("20%02d-%02d-%02d", 10+i%15, 1+i%12, 1+r.IntN(28))
			files = append(files, briefingFile(fmt.Sprintf("content/briefings/b%d.md", i), fmt.Sprintf("b%d", i), fmt.Sprintf("Briefing %d", i), date, ts, es))
		}
		s, diags := New(config.Default(), files)
		if len(diags) != 0 {
			t.Fatal(diags)
		}
		s.Assemble()
		got := relatedBits(s)
		s.relateExact()
		want := relatedBits(s)
		if !slices.Equal(got, want) {
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("seed %d: %d briefings, %d entities, %d topics: first difference:\n got %s\nwant %s", seed, nb, ne, nt, got[i], want[i])
					break
				}
			}
		}
	}
}

// relatedBits lists every related briefing with its score to the last bit.
func relatedBits(s *Site) []string { return relatedIn(s, "%b") }

func (s *Site) relateExact() {
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

	// Each briefing's related ones are found on their own, on every core.
	parallelWith(n, func() func(int) {
		scores := make([]float64, n)
		var touched []int
		// better is the order of related briefings: higher score first; on
		// equal scores the lower index, which is the newer briefing since
		// s.Briefings is in compareBriefings order.
		better := func(x, y int) bool { return scores[x] > scores[y] || (scores[x] == scores[y] && x < y) }
		return func(i int) {
			b := s.Briefings[i]
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
			// The oracle sorts every candidate: no shortcut to share a bug
			// with relate's insertion of the best few.
			best := slices.Clone(touched)
			slices.SortFunc(best, func(x, y int) int {
				if better(x, y) {
					return -1
				}
				if better(y, x) {
					return 1
				}
				return 0
			})
			best = best[:min(RelatedLimit, len(best))]
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
	})
}

// TestAssembleMemo checks that a memo gives what a fresh Assemble gives:
// on the same site made again (reused), and after a briefing's names change
// (made anew).
func TestAssembleMemo(t *testing.T) {
	files := []*source.File{entityFile("kim", "Kim Jong Un", "person"), entityFile("koz", "Alexander Kozlov", "person"),
		entityFile("sho", "Sergei Shoigu", "person"), topicFile("dip", "Diplomacy")}
	for i, es := range [][]string{{"Kim Jong Un", "Alexander Kozlov"}, {"Kim Jong Un"}, {"Alexander Kozlov", "Sergei Shoigu"}, {"Sergei Shoigu"}} {
		files = append(files, briefingFile(fmt.Sprintf("content/briefings/b%d.md", i), fmt.Sprintf("b%d", i), fmt.Sprintf("Briefing %d", i),
			fmt.Sprintf("2024-01-%02d", 10+i), []string{"Diplomacy"}, es))
	}
	build := func(files []*source.File, m *Memo) []string {
		s, diags := New(config.Default(), files)
		if len(diags) != 0 {
			t.Fatal(diags)
		}
		s.AssembleWith(m)
		return append(relatedBits(s), weightsOf(s)...)
	}
	var m Memo
	first := build(files, &m)
	if want := build(files, nil); !slices.Equal(first, want) {
		t.Fatalf("with a memo:\n%v\nwithout:\n%v", first, want)
	}
	sum := m.related.sum
	if again := build(files, &m); !slices.Equal(again, first) || m.related.sum != sum {
		t.Errorf("the same site again:\n%v\nwant\n%v", again, first)
	}
	// b3 now also names Kim: related briefings change.
	files[len(files)-1] = briefingFile("content/briefings/b3.md", "b3", "Briefing 3", "2024-01-13", []string{"Diplomacy"}, []string{"Sergei Shoigu", "Kim Jong Un"})
	changed := build(files, &m)
	if want := build(files, nil); !slices.Equal(changed, want) {
		t.Errorf("after a change, with the memo:\n%v\nwithout:\n%v", changed, want)
	}
	if slices.Equal(changed, first) {
		t.Error("the change changed nothing: the test proves nothing")
	}
}

// weightsOf lists every entity's neighbours and topics and every topic's
// entities, in order, with their counts.
func weightsOf(s *Site) []string {
	var out []string
	for _, e := range s.Entities {
		for _, r := range e.Related() {
			out = append(out, fmt.Sprintf("%s~%s %d", e.Slug, r.Entity.Slug, r.Count))
		}
		for _, r := range e.Topics {
			out = append(out, fmt.Sprintf("%s#%s %d", e.Slug, r.Topic.Slug, r.Count))
		}
	}
	for _, t := range s.Topics {
		for _, r := range t.Entities {
			out = append(out, fmt.Sprintf("%s@%s %d", t.Slug, r.Entity.Slug, r.Count))
		}
	}
	return out
}
