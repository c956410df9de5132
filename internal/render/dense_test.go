package render

import (
	"fmt"
	"html/template"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/site"
	"github.com/dossier-dev/dossier/internal/source"
)

// denseSite is an assembled site of n briefings, each listing one of two
// people.
func denseSite(t testing.TB, n int) *site.Site {
	t.Helper()
	files := []*source.File{personFile("kim", "Kim Jong Un"), personFile("kozlov", "Alexander Kozlov")}
	day := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		who := []string{"Kim Jong Un", "Alexander Kozlov"}[i%2]
		files = append(files, listingFile(fmt.Sprintf("b%04d", i), day.AddDate(0, 0, i), []string{who}))
	}
	s, diags := site.New(config.Default(), files)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	s.Assemble()
	return s
}

func briefingKey(call *partialCall, root string, b *site.Briefing) memoKey {
	return memoKey{call: call, root: root, vals: [memoArgs]memoVal{{kind: memoBriefing, p: unsafe.Pointer(b)}}}
}

func TestPackSlot(t *testing.T) {
	for _, c := range []struct{ b, off, n int }{
		{0, 0, 0}, {0, 0, 1}, {3, 17, 250}, {denseMaxBlocks - 1, denseBlock - denseMaxEntry, denseMaxEntry},
	} {
		v := pack(c.b, c.off, c.n)
		if v == 0 || v == denseElsewhere {
			t.Errorf("pack(%d, %d, %d) = %d, which marks a slot without a result", c.b, c.off, c.n, v)
		}
		if b, off, n := unpack(v); b != c.b || off != c.off || n != c.n {
			t.Errorf("unpack(pack(%d, %d, %d)) = %d, %d, %d", c.b, c.off, c.n, b, off, n)
		}
	}
}

// TestMemoDense: a call with one document of the site finds its result in
// the tables, at its depth, and nowhere else; a document that is not the
// site's, or a result too long for the tables, goes to the shards.
func TestMemoDense(t *testing.T) {
	s := denseSite(t, 10)
	m := &memo{site: s}
	call := &partialCall{name: "entity/link"}
	for i, b := range s.Briefings {
		for _, root := range []string{"../../", "../../../../"} {
			k := briefingKey(call, root, b)
			r, ok := m.dense(&k)
			if !ok {
				t.Fatalf("briefing %d at %q: no slot", i, root)
			}
			if _, ok, _ := r.load(); ok {
				t.Fatalf("briefing %d at %q: a result before any was kept", i, root)
			}
			if !m.storeDense(r, fmt.Sprintf("%s%d", root, i)) {
				t.Fatalf("briefing %d at %q: not kept", i, root)
			}
		}
	}
	for i, b := range s.Briefings {
		for _, root := range []string{"../../", "../../../../"} {
			k := briefingKey(call, root, b)
			r, _ := m.dense(&k)
			if h, ok, _ := r.load(); !ok || h != fmt.Sprintf("%s%d", root, i) {
				t.Errorf("briefing %d at %q: %q, %v", i, root, h, ok)
			}
		}
	}
	if n := MemoSize(&Page{Site: &SiteInfo{memo: m}}); n != 2*len(s.Briefings) {
		t.Errorf("the memo holds %d results, want %d", n, 2*len(s.Briefings))
	}
	for i := range m.shards {
		if m.shards[i].cur.n != 0 {
			t.Fatalf("shard %d holds results that the tables keep", i)
		}
	}

	// A briefing of another site, even with the rank of one of this
	// site's, has no slot.
	other := denseSite(t, 10)
	k := briefingKey(call, "../../", other.Briefings[3])
	if _, ok := m.dense(&k); ok {
		t.Error("a briefing of another site has a slot")
	}
	// Two values, or a page deeper than the tables go: no slot.
	k = briefingKey(call, "../../", s.Briefings[0])
	k.vals[1] = memoVal{kind: memoInt, n: 2}
	if _, ok := m.dense(&k); ok {
		t.Error("a call with two values has a slot")
	}
	k = briefingKey(call, strings.Repeat("../", denseDepths), s.Briefings[0])
	if _, ok := m.dense(&k); ok {
		t.Error("a page deeper than the tables has a slot")
	}

	// A result longer than a table keeps is marked as kept elsewhere.
	long := strings.Repeat("x", denseMaxEntry+1)
	other2 := &partialCall{name: "briefing/related"}
	k = briefingKey(other2, "../../", s.Briefings[1])
	r, _ := m.dense(&k)
	if m.storeDense(r, long) {
		t.Fatal("a result longer than denseMaxEntry was kept in a table")
	}
	if _, ok, elsewhere := r.load(); ok || !elsewhere {
		t.Errorf("the slot of a long result: ok %v, elsewhere %v", ok, elsewhere)
	}
}

// TestMemoDenseDrop: tables that grow past denseMaxBytes are dropped and
// filled again, and the results handed out before stay intact.
func TestMemoDenseDrop(t *testing.T) {
	s := denseSite(t, 4)
	m := &memo{site: s}
	entry := strings.Repeat("y", denseMaxEntry)
	var first string
	drops := 0
	for i := 0; i < 3*denseMaxBytes/denseMaxEntry; i++ {
		// A call of its own each time, so that every result has an
		// empty slot.
		call := &partialCall{name: fmt.Sprint(i)}
		k := briefingKey(call, "", s.Briefings[i%4])
		r, _ := m.dense(&k)
		before := m.denseState.Load()
		if !m.storeDense(r, entry[:denseMaxEntry-i%7]) {
			t.Fatalf("result %d not kept", i)
		}
		if m.denseState.Load() != before {
			drops++
		}
		if i == 0 {
			first, _, _ = r.load()
		}
		if st := m.denseState.Load(); st.size.Load() > denseMaxBytes {
			t.Fatalf("after %d results the tables hold %d bytes", i+1, st.size.Load())
		}
	}
	if drops < 2 {
		t.Errorf("%d drops for three times what the tables keep", drops)
	}
	if first != entry[:denseMaxEntry] {
		t.Error("a result handed out before the tables were dropped changed")
	}
}

// TestMemoDenseConcurrent renders through the tables from several
// goroutines at once (run with -race): every load returns the result
// stored for its key.
func TestMemoDenseConcurrent(t *testing.T) {
	s := denseSite(t, 200)
	m := &memo{site: s}
	call := &partialCall{name: "entity/dateline"}
	want := func(i int) template.HTML { return template.HTML(fmt.Sprintf("<p>%d</p>", i)) }
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for j := range 2000 {
				i := (j*7 + w*13) % len(s.Briefings)
				k := briefingKey(call, "", s.Briefings[i])
				r, ok := m.dense(&k)
				if !ok {
					t.Error("no slot")
					return
				}
				if h, ok, _ := r.load(); ok {
					if template.HTML(h) != want(i) {
						t.Errorf("briefing %d: %q", i, h)
						return
					}
					continue
				}
				m.storeDense(r, string(want(i)))
			}
		})
	}
	wg.Wait()
}
