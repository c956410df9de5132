package render

import (
	"html/template"
	"strings"
	"testing"
	"unsafe"

	"github.com/dossier-dev/dossier/internal/site"
)

// TestMemoGenerations: a memo keeps a result that pages keep using while
// it drops those used once, and never holds more than two generations.
func TestMemoGenerations(t *testing.T) {
	m := new(memo)
	call := &partialCall{name: "chip"}
	// Keys of one shard, so that its generations fill.
	var keys []memoKey
	for i := 0; len(keys) < 4*memoGenBytes/4096; i++ {
		k := memoKey{call: call, vals: [memoArgs]memoVal{{kind: memoInt, n: i}}}
		if m.shard(k.hash()) == &m.shards[0] {
			keys = append(keys, k)
		}
	}
	html := template.HTML(strings.Repeat("x", 4096-memoEntryBytes))
	hot := keys[0]
	m.store(&hot, "hot", nil)
	for i, k := range keys[1:] {
		m.store(&k, html, nil)
		if h, ok := m.load(&hot); !ok || h != "hot" {
			t.Fatalf("after %d stores the result used on every page is gone: %q, %v", i+1, h, ok)
		}
		sh := &m.shards[0]
		if held := sh.cur.n + sh.old.n; held*4096 > 2*memoGenBytes+2*4096 {
			t.Fatalf("after %d stores the shard holds %d results, more than two generations", i+1, held)
		}
	}
	if _, ok := m.load(&keys[1]); ok {
		t.Error("a result used once is still kept after four generations")
	}
	last := keys[len(keys)-1]
	if h, ok := m.load(&last); !ok || h != html {
		t.Error("the newest result is not kept")
	}
}

// TestMemoShardSpread: the results of documents allocated one after the
// other, whose addresses differ by their size, spread over every shard.
func TestMemoShardSpread(t *testing.T) {
	m := new(memo)
	call := &partialCall{name: "entity/link"}
	briefings := make([]site.Briefing, 1600)
	var per [memoShards]int
	for i := range briefings {
		k := memoKey{call: call, root: "../../", vals: [memoArgs]memoVal{{kind: memoBriefing, p: unsafe.Pointer(&briefings[i])}}}
		sh := m.shard(k.hash())
		for j := range m.shards {
			if sh == &m.shards[j] {
				per[j]++
			}
		}
	}
	for i, n := range per {
		if n < len(briefings)/memoShards/2 {
			t.Errorf("shard %d holds %d of %d briefings' results: %v", i, n, len(briefings), per)
		}
	}
}

// BenchmarkMemoLoad looks up the results of the entity pages' link
// partial for 100,000 briefings at two page depths, as a 100,000-briefing
// site does, in an order that jumps from briefing to briefing.
func BenchmarkMemoLoad(b *testing.B) {
	m := new(memo)
	call := &partialCall{name: "entity/link"}
	briefings := make([]site.Briefing, 100_000)
	roots := []string{"../../", "../../../../"}
	key := func(i int) memoKey {
		return memoKey{call: call, root: roots[i&1], vals: [memoArgs]memoVal{{kind: memoBriefing, p: unsafe.Pointer(&briefings[i>>1])}}}
	}
	n := 2 * len(briefings)
	for i := range n {
		k := key(i)
		m.store(&k, "<a href=\"x\">y</a>", nil)
	}
	b.ResetTimer()
	for i := range b.N {
		k := key(i * 7919 % n)
		m.load(&k)
	}
}
