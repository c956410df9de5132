package search_test

import (
	"context"
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

var long = flag.Bool("long", false, "run the tests that build the 10,000-briefing corpus (about a minute)")

// queryLimit is the acceptance bound: one query at 10,000 briefings loads at
// most this many bytes of index.
const queryLimit = 300 << 10

// TestQueryBytesAt10000 generates the 10,000-briefing corpus, builds its
// search index and measures the bytes that queries load: the manifest, the
// shards of their words and the records of the first page of results. It
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
	var total, shards, shardBytes, records, recordBytes, maxShard, maxRecord int
	for _, f := range ix.Files {
		total += len(f.Data)
		switch {
		case strings.HasPrefix(f.Name, "s/"):
			shards++
			shardBytes += len(f.Data)
			maxShard = max(maxShard, len(f.Data))
		case strings.HasPrefix(f.Name, "d/"):
			records++
			recordBytes += len(f.Data)
			maxRecord = max(maxRecord, len(f.Data))
		}
	}
	t.Logf("%d briefings: index %s in %d files: manifest %s, %d shards %s (largest %s), %d records %s (largest %s)",
		briefings, kib(total), len(ix.Files), kib(ix.Size(search.ManifestFile)), shards, kib(shardBytes), kib(maxShard),
		records, kib(recordBytes), kib(maxRecord))

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
}

func kib(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

// BenchmarkIndex builds the search index of a generated 1,000-briefing
// site (the corpus is converted once, outside the timing).
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
		if _, err := render.SearchIndex(context.Background(), m.Site); err != nil {
			b.Fatal(err)
		}
	}
}
