package render

import (
	"bytes"
	"html/template"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// TestTextArena: what room hands out stays put until reset, whatever is
// taken after it; HTML that outgrows its room, and HTML too large for a
// block, lives on its own; after reset the same blocks are filled again.
func TestTextArena(t *testing.T) {
	tests := []struct {
		name   string
		pieces [][2]int // the room asked for and the bytes written into it, in order
		blocks int      // blocks the arena holds afterwards
	}{
		{"one small", [][2]int{{100, 100}}, 1},
		{"fills a block", slices.Repeat([][2]int{{textBlock / 8, textBlock / 8}}, 8), 1},
		{"spills into a second", slices.Repeat([][2]int{{textBlock / 5, textBlock / 5}}, 6), 2},
		{"writes less than its room", [][2]int{{200, 10}, {200, 10}}, 1},
		{"outgrows its room", [][2]int{{textBlock / 4, textBlock / 4}, {textBlock / 4, textBlock / 4}, {textBlock / 4, textBlock/4 - 100}, {50, 300}, {50, 50}}, 1},
		{"too large for a block", [][2]int{{textBlock, textBlock}, {10, 10}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := new(textArena)
			var got []string
			var want []string
			for i, pc := range tt.pieces {
				n := pc[1]
				b := a.room(pc[0])
				b = append(b, bytes.Repeat([]byte{byte('a' + i)}, n)...)
				a.used(b)
				got = append(got, unsafe.String(unsafe.SliceData(b), len(b)))
				want = append(want, strings.Repeat(string(rune('a'+i)), n))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("piece %d was overwritten", i)
				}
			}
			if len(a.blocks) != tt.blocks {
				t.Errorf("arena holds %d blocks, want %d", len(a.blocks), tt.blocks)
			}
			held := append([][]byte(nil), a.blocks...)
			a.reset()
			for _, pc := range tt.pieces {
				a.used(append(a.room(pc[0]), bytes.Repeat([]byte{'z'}, pc[1])...))
			}
			if len(a.blocks) != len(held) {
				t.Fatalf("after reset the arena grew from %d to %d blocks", len(held), len(a.blocks))
			}
			for i := range held {
				if unsafe.SliceData(held[i]) != unsafe.SliceData(a.blocks[i]) {
					t.Errorf("block %d was not used again after reset", i)
				}
			}
		})
	}
	var none *textArena
	if b := none.room(10); cap(b) < 10 {
		t.Error("a nil arena gave no room")
	}
	none.used([]byte("x")) // must not panic
}

// TestMemoKeepsStringKeys: a string value in a memo key may be part of a
// page's HTML, whose bytes the next page writes over; the memo must still
// find the result by the string's old text.
func TestMemoKeepsStringKeys(t *testing.T) {
	a := new(textArena)
	b := a.room(5)
	b = append(b, "Kim's"...)
	a.used(b)
	m := new(memo)
	call := &partialCall{name: "quote"}
	k := memoKey{call: call, vals: [memoArgs]memoVal{{kind: memoString, s: unsafe.String(unsafe.SliceData(b), len(b))}}}
	m.store(&k, template.HTML("<q>Kim's</q>"), nil)
	a.reset()
	a.used(append(a.room(5), "Putin"...))
	again := memoKey{call: call, vals: [memoArgs]memoVal{{kind: memoString, s: "Kim's"}}}
	if h, ok := m.load(&again); !ok || h != "<q>Kim's</q>" {
		t.Errorf("after the page's bytes were reused the memo lost its result: %q, %v", h, ok)
	}
}

// TestMemoKeepsMovedKeys: a result found in the old generation moves into
// the current one under the key it was looked up with, whose string may be
// part of a page's HTML too; the moved entry must keep its own copy.
func TestMemoKeepsMovedKeys(t *testing.T) {
	m := new(memo)
	call := &partialCall{name: "quote"}
	kim := memoKey{call: call, vals: [memoArgs]memoVal{{kind: memoString, s: "Kim's"}}}
	m.store(&kim, "<q>Kim's</q>", nil)
	sh := m.shard(kim.hash())
	// fill stores other results in kim's shard until done.
	filler := template.HTML(strings.Repeat("x", 4096-memoEntryBytes))
	i := 0
	fill := func(done func() bool) {
		for ; !done(); i++ {
			k := memoKey{call: call, vals: [memoArgs]memoVal{{kind: memoInt, n: i}}}
			if m.shard(k.hash()) == sh {
				m.store(&k, filler, nil)
			}
		}
	}
	fill(func() bool { return sh.cur.find(kim.hash(), &kim) == nil }) // kim's result is in the old generation
	if sh.old.find(kim.hash(), &kim) == nil {
		t.Fatal("the result left both generations")
	}
	a := new(textArena)
	b := append(a.room(5), "Kim's"...)
	a.used(b)
	viewed := memoKey{call: call, vals: [memoArgs]memoVal{{kind: memoString, s: unsafe.String(unsafe.SliceData(b), len(b))}}}
	if _, ok := m.load(&viewed); !ok {
		t.Fatal("the result in the old generation was not found")
	}
	if sh.cur.find(kim.hash(), &kim) == nil {
		t.Fatal("the result found in the old generation did not move into the current one")
	}
	a.reset()
	a.used(append(a.room(5), "Putin"...))
	// One more generation, so that the moved entry is the only one left.
	n := sh.cur.n
	fill(func() bool { rotated := sh.cur.n < n; n = sh.cur.n; return rotated })
	if h, ok := m.load(&kim); !ok || h != "<q>Kim's</q>" {
		t.Errorf("after the page's bytes were reused the moved result is lost: %q, %v", h, ok)
	}
}
