package search

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html"
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// words is the vocabulary of generated documents: common words, names
// (capitalised) and rare words.
var words = strings.Fields(`government talks officials delegation trade security agreement minister
	reports border ministry region month grain flights supplies sanctions treaty assistance
	Kozlov Kozhemyako Pyongyang Vladivostok Shoigu Lavrov Choe École Łódź Straße AT&T R&D
	2023 2024 su-35 kinzhal hypersonic cosmodrome launch satellite`)

// genDocs makes n briefings and a few entities, topics and pages, the
// same for the same seed. Some have HTML instead of a plain body.
func genDocs(seed uint64, n int) []Doc {
	r := rand.New(rand.NewPCG(seed, 1))
	text := func(k int) string {
		var b strings.Builder
		for i := range k {
			if i > 0 {
				b.WriteByte(' ')
				if r.IntN(12) == 0 {
					b.WriteString(". ")
				}
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String()
	}
	var docs []Doc
	for i := range n {
		d := Doc{Kind: "briefing", Title: text(4), Date: fmt.Sprintf("2024-01-%02d", i%28+1),
			Path: fmt.Sprintf("briefings/b%d/", i), Meta: "Moscow", Headings: []string{text(3), text(2)}}
		if i%3 == 0 {
			d.Summary = text(20)
		}
		if i%2 == 0 {
			d.Body = text(50 + r.IntN(300))
		} else {
			html := fmt.Sprintf(`<p>%s <a class="mention" href="x">%s</a> %s</p><h2 id="h">%s <a class="anchor" href="#h">#</a></h2><p>%s &amp; %s</p>`,
				text(100+r.IntN(200)), text(2), text(30), text(3), text(40), text(10))
			d.HTML = HTMLFunc(func(dst []byte) []byte { return append(dst, html...) })
			d.Body = "html:" + html // only for the key
		}
		docs = append(docs, d)
	}
	for i := range max(n/10, 1) {
		docs = append(docs, Doc{Kind: "entity", Title: text(2), Names: []string{text(1)}, Path: fmt.Sprintf("entities/e%d/", i),
			Meta: "Person", Summary: text(10), Body: text(80)})
	}
	docs = append(docs, Doc{Kind: "topic", Title: "Trade", Names: []string{"Commerce"}, Path: "topics/trade/", Body: text(40)},
		Doc{Kind: "page", Title: "About", Path: "about/", Body: text(30)})
	for i := range docs {
		setKey(&docs[i])
	}
	return docs
}

// setKey gives a document a key of its fields (Body stands for the HTML).
func setKey(d *Doc) {
	h := fnv.New64a()
	for _, s := range append([]string{d.Kind, d.Title, d.Date, d.Path, d.Meta, d.Summary, d.Body, "|"}, append(d.Names, d.Headings...)...) {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	d.Key = h.Sum64() | 1
}

// filesOf maps the files of an index by name.
func filesOf(t *testing.T, fs []File) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, f := range fs {
		if _, dup := m[f.Name]; dup {
			t.Fatalf("file %s twice", f.Name)
		}
		m[f.Name] = f.Data
	}
	return m
}

// recorder is a write func that records what it is given.
type recorder struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (r *recorder) write(name string, data []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.files == nil {
		r.files = map[string][]byte{}
	}
	if _, dup := r.files[name]; dup {
		return fmt.Errorf("%s written twice", name)
	}
	r.files[name] = bytes.Clone(data)
	return nil
}

func sameFiles(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: %s missing", what, name)
		} else if !bytes.Equal(g, want[name]) {
			t.Errorf("%s: %s differs:\n got %.200s\nwant %.200s", what, name, g, want[name])
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: unexpected %s", what, name)
		}
	}
}

