package search

import (
	"bytes"
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
)

// An Indexer builds the index of a site and keeps it up to date. The first
// Update indexes every document; each later one indexes again only the
// documents whose fields or Key changed (or that are new), reuses the
// postings of the others, and writes only the files whose bytes changed. Its output is
// always what a new Indexer would write for the same documents, byte for
// byte.
//
// Documents are turned into plain text and tokenized in parallel, one at a
// time; what it keeps of a document is its postings (4 bytes a term), its
// length and its record (a few hundred bytes). An Indexer is not safe for
// concurrent use.
type Indexer struct {
	opts Options
	keep bool // remember what the next Update needs: records, files
	ok   bool // the last Update succeeded: the state below is whole

	mu    sync.Mutex // guards terms while documents are tokenized
	terms termTable

	docs   []docState
	prev   []Doc // the documents of the last update, without their HTML
	kinds  []kindRange
	post   [][]uint32 // by term: doc<<docShift | tf<<tfShift | flags, by doc
	plen   []int32    // by term: the length of its encoded postings
	active []uint32   // the terms with postings, in compareTerms order
	mean   []int      // by kind: mean length in whole terms
	norm   []float64  // by document: BM25's length normalisation
	named  [2]int     // the documents whose title is a name: entities, topics
	shards []shardState
	files  map[string][]byte // keep: every file of the index
}

// A posting packs a document id, the term's count in the body (capped) and
// where else it stands into 32 bits; sorting postings sorts them by
// document.
const (
	docShift    = 10
	tfShift     = 2
	maxTF       = 255
	flagTitle   = 1
	flagSummary = 2
	flagMask    = flagTitle | flagSummary
	lowMask     = 1<<docShift - 1
	// maxDocs bounds the documents of an index.
	maxDocs = 1 << (32 - docShift)
)

type docState struct {
	key    uint64
	kind   uint8
	length uint32 // body terms, headings counted as they weigh
	record []byte // the record as JSON; kept only by a kept Indexer
}

type shardState struct {
	id    string
	terms []uint32
	size  int
	data  []byte // kept only by a kept Indexer
}

// termTable interns terms: every term has an id for as long as the
// Indexer lives.
type termTable struct {
	ids  map[string]uint32
	strs []string
	jlen []int32  // bytes of the term as a JSON string
	hash []uint64 // a fixed hash: it cuts shards and names them
}

// NewIndexer returns an empty Indexer that keeps what its next Update
// needs: every record (a few hundred bytes a document) and every file of
// the index.
func NewIndexer(opts Options) *Indexer {
	return &Indexer{opts: opts.withDefaults(), keep: true}
}

// Write builds the index of docs once, writing each file through write as
// soon as it is ready, and returns the names of all the files. It keeps no
// record and no file after it has written it. write is called from several
// goroutines at once.
func Write(ctx context.Context, docs []Doc, opts Options, write func(name string, data []byte) error) ([]string, error) {
	ix := &Indexer{opts: opts.withDefaults()}
	files, err := ix.Update(ctx, docs, write)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	return names, nil
}

// Update brings the index up to date with docs. It writes through write
// (when not nil; it is called from several goroutines at once) every file
// that is new or whose bytes changed since the last Update, and returns
// every file of the index, sorted by name: Data is the file's bytes
// (shared, not to be modified) when the Indexer keeps them, nil for one
// made by Write. Files of the previous Update that are not in the list are
// gone. After an error the next Update starts again from nothing.
func (ix *Indexer) Update(ctx context.Context, docs []Doc, write func(name string, data []byte) error) ([]File, error) {
	if write == nil {
		write = func(string, []byte) error { return nil }
	}
	ordered, kinds, err := orderDocs(docs)
	if err != nil {
		return nil, err
	}
	if len(ordered) >= maxDocs {
		return nil, fmt.Errorf("build search index: %d documents, at most %d", len(ordered), maxDocs-1)
	}
	if !ix.ok {
		*ix = Indexer{opts: ix.opts, keep: ix.keep}
	}
	ix.ok = false
	u := &update{ix: ix, docs: ordered, kinds: kinds, write: write}
	files, err := u.run(ctx)
	if err != nil {
		return nil, err
	}
	ix.ok = true
	return files, nil
}

