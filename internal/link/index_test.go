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
	// Files left out for errors: one whose front matter gave nothing but
	// its file name, one with a title, one sharing a slug with a document
	// that loaded (which wins: see "topics/sanctions" below).
	ix.AddBroken(Briefing, "putin-in-pyongyang", "", "content/briefings/2024-06-19-putin-in-pyongyang.md")
	ix.AddBroken(Entity, "sergei-shoigu", "Sergei Shoigu", "content/entities/sergei-shoigu.md")
	ix.AddBroken(Topic, "sanctions", "Western Sanctions", "content/topics/sanctions-2.md")

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
		{"putin-in-pyongyang", nil, "content/briefings/2024-06-19-putin-in-pyongyang.md, which it names, has errors of its own"},
		{"briefings/Putin-in-Pyongyang/", nil, "content/briefings/2024-06-19-putin-in-pyongyang.md, which it names, has errors of its own"},
		{"sergei shoigu", nil, "content/entities/sergei-shoigu.md, which it names, has errors of its own"},
		{"entities/sergei-shoigu", nil, "content/entities/sergei-shoigu.md, which it names, has errors of its own"},
		{"Western Sanctions", nil, "content/topics/sanctions-2.md, which it names, has errors of its own"},
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