// TestStreamingEqualsInMemory: Write (which streams and keeps nothing),
// Build (in memory) and an Indexer give the same files, whatever the
// number of processors.
func TestStreamingEqualsInMemory(t *testing.T) {
	docs := genDocs(1, 300)
	opts := Options{ShardBytes: 2048, PackSize: 7, TextBytes: 300}
	ix := build(t, docs, opts)
	want := filesOf(t, ix.Files)
	if len(want) < 50 {
		t.Fatalf("only %d files: want a bigger test", len(want))
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		var rec recorder
		names, err := Write(context.Background(), docs, opts, rec.write)
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, fmt.Sprintf("Write with %d processors", procs), rec.files, want)
		if !slices.Equal(names, slices.Sorted(maps.Keys(want))) {
			t.Errorf("Write with %d processors names %d files, wrote %d", procs, len(names), len(rec.files))
		}
		files, err := NewIndexer(opts).Update(context.Background(), docs, nil)
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, fmt.Sprintf("Indexer with %d processors", procs), filesOf(t, files), want)
	}
}

// TestReference checks the postings of the index against a plain
// computation from Tokens: every term of every field, weighted by the
// formula.
func TestReference(t *testing.T) {
	docs := genDocs(2, 60)
	ix := build(t, docs, Options{})
	ordered, kinds, err := orderDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	type stat struct {
		tf          int
		title, summ bool
	}
	want := map[string]postings{}
	lengths := make([]int, len(ordered))
	stats := make([]map[string]*stat, len(ordered))
	for i, d := range ordered {
		st := map[string]*stat{}
		get := func(term string) *stat {
			if st[term] == nil {
				st[term] = &stat{}
			}
			return st[term]
		}
		for _, s := range append([]string{d.Title}, d.Names...) {
			for _, tok := range Tokens(s) {
				get(tok.Term).title = true
			}
		}
		for _, tok := range Tokens(d.Summary) {
			get(tok.Term).summ = true
		}
		for _, h := range d.Headings {
			for _, tok := range Tokens(h) {
				get(tok.Term).tf += headingCount
				lengths[i] += headingCount
			}
		}
		body := d.Body
		if d.HTML != nil {
			body = strings.TrimSpace(body + " " + PlainText(d.HTML.AppendHTML(nil)))
		}
		for _, s := range []string{d.Meta, body} {
			for _, tok := range Tokens(s) {
				get(tok.Term).tf++
				lengths[i]++
			}
		}
		stats[i] = st
	}
	for i, st := range stats {
		k := kinds[0]
		for _, kr := range kinds {
			if i >= kr.First && i < kr.First+kr.Count {
				k = kr
			}
		}
		sum := 0
		for j := k.First; j < k.First+k.Count; j++ {
			sum += lengths[j]
		}
		mean := max(int(float64(sum)/float64(k.Count)+0.5), 1)
		norm := 1 - bm25B + bm25B*float64(lengths[i])/float64(mean)
		for term, s := range st {
			w := 0
			if s.tf > 0 {
				tf := float64(min(s.tf, maxTF))
				w += int(bodyScale*tf*(bm25K1+1)/(tf+bm25K1*norm) + 0.5)
			}
			if s.title {
				if k.Name == "entity" || k.Name == "topic" {
					w += nameWeight
				} else {
					w += titleWeight
				}
			}
			if s.summ {
				w += summaryWeight
			}
			want[term] = append(want[term], posting{i, min(max(w, 1), maxWeight)})
		}
	}
	for term := range want {
		slices.SortFunc(want[term], func(a, b posting) int { return a.doc - b.doc })
	}
	if len(ix.terms) != len(want) {
		t.Errorf("%d terms, want %d", len(ix.terms), len(want))
	}
	for term, ps := range want {
		if got := ix.terms[term]; !slices.Equal(got, ps) {
			t.Errorf("postings of %q = %v, want %v", term, got, ps)
		}
	}
	// The shards hold exactly those postings, encoded.
	for _, f := range ix.Files {
		if !strings.HasPrefix(f.Name, "s/") {
			continue
		}
		args := strings.TrimSuffix(string(f.Data[bytes.IndexByte(f.Data, ',')+1:]), ");\n")
		var rows [][2]string
		if err := json.Unmarshal([]byte(args), &rows); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for _, r := range rows {
			if got := decodePostings(r[1]); !slices.Equal(got, want[r[0]]) {
				t.Errorf("%s: %q decodes to %v, want %v", f.Name, r[0], got, want[r[0]])
			}
		}
	}
}

