// Package search builds the full-text index that the search page queries in
// the browser, with no server and from file://. Browsers do not let a page
// fetch() files from disk, so the index is a set of plain scripts that call
// one global registration function (DossierSearch, defined by the theme's
// search.js):
//
//   - manifest.js: the shard table, the number of records a pack holds, the
//     folding table and the stop words;
//   - s/ID.js, the term shards: the posting lists of a range of terms (8–16
//     KB a shard, unless one term's list is longer), named by a short hash
//     of their first term, so that an edit rewrites only the shards whose
//     terms it changed;
//   - r/KN.js, the record packs: what a result shows (title, date, summary
//     and an excerpt of the text that snippets are cut from, see
//     excerpt.go) for PackSize consecutive documents of one kind: record
//     packs r/b0.js, r/b1.js, … hold briefings, r/e0.js, … entities.
//
// A query loads the manifest, the shards of its terms and the packs of the
// results it shows, so what one query loads stays small however many
// briefings the site has.
//
// The index is built by an Indexer, one document at a time: documents are
// turned into plain text and tokenized in parallel, each record pack is
// written as soon as its documents are done, and only compact postings (4
// bytes each) are kept until the shards are written. An Indexer kept
// between builds (as `dossier serve` does) indexes again only the
// documents that changed and writes only the files whose bytes changed.
//
// The package knows nothing about the site model: the render package turns
// briefings, entities, topics and pages into Docs.
package search

import (
	"cmp"
	"context"
	"slices"
	"strings"
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
	// HTML, when set, gives the document's converted Markdown; its plain
	// text (see PlainText) follows Body. The index asks for it once, when
	// it indexes the document, so that no more than a few documents' HTML
	// is in memory at a time.
	HTML HTMLSource
	// Key identifies what an Indexer cannot compare without reading it:
	// the HTML. An Indexer indexes a document again unless its fields
	// (all but HTML) and its key are those of a document of its last
	// update; 0 means unknown, and always indexes the document again.
	Key uint64
}

// HTMLSource appends a document's converted Markdown to dst.
type HTMLSource interface {
	AppendHTML(dst []byte) []byte
}

// HTMLFunc is an HTMLSource made of a function.
type HTMLFunc func(dst []byte) []byte

// AppendHTML calls f.
func (f HTMLFunc) AppendHTML(dst []byte) []byte { return f(dst) }

// Kinds are the kinds of documents, in the order of their id ranges and of
// the search page's filters. Each has a one-letter prefix for the names of
// its record packs.
var Kinds = []struct{ Name, Prefix, Label string }{
	{"briefing", "b", "Briefings"},
	{"entity", "e", "Entities"},
	{"topic", "t", "Topics"},
	{"page", "p", "Pages"},
}

// Options tune the index. The zero value means the defaults.
type Options struct {
	// ShardBytes is the size a term shard grows to at most, unless one
	// term's postings are larger (they are never split). Shards end where
	// a term's hash says so once they hold half of ShardBytes, so that an
	// edit moves no shard boundary but near the terms it changed.
	ShardBytes int
	// TextBytes bounds the text of a document's record that snippets are
	// cut from.
	TextBytes int
	// PackSize is how many records of one kind a record pack holds.
	PackSize int
}

// Defaults, chosen so that one query at 10,000 briefings loads less than
// 300 KB and the index has about a thousand files: at most maxQueryTerms
// shards of at most ShardBytes for the words typed, prefix completions
// only within shardBudget, and the packs of ResultsPage records (see the
// README for measured figures).
const (
	DefaultShardBytes = 16 << 10
	DefaultTextBytes  = 1000
	DefaultPackSize   = 14
	// shardBudget bounds the shard bytes one query loads; prefix
	// completions of the last word are loaded only within it.
	shardBudget = 80 << 10
	// ResultsPage is how many results the page shows, and loads records
	// for, at a time.
	ResultsPage = 10
	// maxQueryTerms bounds the words of a query that are looked up.
	maxQueryTerms = 6
)

func (o Options) withDefaults() Options {
	o.ShardBytes = cmp.Or(o.ShardBytes, DefaultShardBytes)
	o.TextBytes = cmp.Or(o.TextBytes, DefaultTextBytes)
	o.PackSize = cmp.Or(o.PackSize, DefaultPackSize)
	return o
}

