// Package source reads a site's content through an fs.FS: it walks content/,
// splits and decodes front matter (YAML between --- lines, TOML between +++
// lines) into typed structs, and remembers where each field was written so
// that later stages can report path:line:col. It knows nothing about HTML.
package source

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"time"

	"github.com/dossier-dev/dossier/internal/blob"
)

// Kind is the kind of document a content file holds, given by its folder.
type Kind int

const (
	KindBriefing Kind = iota // content/briefings/
	KindEntity               // content/entities/
	KindTopic                // content/topics/
	KindPage                 // content/pages/
)

// String returns the singular name of the kind ("briefing", "entity", ...).
func (k Kind) String() string {
	switch k {
	case KindBriefing:
		return "briefing"
	case KindEntity:
		return "entity"
	case KindTopic:
		return "topic"
	default:
		return "page"
	}
}

// Pos is a 1-based line and column in a file.
type Pos struct{ Line, Col int }

// File is one decoded content file.
type File struct {
	// Path is the file's slash-separated path relative to the site root,
	// e.g. "content/briefings/2023-09-13-kim-in-russia.md". Diagnostics use it.
	Path string
	Kind Kind
	// Slug is the validated, normalised slug: from front matter when set,
	// else from the file (or bundle folder) name without ".md" and without a
	// leading YYYY-MM-DD-. Never empty, never contains '/', '\\', NUL or "..".
	Slug string
	// Assets are the other files of a page bundle (<slug>/index.md), as
	// slash paths relative to the site root, sorted. Empty for plain files.
	Assets []string
	// Front is the raw front matter text (without the fence lines).
	Front []byte
	// Body is the Markdown after the front matter (BOM and CRLF normalised).
	Body []byte
	// Packed holds Body compressed instead, when Options.Compact is set
	// and the file cannot simply be read again (Body and Front are then
	// nil). Markdown returns either.
	Packed blob.Blob
	// again, when Options.Compact is set, says how Markdown reads the body
	// from the file again instead of keeping it (Body, Front and Packed are
	// then empty).
	again *rereading
	// BodyLine is the 1-based line of the file on which Body starts, so that
	// an offset in Body maps back to a line in the file.
	BodyLine int
	// Exactly one of these is non-nil, matching Kind.
	Briefing *BriefingMeta
	Entity   *EntityMeta
	Topic    *TopicMeta
	Page     *PageMeta
	// Params holds every front-matter field that is not one of the typed
	// fields above, as decoded, for templates; nil when there is none.
	Params map[string]any
	// FieldPos maps a top-level front-matter key to where it was written.
	FieldPos map[string]Pos
}

// PosOf returns where key was written, or the first line of the file when
// the key is absent (for "missing field" errors).
func (f *File) PosOf(key string) Pos {
	if p, ok := f.FieldPos[key]; ok {
		return p
	}
	return Pos{Line: 1, Col: 1}
}

// BriefingMeta is a briefing's front matter (SPEC §3).
type BriefingMeta struct {
	Title          string
	Date           time.Time // UTC for YYYY-MM-DD dates; keeps the offset of RFC 3339 ones
	Summary        string
	Topics         []string
	Entities       []string
	Classification string
	Location       string
	Authors        []string
	Sources        []Link
	Draft          bool
}

// Link is one entry of a briefing's sources.
type Link struct{ Title, URL string }

// EntityMeta is an entity profile's front matter.
type EntityMeta struct {
	Name    string
	Type    string // person, organization, place, event, equipment, other
	Aliases []string
	Summary string
}

// TopicMeta is a topic definition's front matter.
type TopicMeta struct {
	Title   string
	Aliases []string
	Summary string
}

// PageMeta is a plain page's front matter.
type PageMeta struct {
	Title   string
	Summary string
	Draft   bool
}

// Markdown returns the file's Markdown body: Body, Packed unpacked, or,
// after a Compact load, the body read from the file again. A file read
// again must hold exactly the bytes Load decoded; one that changed since
// gives an error, since its front matter is no longer what the site was
// made from.
func (f *File) Markdown() ([]byte, error) {
	body, _, err := f.MarkdownInto(nil)
	return body, err
}

// MarkdownInto is Markdown reading the file again, if it must, into buf
// (grown as needed), which it returns as well: a caller converting many
// files reuses one buffer once it is done with each body.
func (f *File) MarkdownInto(buf []byte) (body, grown []byte, err error) {
	if r := f.again; r != nil {
		data, err := readFile(r.fsys, f.Path, buf)
		if err != nil {
			return nil, data, fmt.Errorf("cannot read file again: %s", reason(err))
		}
		if len(data) != r.size || maphash.Bytes(rereadSeed, data) != r.sum {
			return nil, data, errors.New("the file changed while the site was being built; build again")
		}
		return normalise(data)[r.off:], data, nil
	}
	if f.Body != nil || f.Packed.Len() == 0 {
		return f.Body, buf, nil
	}
	return f.Packed.Bytes(), buf, nil
}

// Forget drops the file's text: Front, Body, and the packed body or the
// means to read it again. Markdown then returns nothing.
func (f *File) Forget() {
	f.Front, f.Body, f.Packed, f.again = nil, nil, blob.Blob{}, nil
}

// rereading is what Markdown needs to read a file's body again: where,
// the size and digest of the bytes Load decoded, and where in them (once
// normalised) the body starts.
type rereading struct {
	fsys fs.FS
	size int
	sum  uint64
	off  int
}

var rereadSeed = maphash.MakeSeed()

// forget drops f's Markdown after a Compact load, which read data: the
// body is read again when needed, or, if the body is not the end of the
// file's bytes as decoded (which reading again relies on), kept packed.
func (f *File) forget(fsys fs.FS, data []byte) {
	norm := normalise(data)
	if len(f.Body) <= len(norm) && bytes.Equal(norm[len(norm)-len(f.Body):], f.Body) {
		f.again = &rereading{fsys: fsys, size: len(data), sum: maphash.Bytes(rereadSeed, data), off: len(norm) - len(f.Body)}
	} else {
		f.Packed = blob.Pack(f.Body)
	}
	f.Front, f.Body = nil, nil
}
