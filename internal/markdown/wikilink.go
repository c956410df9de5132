package markdown

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/wikilink"

	"github.com/dossier-dev/dossier/internal/link"
)

// kindWikiLink is the node kind of a wikilink after resolution.
var kindWikiLink = ast.NewNodeKind("DossierWikiLink")

// wikiLink replaces a wikilink.Node once the transformer has resolved it,
// carrying the outcome to the renderer. Its children are the label.
type wikiLink struct {
	ast.BaseInline
	Href   []byte // final href content with sentinels; nil: plain text
	Broken bool   // unresolved: shown as a broken link
}

// Kind implements ast.Node.
func (n *wikiLink) Kind() ast.NodeKind { return kindWikiLink }

// Dump implements ast.Node.
func (n *wikiLink) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Href": string(n.Href)}, nil)
}

// wikilink resolves n through the document's Resolver and puts a wikiLink
// in its place. [[Name]], [[Name|shown]], [[Name#part]] and the embed
// form ![[Name]] all become links; [[#part]] links into this document.
func (st *state) wikilink(n *wikilink.Node) {
	parent := n.Parent()
	w := &wikiLink{}
	w.SetPos(n.Pos())
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		w.AppendChild(w, c)
		c = next
	}
	parent.ReplaceChild(parent, n, w)

	target := strings.TrimSpace(string(n.Target))
	frag := ""
	if f := strings.TrimSpace(string(n.Fragment)); f != "" {
		// Fragments name headings as written ("Early life"); ids are what
		// HeadingID makes of them.
		frag = HeadingID(f)
	}
	if target == "" {
		if frag != "" {
			w.Href = sentinel(sentinelFrag, frag)
			relabel(st.src, w, n, strings.TrimSpace(string(n.Fragment)), nil)
		}
		return
	}
	var ref *link.Ref
	msg := "no wikilink targets are known here"
	if st.doc.Wikilinks != nil {
		ref, msg = st.doc.Wikilinks.Resolve(target)
	}
	if ref == nil {
		w.Broken = true
		st.brokenWikilink(n, msg)
		return
	}
	if st.isSelf(ref) {
		// A page never links to itself, but may link to its own sections.
		if frag != "" {
			w.Href = sentinel(sentinelFrag, frag)
		}
		return
	}
	relabel(st.src, w, n, target, ref)
	p := string(util.URLEscape([]byte(ref.Path()), false))
	if frag != "" {
		p += "#" + string(util.URLEscape([]byte(frag), false))
	}
	w.Href = sentinel(sentinelRoot, p)
	if ref.Kind == link.Entity {
		st.occur(ref, blockOf(parent), w)
	}
}

// relabel decides what an unlabelled wikilink shows. [[Name#part]] shows
// "Name", not the fragment, and a target written as a slug
// ([[kim-visits-russia-far-east]], [[entities/kim-jong-un]]) shows the
// title or name it designates, since a slug is for the link, not the reader.
// [[#part]] shows "part". A label the author wrote with | is always kept.
func relabel(src []byte, w *wikiLink, n *wikilink.Node, target string, ref *link.Ref) {
	written := string(n.Target)
	if len(n.Fragment) > 0 {
		written += "#" + string(n.Fragment)
	}
	t, ok := w.FirstChild().(*ast.Text)
	if !ok || w.ChildCount() != 1 || strings.TrimSpace(string(t.Segment.Value(src))) != strings.TrimSpace(written) {
		return // an explicit label
	}
	shown := target
	if ref != nil && (strings.EqualFold(target, ref.Slug) || strings.Contains(target, "/")) {
		shown = ref.Name
	}
	if shown == strings.TrimSpace(written) {
		return
	}
	w.RemoveChildren(w)
	w.AppendChild(w, ast.NewString([]byte(shown)))
}

// brokenWikilink reports an unresolved wikilink at the position of its
// "[[" in the file.
func (st *state) brokenWikilink(n *wikilink.Node, msg string) {
	pos := n.Pos()
	if pos < 0 || pos >= len(st.src) {
		// Search back from the label for the "[[" that opened it.
		pos = 0
		if t, ok := n.FirstChild().(*ast.Text); ok {
			if i := bytes.LastIndex(st.src[:t.Segment.Start], []byte("[[")); i >= 0 {
				pos = i
			}
		}
	}
	if st.src[pos] == '!' {
		pos++ // an embed: point at its "[["
	}
	written := string(n.Target)
	if end := bytes.Index(st.src[pos:], []byte("]]")); end >= 2 {
		written = string(st.src[pos+2 : pos+end])
	}
	line, col := st.pos.at(pos)
	if !utf8.ValidString(written) {
		written = strings.ToValidUTF8(written, "\uFFFD")
	}
	st.res.Diags.Errorf(st.doc.Path, st.doc.BodyLine+line-1, col, "unresolved wikilink [[%s]]: %s", written, msg)
}

func (r *nodeRenderer) renderWikiLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*wikiLink)
	switch {
	case n.Broken:
		if entering {
			_, _ = w.WriteString(`<span class="wikilink-broken">`)
		} else {
			_, _ = w.WriteString(`</span>`)
		}
	case n.Href != nil:
		if entering {
			_, _ = w.WriteString(`<a class="wikilink" href="`)
			_, _ = w.Write(n.Href)
			_, _ = w.WriteString(`">`)
		} else {
			_, _ = w.WriteString(`</a>`)
		}
	}
	return ast.WalkContinue, nil
}

// renderUnresolved renders a wikilink.Node that the transformer did not
// replace. It cannot happen, since the transformer walks the whole tree,
// but goldmark would otherwise drop the node's label silently.
func (r *nodeRenderer) renderUnresolved(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<span class="wikilink-broken">`)
	} else {
		_, _ = w.WriteString(`</span>`)
	}
	return ast.WalkContinue, nil
}
