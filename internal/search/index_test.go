package search

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// fixture is a small site: the answers below are worked out from it.
func fixture() []Doc {
	return []Doc{
		{Kind: "briefing", Title: "Commission meets in Pyongyang", Date: "2023-11-16", Path: "briefings/commission/",
			Body: "A delegation led by Alexander Kozlov held the tenth session. Kozlov signed a protocol on grain."},
		{Kind: "briefing", Title: "Summit at Vostochny", Date: "2023-09-13", Path: "briefings/summit/",
			Summary: "Putin and Kim met.", Body: "Kim held talks with Kozlov on grain supplies and flights."},
		{Kind: "briefing", Title: "Treaty signed", Date: "2024-06-19", Path: "briefings/treaty/",
			Body: "The treaty covers mutual assistance. Grain was not discussed."},
		{Kind: "entity", Title: "Alexander Kozlov", Names: []string{"Kozlov"}, Path: "entities/alexander-kozlov/", Meta: "Person",
			Summary: "Russian minister.", Body: "Alexander Kozlov co-chairs the commission."},
		{Kind: "entity", Title: "Kozhemyako", Path: "entities/kozhemyako/", Meta: "Person", Body: "Governor of Primorsky Krai."},
		{Kind: "topic", Title: "Economic Ties", Names: []string{"Trade"}, Path: "topics/economic-ties/", Body: "Grain, flights and trade."},
	}
}