// Field weights. A posting's weight is a small integer (1–31) that folds in
// where the term occurs. Body text counts with saturation and length
// normalisation (BM25's tf part, k1 = 1.2, b = 0.75, against the mean
// length of the document's kind in whole terms), at most bodyScale × 2.2 =
// 11; a briefing's title (12) outweighs any amount of body text; and the
// name or an alias of an entity or topic (27) outweighs anything a briefing
// can score (12 + 11 + 3 = 26), so searching for a name finds its page
// first.
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
	pack   int
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
	ID    string // names the file: s/ID.js
	Bytes int
	terms []string
}

type posting struct {
	doc, weight int
}

type postings []posting

// Build indexes docs in memory, for tests and measurements; a site build
// writes its index with an Indexer. Documents are numbered by kind in the
// order of Kinds and, within a kind, in the order given; record packs are
// named by kind and number within the kind, so giving briefings oldest
// first keeps the existing packs when a new briefing is added.
// It stops early, returning ctx.Err(), when ctx is done.
func Build(ctx context.Context, docs []Doc, opts Options) (*Index, error) {
	ix := NewIndexer(opts)
	files, err := ix.Update(ctx, docs, nil)
	if err != nil {
		return nil, err
	}
	out := &Index{Files: files, docs: len(ix.docs), pack: ix.opts.PackSize, kinds: ix.kinds,
		terms: map[string]postings{}, sizes: map[string]int{}}
	slices.SortFunc(out.Files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	for _, f := range out.Files {
		out.sizes[f.Name] = len(f.Data)
	}
	for _, s := range ix.shards {
		sh := shard{ID: s.id, Bytes: len(s.data)}
		for _, t := range s.terms {
			term := ix.terms.strs[t]
			sh.terms = append(sh.terms, term)
			ps := make(postings, len(ix.post[t]))
			for i, p := range ix.post[t] {
				ps[i] = posting{int(p >> docShift), ix.weight(p)}
			}
			out.terms[term] = ps
		}
		if len(out.shards) > 0 {
			sh.First = sh.terms[0]
		}
		out.shards = append(out.shards, sh)
	}
	return out, nil
}

// RecordPack names the pack file that holds the record of document n
// (counted from 0) of the kind with the given prefix.
func RecordPack(prefix string, n, packSize int) string {
	return "r/" + prefix + itoa(n/packSize) + ".js"
}

// ManifestFile is the name of the manifest script, which the search page
// loads with a plain <script> element.
const ManifestFile = "manifest.js"

// truncate cuts s to at most n bytes, at a word boundary when there is one
// in the last tenth.
func truncate(s []byte, n int) ([]byte, bool) {
	if len(s) <= n {
		return s, false
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := lastSpace(s[:cut]); sp > n*9/10 {
		cut = sp
	}
	return s[:cut], true
}

func lastSpace(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == ' ' {
			return i
		}
	}
	return -1
}

// The posting lists are strings of characters that need no escaping in a
// JavaScript string nor in JSON. Each posting is the gap to the previous
// document id (the first is the id itself) in base 58, most significant
// digit first and nothing for 0, then the weight as one character of
// another alphabet, which ends the posting: documents next to each other,
// the bulk of the list of a common word, take one character each.
const (
	digits  = "0123456789fghijklmnopqrstuvwxyz!#$%'()*+,-./:;=?@[]^_`{|}~"
	weights = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcde" // 1 … maxWeight
)

// appendGap appends a gap in base len(digits); nothing for 0.
func appendGap(b []byte, n int) []byte {
	if n == 0 {
		return b
	}
	var tmp [8]byte
	i := len(tmp)
	for ; n > 0; n /= len(digits) {
		i--
		tmp[i] = digits[n%len(digits)]
	}
	return append(b, tmp[i:]...)
}

// gapLen is the number of characters appendGap writes for n.
func gapLen(n int) int {
	l := 0
	for ; n > 0; n /= len(digits) {
		l++
	}
	return l
}

func encodePostings(ps postings) string {
	var b []byte
	prev := -1
	for _, p := range ps {
		b = appendGap(b, p.doc-prev-1)
		b = append(b, weights[p.weight-1])
		prev = p.doc
	}
	return string(b)
}

func decodePostings(s string) postings {
	var out postings
	prev, n := -1, 0
	for i := 0; i < len(s); i++ {
		if w := strings.IndexByte(weights, s[i]); w >= 0 {
			prev += n + 1
			out = append(out, posting{prev, w + 1})
			n = 0
			continue
		}
		n = n*len(digits) + strings.IndexByte(digits, s[i])
	}
	return out
}