// edit is one change to the documents of a site.
type edit struct {
	name string
	fn   func(docs []Doc) []Doc
}

func retitle(i int, title string) func([]Doc) []Doc {
	return func(docs []Doc) []Doc {
		docs = slices.Clone(docs)
		docs[i].Title = title
		setKey(&docs[i])
		return docs
	}
}

func rebody(i int, f func(string) string) func([]Doc) []Doc {
	return func(docs []Doc) []Doc {
		docs = slices.Clone(docs)
		if docs[i].HTML != nil {
			html := f(string(docs[i].HTML.AppendHTML(nil)))
			docs[i].HTML = HTMLFunc(func(dst []byte) []byte { return append(dst, html...) })
			docs[i].Body = "html:" + html
		} else {
			docs[i].Body = f(docs[i].Body)
		}
		setKey(&docs[i])
		return docs
	}
}

// TestIncrementalUpdates applies edits one after the other to an Indexer
// and checks, after each, that its files are those of a new Indexer, that
// it wrote exactly the files that are new or changed, and that a small edit
// changes few files.
func TestIncrementalUpdates(t *testing.T) {
	opts := Options{ShardBytes: 2048, PackSize: 8, TextBytes: 400}
	docs := genDocs(3, 200)
	newest := genDocs(4, 1)[0]
	newest.Path = "briefings/newest/"
	setKey(&newest)
	ctx := context.Background()
	ix := NewIndexer(opts)
	files, err := ix.Update(ctx, docs, nil)
	if err != nil {
		t.Fatal(err)
	}
	prev := filesOf(t, files)
	for _, tc := range []struct {
		edit
		most int
	}{
		{edit{"nothing", func(d []Doc) []Doc { return d }}, 0},
		{edit{"same documents, new slices", func(d []Doc) []Doc { return slices.Clone(d) }}, 0},
		{edit{"a sentence added to a body", rebody(50, func(s string) string { return s + " The assessment was revised." })}, 12},
		{edit{"a sentence added to an HTML body", rebody(51, func(s string) string { return s + "<p>The assessment was revised.</p>" })}, 12},
		{edit{"a new word", rebody(60, func(s string) string { return s + " zyzzyva" })}, 12},
		{edit{"the word gone again", rebody(60, func(s string) string { return strings.TrimSuffix(s, " zyzzyva") })}, 12},
		{edit{"a title", retitle(70, "Grain talks in Vladivostok")}, 12},
		{edit{"an entity's title", retitle(201, "Oleg Kozhemyako")}, 12},
		{edit{"no key: indexed again, nothing changes", func(d []Doc) []Doc {
			d = slices.Clone(d)
			d[80].Key = 0
			return d
		}}, 0},
		{edit{"a briefing added last", func(d []Doc) []Doc {
			return slices.Insert(slices.Clone(d), 200, newest)
		}}, -1},
		{edit{"a briefing removed in the middle", func(d []Doc) []Doc {
			return slices.Delete(slices.Clone(d), 100, 101)
		}}, -1},
		{edit{"an entity removed", func(d []Doc) []Doc {
			return slices.Delete(slices.Clone(d), 205, 206)
		}}, -1},
		{edit{"two briefings swapped", func(d []Doc) []Doc {
			d = slices.Clone(d)
			d[10], d[11] = d[11], d[10]
			return d
		}}, -1},
		{edit{"everything new", func([]Doc) []Doc { return genDocs(5, 150) }}, -1},
		{edit{"nothing left", func([]Doc) []Doc { return nil }}, -1},
		{edit{"back", func([]Doc) []Doc { return genDocs(3, 200) }}, -1},
	} {
		docs = tc.fn(docs)
		var rec recorder
		files, err := ix.Update(ctx, docs, rec.write)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := filesOf(t, files)
		fresh, err := NewIndexer(opts).Update(ctx, docs, nil)
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, tc.name+": files", got, filesOf(t, fresh))
		// Written: exactly the files that are new or changed.
		changed := map[string][]byte{}
		for name, data := range got {
			if old, ok := prev[name]; !ok || !bytes.Equal(old, data) {
				changed[name] = data
			}
		}
		sameFiles(t, tc.name+": written", rec.files, changed)
		if tc.most >= 0 && len(changed) > tc.most {
			t.Errorf("%s: %d of %d files changed, want at most %d: %v", tc.name, len(changed), len(got), tc.most,
				slices.Sorted(maps.Keys(changed)))
		}
		// An unchanged file is the same slice as before.
		for name, data := range got {
			if _, ch := changed[name]; !ch && len(data) > 0 && &prev[name][0] != &data[0] {
				t.Errorf("%s: %s is unchanged but a new slice", tc.name, name)
			}
		}
		t.Logf("%s: %d of %d files written", tc.name, len(changed), len(got))
		prev = got
	}
}

