package render

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/dossier-dev/dossier/internal/site"
)

// Results of partials called with one document, kept by its rank.
//
// Most memoized calls name one briefing, entity or topic and nothing else:
// the dateline and link of each briefing an entity page lists, a
// briefing's related briefings, the source of each section of a topic
// page, the chips. The memo keeps their results in tables instead of its
// hashed generations: one table for each call, page depth, mode and kind
// of document, with a slot for each document of that kind, found by the
// document's rank (its index in the site's list). A lookup is a load of
// the table and a load of the slot, with no key to hash or compare and no
// lock to take. On a 100,000-briefing site the entity pages alone make
// 3.2 million such lookups, and the hashed generations, which take two
// cache misses and a shard's lock each, missed a third of them.
//
// The results' bytes are copied into blocks that hold no pointers, and a
// slot holds where its result is, packed into an integer: the collector
// has nothing to trace in either. The tables keep at most about
// denseMaxBytes; when a result would take them past it, they are all
// dropped and filled again from empty. Pages are rendered kind by kind,
// so what the entity pages use replaces what the briefing pages used.
type denseState struct {
	calls sync.Map     // *partialCall → *denseCall
	size  atomic.Int64 // bytes held: slots and results
	mu    sync.Mutex   // for adding to the blocks
	// blocks hold the results' bytes; used is how many blocks are in
	// use, off how many bytes of the last one. Blocks are never moved or
	// written over, so a string made from a slot's bytes stays valid.
	blocks [denseMaxBlocks]atomic.Pointer[[denseBlock]byte]
	used   int
	off    int
}

// denseCall is the tables of one call: by page depth, mode (memoOffline,
// memoSite) and kind of document (briefing, entity, topic), in that
// order of significance.
type denseCall struct {
	tabs [denseDepths * 4 * 3]atomic.Pointer[denseTable]
}

// denseTable has a slot for each document of a kind: 0 while it has no
// result, else where the result is (see pack).
type denseTable struct {
	slots []atomic.Uint64
}

const (
	// denseDepths is how deep a page's folder may be for its calls to
	// be kept in tables; deeper pages use the hashed generations.
	denseDepths = 8
	// denseBlock is the size of a block of results' bytes, and
	// denseMaxEntry the longest result kept in one: longer ones go to
	// the hashed generations.
	denseBlock    = 256 << 10
	denseMaxEntry = denseBlock / 8
	// denseMaxBytes bounds what the tables keep; denseMaxBlocks is how
	// many blocks that takes at most.
	denseMaxBytes  = memoMaxBytes / 2
	denseMaxBlocks = denseMaxBytes/denseBlock + 2
)

// pack returns the slot value of a result of n bytes at offset off of
// block b: 0 is left for an empty slot.
func pack(b, off, n int) uint64 {
	return uint64(n+1)<<32 | uint64(b)<<18 | uint64(off)
}

// unpack is the inverse of pack.
func unpack(v uint64) (b, off, n int) {
	return int(v>>18) & (1<<14 - 1), int(v) & (1<<18 - 1), int(v>>32) - 1
}

// denseRef is a slot of the tables and the state it belongs to.
type denseRef struct {
	st   *denseState
	slot *atomic.Uint64
}

// dense returns the slot for k's result, or false when k is not a call
// with one document of the site (by rank) from a page of the usual depths.
func (m *memo) dense(k *memoKey) (denseRef, bool) {
	v := k.vals[0]
	if m.site == nil || k.vals[1].kind != memoNil || v.kind < memoBriefing || v.kind > memoTopic {
		return denseRef{}, false
	}
	depth := len(k.root) / len("../")
	if depth >= denseDepths {
		return denseRef{}, false
	}
	var rank, n int
	var ok bool
	switch v.kind {
	case memoBriefing:
		rank, n, ok = rankIn(m.site.Briefings, (*site.Briefing)(v.p))
	case memoEntity:
		rank, n, ok = rankIn(m.site.Entities, (*site.Entity)(v.p))
	case memoTopic:
		rank, n, ok = rankIn(m.site.Topics, (*site.Topic)(v.p))
	}
	if !ok {
		return denseRef{}, false
	}
	st := m.denseState.Load()
	if st == nil {
		m.denseState.CompareAndSwap(nil, new(denseState))
		st = m.denseState.Load()
	}
	dc, ok := st.calls.Load(k.call)
	if !ok {
		dc, _ = st.calls.LoadOrStore(k.call, new(denseCall))
	}
	tp := &dc.(*denseCall).tabs[(depth*4+int(k.mode&3))*3+int(v.kind-memoBriefing)]
	t := tp.Load()
	if t == nil {
		if tp.CompareAndSwap(nil, &denseTable{slots: make([]atomic.Uint64, n)}) {
			st.size.Add(int64(n) * 8)
		}
		t = tp.Load()
	}
	return denseRef{st, &t.slots[rank]}, true
}

// rankIn returns d's rank and the length of list, the site's list of
// d's kind; ok is false when d is not the document at that rank.
func rankIn[D interface {
	comparable
	Rank() int
}](list []D, d D) (rank, n int, ok bool) {
	rank, n = d.Rank(), len(list)
	return rank, n, rank >= 0 && rank < n && list[rank] == d
}

// load returns the result in r's slot, if it has one; elsewhere is true
// when the result is in the hashed generations instead.
func (r denseRef) load() (h string, ok, elsewhere bool) {
	v := r.slot.Load()
	switch v {
	case 0:
		return "", false, false
	case denseElsewhere:
		return "", false, true
	}
	b, off, n := unpack(v)
	if n == 0 {
		return "", true, false
	}
	return unsafe.String(&r.st.blocks[b].Load()[off], n), true, false
}

// denseElsewhere is the slot of a result too long for the tables, which
// the hashed generations keep (pack never returns it).
const denseElsewhere = 1

// storeDense keeps h in r's slot, and reports false when the hashed
// generations should keep it instead. m's tables are dropped when they
// hold too much.
func (m *memo) storeDense(r denseRef, h string) bool {
	n := len(h)
	if n > denseMaxEntry {
		r.slot.CompareAndSwap(0, denseElsewhere)
		return false
	}
	st := r.st
	st.mu.Lock()
	if st.used == 0 || st.off+n > denseBlock {
		if st.used == len(st.blocks) {
			st.mu.Unlock()
			m.denseState.CompareAndSwap(st, new(denseState))
			return false
		}
		st.blocks[st.used].Store(new([denseBlock]byte))
		st.used++
		st.off = 0
	}
	b, off := st.used-1, st.off
	copy(st.blocks[b].Load()[off:], h)
	st.off += n
	st.mu.Unlock()
	r.slot.CompareAndSwap(0, pack(b, off, n))
	if st.size.Add(int64(n)) > denseMaxBytes {
		m.denseState.CompareAndSwap(st, new(denseState))
	}
	return true
}