func build(t *testing.T, docs []Doc, opts Options) *Index {
	t.Helper()
	ix, err := Build(context.Background(), docs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func ids(a Answer) []string {
	var out []string
	for _, r := range a.Results {
		out = append(out, r.ID)
	}
	return out
}

func TestRanking(t *testing.T) {
	ix := build(t, fixture(), Options{})
	// Record ids: briefings b0–b2 in the order given, entities e0–e1, topic t0.
	for _, tc := range []struct {
		q, kind string
		want    []string
		why     string
	}{
		// The entity named Kozlov (title and alias) outranks every body
		// mention; b0 says Kozlov twice, b1 once.
		{"Kozlov ", "", []string{"e0", "b0", "b1"}, "names weigh more than body text, and two mentions more than one"},
		// While typing, "koz" finds Kozlov and Kozhemyako as prefixes.
		{"koz", "", []string{"e1", "e0", "b0", "b1"}, "a word being typed matches as a prefix"},
		{"koz ", "", nil, "a finished word matches whole words only"},
		// Every word must match: b1 and the topic hold both grain and
		// flights; the topic's text is shorter, so its words weigh more.
		{"grain flights", "", []string{"t0", "b1"}, "all words must match"},
		{"Kozlov", "briefing", []string{"b0", "b1"}, "a kind filter keeps one kind"},
		{"trade", "", []string{"t0"}, "aliases are searched"},
		{"Pyongyang", "", []string{"b0"}, "titles are searched"},
		{"the of", "", nil, "stop words find nothing"},
	} {
		got := ids(ix.Search(tc.q, tc.kind))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: Search(%q, %q) = %v, want %v", tc.why, tc.q, tc.kind, got, tc.want)
		}
	}
	a := ix.Search("Kozlov", "briefing")
	if a.Counts["entity"] != 1 || a.Counts["briefing"] != 2 {
		t.Errorf("counts by kind = %v; a filter must not change them", a.Counts)
	}
}

// TestWeights checks the posting weights of documents against the
// formula: titleWeight for a title, nameWeight for an entity's name or
// alias, summaryWeight for the summary, and bodyScale × BM25's tf factor
// for the body.
func TestWeights(t *testing.T) {
	ix := build(t, fixture(), Options{})
	weight := func(term string, doc int) int {
		for _, p := range ix.terms[term] {
			if p.doc == doc {
				return p.weight
			}
		}
		return 0
	}
	// Briefing 1 ("Summit at Vostochny"): summary "Putin and Kim met.",
	// body of 7 terms ("with", "on" and "and" are stop words). The
	// briefings have 11, 7 and 6 body terms: mean 8.
	bm := func(tf float64) int { return bm3(1, tf) }
	if got, want := bm(1), int(math.Round(bodyScale*2.2/(1+1.2*(0.25+0.75*7.0/8.0)))); got != want {
		t.Fatalf("body weight of one mention = %d, want %d", got, want)
	}
	for _, tc := range []struct {
		term string
		doc  int
		want int
	}{
		{"vostochny", 1, titleWeight},
		{"putin", 1, summaryWeight},
		{"kim", 1, summaryWeight + bm(1)},
		{"kozlov", 1, bm(1)},
		{"flights", 1, bm(1)},
	} {
		if got := weight(tc.term, tc.doc); got != tc.want {
			t.Errorf("weight of %q in document %d = %d, want %d", tc.term, tc.doc, got, tc.want)
		}
	}
	// Entity 0 (document 3) is named Alexander Kozlov, alias Kozlov; its
	// profile says the name once more, and its summary does not.
	if got, want := weight("kozlov", 3), min(nameWeight+bm3(3, 1), maxWeight); got != want {
		t.Errorf("weight of the entity's name = %d, want %d", got, want)
	}
	// The most a briefing can weigh is less than an entity's name.
	if most := titleWeight + int(math.Round(bodyScale*2.2)) + summaryWeight; most >= nameWeight {
		t.Errorf("a briefing can weigh %d, an entity's name only %d", most, nameWeight)
	}
	// Briefing 0 says Kozlov twice: more, but with saturation.
	if w0, w1 := weight("kozlov", 0), weight("kozlov", 1); w0 <= w1 || w0 >= 2*w1 {
		t.Errorf("kozlov twice weighs %d, once %d: want more, less than double", w0, w1)
	}
}

// bm3 is the body weight of a term said tf times in document doc of the
// fixture, by the mean body length of its kind in whole terms.
func bm3(doc int, tf float64) int {
	docs := fixture()
	var n, sum float64
	for _, d := range docs {
		if d.Kind == docs[doc].Kind {
			n++
			sum += float64(lengthOf(d))
		}
	}
	norm := 1 - bm25B + bm25B*float64(lengthOf(docs[doc]))/math.Round(sum/n)
	return int(math.Round(bodyScale * tf * (bm25K1 + 1) / (tf + bm25K1*norm)))
}

// lengthOf is the body length of a document: its body terms, headings
// counted as they weigh.
func lengthOf(d Doc) int {
	return int(NewIndexer(Options{}).newWorker().index(&d, nil).length)
}

func TestPostingsRoundTrip(t *testing.T) {
	ps := postings{{0, 1}, {1, 31}, {2, 14}, {40, 7}, {1000, 3}, {1001, 1}, {123456, 20}, {123457 + 58*58*58, 2}}
	s := encodePostings(ps)
	if got := decodePostings(s); !slices.Equal(got, ps) {
		t.Errorf("decode(encode(%v)) = %v", ps, got)
	}
	// Consecutive documents cost one character each, a gap under 58 two.
	for _, tc := range []struct {
		ps   postings
		want int
	}{
		{postings{{0, 5}, {1, 5}, {2, 5}}, 3},
		{postings{{10, 5}, {20, 5}, {77, 5}}, 6},
		{postings{{100, 5}}, 3},
	} {
		if got := len(encodePostings(tc.ps)); got != tc.want {
			t.Errorf("%v take %d characters, want %d", tc.ps, got, tc.want)
		}
	}
	for _, c := range s {
		if !strings.ContainsRune(digits+weights, c) {
			t.Errorf("postings use %q, outside the alphabets", c)
		}
	}
	for _, c := range digits + weights {
		if strings.ContainsRune("\"\\<>&", c) || c < ' ' || c > '~' {
			t.Errorf("the alphabets hold %q, which JSON or HTML would escape", c)
		}
	}
}

// TestEscaping: front-matter text that tries to end the script or inject
// markup stays inside its JavaScript string.
func TestEscaping(t *testing.T) {
	evil := "</script><script>alert(1)</script>\"><img src=x onerror=alert(2)>\u2028\u2029 & '"
	ix := build(t, []Doc{{Kind: "briefing", Title: evil, Path: "briefings/x/", Summary: evil, Body: evil + " evil"}}, Options{})
	for _, f := range ix.Files {
		for _, bad := range []string{"<", ">", "\u2028", "\u2029"} {
			if bytes.Contains(f.Data, []byte(bad)) {
				t.Errorf("%s holds a raw %q:\n%s", f.Name, bad, f.Data)
			}
		}
	}
	rec := file(t, ix, "r/b0.js")
	args := strings.TrimSuffix(strings.TrimPrefix(string(rec), `DossierSearch.pack("b",0,`), ");\n")
	var r [][]string
	if err := json.Unmarshal([]byte(args), &r); err != nil {
		t.Fatalf("record pack is not a pack call with JSON: %v\n%s", err, rec)
	}
	if len(r) != 1 || len(r[0]) != 6 {
		t.Fatalf("pack holds %q, want one record of six fields", r)
	}
	if r[0][0] != evil || r[0][4] != evil || !strings.HasPrefix(r[0][5], evil) {
		t.Errorf("the title, summary or text did not survive escaping: %q", r[0])
	}
	var m map[string]any
	manifest := file(t, ix, ManifestFile)
	if err := json.Unmarshal(bytes.TrimSuffix(bytes.TrimPrefix(manifest, []byte("DossierSearch.manifest(")), []byte(");\n")), &m); err != nil {
		t.Errorf("manifest is not a manifest call with JSON: %v", err)
	}
}

func TestFiles(t *testing.T) {
	docs := fixture()
	for i := range 300 {
		docs = append(docs, Doc{Kind: "briefing", Title: fmt.Sprintf("Briefing %d", i), Path: fmt.Sprintf("briefings/%d/", i),
			Body: fmt.Sprintf("word%d common text number %d", i%37, i)})
	}
	ix := build(t, docs, Options{ShardBytes: 512, PackSize: 16})
	a := build(t, docs, Options{ShardBytes: 512, PackSize: 16})
	if !slices.EqualFunc(ix.Files, a.Files, func(x, y File) bool { return x.Name == y.Name && bytes.Equal(x.Data, y.Data) }) {
		t.Error("the same documents gave different files")
	}
	if len(ix.shards) < 5 {
		t.Fatalf("%d shards of 512 bytes: want several", len(ix.shards))
	}
	// Shards cover sorted, disjoint term ranges, and every term is found
	// in the shard its range says.
	for i, s := range ix.shards {
		if i > 0 && compareTerms(ix.shards[i-1].First, s.First) >= 0 {
			t.Errorf("shard %d starts at %q, not after %q", i, s.First, ix.shards[i-1].First)
		}
		for _, term := range s.terms {
			if got := ix.shardOf(term); got != i {
				t.Errorf("term %q is in shard %d, shardOf says %d", term, i, got)
			}
		}
		if s.Bytes != len(file(t, ix, shardFile(s.ID))) {
			t.Errorf("shard %d: manifest size %d, file %d bytes", i, s.Bytes, len(file(t, ix, shardFile(s.ID))))
		}
		if s.Bytes > 512+len(s.terms[0])+64 && len(s.terms) > 1 {
			t.Errorf("shard %d has %d bytes and %d terms, more than 512 bytes", i, s.Bytes, len(s.terms))
		}
	}
	// The records are in packs of PackSize (16) by kind and number within
	// the kind: 303 briefings make 19 packs.
	want := []string{ManifestFile, "r/b0.js", "r/b18.js", "r/e0.js", "r/t0.js"}
	for _, name := range want {
		file(t, ix, name)
	}
	for _, f := range ix.Files {
		if strings.HasPrefix(f.Name, "r/") && !slices.Contains(want, f.Name) && !strings.HasPrefix(f.Name, "r/b") {
			t.Errorf("unexpected pack %s", f.Name)
		}
	}
	if n := len(ix.Packs()); n != 21 {
		t.Errorf("%d packs, want 19 of briefings, 1 of entities, 1 of topics", n)
	}
	// Long texts are cut.
	long := build(t, []Doc{{Kind: "page", Title: "Long", Path: "long/", Body: strings.Repeat("word ", 5000)}}, Options{TextBytes: 1000})
	if n := len(file(t, long, "r/p0.js")); n > 1200 {
		t.Errorf("record of a long text is %d bytes, want about 1000", n)
	}
	if _, err := Build(context.Background(), []Doc{{Kind: "post", Path: "x/"}}, Options{}); err == nil {
		t.Error("an unknown kind built")
	}
}

// TestPrefixBudget: completions of a word being typed are loaded only
// while the shards stay within the budget, however many there are.
func TestPrefixBudget(t *testing.T) {
	var docs []Doc
	for i := range 400 {
		docs = append(docs, Doc{Kind: "briefing", Title: fmt.Sprintf("t%d", i), Path: fmt.Sprintf("b/%d/", i),
			Body: strings.Repeat(fmt.Sprintf("co%03d ", i), 3) + "common"})
	}
	ix := build(t, docs, Options{ShardBytes: 1024})
	a := ix.Search("co", "")
	shardBytes := 0
	for _, f := range a.Files {
		if strings.HasPrefix(f, "s/") {
			shardBytes += ix.Size(f)
		}
	}
	if shardBytes > shardBudget {
		t.Errorf("prefix query loads %d shard bytes, budget %d", shardBytes, shardBudget)
	}
	if len(a.Results) == 0 {
		t.Error("prefix query found nothing")
	}
}

func file(t *testing.T, ix *Index, name string) []byte {
	t.Helper()
	for _, f := range ix.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("no file %s", name)
	return nil
}
