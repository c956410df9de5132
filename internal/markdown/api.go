// Package markdown is the only package that imports goldmark and chroma. It
// converts one document's Markdown into HTML with entity mentions and
// wikilinks linked, headings given Unicode-aware ids, code highlighted with
// CSS classes, and the body split into ## sections.
//
// Links and ids in the HTML it returns are not final: they carry sentinels
// (see Fixup) so that the same HTML can be placed on the document's own page
// and on topic pages at another depth, without converting twice.
package markdown

import (
	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/link"
)

// Matcher finds entity mentions in plain text. link.Trie satisfies it.
type Matcher interface {
	// Match appends to dst every leftmost-longest, whole-word match in text.
	Match(text string, dst []link.Match) []link.Match
}

// Resolver resolves a wikilink target. link.Index satisfies it.
type Resolver interface {
	// Resolve returns the ref that name designates, or nil with a message
	// that explains why not (unknown, ambiguous).
	Resolve(name string) (*link.Ref, string)
}

// Mode says which mentions become links.
type Mode int

const (
	LinkFirst Mode = iota // the first mention of each entity in a document
	LinkAll               // every mention
	LinkNone              // none (mentions are still counted)
)

// Options configure a Converter.
type Options struct {
	// Unsafe lets raw HTML through; by default it is escaped and shown as text.
	Unsafe bool
}

// Doc is one document to convert.
type Doc struct {
	Path     string // file path for diagnostics, e.g. content/briefings/a.md
	Source   []byte // the Markdown body (after front matter)
	BodyLine int    // 1-based line of the file where Source starts
	// Base is the site-root-relative folder of the document's page, such as
	// "briefings/kim-in-russia/": relative links and images in the Markdown
	// are resolved against it.
	Base      string
	Self      *link.Ref // the document's own ref: never linked to itself
	Mentions  Matcher   // may be nil: no mention linking
	Wikilinks Resolver  // may be nil: every wikilink is an error
	Mode      Mode
}

// Result is a converted document.
type Result struct {
	// Sections[0] is the part before the first ## heading (Title "", possibly
	// empty HTML); each later entry is one ## heading and everything up to
	// the next ## heading. Concatenating every Section.HTML and Footnotes
	// gives the whole body.
	Sections  []Section
	Footnotes []byte // the footnote list, empty when the document has none
	Headings  []Heading
	Mentions  []Mention // one per entity, in order of first appearance
	Summary   string    // plain text of the first paragraph
	Diags     diag.List // unresolved wikilinks and the like, at path:line:col
}

// Section is one ## section.
type Section struct {
	ID     string   // heading id (without any prefix)
	Title  string   // heading text as plain text
	Topics []string // from a {topics="A, B"} heading attribute, trimmed
	Line   int      // line of the heading in the file
	HTML   []byte   // the heading and its content, with sentinels
}

// Heading is an h2 or h3 for the table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Mention is every occurrence of one entity in a document.
type Mention struct {
	Ref      *link.Ref
	Count    int    // occurrences, including wikilinks to the entity
	Sections []int  // indexes into Result.Sections where it occurs, ascending, unique
	Sentence string // the sentence around the first occurrence, plain text
}
