package render

import (
	"html/template"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/site"
)

func TestHighestMarking(t *testing.T) {
	for _, tc := range []struct {
		marks []string
		want  string
	}{
		{nil, ""},
		{[]string{"", ""}, ""},
		{[]string{"", "UNCLASSIFIED"}, "UNCLASSIFIED"},
		{[]string{"UNCLASSIFIED // FOR TRAINING", "RESTRICTED", "UNCLASSIFIED"}, "RESTRICTED"},
		{[]string{"secret//noforn", "CONFIDENTIAL", "TOP SECRET"}, "TOP SECRET"},
		{[]string{"SECRET", "SECRET//NOFORN"}, "SECRET//NOFORN"},         // same level: the one that says more
		{[]string{"SECRETARIAT USE", "UNCLASSIFIED"}, "SECRETARIAT USE"}, // a word, not the level SECRET
		{[]string{"SECRETARIAT USE", "OFFICIAL-SENSITIVE"}, "OFFICIAL-SENSITIVE"},
	} {
		if got := HighestMarking(tc.marks); got != tc.want {
			t.Errorf("HighestMarking(%q) = %q, want %q", tc.marks, got, tc.want)
		}
	}
}

func TestCSSString(t *testing.T) {
	var p Page
	for in, want := range map[string]string{
		"Putin in Pyongyang: A Treaty": `"Putin in Pyongyang: A Treaty"`,
		`a "quoted" \ title`:           `"a \"quoted\" \\ title"`,
		"</style><script>":             `"\3c /style\3e \3c script\3e "`,
		"two\nlines":                   `"two\a lines"`,
		"Überblick — 日本":               `"Überblick — 日本"`,
	} {
		if got := p.CSSString(in); got != template.CSS(want) {
			t.Errorf("CSSString(%q) = %s, want %s", in, got, want)
		}
	}
}

func bookDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// bookSite has three briefings; two belong to the topic, one of them only
// through a section.
func bookSite() (*site.Site, *site.Topic) {
	topic := &site.Topic{Slug: "sanctions", Title: "Sanctions", Aliases: []string{"Embargo"}}
	other := &site.Topic{Slug: "diplomacy", Title: "Diplomacy"}
	mk := func(slug, date, marking string, topics ...*site.Topic) *site.Briefing {
		b := &site.Briefing{Slug: slug, Title: "Title of " + slug, Date: bookDay(date), Classification: marking, Topics: topics}
		b.Sections = []*site.Section{{Briefing: b}}
		return b
	}
	a := mk("a", "2024-03-01", "SECRET", topic)
	a.Sections = append(a.Sections,
		&site.Section{Briefing: a, Index: 1, ID: "on-sanctions", Title: "On Sanctions", Topics: []*site.Topic{topic}},
		&site.Section{Briefing: a, Index: 2, ID: "other", Title: "Other things"})
	b := mk("b", "2023-05-01", "UNCLASSIFIED", topic)
	c := mk("c", "2024-01-01", "", other)
	s := &site.Site{Config: config.Default(), Briefings: []*site.Briefing{a, c, b}, Topics: []*site.Topic{other, topic}}
	return s, topic
}

func bookSlugs(bs []*site.Briefing) string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Slug)
	}
	return strings.Join(out, " ")
}

func TestSelection(t *testing.T) {
	s, topic := bookSite()
	for _, tc := range []struct {
		sel  Selection
		want string
	}{
		{Selection{}, "b c a"}, // oldest first
		{Selection{Topic: topic}, "b a"},
		{Selection{From: bookDay("2024-01-01")}, "c a"},
		{Selection{To: bookDay("2024-01-01")}, "b c"}, // both ends inclusive
		{Selection{Topic: topic, From: bookDay("2024-01-01"), To: bookDay("2024-12-31")}, "a"},
		{Selection{Slugs: []string{"a", "b", "a"}}, "b a"},
	} {
		got, err := tc.sel.Briefings(s)
		if err != nil || bookSlugs(got) != tc.want {
			t.Errorf("%+v: got %q, %v; want %q", tc.sel, bookSlugs(got), err, tc.want)
		}
	}
	if _, err := (Selection{Slugs: []string{"a", "nope"}}).Briefings(s); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown slug: got %v, want an error naming it", err)
	}
	for _, name := range []string{"Sanctions", "sanctions", "embargo", "  SANCTIONS "} {
		if got, err := FindTopic(s, name); got != topic {
			t.Errorf("FindTopic(%q) = %v, %v", name, got, err)
		}
	}
	if _, err := FindTopic(s, "Nothing"); err == nil || !strings.Contains(err.Error(), "Diplomacy, Sanctions") {
		t.Errorf("unknown topic: got %v, want the list of topics", err)
	}
}

func TestBook(t *testing.T) {
	s, topic := bookSite()
	bs, _ := Selection{Topic: topic}.Briefings(s)

	p := Book(s, Options{}, BookSpec{Briefings: bs, Selection: Selection{Topic: topic}, Pages: map[string]int{"ch-2": 7}})
	v := p.Book
	if p.Kind != "book" || p.Path != BookPath || p.Classification != "SECRET" || v.Classification != "SECRET" {
		t.Errorf("page: kind %q, path %q, marking %q/%q", p.Kind, p.Path, p.Classification, v.Classification)
	}
	if got := []string{v.Chapters[0].ID, v.Chapters[1].ID, v.Chapters[1].PageName}; !slices.Equal(got, []string{"ch-1", "ch-2", "chapter-2"}) {
		t.Errorf("chapter ids: %v", got)
	}
	if v.Chapters[0].Page != 0 || v.Chapters[1].Page != 7 {
		t.Errorf("pages: %d, %d; want 0 (unknown), 7", v.Chapters[0].Page, v.Chapters[1].Page)
	}
	if len(v.Chapters[1].Sections) != 3 || v.Chapters[1].Entries != nil {
		t.Errorf("a whole briefing has all its sections and no entries: %d, %v", len(v.Chapters[1].Sections), v.Chapters[1].Entries)
	}
	if !v.First.Equal(bookDay("2023-05-01")) || !v.Last.Equal(bookDay("2024-03-01")) || v.Filter != "Topic: Sanctions" {
		t.Errorf("first %v, last %v, filter %q", v.First, v.Last, v.Filter)
	}

	// The topic's sections only: a briefing with none is left out.
	p = Book(s, Options{}, BookSpec{Briefings: bs, Selection: Selection{Topic: topic}, Sections: true})
	v = p.Book
	if len(v.Chapters) != 1 || v.Chapters[0].B.Slug != "a" || v.Chapters[0].ID != "ch-1" {
		t.Fatalf("chapters: %+v", v.Chapters)
	}
	if got := v.Anchors(); !slices.Equal(got, []string{"ch-1", "ch-1--on-sanctions"}) {
		t.Errorf("anchors = %v", got)
	}
	if secs := v.Chapters[0].Sections; len(secs) != 2 || secs[1].Section.ID != "on-sanctions" {
		t.Errorf("sections: %+v", secs)
	}
	if v.Filter != "Every section on Sanctions" {
		t.Errorf("filter %q", v.Filter)
	}
}
