// Package search builds the full-text index that the search page queries in
// the browser, with no server and from file://. Browsers do not let a page
// fetch() files from disk, so the index is a set of plain scripts that call
// one global registration function (DossierSearch, defined by the theme's
// search.js): a small manifest with the shard table, term shards that hold
// the posting lists of a range of terms, and one small record per document
// with what a result shows (kind, title, date, the text a snippet is cut
// from). A query loads the manifest, the shards of its terms and the records
// of the results it shows, so what one query loads stays small however many
// briefings the site has.
//
// The package knows nothing about the site model: the render package turns
// briefings, entities, topics and pages into Docs.
package search

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Doc is one document of the index.
type Doc struct {
	Kind     string   // one of Kinds
	Title    string   // title or name
	Names    []string // aliases: they weigh as the title does
	Date     string   // "2006-01-02" for briefings, "" otherwise
	Path     string   // the page's folder relative to the site root: "briefings/x/"
	Meta     string   // a short line shown beside the kind: a dateline, an entity type
	Summary  string
	Headings []string // section headings: they weigh twice the body
	Body     string   // plain text
	// HTML is converted Markdown; Build appends its plain text (see
	// PlainText) to Body, in parallel with the other documents.
	HTML []byte
}

// Kinds are the kinds of documents, in the order of their id ranges and of
// the search page's filters. Each has a one-letter prefix for the names of
// its record files.
var Kinds = []struct{ Name, Prefix, Label string }{
	{"briefing", "b", "Briefings"},
	{"entity", "e", "Entities"},
	{"topic", "t", "Topics"},
	{"page", "p", "Pages"},
}

// Options tune the index. The zero value means the defaults.
type Options struct {
	// ShardBytes is the size a term shard grows to before the next term
	// starts a new one (one term's postings are never split).
	ShardBytes int
	// TextBytes bounds the text of a document's record that snippets are
	// cut from.
	TextBytes int
}

// Defaults, chosen so that one query at 10,000 briefings loads less than
// 300 KB: at most maxQueryTerms shards of about ShardBytes for the words
// typed, prefix completions only within shardBudget, and ResultsPage
// records of at most TextBytes (see the README for measured figures).
const (
	DefaultShardBytes = 24 << 10
	DefaultTextBytes  = 8 << 10
	// shardBudget bounds the shard bytes one query loads; prefix
	// completions of the last word are loaded only within it.
	shardBudget = 180 << 10
	// ResultsPage is how many results the page shows, and loads records
	// for, at a time.
	ResultsPage = 10
	// maxQueryTerms bounds the words of a query that are looked up.
	maxQueryTerms = 6
)

// Field weights. A posting's weight is a small integer (1–31) that folds in
// where the term occurs. Body text counts with saturation and length
// normalisation (BM25's tf part, k1 = 1.2, b = 0.75), at most bodyScale ×
// 2.2 = 11; a briefing's title (12) outweighs any amount of body text; and
// the name or an alias of an entity or topic (27) outweighs anything a
// briefing can score (12 + 11 + 3 = 26), so searching for a name finds
// its page first.
const (
	titleWeight   = 12
	nameWeight    = 27
	summaryWeight = 3
	bodyScale     = 5
	headingCount  = 2 // a word in a section heading counts as this many in the body
	maxWeight     = 31
	bm25K1        = 1.2
	bm25B         = 0.75
)

// File is one file of the index, relative to the search page's folder.
type File struct {
	Name string
	Data []byte
}

// Index is a built index: its files, and enough of its structure to answer
// queries in Go the way the browser does (for tests and measurements).
type Index struct {
	Files  []File
	docs   int
	kinds  []kindRange
	shards []shard
	terms  map[string]postings
	sizes  map[string]int // file name → bytes
}

type kindRange struct {
	Name, Prefix string
	First, Count int
}

type shard struct {
	First string // the shard's first term; "" for the first shard
	Bytes int
	terms []string
}

type posting struct {
	doc, weight int
}

type postings []posting

