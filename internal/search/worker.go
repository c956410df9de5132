package search

import (
	"bytes"
	"slices"
	"unicode"
	"unsafe"
)

// worker indexes documents one at a time, with buffers it reuses.
type worker struct {
	ix      *Indexer
	local   termCache // terms it has met
	tf      []uint32  // by term: count in the body
	fl      []uint8   // by term: flags
	seen    []uint32  // the terms of the document
	length  uint32
	html    []byte
	text    []byte
	tok     []byte
	links   [][2]int // link texts in text
	marks   []anchor // first mentions worth a passage in the record
	excerpt excerptScratch
}

// inBody marks, in worker.fl, a term met in the body already.
const inBody = 4

func (ix *Indexer) newWorker() *worker {
	return &worker{ix: ix, tok: make([]byte, 0, 64)} // room for keyOf to read 16 bytes
}

// notIndexed is the id, in a worker's own table, of a term that is not
// indexed (see Indexable).
const notIndexed = ^uint32(0)

// id returns the id of a term, adding it to the table when it is new, or
// notIndexed.
func (w *worker) id(term []byte) uint32 {
	k := keyOf(term)
	if id, ok := w.local.get(term, k); ok {
		return id
	}
	if !indexable(term) {
		if len(term) <= 2*maxTermRunes {
			w.local.put(string(term), k, notIndexed) // stop words, mostly
		}
		return notIndexed
	}
	tt := &w.ix.terms
	w.ix.mu.Lock()
	id, ok := tt.ids[string(term)]
	if !ok {
		if tt.ids == nil {
			tt.ids = map[string]uint32{}
		}
		s := string(term)
		id = uint32(len(tt.strs))
		tt.ids[s] = id
		tt.strs = append(tt.strs, s)
		tt.jlen = append(tt.jlen, int32(jsonLen(s)))
		tt.hash = append(tt.hash, hashTerm(s))
	}
	s := tt.strs[id]
	w.ix.mu.Unlock()
	w.local.put(s, k, id)
	if int(id) >= len(w.tf) {
		n := max(2*len(w.tf), int(id)+1, 1024)
		w.tf = slices.Grow(w.tf, n-len(w.tf))[:n]
		w.fl = slices.Grow(w.fl, n-len(w.fl))[:n]
	}
	return id
}

// hashTerm is FNV-1a with a final mix: fixed, so that shard names do not
// change between runs.
func hashTerm(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// add counts the indexable terms of text: with flag, and count times in
// the body.
func (w *worker) add(text string, flag uint8, count uint32) {
	w.tok = eachToken(text, w.tok, func(term []byte, _, _ int) {
		id := w.id(term)
		if id == notIndexed {
			return
		}
		if w.tf[id] == 0 && w.fl[id] == 0 {
			w.seen = append(w.seen, id)
		}
		w.fl[id] |= flag
		w.tf[id] += count
		w.length += count
	})
}

// addBody counts the terms of the body text, once each, and notes the
// first mention of each term that the title, names and summary do not
// hold, when it is in a link's text (links are at off in w.links) or a
// capitalised word: the anchors of the record's excerpt.
func (w *worker) addBody(text []byte, off int) {
	w.marks = w.marks[:0]
	li, lastLink := 0, -1
	w.tok = eachToken(unsafe.String(unsafe.SliceData(text), len(text)), w.tok, func(term []byte, start, end int) {
		id := w.id(term)
		if id == notIndexed {
			return
		}
		fl := w.fl[id]
		if w.tf[id] == 0 && fl == 0 {
			w.seen = append(w.seen, id)
		}
		w.fl[id] = fl | inBody
		w.tf[id]++
		w.length++
		if fl&(inBody|flagMask) != 0 {
			return
		}
		for li < len(w.links) && w.links[li][1]-off <= start {
			li++
		}
		switch {
		case li < len(w.links) && w.links[li][0]-off <= start:
			if li != lastLink {
				lastLink = li
				w.marks = append(w.marks, anchor{max(w.links[li][0]-off, 0), w.links[li][1] - off, true})
			}
		case capitalised(text, start):
			w.marks = append(w.marks, anchor{start, end, false})
		}
	})
}

// index turns a document into its postings (appended to buf) and record.
func (w *worker) index(d *Doc, buf []uint64) *docResult {
	w.length = 0
	w.add(d.Title, flagTitle, 0)
	for _, n := range d.Names {
		w.add(n, flagTitle, 0)
	}
	w.add(d.Summary, flagSummary, 0)
	for _, h := range d.Headings {
		w.add(h, 0, headingCount)
	}
	w.add(d.Meta, 0, 1)
	w.text = append(w.text[:0], d.Body...)
	w.links = w.links[:0]
	if d.HTML != nil {
		w.html = d.HTML.AppendHTML(w.html[:0])
		w.text = appendPlainText(w.text, w.html, &w.links)
		if cap(w.html) > 1<<20 {
			w.html = nil // do not hold on to one huge document
		}
	}
	text := bytes.TrimRightFunc(w.text, unicode.IsSpace)
	trim := len(text) - len(bytes.TrimLeftFunc(text, unicode.IsSpace))
	text = text[trim:]
	w.addBody(text, trim)

	r := &docResult{entries: buf[:0], length: w.length}
	for _, t := range w.seen {
		r.entries = append(r.entries, uint64(t)<<32|uint64(min(w.tf[t], maxTF))<<tfShift|uint64(w.fl[t]&flagMask))
		w.tf[t], w.fl[t] = 0, 0
	}
	w.seen = w.seen[:0]
	r.record = w.record(d, text)
	if cap(w.text) > 1<<20 {
		w.text = nil
	}
	return r
}

// record encodes what a result shows as a JSON array: title, date, path,
// meta, summary, and an excerpt of the text (see appendExcerpt).
func (w *worker) record(d *Doc, text []byte) []byte {
	b := make([]byte, 0, len(d.Title)+len(d.Path)+len(d.Meta)+len(d.Summary)+min(len(text), w.ix.opts.TextBytes)+64)
	b = append(b, '[')
	b = appendJSONString(b, d.Title)
	b = append(b, ',')
	b = appendJSONString(b, d.Date)
	b = append(b, ',')
	b = appendJSONString(b, d.Path)
	b = append(b, ',')
	b = appendJSONString(b, d.Meta)
	b = append(b, ',')
	b = appendJSONString(b, d.Summary)
	b = append(b, ',')
	b = w.excerpt.appendExcerpt(b, text, w.marks, w.ix.opts.TextBytes, d.Summary == "")
	return append(b, ']')
}
