package link

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Index resolves wikilink targets ([[Name]]) to refs. Unlike mentions,
// wikilinks are written on purpose, so the index is forgiving about case and
// white space, and it offers kind-qualified slugs ("entities/kim-jong-un")
// as the way out of ambiguity. It is built once with Add and then only read:
// concurrent Resolve calls are safe, Add must not run concurrently with
// anything.
type Index struct {
	names  map[string][]*Ref // normalised name → distinct refs
	slugs  map[string][]*Ref // "entities/<normalised slug>" → distinct refs
	broken map[string]string // name or slug of a file that has errors → its path
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{names: make(map[string][]*Ref), slugs: make(map[string][]*Ref), broken: make(map[string]string)}
}

// AddBroken records a content file that could not be loaded for errors of
// its own, under its slug (of kind k) and its title or name when known.
// Resolving one of those still fails when nothing else has the name, but
// the message names the file instead of saying that nothing is called so.
func (ix *Index) AddBroken(k Kind, slug, title, path string) {
	keys := []string{indexKey(title)}
	if slug != "" {
		keys = append(keys, indexKey(slug), indexKey(kindDir(k)+"/"+slug))
	}
	for _, key := range keys {
		if _, ok := ix.broken[key]; key != "" && !ok {
			ix.broken[key] = path
		}
	}
}

// Add records name as something a wikilink may say to reach ref. Call it for
// every name, alias, title and slug of every entity, topic, briefing and
// page. The ref's kind-qualified slug ("topics/sanctions") is recorded
// automatically. An empty name is ignored.
func (ix *Index) Add(name string, ref *Ref) {
	if key := indexKey(name); key != "" {
		ix.names[key] = appendRef(ix.names[key], ref)
	}
	if ref.Slug != "" {
		key := indexKey(kindDir(ref.Kind) + "/" + ref.Slug)
		ix.slugs[key] = appendRef(ix.slugs[key], ref)
	}
}

// appendRef appends ref unless it is there already.
func appendRef(refs []*Ref, ref *Ref) []*Ref {
	if slices.Contains(refs, ref) {
		return refs
	}
	return append(refs, ref)
}

// Resolve returns the one ref that name designates, matched without regard
// to case or runs of white space. A kind-qualified slug ("entities/x",
// "topics/x", "briefings/x", "pages/x") is tried first, so it always picks
// one thing out. When nothing or more than one thing matches, Resolve returns
// nil and a message for the writer, which says what to write instead.
func (ix *Index) Resolve(name string) (*Ref, string) {
	key := indexKey(name)
	refs := ix.slugs[strings.Trim(key, "/")]
	if len(refs) == 0 {
		refs = ix.names[key]
	}
	switch len(refs) {
	case 0:
		for _, k := range []string{strings.Trim(key, "/"), key} {
			if path, ok := ix.broken[k]; ok {
				return nil, fmt.Sprintf("%s, which it names, has errors of its own", path)
			}
		}
		return nil, fmt.Sprintf("no entity, topic, briefing or page is called %q", strings.TrimSpace(name))
	case 1:
		return refs[0], ""
	}
	refs = slices.Clone(refs)
	slices.SortFunc(refs, func(a, b *Ref) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), strings.Compare(a.Name, b.Name), strings.Compare(a.Slug, b.Slug))
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%q is ambiguous: ", strings.TrimSpace(name))
	for i, r := range refs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %q", r.Kind, r.Name)
	}
	fmt.Fprintf(&b, "; write the slug, e.g. [[%s/%s]]", kindDir(refs[0].Kind), refs[0].Slug)
	return nil, b.String()
}

// kindDir is the word that qualifies a slug of kind k in a wikilink. It is
// the URL folder for entities, topics and briefings; plain pages live at the
// site root, so they get "pages".
func kindDir(k Kind) string {
	switch k {
	case Entity:
		return "entities"
	case Topic:
		return "topics"
	case Briefing:
		return "briefings"
	default:
		return "pages"
	}
}

// indexKey normalises a wikilink name: trimmed, every run of white space made
// one space, and case-folded rune by rune, so that two names get the same key
// exactly when strings.EqualFold would call them equal after the spacing is
// evened out.
func indexKey(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	space := false
	for _, r := range strings.TrimFunc(name, unicode.IsSpace) {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(foldRune(r))
	}
	return b.String()
}