// TestFailedUpdate: after an Update fails, the next one starts again and
// gives the right files.
func TestFailedUpdate(t *testing.T) {
	docs := genDocs(6, 100)
	ix := NewIndexer(Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Update(ctx, docs, nil); err == nil {
		t.Fatal("an Update with a cancelled context succeeded")
	}
	boom := fmt.Errorf("disk full")
	if _, err := ix.Update(context.Background(), docs, func(string, []byte) error { return boom }); err != boom {
		t.Fatalf("Update returned %v, want the write error", err)
	}
	var rec recorder
	files, err := ix.Update(context.Background(), docs, rec.write)
	if err != nil {
		t.Fatal(err)
	}
	want := filesOf(t, build(t, docs, Options{}).Files)
	sameFiles(t, "after failures", filesOf(t, files), want)
	sameFiles(t, "written after failures", rec.files, want)
}

// TestPacks: the records of each kind go into packs of PackSize in order,
// named by kind and number, and each registers its documents.
func TestPacks(t *testing.T) {
	for _, tc := range []struct {
		briefings, entities, pack int
		want                      []string
	}{
		{1, 0, 14, []string{"r/b0.js"}},
		{14, 0, 14, []string{"r/b0.js"}},
		{15, 0, 14, []string{"r/b0.js", "r/b1.js"}},
		{30, 3, 10, []string{"r/b0.js", "r/b1.js", "r/b2.js", "r/e0.js"}},
		{5, 5, 1, []string{"r/b0.js", "r/b1.js", "r/b2.js", "r/b3.js", "r/b4.js", "r/e0.js", "r/e1.js", "r/e2.js", "r/e3.js", "r/e4.js"}},
	} {
		var docs []Doc
		for i := range tc.briefings {
			docs = append(docs, Doc{Kind: "briefing", Title: fmt.Sprintf("B%d", i), Path: fmt.Sprintf("b/%d/", i), Body: "grain"})
		}
		for i := range tc.entities {
			docs = append(docs, Doc{Kind: "entity", Title: fmt.Sprintf("E%d", i), Path: fmt.Sprintf("e/%d/", i), Body: "grain"})
		}
		ix := build(t, docs, Options{PackSize: tc.pack})
		var got []string
		for _, f := range ix.Files {
			if !strings.HasPrefix(f.Name, "r/") {
				continue
			}
			got = append(got, f.Name)
			// DossierSearch.pack("b",N,[[title,…],…]);
			var prefix string
			var n int
			head, rest, _ := strings.Cut(string(f.Data), ",[")
			if _, err := fmt.Sscanf(head, "DossierSearch.pack(%q,%d", &prefix, &n); err != nil {
				t.Fatalf("%s starts %q: %v", f.Name, head, err)
			}
			var recs [][]string
			if err := json.Unmarshal([]byte("["+strings.TrimSuffix(rest, ");\n")), &recs); err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			if f.Name != RecordPack(prefix, n*tc.pack, tc.pack) {
				t.Errorf("%s registers pack %s%d", f.Name, prefix, n)
			}
			for i, r := range recs {
				if want := fmt.Sprintf("%s%d", strings.ToUpper(prefix), n*tc.pack+i); r[0] != want {
					t.Errorf("%s: record %d is %q, want %q", f.Name, i, r[0], want)
				}
			}
			if len(recs) > tc.pack || len(recs) == 0 {
				t.Errorf("%s holds %d records, pack size %d", f.Name, len(recs), tc.pack)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%d briefings, %d entities in packs of %d: %v, want %v", tc.briefings, tc.entities, tc.pack, got, tc.want)
		}
		// Search names the packs of the results.
		a := ix.Search("grain", "")
		for _, r := range a.Results[:min(len(a.Results), ResultsPage)] {
			k := ix.kindOf(r.Doc)
			if f := RecordPack(k.Prefix, r.Doc-k.First, tc.pack); !slices.Contains(a.Files, f) {
				t.Errorf("the answer does not load %s for %s", f, r.ID)
			}
		}
	}
}

// TestShardsEndNearChanges: a new term moves shard boundaries near it
// only; the other shards keep their names and bytes.
func TestShardsEndNearChanges(t *testing.T) {
	docs := genDocs(7, 400)
	opts := Options{ShardBytes: 1024}
	before := build(t, docs, opts)
	docs = rebody(3, func(s string) string { return s + " kozlovian" })(docs)
	after := build(t, docs, opts)
	if len(before.shards) < 20 {
		t.Fatalf("%d shards: want more for this test", len(before.shards))
	}
	old := filesOf(t, before.Files)
	same := 0
	for _, f := range after.Files {
		if strings.HasPrefix(f.Name, "s/") && bytes.Equal(old[f.Name], f.Data) {
			same++
		}
	}
	// The edit adds a term and changes the weights of document 3 in the
	// shards of its terms; the others stay.
	if len(after.shards)-same > len(after.shards)/2 {
		t.Errorf("%d of %d shards changed", len(after.shards)-same, len(after.shards))
	}
	for _, s := range after.shards {
		if s.Bytes > opts.ShardBytes && len(s.terms) > 1 {
			t.Errorf("shard %s has %d bytes and %d terms", s.ID, s.Bytes, len(s.terms))
		}
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("the text goes on and on. ", 40) // 1,000 bytes
	for _, tc := range []struct {
		name    string
		text    string
		anchors []string // words to anchor at (first mention), links when prefixed "@"
		limit   int
		lead    bool
		want    []string // in the excerpt
		not     []string // not in it
	}{
		{"short text whole", "A short text.", nil, 100, true, []string{"A short text."}, []string{"…"}},
		{"lead only", long + "END", nil, 200, true, []string{"the text goes on"}, []string{"END"}},
		{"no anchors, no lead: the start anyway", long + "END", nil, 200, false, []string{"the text goes on"}, []string{"END"}},
		{"a late name", long + "met Alexander Kozlov in Vladivostok. " + long, []string{"@Alexander Kozlov"}, 300, false,
			[]string{"met Alexander Kozlov in Vladivostok", "… "}, nil},
		{"a late name and the lead", long + "met Alexander Kozlov in Vladivostok. " + long, []string{"@Alexander Kozlov"}, 300, true,
			[]string{"the text goes on", "Kozlov"}, nil},
		{"links before words", long + "Pyongyang " + long + "Kozlov " + long, []string{"Pyongyang", "@Kozlov"}, 120, false,
			[]string{"Kozlov"}, []string{"Pyongyang"}},
	} {
		text := []byte(tc.text)
		var anchors []anchor
		for _, a := range tc.anchors {
			link := strings.HasPrefix(a, "@")
			a = strings.TrimPrefix(a, "@")
			i := bytes.Index(text, []byte(a))
			anchors = append(anchors, anchor{i, i + len(a), link})
		}
		slices.SortFunc(anchors, func(a, b anchor) int { return a.start - b.start })
		var got string
		if err := json.Unmarshal(appendExcerpt(nil, text, anchors, tc.limit, tc.lead), &got); err != nil {
			t.Fatal(err)
		}
		if len(got) > tc.limit+len(" …") {
			t.Errorf("%s: %d bytes, limit %d", tc.name, len(got), tc.limit)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: excerpt %q lacks %q", tc.name, got, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: excerpt %q has %q", tc.name, got, w)
			}
		}
	}
}

// TestExcerptAnchors: the record of a long document shows the first
// mention of a linked name that comes late, and of a capitalised word.
func TestExcerptAnchors(t *testing.T) {
	filler := strings.Repeat("<p>The talks went on for hours and covered grain and flights.</p>", 40)
	html := filler + `<p>Later, the delegation met <a class="mention" href="x">Alexander Kozlov</a> in Khabarovsk.</p>` + filler
	ix := build(t, []Doc{{Kind: "briefing", Title: "Talks on grain", Path: "b/", Summary: "A summary.",
		HTML: HTMLFunc(func(dst []byte) []byte { return append(dst, html...) })}}, Options{TextBytes: 400})
	rec := string(file(t, ix, "r/b0.js"))
	for _, want := range []string{"met Alexander Kozlov in Khabarovsk", "Khabarovsk"} {
		if !strings.Contains(rec, want) {
			t.Errorf("record lacks %q:\n%s", want, rec)
		}
	}
	if len(rec) > 400+100 {
		t.Errorf("record of %d bytes, text limit 400:\n%s", len(rec), rec)
	}
}

// oldTokens is the tokenizer as it was before it was made fast: the
// reference for TestTokensMatchReference.
func oldTokens(text string) []Token {
	var out []Token
	eachTokenRef(text, func(term string, start, end int) {
		if Indexable(term) {
			out = append(out, Token{term, start, end})
		}
	})
	return out
}

func eachTokenRef(text string, fn func(term string, start, end int)) {
	var b []byte
	start := -1
	letters := false
	flush := func(end int) {
		if start >= 0 && letters && len(b) > 0 {
			fn(string(b), start, end)
		}
		b = b[:0]
		start, letters = -1, false
	}
	for i, r := range text {
		if !isTokenRuneRef(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
		}
		switch {
		case r < 0x80:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if r != '&' {
				letters = true
			}
			b = append(b, byte(r))
		case isMark(r):
		default:
			letters = true
			r = toLower(r)
			if f, ok := foldTable[r]; ok {
				b = append(b, f...)
			} else {
				b = appendRune(b, r)
			}
		}
	}
	flush(len(text))
}

// TestTokensMatchReference compares the tokenizer with the reference on
// text of every kind of character it treats differently.
func TestTokensMatchReference(t *testing.T) {
	pieces := []string{"Kim", "jong", "UN", "AT&T", "&", "&&", " ", "  ", ".", ",", "’", "'", "-", "2023", "x", "É", "école",
		"e\u0301", "\u0301", "Straße", "œuvre", "Łódź", "ǅ", "МОСКВА", "金正恩", "\u00a0", "\u2028", "\xff", "\xe2\x80", "İ", "ﬁ",
		"١٢٣", "𝐀𝐁", "Ⅻ", "\t", "\n", "a", "the", "strings-with-dashes", strings.Repeat("y", 40)}
	r := rand.New(rand.NewPCG(9, 9))
	for range 3000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		if got, want := Tokens(text), oldTokens(text); !slices.Equal(got, want) {
			t.Fatalf("Tokens(%q) = %v, want %v", text, got, want)
		}
	}
}

