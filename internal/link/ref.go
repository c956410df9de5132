// Package link turns names into references: the token trie that finds entity
// mentions (whole words, longest match, case-sensitive) and topic names in
// headings (case-insensitive), and the index that resolves wikilinks to
// entities, topics, briefings and pages. It knows nothing about Markdown.
package link

// Kind is what a reference points at.
type Kind int

const (
	Entity Kind = iota
	Topic
	Briefing
	Page
)

// String returns the kind's singular name.
func (k Kind) String() string {
	return [...]string{"entity", "topic", "briefing", "page"}[k]
}

// Ref is a linkable thing of the site.
type Ref struct {
	Kind  Kind
	Index int    // index into the site's slice of that kind
	Slug  string // URL slug
	Name  string // display name or title
	Class string // entity type (person, organization, ...) for CSS; "" for others
}

// Path is the site-root-relative folder of the ref's page, without a leading
// slash: "entities/kim-jong-un/", "topics/sanctions/", "briefings/x/", and
// "<slug>/" for plain pages.
func (r *Ref) Path() string {
	switch r.Kind {
	case Entity:
		return "entities/" + r.Slug + "/"
	case Topic:
		return "topics/" + r.Slug + "/"
	case Briefing:
		return "briefings/" + r.Slug + "/"
	default:
		return r.Slug + "/"
	}
}

// Match is one occurrence of a name in a text: text[Start:End] names Ref.
type Match struct {
	Start, End int
	Ref        *Ref
}
