package search_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/corpus"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/search"
)

var long = flag.Bool("long", false, "run the tests and benchmarks on the 10,000-briefing corpus (about a minute to make)")

// queryLimit is the acceptance bound: one query at 10,000 briefings loads at
// most this many bytes of index.
const queryLimit = 300 << 10

// TestQueryBytesAt10000 generates the 10,000-briefing corpus, builds its
// search index and measures the bytes that queries load: the manifest, the
// shards of their words and the packs that hold the records of the first
// page of results. It
// tries every term of the index as a finished word and as a word being
// typed, every two- and three-letter prefix, and queries of six of the
// largest terms. Run with
//
//	go test ./internal/search -run QueryBytes -long -v
func TestQueryBytesAt10000(t *testing.T) {
	if !*long {
		t.Skip("builds 10,000 briefings: run with -long")
	}
	dir := t.TempDir()
	start := time.Now()
	if err := corpus.Write(dir, corpus.Options{Briefings: 10000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	m, err := build.Load(context.Background(), os.DirFS(dir), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("corpus written and converted in %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	ix, err := render.SearchIndex(context.Background(), m.Site)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("index built in %s", time.Since(start).Round(time.Millisecond))
	report(t, ix, len(m.Site.Briefings))
}

func report(t *testing.T, ix *search.Index, briefings int) {
	t.Helper()
	var total, shards, shardBytes, packs, packBytes, maxShard, maxPack int
	for _, f := range ix.Files {
		total += len(f.Data)
		switch {
		case strings.HasPrefix(f.Name, "s/"):
			shards++
			shardBytes += len(f.Data)
			maxShard = max(maxShard, len(f.Data))
		case strings.HasPrefix(f.Name, "r/"):
			packs++
			packBytes += len(f.Data)
			maxPack = max(maxPack, len(f.Data))
		}
	}
	t.Logf("%d briefings: index %s in %d files: manifest %s, %d shards %s (largest %s), %d record packs %s (largest %s)",
		briefings, kib(total), len(ix.Files), kib(ix.Size(search.ManifestFile)), shards, kib(shardBytes), kib(maxShard),
		packs, kib(packBytes), kib(maxPack))

	terms := ix.Terms()
	queries := map[string]bool{}
	for _, term := range terms {
		queries[term] = true     // being typed: also a prefix
		queries[term+" "] = true // finished
		for _, n := range []int{2, 3} {
			if r := []rune(term); len(r) > n {
				queries[string(r[:n])] = true
			}
		}
	}
	// Six words from the six largest shards: the most a query can load
	// without prefix completions.
	bySize := slices.Clone(terms)
	sort.SliceStable(bySize, func(i, j int) bool { return ix.PostingsOf(bySize[i]) > ix.PostingsOf(bySize[j]) })
	var big []string
	seen := map[string]bool{}
	for _, term := range bySize {
		if f := ix.ShardFileOf(term); !seen[f] {
			seen[f] = true
			big = append(big, term)
		}
		if len(big) == 6 {
			break
		}
	}
	queries[strings.Join(big, " ")] = true
	queries[strings.Join(big[:5], " ")+" "+string([]rune(big[5])[:2])] = true

	var sizes []int
	worst, worstQ := 0, ""
	for q := range queries {
		a := ix.Search(q, "")
		sizes = append(sizes, a.Bytes)
		if a.Bytes > worst || (a.Bytes == worst && q < worstQ) {
			worst, worstQ = a.Bytes, q
		}
	}
	slices.Sort(sizes)
	pct := func(p float64) int { return sizes[int(p*float64(len(sizes)-1))] }
	t.Logf("%d queries: median %s, 90th percentile %s, 99th %s, largest %s (%q)",
		len(sizes), kib(pct(.5)), kib(pct(.9)), kib(pct(.99)), kib(worst), worstQ)
	for _, q := range []string{"Kozlov", "government", "sanctions talks", strings.Join(big, " ")} {
		a := ix.Search(q, "")
		t.Logf("query %q: %d results, loads %d files, %s", q, len(a.Results), len(a.Files), kib(a.Bytes))
	}
	if worst > queryLimit {
		t.Errorf("query %q loads %s, more than %s", worstQ, kib(worst), kib(queryLimit))
	}
	snippets(t, ix, terms)
}

// snippets reports how often a result's snippet can show the word searched
// for: a record holds an excerpt of its text, not all of it. It searches
// for every word of an entity's name and every 10th other term of the
// index, as finished words, and looks at the records of the first page of
// results.
func snippets(t *testing.T, ix *search.Index, terms []string) {
	t.Helper()
	var m struct {
		Pack int `json:"pack"`
	}
	for _, f := range ix.Files {
		if f.Name == search.ManifestFile {
			j := strings.TrimSuffix(strings.TrimPrefix(string(f.Data), "DossierSearch.manifest("), ");\n")
			if err := json.Unmarshal([]byte(j), &m); err != nil {
				t.Fatal(err)
			}
		}
	}
	recs := map[string][]string{}
	for _, f := range ix.Files {
		if !strings.HasPrefix(f.Name, "r/") {
			continue
		}
		var prefix string
		var n int
		head, rest, _ := strings.Cut(string(f.Data), ",[")
		if _, err := fmt.Sscanf(head, "DossierSearch.pack(%q,%d", &prefix, &n); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		var rs [][]string
		if err := json.Unmarshal([]byte("["+strings.TrimSuffix(rest, ");\n")), &rs); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for i, r := range rs {
			recs[fmt.Sprintf("%s%d", prefix, n*m.Pack+i)] = r
		}
	}
	has := func(text, term string) bool {
		return slices.ContainsFunc(search.Tokens(text), func(tok search.Token) bool { return tok.Term == term })
	}
	names := map[string]bool{} // the words of entities' names
	for id, r := range recs {
		if strings.HasPrefix(id, "e") {
			for _, tok := range search.Tokens(r[0]) {
				names[tok.Term] = true
			}
		}
	}
	type tally struct{ results, text, shown int }
	var rare, numbers, common, name tally
	for i, term := range terms {
		c := &common
		switch {
		case names[term]:
			c = &name
		case i%10 != 0:
			continue
		case strings.ContainsAny(term, "0123456789"):
			c = &numbers
		case ix.PostingsOf(term) <= 100:
			c = &rare
		}
		a := ix.Search(term+" ", "")
		for _, r := range a.Results[:min(len(a.Results), search.ResultsPage)] {
			rec := recs[r.ID]
			c.results++
			switch {
			case has(rec[5], term):
				c.text++
			case has(rec[0], term) || has(rec[4], term):
				c.shown++ // marked in the title, or the summary stands in
			}
		}
	}
	pct := func(n, of int) string { return fmt.Sprintf("%.0f %%", 100*float64(n)/float64(max(of, 1))) }
	for _, c := range []struct {
		what string
		tally
	}{{"words of entity names (all)", name}, {"other words in at most 100 documents", rare}, {"other words", common}, {"numbers", numbers}} {
		t.Logf("snippets of the first page of results, %s: %d results, the term is in the excerpt of %s, in the title or summary of %s more",
			c.what, c.results, pct(c.text, c.results), pct(c.shown, c.results))
	}
}

func kib(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

// BenchmarkIndex writes the search index of a generated 1,000-briefing
// site as a build does, streaming it to a sink that drops the files (the
// corpus is converted once, outside the timing).
func BenchmarkIndex(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Briefings: 1000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	m, err := build.Load(context.Background(), os.DirFS(dir), false)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		err := render.WriteSearchIndex(context.Background(), m.Site, func(string, []byte) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateOneDoc measures what the search index costs a rebuild of
// `dossier serve` after an edit of one briefing: render.UpdateSearchIndex
// on a site where one briefing's summary changed, with an Indexer that
// holds the index of the site before the edit. The site has 1,000
// briefings, or 10,000 with -long.
//
//	go test ./internal/search -run '^$' -bench UpdateOneDoc -long
func BenchmarkUpdateOneDoc(b *testing.B) {
	n := 1000
	if *long {
		n = 10000
	}
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Briefings: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	m, err := build.Load(context.Background(), os.DirFS(dir), false)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	ix := search.NewIndexer(search.Options{})
	// The digests of the conversions, which a Session has at hand.
	sums := map[string]uint64{}
	for _, d := range m.Site.Briefings {
		sums[d.Path] = uint64(len(sums) + 1)
	}
	sum := func(path string) (uint64, bool) {
		s, ok := sums[path]
		return s, ok
	}
	if _, err := render.UpdateSearchIndex(ctx, m.Site, ix, sum, nil); err != nil {
		b.Fatal(err)
	}
	br := m.Site.Briefings[len(m.Site.Briefings)/2]
	summaries := []string{br.Summary + " The assessment was revised.", br.Summary}
	written := 0
	cpu := cpuTime()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		br.Summary = summaries[i%2]
		if _, err := render.UpdateSearchIndex(ctx, m.Site, ix, sum, func(string, []byte) error { written++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(written)/float64(b.N), "files/op")
	// CPU time tells more than wall time on a busy machine.
	b.ReportMetric((cpuTime()-cpu)*1000/float64(b.N), "cpu-ms/op")
}
