package render

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dossier-dev/dossier/internal/markdown"
	"github.com/dossier-dev/dossier/internal/site"
)

// BookPath is the folder of the briefing book page. The page is never part
// of a built site: `dossier pdf --book` renders it into memory to print it.
const BookPath = "book/"

// Selection chooses briefings: by slug, by topic and by date. Zero fields
// do not filter.
type Selection struct {
	Slugs    []string
	Topic    *site.Topic
	From, To time.Time // inclusive days
}

// Briefings returns the selected briefings, oldest first (the order of a
// book). A slug that names no briefing is an error.
func (sel Selection) Briefings(s *site.Site) ([]*site.Briefing, error) {
	bySlug := make(map[string]*site.Briefing, len(s.Briefings))
	for _, b := range s.Briefings {
		bySlug[b.Slug] = b
	}
	var out []*site.Briefing
	if len(sel.Slugs) > 0 {
		var unknown []string
		for _, slug := range sel.Slugs {
			b, ok := bySlug[slug]
			switch {
			case !ok:
				unknown = append(unknown, strconv.Quote(slug))
			case !slices.Contains(out, b):
				out = append(out, b)
			}
		}
		if len(unknown) > 0 {
			return nil, fmt.Errorf("no briefing has the slug %s", strings.Join(unknown, ", "))
		}
	} else {
		out = slices.Clone(s.Briefings)
	}
	out = slices.DeleteFunc(out, func(b *site.Briefing) bool {
		day := b.Date.Format(time.DateOnly)
		return (sel.Topic != nil && !slices.Contains(b.Topics, sel.Topic)) ||
			(!sel.From.IsZero() && day < sel.From.Format(time.DateOnly)) ||
			(!sel.To.IsZero() && day > sel.To.Format(time.DateOnly))
	})
	slices.SortStableFunc(out, func(a, b *site.Briefing) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Slug, b.Slug))
	})
	return out, nil
}

// FindTopic finds a topic by title, alias or slug, ignoring case.
func FindTopic(s *site.Site, name string) (*site.Topic, error) {
	want := strings.ToLower(strings.Join(strings.Fields(name), " "))
	for _, t := range s.Topics {
		for _, n := range append([]string{t.Title, t.Slug}, t.Aliases...) {
			if strings.ToLower(strings.Join(strings.Fields(n), " ")) == want {
				return t, nil
			}
		}
	}
	titles := make([]string, 0, len(s.Topics))
	for _, t := range s.Topics {
		titles = append(titles, t.Title)
	}
	return nil, fmt.Errorf("no topic is called %q (the topics are: %s)", name, strings.Join(titles, ", "))
}

// BookSpec says what a briefing book holds.
type BookSpec struct {
	// Briefings are the book's briefings, oldest first (see Selection).
	Briefings []*site.Briefing
	// Selection is how they were chosen, for the cover.
	Selection Selection
	// Sections prints only the sections of each briefing that belong to
	// Selection.Topic: the topic's collected sections, as a book.
	Sections bool
	// Edition is the date printed on the cover.
	Edition time.Time
	// Pages maps the anchor ids of the contents (Chapter.ID, ContentsEntry.ID)
	// to the page they start on, as an earlier print of the book found
	// them; nil on the first print.
	Pages map[string]int
}

// BookView is the book page's content.
type BookView struct {
	// Filter says how the briefings were chosen ("" for every briefing).
	Filter         string
	Topic          *site.Topic // the topic filter, or nil
	Sections       bool        // only the topic's sections are printed
	Edition        time.Time
	First, Last    time.Time // the dates of the oldest and newest briefing
	Classification string    // the highest marking among the chapters
	Chapters       []Chapter
}

// Chapter is one briefing in a book. Each starts on a new page, on a CSS
// named page of its own so that its pages carry its own marking and title.
type Chapter struct {
	B *site.Briefing
	// ID is the chapter's anchor, "ch-3"; the ids inside the chapter are
	// prefixed with ID + "--" so that they stay unique in the book.
	ID string
	// PageName is the CSS named page of the chapter's pages.
	PageName string
	// Page is the page the chapter starts on, 0 while unknown.
	Page int
	// Sections are the briefing's sections: all of them (Sections[0] is
	// the preamble), or in a topic book only those of the topic.
	Sections  []SectionView
	Footnotes template.HTML
	// Entries are the contents lines under the chapter's own: the sections
	// of a topic book, nothing otherwise.
	Entries []ContentsEntry
}

// ContentsEntry is a line of the book's contents below a chapter.
type ContentsEntry struct {
	ID    string
	Title string
	Page  int // 0 while unknown
}