// oldPlainText is PlainText as it was before it was made fast.
func oldPlainText(src []byte) string {
	var b strings.Builder
	skip, skipName := 0, ""
	s := string(src)
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			i = len(s)
		}
		if skip == 0 {
			b.WriteString(htmlUnescape(s[:i]))
		}
		s = s[i:]
		if s == "" {
			break
		}
		end := tagEnd(s)
		tag := s[:end]
		s = s[end:]
		name, closing := tagName(tag)
		switch {
		case skip > 0:
			if name == skipName {
				if closing {
					skip--
				} else {
					skip++
				}
			}
		case !closing && name == "sup", !closing && name == "a" && strings.Contains(tag, `class="anchor"`):
			skip, skipName = 1, name
		case blockTag(name):
			b.WriteByte('\n')
		}
	}
	return collapseRef(b.String())
}

func TestPlainTextMatchesReference(t *testing.T) {
	pieces := []string{"<p>", "</p>", "<h2 id=\"x\">", "</h2>", `<a class="anchor" href="#x">#</a>`, `<a class="mention" href="x">`, "</a>",
		"<sup>", "</sup>", "<br>", "<BR/>", "<!-- c -->", "&amp;", "&lt;", "&rsquo;", "&ldquo;", "&nbsp;", "&#39;", "&#x41;", "&copy",
		"&bogus;", "&", "AT&T", " ", "\n", "\t", "\x00", "\u00a0", "\u2003", "word", "Kozlov", "école", "<td>", "<pre><code>", "x := 1",
		"</code></pre>", `<img alt="a>b">`, "<", ">", "&amp;amp;"}
	r := rand.New(rand.NewPCG(3, 3))
	for range 5000 {
		var b strings.Builder
		for range r.IntN(15) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		src := []byte(b.String())
		if got, want := PlainText(src), oldPlainText(src); got != want {
			t.Fatalf("PlainText(%q) = %q, want %q", src, got, want)
		}
		// With text before it, the plain text follows after a space.
		if got, want := string(appendPlainText([]byte("x"), src, nil)), strings.TrimSpace("x "+oldPlainText(src)); got != want {
			t.Fatalf("appendPlainText(x, %q) = %q, want %q", src, got, want)
		}
	}
}

