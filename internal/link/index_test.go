package link

import (
	"sync"
	"testing"
)

func TestIndexResolve(t *testing.T) {
	kju := &Ref{Kind: Entity, Slug: "kim-jong-un", Name: "Kim Jong Un"}
	kyj := &Ref{Kind: Entity, Slug: "kim-yo-jong", Name: "Kim Yo Jong"}
	sanctionsTopic := &Ref{Kind: Topic, Slug: "sanctions", Name: "Sanctions"}
	sanctionsPage := &Ref{Kind: Page, Slug: "sanctions", Name: "About sanctions"}
	brief := &Ref{Kind: Briefing, Slug: "kim-in-russia", Name: "Kim in Russia"}

	ix := NewIndex()
	add := func(r *Ref, names ...string) {
		for _, n := range names {
			ix.Add(n, r)
		}
	}
	// The caller adds name, aliases, title and slug of everything.
	add(kju, "Kim Jong Un", "Kim", "KJU", "kim-jong-un", "Kim Jong Un")
	add(kyj, "Kim Yo Jong", "Kim", "kim-yo-jong")
	add(sanctionsTopic, "Sanctions", "sanctions")
	add(sanctionsPage, "About sanctions", "sanctions")
	add(brief, "Kim in Russia", "kim-in-russia")
	add(kju, "", "   ") // ignored

	tests := []struct {
		name string
		want *Ref
		msg  string
	}{
		{"Kim Jong Un", kju, ""},
		{"kim jong un", kju, ""},
		{"  Kim\n Jong\tUn ", kju, ""},
		{"KJU", kju, ""},
		{"kim-yo-jong", kyj, ""},
		{"Kim in Russia", brief, ""},
		{"entities/kim-jong-un", kju, ""},
		{"Entities/Kim-Jong-Un/", kju, ""},
		{"briefings/kim-in-russia", brief, ""},
		{"topics/sanctions", sanctionsTopic, ""},
		{"pages/sanctions", sanctionsPage, ""},
		{"About Sanctions", sanctionsPage, ""},
		{"Foo", nil, `no entity, topic, briefing or page is called "Foo"`},
		{"", nil, `no entity, topic, briefing or page is called ""`},
		{"topics/kim-jong-un", nil, `no entity, topic, briefing or page is called "topics/kim-jong-un"`},
		{"Kim", nil, `"Kim" is ambiguous: entity "Kim Jong Un", entity "Kim Yo Jong"; write the slug, e.g. [[entities/kim-jong-un]]`},
		{"sanctions", nil, `"sanctions" is ambiguous: topic "Sanctions", page "About sanctions"; write the slug, e.g. [[topics/sanctions]]`},
	}
	for _, tt := range tests {
		got, msg := ix.Resolve(tt.name)
		if got != tt.want || msg != tt.msg {
			gotName := "<nil>"
			if got != nil {
				gotName = got.Name
			}
			t.Errorf("Resolve(%q) = %s, %q; want %v, %q", tt.name, gotName, msg, tt.want, tt.msg)
		}
	}
}

func TestIndexConcurrent(t *testing.T) {
	ix := NewIndex()
	a := &Ref{Kind: Entity, Slug: "a", Name: "Alpha"}
	b := &Ref{Kind: Topic, Slug: "b", Name: "Beta"}
	ix.Add("Alpha", a)
	ix.Add("Beta", b)
	ix.Add("Both", a)
	ix.Add("Both", b)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if r, _ := ix.Resolve("alpha"); r != a {
					t.Error("Resolve(alpha) failed")
					return
				}
				if r, msg := ix.Resolve("both"); r != nil || msg == "" {
					t.Error("Resolve(both) is not ambiguous")
					return
				}
			}
		})
	}
	wg.Wait()
}