// Anchors returns the ids whose page numbers the contents show, in order.
func (v *BookView) Anchors() []string {
	var ids []string
	for _, c := range v.Chapters {
		ids = append(ids, c.ID)
		for _, e := range c.Entries {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

// Book returns the briefing book page for spec.
func Book(s *site.Site, opts Options, spec BookSpec) *Page {
	pb := &planner{s: s, info: siteInfo(s, opts), opts: opts}
	title := "Briefing book"
	if t := spec.Selection.Topic; t != nil {
		title = t.Title + ": briefing book"
	}
	p := pb.page("book", title, BookPath)
	p.Canonical = ""
	v := &BookView{Topic: spec.Selection.Topic, Sections: spec.Sections && spec.Selection.Topic != nil,
		Edition: spec.Edition, Filter: describe(spec)}
	var marks []string
	for _, b := range spec.Briefings {
		n := strconv.Itoa(len(v.Chapters) + 1)
		id := "ch-" + n
		c := Chapter{B: b, ID: id, PageName: "chapter-" + n, Page: spec.Pages[id]}
		secs := b.Sections
		fc := markdown.FixContext{Root: p.root, Offline: p.offline, Home: PathOf(b), IDPrefix: id + "--", OwnPage: true}
		if v.Sections {
			// Only some sections are here: links to the briefing's other
			// ids (footnotes, other sections) lead to its own page.
			fc.OwnPage = false
			secs = nil
			for _, sec := range b.Sections {
				if sec.Index > 0 && slices.Contains(sec.Topics, v.Topic) {
					secs = append(secs, sec)
				}
			}
			if len(secs) == 0 {
				continue // tagged with the topic, but no section of it
			}
			secs = append([]*site.Section{{Briefing: b}}, secs...) // an empty preamble
		} else {
			c.Footnotes = fixup(nil, b.Footnotes, fc)
		}
		c.Sections = make([]SectionView, len(secs))
		for j, sec := range secs {
			c.Sections[j] = SectionView{Section: sec, HTML: fixup(nil, sec.HTML, fc)}
			if v.Sections && j > 0 {
				eid := id + "--" + sec.ID
				c.Entries = append(c.Entries, ContentsEntry{ID: eid, Title: sec.Title, Page: spec.Pages[eid]})
			}
		}
		v.Chapters = append(v.Chapters, c)
		marks = append(marks, b.Classification)
		if v.First.IsZero() || b.Date.Before(v.First) {
			v.First = b.Date
		}
		if b.Date.After(v.Last) {
			v.Last = b.Date
		}
	}
	v.Classification = HighestMarking(marks)
	if len(v.Chapters) == 0 {
		v.Classification = s.Config.Classification
	}
	p.Classification = v.Classification
	p.Book = v
	return p
}

// describe says in words how the briefings of a book were chosen.
func describe(spec BookSpec) string {
	sel := spec.Selection
	var parts []string
	if len(sel.Slugs) > 0 {
		parts = append(parts, "Selected briefings")
	}
	if sel.Topic != nil {
		if spec.Sections {
			parts = append(parts, "Every section on "+sel.Topic.Title)
		} else {
			parts = append(parts, "Topic: "+sel.Topic.Title)
		}
	}
	const day = "2 January 2006"
	switch {
	case !sel.From.IsZero() && !sel.To.IsZero():
		parts = append(parts, sel.From.Format(day)+" to "+sel.To.Format(day))
	case !sel.From.IsZero():
		parts = append(parts, "From "+sel.From.Format(day))
	case !sel.To.IsZero():
		parts = append(parts, "Up to "+sel.To.Format(day))
	}
	return strings.Join(parts, " · ")
}

// markingLevels rank the words that open common classification markings,
// lowest first. A marking names its level in its first words ("SECRET//NOFORN",
// "UNCLASSIFIED // FOR TRAINING").
var markingLevels = []string{"UNCLASSIFIED", "OFFICIAL", "RESTRICTED", "CUI", "FOR OFFICIAL USE ONLY",
	"CONFIDENTIAL", "SECRET", "TOP SECRET"}

// markingRank orders markings: none lowest, then the known levels; a
// marking of no known level ranks just above UNCLASSIFIED, since it
// restricts something.
func markingRank(m string) int {
	m = strings.ToUpper(strings.TrimSpace(m))
	if m == "" {
		return 0
	}
	best := -1
	for i, l := range markingLevels {
		if strings.HasPrefix(m, l) && (len(m) == len(l) || !isWordByte(m[len(l)])) {
			best = i
		}
	}
	if best < 0 {
		return 2 // between UNCLASSIFIED and OFFICIAL
	}
	return 2*best + 1
}

func isWordByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// HighestMarking returns the most restrictive of the markings: by level
// (see markingLevels), then, between markings of one level, the one that
// says more (the longer), then the first.
func HighestMarking(marks []string) string {
	best := ""
	for _, m := range marks {
		m = strings.TrimSpace(m)
		if r, br := markingRank(m), markingRank(best); r > br || (r == br && len(m) > len(best)) {
			best = m
		}
	}
	return best
}

// CSSString quotes s as a CSS string literal, for the per-document values
// that print style sheets show in the page margins (title, date, marking):
//
//	<style media="print">:root { --print-title: {{.CSSString .Title}}; }</style>
//
// html/template cannot be used for this inside quotes: it reads a CSS string
// as a possible URL and blanks any value with a colon in it ("Putin in
// Pyongyang: A Treaty…" looks like a URL scheme).
func (p *Page) CSSString(s string) template.CSS {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r == '<' || r == '>':
			// Control characters cannot stand in a string; < and > could
			// close the style element.
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return template.CSS(b.String())
}