// orderDocs groups documents by kind in the order of Kinds, keeping their
// order within a kind.
func orderDocs(docs []Doc) ([]Doc, []kindRange, error) {
	kinds := make([]kindRange, 0, len(Kinds))
	// Usually the documents come in order: take them as they are.
	k, i := 0, 0
	for ; k < len(Kinds); k++ {
		r := kindRange{Name: Kinds[k].Name, Prefix: Kinds[k].Prefix, First: i}
		for i < len(docs) && docs[i].Kind == r.Name {
			i++
		}
		r.Count = i - r.First
		kinds = append(kinds, r)
	}
	if i == len(docs) {
		return docs, kinds, nil
	}
	kinds = kinds[:0]
	ordered := make([]Doc, 0, len(docs))
	for _, k := range Kinds {
		r := kindRange{Name: k.Name, Prefix: k.Prefix, First: len(ordered)}
		for _, d := range docs {
			if d.Kind == k.Name {
				ordered = append(ordered, d)
			}
		}
		r.Count = len(ordered) - r.First
		kinds = append(kinds, r)
	}
	if len(ordered) != len(docs) {
		for _, d := range docs {
			if !slices.ContainsFunc(Kinds, func(k struct{ Name, Prefix, Label string }) bool { return k.Name == d.Kind }) {
				return nil, nil, fmt.Errorf("build search index: %s has unknown kind %q", d.Path, d.Kind)
			}
		}
	}
	return ordered, kinds, nil
}

// update is one run of Update.
type update struct {
	ix    *Indexer
	docs  []Doc
	kinds []kindRange
	write func(string, []byte) error

	redo     []int32 // the documents to index, in order
	same     bool    // every other document kept its id
	allDirty bool    // every shard is encoded again
	dirty    []bool  // by term: its encoded postings may have changed
	touched  []bool  // by term: its document set may have changed
	// removed and added are the postings of the documents indexed again,
	// when they keep their ids: which terms they change.
	removed, added [][2]uint32 // term, posting
	oldNorm        []float64

	packs   []packState
	pending []int // by pack: documents still to index
	free    [][]uint64
	failed  error
}

type packState struct {
	kind, n int // kind index, pack number within the kind
	dirty   bool
}

