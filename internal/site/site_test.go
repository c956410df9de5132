package site

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/source"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func briefingFile(path, slug, title, date string, topics, entities []string) *source.File {
	return &source.File{Path: path, Kind: source.KindBriefing, Slug: slug,
		Briefing: &source.BriefingMeta{Title: title, Date: day(date), Topics: topics, Entities: entities}}
}

func entityFile(slug, name, typ string, aliases ...string) *source.File {
	return &source.File{Path: "content/entities/" + slug + ".md", Kind: source.KindEntity, Slug: slug,
		Entity: &source.EntityMeta{Name: name, Type: typ, Aliases: aliases}}
}

func topicFile(slug, title string, aliases ...string) *source.File {
	return &source.File{Path: "content/topics/" + slug + ".md", Kind: source.KindTopic, Slug: slug,
		Topic: &source.TopicMeta{Title: title, Aliases: aliases}}
}

func TestNewResolvesFrontMatterAndMakesStubs(t *testing.T) {
	s, diags := New(config.Default(), []*source.File{
		briefingFile("content/briefings/a.md", "a", "A", "2023-09-13", []string{"military cooperation", "Arms deal", "Humanitarian Aid"}, []string{"Kim", "kim-jong-un", "Choe Son Hui"}),
		briefingFile("content/briefings/b.md", "b", "B", "2024-06-19", nil, []string{"choe son hui"}),
		entityFile("kim-jong-un", "Kim Jong Un", "person", "Kim"),
		topicFile("military-cooperation", "Military Cooperation", "Arms Deal"),
	})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if got := []string{s.Briefings[0].Slug, s.Briefings[1].Slug}; !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("briefings not newest first: %v", got)
	}
	a := s.Briefings[1]
	if len(a.Listed) != 2 || a.Listed[0].Name != "Kim Jong Un" || !a.Listed[1].Stub || a.Listed[1].Slug != "choe-son-hui" {
		t.Errorf("listed entities: %+v", a.Listed)
	}
	if len(a.Tagged) != 2 || a.Tagged[0].Title != "Military Cooperation" || !a.Tagged[1].Stub {
		t.Errorf("tagged topics (a title and its alias are one topic): %+v", a.Tagged)
	}
	// The same stub name in another briefing, differently cased, is the same stub.
	if s.Briefings[0].Listed[0] != a.Listed[1] {
		t.Error("a stub named twice became two entities")
	}
	if len(s.Entities) != 2 || len(s.Topics) != 2 {
		t.Errorf("got %d entities and %d topics, want 2 and 2", len(s.Entities), len(s.Topics))
	}
}

func TestNewRejectsDuplicateAndReservedSlugs(t *testing.T) {
	page := &source.File{Path: "content/pages/topics.md", Kind: source.KindPage, Slug: "topics",
		Page: &source.PageMeta{Title: "Topics"}, FieldPos: map[string]source.Pos{}}
	_, diags := New(config.Default(), []*source.File{
		briefingFile("content/briefings/a.md", "same", "A", "2023-01-01", nil, nil),
		briefingFile("content/briefings/b.md", "same", "B", "2023-01-02", nil, nil),
		page,
	})
	got := diags.Sort().Error()
	for _, want := range []string{
		`content/briefings/b.md:1:1: duplicate briefing slug "same": content/briefings/a.md has it too`,
		`content/pages/topics.md:1:1: page slug "topics" is taken by the site's own topics/ pages`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, got)
		}
	}
}