// Build indexes docs. Documents are numbered by kind in the order of Kinds
// and, within a kind, in the order given; record files are named by kind
// and number within the kind, so giving briefings oldest first keeps the
// names of existing records when a new briefing is added.
// It stops early, returning ctx.Err(), when ctx is done.
func Build(ctx context.Context, docs []Doc, opts Options) (*Index, error) {
	opts.ShardBytes = cmp.Or(opts.ShardBytes, DefaultShardBytes)
	opts.TextBytes = cmp.Or(opts.TextBytes, DefaultTextBytes)
	ix := &Index{terms: map[string]postings{}, sizes: map[string]int{}}

	var ordered []Doc
	for _, k := range Kinds {
		r := kindRange{Name: k.Name, Prefix: k.Prefix, First: len(ordered)}
		for _, d := range docs {
			if d.Kind == k.Name {
				ordered = append(ordered, d)
			}
		}
		r.Count = len(ordered) - r.First
		ix.kinds = append(ix.kinds, r)
	}
	if len(ordered) != len(docs) {
		for _, d := range docs {
			if !slices.ContainsFunc(Kinds, func(k struct{ Name, Prefix, Label string }) bool { return k.Name == d.Kind }) {
				return nil, fmt.Errorf("build search index: %s has unknown kind %q", d.Path, d.Kind)
			}
		}
	}
	ix.docs = len(ordered)

	// Plain text and term statistics, in parallel; then weights normalised
	// by each kind's mean length.
	stats := make([]docStats, len(ordered))
	parallel(ctx, len(ordered), func(i int) {
		d := &ordered[i]
		if len(d.HTML) > 0 {
			d.Body = strings.TrimSpace(d.Body + " " + PlainText(d.HTML))
			d.HTML = nil
		}
		stats[i] = statsOf(*d)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	meanLen := map[string]float64{}
	for i, d := range ordered {
		meanLen[d.Kind] += float64(stats[i].length)
	}
	for _, k := range ix.kinds {
		if k.Count > 0 {
			meanLen[k.Name] = max(meanLen[k.Name]/float64(k.Count), 1)
		}
	}
	for i, d := range ordered {
		st := stats[i]
		norm := 1 - bm25B + bm25B*float64(st.length)/meanLen[d.Kind]
		for _, term := range st.order {
			w := 0
			if tf := float64(st.body[term]); tf > 0 {
				w += int(math.Round(bodyScale * tf * (bm25K1 + 1) / (tf + bm25K1*norm)))
			}
			switch {
			case st.title[term] && (d.Kind == "entity" || d.Kind == "topic"):
				w += nameWeight
			case st.title[term]:
				w += titleWeight
			}
			if st.summary[term] {
				w += summaryWeight
			}
			ix.terms[term] = append(ix.terms[term], posting{i, min(max(w, 1), maxWeight)})
		}
	}

	if err := ix.writeShards(opts.ShardBytes); err != nil {
		return nil, err
	}
	records := make([][]byte, len(ordered))
	errs := make([]error, len(ordered))
	for _, k := range ix.kinds {
		parallel(ctx, k.Count, func(n int) {
			records[k.First+n], errs[k.First+n] = recordOf(k.Prefix+strconv.Itoa(n), ordered[k.First+n], opts.TextBytes)
		})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for n := range k.Count {
			if err := errs[k.First+n]; err != nil {
				return nil, err
			}
			ix.add(RecordFile(k.Prefix+strconv.Itoa(n)), records[k.First+n])
		}
	}
	if err := ix.writeManifest(); err != nil {
		return nil, err
	}
	slices.SortFunc(ix.Files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return ix, nil
}

type docStats struct {
	title, summary map[string]bool
	body           map[string]int
	order          []string // every term once, in order of first appearance
	length         int      // body terms, headings counted as they weigh
}

func statsOf(d Doc) docStats {
	// About one distinct term per 12 bytes of text: sizing the maps saves
	// most of their growing.
	n := len(d.Body)/12 + 16
	st := docStats{title: map[string]bool{}, summary: map[string]bool{}, body: make(map[string]int, n)}
	seen := make(map[string]bool, n)
	note := func(t string) {
		if !seen[t] {
			seen[t] = true
			st.order = append(st.order, t)
		}
	}
	for _, name := range append([]string{d.Title}, d.Names...) {
		for _, t := range Tokens(name) {
			st.title[t.Term] = true
			note(t.Term)
		}
	}
	for _, t := range Tokens(d.Summary) {
		st.summary[t.Term] = true
		note(t.Term)
	}
	for _, h := range d.Headings {
		for _, t := range Tokens(h) {
			st.body[t.Term] += headingCount
			st.length += headingCount
			note(t.Term)
		}
	}
	for _, text := range []string{d.Meta, d.Body} {
		for _, t := range Tokens(text) {
			st.body[t.Term]++
			st.length++
			note(t.Term)
		}
	}
	return st
}

// writeShards cuts the sorted term list into shards of about size bytes.
func (ix *Index) writeShards(size int) error {
	terms := make([]string, 0, len(ix.terms))
	for t := range ix.terms {
		terms = append(terms, t)
	}
	slices.SortFunc(terms, compareTerms)

	type entry struct{ term, list string }
	var cur []entry
	curBytes := 0
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		n := len(ix.shards)
		rows := make([][2]string, len(cur))
		sh := shard{}
		for i, e := range cur {
			rows[i] = [2]string{e.term, e.list}
			sh.terms = append(sh.terms, e.term)
		}
		if n > 0 {
			sh.First = cur[0].term
		}
		data, err := call("shard", n, rows)
		if err != nil {
			return err
		}
		name := shardFile(n)
		sh.Bytes = len(data)
		ix.shards = append(ix.shards, sh)
		ix.add(name, data)
		cur, curBytes = cur[:0], 0
		return nil
	}
	for _, t := range terms {
		list := encodePostings(ix.terms[t])
		b := len(t) + len(list) + 8
		if curBytes > 0 && curBytes+b > size {
			if err := flush(); err != nil {
				return err
			}
		}
		cur = append(cur, entry{t, list})
		curBytes += b
	}
	return flush()
}

// record is what a result shows; the short keys keep the files small.
type record struct {
	Kind    string `json:"k"`
	Title   string `json:"t"`
	Date    string `json:"d,omitempty"`
	Path    string `json:"u"`
	Meta    string `json:"m,omitempty"`
	Summary string `json:"s,omitempty"`
	Text    string `json:"x,omitempty"`
}

// recordOf encodes a document's record, which registers itself as id.
func recordOf(id string, d Doc, textBytes int) ([]byte, error) {
	return call("doc", id, record{Kind: d.Kind, Title: d.Title, Date: d.Date, Path: d.Path,
		Meta: d.Meta, Summary: d.Summary, Text: truncate(d.Body, textBytes)})
}

// parallel calls fn(0) … fn(n-1) on as many goroutines as there are
// processors; each call owns its index, so results land in place and the
// output does not depend on scheduling. Once ctx is done it calls fn no
// more; the caller checks ctx.Err().
func parallel(ctx context.Context, n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// RecordFile names the record file of a document id such as "b12".
func RecordFile(id string) string { return "d/" + id + ".js" }

type manifest struct {
	Version int               `json:"v"`
	Docs    int               `json:"n"`
	Kinds   [][]any           `json:"kinds"`  // [name, prefix, label, first id, count]
	Shards  [][]any           `json:"shards"` // [first term, bytes]
	Fold    map[string]string `json:"fold"`
	Stop    []string          `json:"stop"`
	Budget  int               `json:"budget"`
	Page    int               `json:"page"`
	Terms   int               `json:"maxTerms"`
	Prefix  float64           `json:"prefix"`
	Digits  string            `json:"digits"`
}

func (ix *Index) writeManifest() error {
	m := manifest{Version: 1, Docs: ix.docs, Fold: map[string]string{}, Stop: stopWords,
		Budget: shardBudget, Page: ResultsPage, Terms: maxQueryTerms, Prefix: prefixFactor, Digits: digits}
	for i, k := range ix.kinds {
		m.Kinds = append(m.Kinds, []any{k.Name, k.Prefix, Kinds[i].Label, k.First, k.Count})
	}
	for _, s := range ix.shards {
		m.Shards = append(m.Shards, []any{s.First, s.Bytes})
	}
	if m.Shards == nil {
		m.Shards = [][]any{}
	}
	for _, p := range foldPairs() {
		m.Fold[p[0]] = p[1]
	}
	data, err := call("manifest", m)
	if err != nil {
		return err
	}
	ix.add(ManifestFile, data)
	return nil
}

// ManifestFile is the name of the manifest script, which the search page
// loads with a plain <script> element.
const ManifestFile = "manifest.js"

func (ix *Index) add(name string, data []byte) {
	ix.Files = append(ix.Files, File{name, data})
	ix.sizes[name] = len(data)
}

// call writes one statement that calls DossierSearch.<fn> with args encoded
// as JSON. encoding/json escapes <, >, & and U+2028/U+2029, so no text of
// the site can end a script element or a JavaScript string early.
func call(fn string, args ...any) ([]byte, error) {
	var b strings.Builder
	b.WriteString("DossierSearch.")
	b.WriteString(fn)
	b.WriteByte('(')
	for i, a := range args {
		if i > 0 {
			b.WriteByte(',')
		}
		j, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("encode search %s: %w", fn, err)
		}
		b.Write(j)
	}
	b.WriteString(");\n")
	return []byte(b.String()), nil
}

// truncate cuts s to at most n bytes, at a word boundary when there is one
// in the last tenth.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > n*9/10 {
		cut = sp
	}
	return s[:cut] + "…"
}

// The posting lists are strings of base-32 digits in a 64-character
// alphabet that needs no escaping in JavaScript: a digit's value is its
// index mod 32, and an index of 32 or more means more digits follow. Each
// posting is the gap to the previous document id (the first is the id
// itself) and the weight.
const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVabcdefghijklmnopqrstuvwxyz-_WXYZ"

func encodePostings(ps postings) string {
	var b []byte
	prev := -1
	for _, p := range ps {
		b = appendNum(b, p.doc-prev-1)
		b = appendNum(b, p.weight)
		prev = p.doc
	}
	return string(b)
}

func appendNum(b []byte, n int) []byte {
	var tmp [8]byte
	i := len(tmp) - 1
	tmp[i] = digits[n&31]
	for n >>= 5; n > 0; n >>= 5 {
		i--
		tmp[i] = digits[32+n&31]
	}
	return append(b, tmp[i:]...)
}

func decodePostings(s string) postings {
	var out postings
	prev, n, first := -1, 0, true
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte(digits, s[i])
		n = n*32 + v&31
		if v >= 32 {
			continue
		}
		if first {
			prev += n + 1
		} else {
			out = append(out, posting{prev, n})
		}
		first, n = !first, 0
	}
	return out
}