func (u *update) run(ctx context.Context) ([]File, error) {
	ix := u.ix
	old := ix.docs
	n := len(u.docs)

	// Which documents are unchanged, and where they were.
	from := make([]int32, n)
	u.same = len(old) == n && slices.EqualFunc(u.kinds, ix.kinds, func(a, b kindRange) bool { return a.Count == b.Count })
	if u.same {
		for j := range u.docs {
			from[j] = -1
			if k := u.docs[j].Key; k != 0 && k == old[j].key && sameFields(&u.docs[j], &ix.prev[j]) {
				from[j] = int32(j)
			}
		}
	} else {
		type key struct {
			kind int
			key  uint64
		}
		byKey := map[key][]int32{}
		for i, d := range old {
			if d.key != 0 {
				k := key{int(d.kind), d.key}
				byKey[k] = append(byKey[k], int32(i))
			}
		}
		for ki, kr := range u.kinds {
			for j := kr.First; j < kr.First+kr.Count; j++ {
				from[j] = -1
				k := key{ki, u.docs[j].Key}
				q := byKey[k]
				if k.key == 0 {
					continue
				}
				for i, o := range q {
					if o >= 0 && sameFields(&u.docs[j], &ix.prev[o]) {
						from[j] = o
						q[i] = -1
						break
					}
				}
			}
		}
	}
	docs := make([]docState, n)
	for ki, kr := range u.kinds {
		for j := kr.First; j < kr.First+kr.Count; j++ {
			if from[j] >= 0 {
				docs[j] = old[from[j]]
			} else {
				docs[j] = docState{key: u.docs[j].Key, kind: uint8(ki)}
				u.redo = append(u.redo, int32(j))
			}
		}
	}
	u.oldNorm = ix.norm

	// Postings: take out those of the documents indexed again, or
	// renumber them all.
	u.dirty = make([]bool, len(ix.post))
	u.touched = make([]bool, len(ix.post))
	if u.same {
		u.removeRedone()
	} else {
		u.allDirty = true
		u.renumber(from, len(old))
	}
	ix.docs, ix.kinds = docs, u.kinds
	if ix.keep {
		ix.prev = slices.Grow(ix.prev[:0], n)[:n]
		for j, d := range u.docs {
			if d.HTML != nil {
				d.HTML = hadHTML // not the old site's content
			}
			ix.prev[j] = d
		}
	}
	ix.named = [2]int{u.kinds[1].First, u.kinds[3].First}

	// Record packs: those with a document indexed again, or all of them
	// when documents moved.
	for ki, kr := range u.kinds {
		for p := 0; p*ix.opts.PackSize < kr.Count; p++ {
			u.packs = append(u.packs, packState{kind: ki, n: p, dirty: !u.same})
		}
	}
	u.pending = make([]int, len(u.packs))
	for _, j := range u.redo {
		p := u.packOf(int(j))
		u.pending[p]++
		u.packs[p].dirty = true
	}

	if err := u.index(ctx); err != nil {
		return nil, err
	}
	u.weigh()
	files, err := u.writeShards(ctx)
	if err != nil {
		return nil, err
	}
	for p := range u.packs {
		if u.packs[p].dirty && u.pending[p] >= 0 {
			// Not written while indexing: no document of it was.
			f := u.encodePack(p)
			if err := u.put(&f); err != nil {
				return nil, err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := u.encodeManifest()
	if err != nil {
		return nil, err
	}
	if err := u.put(&m); err != nil {
		return nil, err
	}

	// The file list: the manifest, the shards, the packs.
	files = append(files, m)
	for p := range u.packs {
		files = append(files, File{Name: u.packName(p)})
	}
	if ix.keep {
		live := make(map[string][]byte, len(files))
		for i := range files {
			files[i].Data = ix.files[files[i].Name]
			live[files[i].Name] = files[i].Data
		}
		ix.files = live
	} else {
		for i := range files {
			files[i].Data = nil
		}
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

// hadHTML stands for the HTML of a document of the last update.
var hadHTML HTMLSource = HTMLFunc(nil)

// sameFields reports whether two documents have the same fields, but
// their HTML and key.
func sameFields(a, b *Doc) bool {
	return a.Kind == b.Kind && a.Title == b.Title && a.Date == b.Date && a.Path == b.Path && a.Meta == b.Meta &&
		a.Summary == b.Summary && a.Body == b.Body && slices.Equal(a.Names, b.Names) && slices.Equal(a.Headings, b.Headings) &&
		(a.HTML == nil) == (b.HTML == nil)
}

// put writes f unless the Indexer has the same bytes already, and keeps
// them; f.Data becomes the kept bytes.
func (u *update) put(f *File) error {
	ix := u.ix
	if ix.keep {
		ix.mu.Lock()
		old, ok := ix.files[f.Name]
		ix.mu.Unlock()
		if ok && bytes.Equal(old, f.Data) {
			f.Data = old
			return nil
		}
	}
	if err := u.write(f.Name, f.Data); err != nil {
		return err
	}
	if ix.keep {
		ix.mu.Lock()
		if ix.files == nil {
			ix.files = map[string][]byte{}
		}
		ix.files[f.Name] = f.Data
		ix.mu.Unlock()
	}
	return nil
}

// removeRedone takes the postings of the documents to index again out of
// the lists, remembering them to tell which terms change.
func (u *update) removeRedone() {
	ix := u.ix
	if len(u.redo) == 0 {
		return
	}
	if len(u.redo) <= 64 {
		for t, ps := range ix.post {
			if len(ps) == 0 {
				continue
			}
			for _, j := range u.redo {
				i, found := slices.BinarySearchFunc(ps, uint32(j), func(p, d uint32) int { return cmp.Compare(p>>docShift, d) })
				if found {
					u.removed = append(u.removed, [2]uint32{uint32(t), ps[i]})
					ps = slices.Delete(ps, i, i+1)
					u.touched[t], u.dirty[t] = true, true
				}
			}
			ix.post[t] = ps
		}
		return
	}
	redo := make([]bool, len(ix.docs))
	for _, j := range u.redo {
		redo[j] = true
	}
	for t, ps := range ix.post {
		out := ps[:0]
		for _, p := range ps {
			if redo[p>>docShift] {
				u.removed = append(u.removed, [2]uint32{uint32(t), p})
				u.touched[t], u.dirty[t] = true, true
			} else {
				out = append(out, p)
			}
		}
		ix.post[t] = out
	}
}

// renumber gives the postings of the documents kept their new ids and
// drops the others'.
func (u *update) renumber(from []int32, oldN int) {
	ix := u.ix
	to := make([]int32, oldN)
	for i := range to {
		to[i] = -1
	}
	for j, o := range from {
		if o >= 0 {
			to[o] = int32(j)
		}
	}
	for t, ps := range ix.post {
		out := ps[:0]
		sorted := true
		for _, p := range ps {
			j := to[p>>docShift]
			if j < 0 {
				continue
			}
			q := uint32(j)<<docShift | p&lowMask
			if len(out) > 0 && q < out[len(out)-1] {
				sorted = false
			}
			out = append(out, q)
		}
		if !sorted {
			slices.Sort(out)
		}
		ix.post[t] = out
		u.touched[t] = true
	}
}

// docResult is what indexing one document gives.
type docResult struct {
	entries []uint64 // term<<32 | tf<<tfShift | flags
	length  uint32
	record  []byte
}

// index indexes the documents of u.redo in parallel and adds them in
// order: their postings to the lists, their records to the packs, and
// each pack as soon as its last document is done. No more than a few
// documents per processor are between the two at a time.
func (u *update) index(ctx context.Context) error {
	m := len(u.redo)
	if m == 0 {
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), m)
	window := 4 * workers
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		next    int
		applied int
		ready   = make([]*docResult, window)
	)
	fail := func(err error) {
		mu.Lock()
		if u.failed == nil {
			u.failed = err
		}
		cond.Broadcast()
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for range workers {
		w := u.ix.newWorker()
		wg.Go(func() {
			var writes []File
			for {
				mu.Lock()
				for next-applied >= window && u.failed == nil {
					cond.Wait()
				}
				if u.failed != nil || next >= m {
					mu.Unlock()
					return
				}
				i := next
				next++
				var buf []uint64
				if k := len(u.free); k > 0 {
					buf, u.free = u.free[k-1], u.free[:k-1]
				}
				mu.Unlock()
				if err := ctx.Err(); err != nil {
					fail(err)
					return
				}
				r := w.index(&u.docs[u.redo[i]], buf)

				mu.Lock()
				ready[i%window] = r
				writes = writes[:0]
				for applied < m && ready[applied%window] != nil {
					r := ready[applied%window]
					ready[applied%window] = nil
					writes = u.apply(int(u.redo[applied]), r, writes)
					u.free = append(u.free, r.entries[:0])
					applied++
				}
				cond.Broadcast()
				mu.Unlock()
				for k := range writes {
					if err := u.put(&writes[k]); err != nil {
						fail(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if u.failed != nil {
		return u.failed
	}
	return ctx.Err()
}

// apply adds an indexed document: its postings, its record, and the pack
// it completes, which it appends to writes.
func (u *update) apply(j int, r *docResult, writes []File) []File {
	ix := u.ix
	d := &ix.docs[j]
	d.length, d.record = r.length, r.record
	for _, e := range r.entries {
		t := uint32(e >> 32)
		for int(t) >= len(ix.post) {
			ix.post = append(ix.post, nil)
			u.dirty = append(u.dirty, false)
			u.touched = append(u.touched, false)
		}
		p := uint32(j)<<docShift | uint32(e)&lowMask
		ps := ix.post[t]
		if n := len(ps); n == 0 || ps[n-1] < p {
			ps = append(ps, p)
		} else {
			i, _ := slices.BinarySearch(ps, p)
			ps = slices.Insert(ps, i, p)
		}
		ix.post[t] = ps
		u.touched[t], u.dirty[t] = true, true
		if u.same {
			u.added = append(u.added, [2]uint32{t, p})
		}
	}
	p := u.packOf(j)
	if u.pending[p]--; u.pending[p] == 0 {
		writes = append(writes, u.encodePack(p))
		u.pending[p] = -1 // written
		if !ix.keep {
			kr := u.kinds[u.packs[p].kind]
			first := kr.First + u.packs[p].n*ix.opts.PackSize
			for k := first; k < min(first+ix.opts.PackSize, kr.First+kr.Count); k++ {
				ix.docs[k].record = nil
			}
		}
	}
	return writes
}

// weigh works out the mean length of each kind and the length
// normalisation of each document, and which terms' encoded postings may
// have changed.
func (u *update) weigh() {
	ix := u.ix
	sums := make([]float64, len(u.kinds))
	for _, d := range ix.docs {
		sums[d.kind] += float64(d.length)
	}
	mean := make([]int, len(u.kinds))
	for ki, kr := range u.kinds {
		if kr.Count > 0 {
			// Whole terms: an edit rarely changes the mean, and then
			// no other document's weights.
			mean[ki] = max(int(math.Round(sums[ki]/float64(kr.Count))), 1)
		}
		if len(ix.mean) != len(mean) || ix.mean[ki] != mean[ki] {
			u.allDirty = true
		}
	}
	ix.mean = mean
	ix.norm = make([]float64, len(ix.docs))
	for j, d := range ix.docs {
		ix.norm[j] = 1 - bm25B + bm25B*float64(d.length)/float64(mean[d.kind])
	}
	if !u.allDirty {
		// Only the terms whose posting of a document indexed again
		// weighs differently, or is new or gone, are dirty.
		for t := range u.dirty {
			u.dirty[t] = false
		}
		// Only terms whose posting of such a document came or went
		// have another document set (see plen, active).
		for _, e := range u.removed {
			u.touched[e[0]] = false
		}
		for _, e := range u.added {
			u.touched[e[0]] = false
		}
		type tp struct{ t, doc uint32 }
		was := make(map[tp]int, len(u.removed))
		for _, e := range u.removed {
			doc := e[1] >> docShift
			was[tp{e[0], doc}] = weightOf(e[1], u.oldNorm[doc], ix.isNamed(doc))
		}
		for _, e := range u.added {
			doc := e[1] >> docShift
			k := tp{e[0], doc}
			w, ok := was[k]
			if !ok || w != ix.weight(e[1]) {
				u.dirty[e[0]] = true
			}
			if ok {
				delete(was, k)
			} else {
				u.touched[e[0]] = true
			}
		}
		for k := range was {
			u.dirty[k.t] = true
			u.touched[k.t] = true
		}
	}
	for t, ps := range ix.post {
		if u.allDirty || u.touched[t] || t >= len(ix.plen) {
			for len(ix.plen) <= t {
				ix.plen = append(ix.plen, 0)
			}
			n, prev := 0, -1
			for _, p := range ps {
				doc := int(p >> docShift)
				n += gapLen(doc-prev-1) + 1
				prev = doc
			}
			ix.plen[t] = int32(n)
		}
	}
	// The active terms, in order: only those whose document set changed
	// can come or go.
	if u.allDirty || len(ix.active) == 0 {
		ix.active = ix.active[:0]
		for t, ps := range ix.post {
			if len(ps) > 0 {
				ix.active = append(ix.active, uint32(t))
			}
		}
		slices.SortFunc(ix.active, ix.compare)
		return
	}
	for t, ps := range ix.post {
		if !u.touched[t] {
			continue
		}
		i, found := slices.BinarySearchFunc(ix.active, uint32(t), ix.compare)
		switch {
		case found && len(ps) == 0:
			ix.active = slices.Delete(ix.active, i, i+1)
		case !found && len(ps) > 0:
			ix.active = slices.Insert(ix.active, i, uint32(t))
		}
	}
}

func (ix *Indexer) compare(a, b uint32) int { return compareTerms(ix.terms.strs[a], ix.terms.strs[b]) }

func (ix *Indexer) isNamed(doc uint32) bool {
	return ix.named[0] <= int(doc) && int(doc) < ix.named[1]
}

// weight is a posting's weight (see the field weights).
func (ix *Indexer) weight(p uint32) int {
	doc := p >> docShift
	return weightOf(p, ix.norm[doc], ix.isNamed(doc))
}

func weightOf(p uint32, norm float64, named bool) int {
	w := 0
	if tf := float64(p >> tfShift & maxTF); tf > 0 {
		w += int(math.Round(bodyScale * tf * (bm25K1 + 1) / (tf + bm25K1*norm)))
	}
	if p&flagTitle != 0 {
		if named {
			w += nameWeight
		} else {
			w += titleWeight
		}
	}
	if p&flagSummary != 0 {
		w += summaryWeight
	}
	return min(max(w, 1), maxWeight)
}

func (u *update) packOf(j int) int {
	p := 0
	for ki, kr := range u.kinds {
		if j < kr.First+kr.Count {
			return p + (j-kr.First)/u.ix.opts.PackSize
		}
		p += (u.kinds[ki].Count + u.ix.opts.PackSize - 1) / u.ix.opts.PackSize
	}
	panic("search: document out of range")
}

func (u *update) packName(p int) string {
	ps := u.packs[p]
	return "r/" + u.kinds[ps.kind].Prefix + itoa(ps.n) + ".js"
}

// encodePack writes DossierSearch.pack("b",12,[record,…]); for the records
// of documents 12 × PackSize … of the kind.
func (u *update) encodePack(p int) File {
	ix := u.ix
	ps := u.packs[p]
	kr := u.kinds[ps.kind]
	first := kr.First + ps.n*ix.opts.PackSize
	last := min(first+ix.opts.PackSize, kr.First+kr.Count)
	n := 32
	for j := first; j < last; j++ {
		n += len(ix.docs[j].record) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, `DossierSearch.pack("`...)
	b = append(b, kr.Prefix...)
	b = append(b, `",`...)
	b = strconv.AppendInt(b, int64(ps.n), 10)
	b = append(b, ",["...)
	for j := first; j < last; j++ {
		if j > first {
			b = append(b, ',')
		}
		b = append(b, ix.docs[j].record...)
	}
	b = append(b, "]);\n"...)
	return File{Name: u.packName(p), Data: b}
}

type manifest struct {
	Version int               `json:"v"`
	Docs    int               `json:"n"`
	Kinds   [][]any           `json:"kinds"`  // [name, prefix, label, first id, count]
	Shards  [][]any           `json:"shards"` // [first term, bytes, id]
	Pack    int               `json:"pack"`   // records a pack holds
	Fold    map[string]string `json:"fold"`
	Stop    []string          `json:"stop"`
	Budget  int               `json:"budget"`
	Page    int               `json:"page"`
	Terms   int               `json:"maxTerms"`
	Prefix  float64           `json:"prefix"`
	Digits  string            `json:"digits"`  // of gaps in posting lists
	Weights string            `json:"weights"` // of weights in posting lists
}

var foldMap = func() map[string]string {
	m := map[string]string{}
	for _, p := range foldPairs() {
		m[p[0]] = p[1]
	}
	return m
}()

func (u *update) encodeManifest() (File, error) {
	ix := u.ix
	m := manifest{Version: 2, Docs: len(ix.docs), Pack: ix.opts.PackSize, Fold: foldMap, Stop: stopWords,
		Budget: shardBudget, Page: ResultsPage, Terms: maxQueryTerms, Prefix: prefixFactor, Digits: digits, Weights: weights,
		Shards: [][]any{}}
	for i, k := range u.kinds {
		m.Kinds = append(m.Kinds, []any{k.Name, k.Prefix, Kinds[i].Label, k.First, k.Count})
	}
	for i, s := range ix.shards {
		first := ""
		if i > 0 {
			first = ix.terms.strs[s.terms[0]]
		}
		m.Shards = append(m.Shards, []any{first, s.size, s.id})
	}
	j, err := json.Marshal(m)
	if err != nil {
		return File{}, fmt.Errorf("encode search manifest: %w", err)
	}
	b := make([]byte, 0, len(j)+32)
	b = append(b, "DossierSearch.manifest("...)
	b = append(b, j...)
	b = append(b, ");\n"...)
	return File{Name: ManifestFile, Data: b}, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