// TestAssemble checks the indexes on a two-briefing site whose conversion
// results are set by hand.
func TestAssemble(t *testing.T) {
	s, diags := New(config.Default(), []*source.File{
		briefingFile("content/briefings/old.md", "old", "Old", "2023-09-13", []string{"Future Meetings"}, []string{"Kozlov"}),
		briefingFile("content/briefings/new.md", "new", "New", "2024-06-19", nil, nil),
		entityFile("kim", "Kim Jong Un", "person"),
		entityFile("putin", "Vladimir Putin", "person"),
		entityFile("kozlov", "Alexander Kozlov", "person", "Kozlov"),
		topicFile("mil", "Military Cooperation"),
		topicFile("future", "Future Meetings"),
	})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	ent := func(slug string) *Entity {
		for _, e := range s.Entities {
			if e.Slug == slug {
				return e
			}
		}
		t.Fatalf("no entity %s", slug)
		return nil
	}
	top := func(slug string) *Topic {
		for _, x := range s.Topics {
			if x.Slug == slug {
				return x
			}
		}
		t.Fatalf("no topic %s", slug)
		return nil
	}
	newB, oldB := s.Briefings[0], s.Briefings[1]
	oldB.Sections = []*Section{{Index: 0}, {Index: 1, ID: "talks", Title: "Talks", Topics: []*Topic{top("mil")}}, {Index: 2, ID: "gifts", Title: "Gifts", Topics: []*Topic{top("mil")}}}
	oldB.Mentions = []*Mention{
		{Entity: ent("kim"), Count: 3, Sections: []int{0, 1}, Sentence: "Kim arrived."},
		{Entity: ent("putin"), Count: 1, Sections: []int{2}, Sentence: "Putin waited."},
	}
	newB.Sections = []*Section{{Index: 0}, {Index: 1, ID: "deal", Title: "Deal", Topics: []*Topic{top("mil")}}}
	newB.Mentions = []*Mention{{Entity: ent("putin"), Count: 2, Sections: []int{1}, Sentence: "Putin came."}}
	s.Assemble()

	var ids []string
	for _, sec := range top("mil").Sections {
		ids = append(ids, sec.Briefing.Slug+"#"+sec.ID)
	}
	if want := []string{"new#deal", "old#talks", "old#gifts"}; !slices.Equal(ids, want) {
		t.Errorf("topic sections = %v, want %v (newest briefing first, then document order)", ids, want)
	}
	if got := top("future").Briefings; len(got) != 1 || got[0] != oldB {
		t.Errorf("tagged briefings of Future Meetings = %v", got)
	}

	putin := ent("putin")
	if putin.Mentions != 3 || len(putin.Appearances) != 2 || putin.Appearances[0].Briefing != newB || putin.Appearances[1].Sentence() != "Putin waited." {
		t.Errorf("Putin: mentions %d, appearances %+v", putin.Mentions, putin.Appearances)
	}
	kozlov := ent("kozlov")
	if len(kozlov.Appearances) != 1 || !kozlov.Appearances[0].Listed || kozlov.Appearances[0].Count != 0 {
		t.Errorf("a listed-only entity: %+v", kozlov.Appearances)
	}
	// Old mentions Kim (3), Putin (1) and lists Kozlov: ranked by count.
	var names []string
	for _, e := range oldB.Entities {
		names = append(names, e.Name)
	}
	if want := []string{"Kim Jong Un", "Vladimir Putin", "Alexander Kozlov"}; !slices.Equal(names, want) {
		t.Errorf("briefing entities = %v, want %v", names, want)
	}
	// Kim appears with Putin and Kozlov once each.
	kim := ent("kim")
	if rel := kim.Related(); len(rel) != 2 || rel[0].Count != 1 || kim.RelatedCount() != 2 {
		t.Errorf("Kim's co-occurring entities: %+v", rel)
	}
	if len(kim.Topics) != 1 || kim.Topics[0].Topic.Slug != "mil" {
		t.Errorf("Kim's topics: %+v", kim.Topics)
	}
	if got := oldB.Topics; len(got) != 2 {
		t.Errorf("old briefing topics (tagged + sections) = %v", got)
	}
	// The two briefings share Putin and Military Cooperation: each is the
	// other's related briefing, and the shared names say why.
	if len(newB.Related) != 1 || newB.Related[0].Briefing != oldB || !slices.Contains(newB.Related[0].Shared, "Vladimir Putin") {
		t.Errorf("related: %+v", newB.Related)
	}
}

// TestCompareFold checks the allocation-free comparison against the
// definition it replaces: strings.ToLower of both, then the strings.
func TestCompareFold(t *testing.T) {
	words := []string{"", "a", "A", "b", "B", "ab", "aB", "Ab", "abc", "Überblick", "überblick", "uber",
		"Zeta", "zeta", "Ωmega", "ωmega", "Kim Jong Un", "kim jong un", "Kim Yo Jong", "ǅ", "ǆ", "İstanbul", "istanbul",
		"Сергей", "сергей", "金正恩", "a\u0301", "á", "ẞ", "ß"}
	ref := func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	}
	for _, a := range words {
		for _, b := range words {
			if got, want := compareFold(a, b), ref(a, b); got != want {
				t.Errorf("compareFold(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}
