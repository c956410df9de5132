package search

import (
	"context"
	"runtime"
	"slices"
	"strconv"
	"sync"
)

// termSize is what a term takes in a shard: ["term","postings"], and a
// comma.
func (ix *Indexer) termSize(t uint32) int {
	return int(ix.terms.jlen[t]) + int(ix.plen[t]) + 6
}

// cut divides the active terms into shards. A shard ends before a term
// that would take it over ShardBytes, or, once it holds half of that,
// before a term whose hash is below its size out of a quarter of
// ShardBytes (so a shard ends about every quarter of ShardBytes past
// half). Where shards end thus depends on the terms near the end only:
// an edit that changes the postings of a few terms moves no boundary but
// near them, and the shards after them keep their names and bytes.
func (ix *Indexer) cut() [][2]int {
	most, least := ix.opts.ShardBytes, ix.opts.ShardBytes/2
	every := uint64(max(ix.opts.ShardBytes/4, 1))
	var out [][2]int
	run, start := 0, 0
	for i, t := range ix.active {
		b := ix.termSize(t)
		if run > 0 && (run+b > most || run >= least && ix.terms.hash[t]%every < uint64(b)) {
			out = append(out, [2]int{start, i})
			start, run = i, 0
		}
		run += b
	}
	if run > 0 {
		out = append(out, [2]int{start, len(ix.active)})
	}
	return out
}

// writeShards cuts the terms into shards, encodes those that may have
// changed, in parallel, and writes those whose bytes did. It returns the
// shard files.
func (u *update) writeShards(ctx context.Context) ([]File, error) {
	ix := u.ix
	ranges := ix.cut()
	oldByID := make(map[string]*shardState, len(ix.shards))
	for i := range ix.shards {
		oldByID[ix.shards[i].id] = &ix.shards[i]
	}
	shards := make([]shardState, len(ranges))
	used := make(map[string]bool, len(ranges))
	var todo []int
	for i, r := range ranges {
		terms := ix.active[r[0]:r[1]]
		s := &shards[i]
		s.id = shardID(ix.terms.hash[terms[0]], used)
		old := oldByID[s.id]
		if old != nil && !u.allDirty && slices.Equal(old.terms, terms) &&
			!slices.ContainsFunc(terms, func(t uint32) bool { return u.dirty[t] }) {
			*s = *old
			continue
		}
		s.terms = slices.Clone(terms)
		todo = append(todo, i)
	}
	var next sync.Mutex
	k := 0
	errs := make([]error, len(todo))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for {
				next.Lock()
				n := k
				k++
				next.Unlock()
				if n >= len(todo) || ctx.Err() != nil {
					return
				}
				s := &shards[todo[n]]
				f := File{Name: shardFile(s.id), Data: ix.encodeShard(s.id, s.terms)}
				s.size = len(f.Data)
				if errs[n] = u.put(&f); errs[n] != nil {
					return
				}
				if ix.keep {
					s.data = f.Data
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ix.shards = shards
	files := make([]File, len(shards))
	for i, s := range shards {
		files[i] = File{Name: shardFile(s.id)}
	}
	return files, nil
}

func shardFile(id string) string { return "s/" + id + ".js" }

// shardID names a shard by the hash of its first term, in base 36; a name
// taken by an earlier shard moves to the next number.
func shardID(h uint64, used map[string]bool) string {
	const space = 36 * 36 * 36 * 36 * 36
	for n := h % space; ; n = (n + 1) % space {
		id := strconv.FormatUint(n, 36)
		if !used[id] {
			used[id] = true
			return id
		}
	}
}

// encodeShard writes DossierSearch.shard("id",[["term","postings"],…]);
func (ix *Indexer) encodeShard(id string, terms []uint32) []byte {
	n := 32 + len(id)
	for _, t := range terms {
		n += ix.termSize(t)
	}
	b := make([]byte, 0, n)
	b = append(b, `DossierSearch.shard("`...)
	b = append(b, id...)
	b = append(b, `",[`...)
	for i, t := range terms {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendJSONString(b, ix.terms.strs[t])
		b = append(b, ',', '"')
		prev := -1
		for _, p := range ix.post[t] {
			doc := int(p >> docShift)
			b = appendGap(b, doc-prev-1)
			b = append(b, weights[ix.weight(p)-1])
			prev = doc
		}
		b = append(b, '"', ']')
	}
	return append(b, "]);\n"...)
}
