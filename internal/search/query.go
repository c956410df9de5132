package search

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// This file answers queries in Go exactly as search.js does in the
// browser: the same words looked up, the same shards loaded, the same
// scores. Tests use it to check ranking and to measure what one query
// loads; the browser test checks that both give the same results.

// Query is a parsed query: the terms to look up and whether the last one is
// still being typed (it then also matches as a prefix).
type Query struct {
	Terms  []string
	Prefix bool
}

// ParseQuery cuts a query into terms as the browser does: indexable terms
// only, each once, at most maxQueryTerms. The last term is a prefix unless
// the query ends in a separator (the user has finished the word).
func ParseQuery(q string) Query {
	var out Query
	last, end := "", -1
	eachToken(q, nil, func(b []byte, _, e int) {
		term := string(b)
		last, end = term, e
		if Indexable(term) && !slices.Contains(out.Terms, term) && len(out.Terms) < maxQueryTerms {
			out.Terms = append(out.Terms, term)
		}
	})
	out.Prefix = len(out.Terms) > 0 && end == len(q) && out.Terms[len(out.Terms)-1] == last &&
		len([]rune(last)) >= 2
	return out
}

// Result is one document found, with its id (see Kinds for the ranges) and
// record name ("b12").
type Result struct {
	Doc   int
	ID    string
	Kind  string
	Score float64
}

// Answer is what one query finds and which files it loads.
type Answer struct {
	Results []Result // every match, best first
	Counts  map[string]int
	// Files are the index files the query loads, the manifest first, then
	// shards, then the packs that hold the records of the first page of
	// results; Bytes is their total size.
	Files []string
	Bytes int
}

// prefixFactor scales the score of a term that only starts with what was
// typed, so that a whole-word match ranks first.
const prefixFactor = 0.6

// Search answers a query as the search page does, kind "" meaning all kinds.
func (ix *Index) Search(q, kind string) Answer {
	query := ParseQuery(q)
	ans := Answer{Counts: map[string]int{}, Files: []string{ManifestFile}}
	if len(query.Terms) == 0 || len(ix.shards) == 0 {
		ans.Bytes = ix.sizes[ManifestFile]
		return ans
	}
	loaded := ix.plan(query)
	for _, s := range loaded {
		ans.Files = append(ans.Files, shardFile(ix.shards[s].ID))
	}

	var scores map[int]float64
	for i, t := range query.Terms {
		best := map[int]float64{}
		match := func(term string, factor float64) {
			ps := ix.terms[term]
			idf := math.Log(1 + (float64(ix.docs)-float64(len(ps))+0.5)/(float64(len(ps))+0.5))
			for _, p := range ps {
				if s := factor * idf * float64(p.weight); s > best[p.doc] {
					best[p.doc] = s
				}
			}
		}
		if slices.Contains(loaded, ix.shardOf(t)) {
			if _, ok := ix.terms[t]; ok {
				match(t, 1)
			}
		}
		if query.Prefix && i == len(query.Terms)-1 {
			for _, s := range loaded {
				for _, term := range ix.shards[s].terms {
					if term != t && strings.HasPrefix(term, t) {
						match(term, prefixFactor)
					}
				}
			}
		}
		if scores == nil {
			scores = best
			continue
		}
		for d, s := range scores {
			if b, ok := best[d]; ok {
				scores[d] = s + b
			} else {
				delete(scores, d)
			}
		}
	}
	for d, s := range scores {
		k := ix.kindOf(d)
		ans.Counts[k.Name]++
		if kind == "" || kind == k.Name {
			ans.Results = append(ans.Results, Result{Doc: d, ID: k.Prefix + itoa(d-k.First), Kind: k.Name, Score: s})
		}
	}
	slices.SortFunc(ans.Results, func(a, b Result) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.Doc, a.Doc)) })
	for _, r := range ans.Results[:min(ResultsPage, len(ans.Results))] {
		k := ix.kindOf(r.Doc)
		if f := RecordPack(k.Prefix, r.Doc-k.First, ix.pack); !slices.Contains(ans.Files, f) {
			ans.Files = append(ans.Files, f)
		}
	}
	for _, f := range ans.Files {
		ans.Bytes += ix.sizes[f]
	}
	return ans
}

// plan returns the shards a query loads: the shard of every term, then the
// shards of the last term's prefix range, in order, while the total stays
// within shardBudget.
func (ix *Index) plan(q Query) []int {
	var out []int
	total := 0
	for _, t := range q.Terms {
		if s := ix.shardOf(t); !slices.Contains(out, s) {
			out = append(out, s)
			total += ix.shards[s].Bytes
		}
	}
	if q.Prefix {
		t := q.Terms[len(q.Terms)-1]
		for s := ix.shardOf(t) + 1; s < len(ix.shards) && strings.HasPrefix(ix.shards[s].First, t); s++ {
			if slices.Contains(out, s) {
				continue
			}
			if total+ix.shards[s].Bytes > shardBudget {
				break
			}
			out = append(out, s)
			total += ix.shards[s].Bytes
		}
	}
	return out
}

// shardOf returns the shard whose range holds term: the last one whose
// first term is not after it.
func (ix *Index) shardOf(term string) int {
	i, _ := slices.BinarySearchFunc(ix.shards, term, func(s shard, t string) int {
		if compareTerms(s.First, t) <= 0 {
			return -1
		}
		return 1
	})
	return max(i-1, 0)
}

func (ix *Index) kindOf(doc int) kindRange {
	for _, k := range ix.kinds {
		if doc < k.First+k.Count {
			return k
		}
	}
	return ix.kinds[len(ix.kinds)-1]
}

// Size returns the size of an index file, 0 for an unknown name.
func (ix *Index) Size(name string) int { return ix.sizes[name] }

// Terms returns every term of the index in shard order.
func (ix *Index) Terms() []string {
	var out []string
	for _, s := range ix.shards {
		out = append(out, s.terms...)
	}
	return out
}

// PostingsOf returns how many documents hold term.
func (ix *Index) PostingsOf(term string) int { return len(ix.terms[term]) }

// ShardFileOf names the shard file whose range holds term.
func (ix *Index) ShardFileOf(term string) string {
	if len(ix.shards) == 0 {
		return ""
	}
	return shardFile(ix.shards[ix.shardOf(term)].ID)
}

// Packs returns the size in bytes of every record pack.
func (ix *Index) Packs() []int {
	var out []int
	for _, f := range ix.Files {
		if strings.HasPrefix(f.Name, "r/") {
			out = append(out, len(f.Data))
		}
	}
	return out
}
