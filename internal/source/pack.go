package source

import "github.com/dossier-dev/dossier/internal/slab"

// packer copies the front-matter values a site keeps out of the decoder's
// memory into blocks of its own (see package slab). Decoded strings are
// parts of one copy of each file's front matter, and the lists and maps
// that hold them sit among the decoder's garbage: kept as they are, they
// hold all of that text and leave spans of garbage in use. A packer is
// not safe for concurrent use: each loading worker has its own.
type packer struct {
	strs  slab.Strings
	lists slab.Of[string]
	links slab.Of[Link]
}

// list copies l, and its strings, into p's blocks.
func (p *packer) list(l []string) []string { return slab.CloneStrings(&p.lists, &p.strs, l) }

// pack moves what f keeps of its front matter into p's blocks.
func (f *File) pack(p *packer) {
	s := p.strs.Clone
	f.Path, f.Slug, f.Assets = s(f.Path), s(f.Slug), p.list(f.Assets)
	switch {
	case f.Briefing != nil:
		m := f.Briefing
		m.Title, m.Summary, m.Classification, m.Location = s(m.Title), s(m.Summary), s(m.Classification), s(m.Location)
		m.Topics, m.Entities, m.Authors = p.list(m.Topics), p.list(m.Entities), p.list(m.Authors)
		if len(m.Sources) > 0 {
			src := p.links.Make(len(m.Sources))
			for i, l := range m.Sources {
				src[i] = Link{Title: s(l.Title), URL: s(l.URL)}
			}
			m.Sources = src
		}
	case f.Entity != nil:
		m := f.Entity
		m.Name, m.Type, m.Summary, m.Aliases = s(m.Name), s(m.Type), s(m.Summary), p.list(m.Aliases)
	case f.Topic != nil:
		m := f.Topic
		m.Title, m.Summary, m.Aliases = s(m.Title), s(m.Summary), p.list(m.Aliases)
	case f.Page != nil:
		m := f.Page
		m.Title, m.Summary = s(m.Title), s(m.Summary)
	}
	if len(f.Params) > 0 {
		params := make(map[string]any, len(f.Params))
		for k, v := range f.Params {
			params[s(k)] = p.value(v)
		}
		f.Params = params
	}
}

// value copies the strings of a decoded value into p's blocks: those of
// a list in place (decoding made the list for this value alone), those of
// a map, keys too, into a new map.
func (p *packer) value(v any) any {
	switch t := v.(type) {
	case string:
		return p.strs.Clone(t)
	case []any:
		for i, x := range t {
			t[i] = p.value(x)
		}
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[p.strs.Clone(k)] = p.value(x)
		}
		return out
	case map[any]any:
		out := make(map[any]any, len(t))
		for k, x := range t {
			out[p.value(k)] = p.value(x)
		}
		return out
	}
	return v
}