// TestPlainTextLinks: the text of each link, but a heading's anchor, is
// where appendPlainText says.
func TestPlainTextLinks(t *testing.T) {
	src := []byte(`<h2>Talks <a class="anchor" href="#t">#</a></h2><p>With <a class="mention" href="x">Alexander
Kozlov</a> and <a href="y"><em>Yun</em></a>.</p>`)
	var links [][2]int
	text := appendPlainText([]byte("Body"), src, &links)
	var got []string
	for _, l := range links {
		got = append(got, string(text[l[0]:l[1]]))
	}
	if want := []string{"Alexander Kozlov", "Yun"}; !slices.Equal(got, want) {
		t.Errorf("links %q in %q, want %q", got, text, want)
	}
}

func TestJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `"quoted" \ back`, "</script><!--", "a & b", "\u2028\u2029", "\x00\x01\n\r\t\x7f",
		"\xff\xfe bad", "é ünïcode 金", "\U0001f600"} {
		got := appendJSONString(nil, s)
		want, _ := json.Marshal(s)
		var back, wantBack string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("%q: %s is not JSON: %v", s, got, err)
		}
		json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Errorf("%q: decodes to %q, encoding/json's to %q", s, back, wantBack)
		}
		for _, bad := range []string{"<", ">", "&", "\u2028", "\u2029"} {
			if bytes.Contains(got, []byte(bad)) {
				t.Errorf("%q: %s holds a raw %q", s, got, bad)
			}
		}
		if len(got) != jsonLen(s) {
			t.Errorf("jsonLen(%q) = %d, encoded %d", s, jsonLen(s), len(got))
		}
	}
}

// The helpers of the references, in the words of the code they replaced.

func isTokenRuneRef(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '&'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || isMark(r)
}

func isMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Mc) }

func toLower(r rune) rune { return unicode.ToLower(r) }

func appendRune(b []byte, r rune) []byte { return utf8.AppendRune(b, r) }

func htmlUnescape(s string) string { return html.UnescapeString(s) }

func collapseRef(s string) string {
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); {
		c, size := rune(s[i]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s[i:])
		}
		if c == 0 || unicode.IsSpace(c) {
			space = len(b) > 0
		} else {
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
