package markdown

import (
	"unsafe"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/dossier-dev/dossier/internal/link"
)

// kindMention is the node kind of an entity mention.
var kindMention = ast.NewNodeKind("Mention")

// mentionNode wraps the Text and String nodes of one mention. Whether it
// becomes a link is decided when the tree is walked, in document order,
// so the renderer needs no per-document state.
type mentionNode struct {
	ast.BaseInline
	Ref  *link.Ref
	Link bool
}

// Kind implements ast.Node.
func (n *mentionNode) Kind() ast.NodeKind { return kindMention }

// Dump implements ast.Node.
func (n *mentionNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Ref": n.Ref.Path()}, nil)
}

// isRunText reports whether n is text that a mention may span: plain Text
// (not raw, as in code spans) and the String nodes the typographer makes
// of quotes and dashes.
func isRunText(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.Text:
		return !n.IsRaw()
	case *ast.String:
		return true
	}
	return false
}

// runItem is one node of a run and where its content lies in the joined
// text. A soft line break adds one space after a Text's content.
type runItem struct {
	node       ast.Node
	start, end int
	padding    int  // leading spaces of a Text segment that are not in the source
	str        bool // a String: a mention must contain it whole
}

// found is a match that survived the checks, before the tree is changed.
type found struct {
	first, last int // items
	start, end  int // in the joined text
	node        *mentionNode
}

// flush matches the pending run of text nodes (children of parent) and
// wraps each mention in a mentionNode.
func (st *state) flush(parent ast.Node) {
	run := st.run
	st.run = st.run[:0]
	if len(run) == 0 || st.doc.Mentions == nil {
		return
	}
	joined, items := st.joined[:0], st.items[:0]
	for _, c := range run {
		start := len(joined)
		switch n := c.(type) {
		case *ast.Text:
			joined = append(joined, n.Segment.Value(st.src)...)
			items = append(items, runItem{node: c, start: start, end: len(joined), padding: n.Segment.Padding})
			if n.SoftLineBreak() || n.HardLineBreak() {
				joined = append(joined, ' ')
			}
		case *ast.String:
			joined = append(joined, stringText(n)...)
			items = append(items, runItem{node: c, start: start, end: len(joined), str: true})
		}
	}
	st.joined, st.items = joined, items

	matches := st.match(joined)
	founds := st.found[:0]
	block := blockOf(parent)
	// Left to right: decide which matches count, and which become links,
	// in the order a reader meets them.
	prevEnd, at := 0, 0
	for _, m := range matches {
		if m.Ref == nil || m.Start < prevEnd || m.Start >= m.End || m.End > len(joined) || st.isSelf(m.Ref) {
			continue
		}
		for at < len(items) && items[at].end <= m.Start {
			at++
		}
		first := startItem(items, at, m.Start, st.src)
		if first < 0 {
			continue
		}
		last := endItem(items, first, m.End, st.src)
		if last < 0 {
			continue
		}
		prevEnd = m.End
		node := st.newMention(m.Ref)
		isFirst := st.occur(m.Ref, block, node)
		switch st.doc.Mode {
		case LinkAll:
			node.Link = true
		case LinkFirst:
			node.Link = isFirst
		}
		founds = append(founds, found{first: first, last: last, start: m.Start, end: m.End, node: node})
	}
	// Right to left: splitting a Text keeps its left part in the original
	// node, so the items of earlier matches stay valid.
	for k := len(founds) - 1; k >= 0; k-- {
		f := founds[k]
		lastNode := items[f.last].node
		if it := items[f.last]; !it.str {
			// Split at the end of the mention, and also when the mention
			// ends the line, so that the line break (a <br> or newline)
			// stays outside the link.
			if t := lastNode.(*ast.Text); f.end < it.end || t.SoftLineBreak() || t.HardLineBreak() {
				st.splitText(parent, t, f.end-it.start)
			}
		}
		firstNode := items[f.first].node
		if it := items[f.first]; !it.str && f.start > it.start {
			right := st.splitText(parent, firstNode.(*ast.Text), f.start-it.start)
			if f.first == f.last {
				lastNode = right
			}
			firstNode = right
		}
		parent.InsertBefore(parent, firstNode, f.node)
		for c := firstNode; c != nil; {
			next := c.NextSibling()
			f.node.AppendChild(f.node, c) // detaches c from parent
			if c == lastNode {
				break
			}
			c = next
		}
	}
	st.found = founds[:0]
}

// match returns the mentions in joined, in st.matches.
//
// A link.Trie, the Matcher of every build, reads the text only while Match
// runs and returns offsets, never the text: it is given joined itself as a
// string rather than a copy, which would be one allocation per run of text.
// Any other Matcher gets a copy.
func (st *state) match(joined []byte) []link.Match {
	if t, ok := st.doc.Mentions.(*link.Trie); ok {
		st.matches = t.Match(unsafe.String(unsafe.SliceData(joined), len(joined)), st.matches[:0])
	} else {
		st.matches = st.doc.Mentions.Match(string(joined), st.matches[:0])
	}
	return st.matches
}

// newMention returns a new mentionNode for ref.
func (st *state) newMention(ref *link.Ref) *mentionNode {
	n := st.mentionNodes.new()
	n.Ref = ref
	return n
}

// startItem returns the item in which a mention starting at pos begins, or
// -1 if it would begin inside a String, in a line-break space or inside an
// escape sequence.
func startItem(items []runItem, from, pos int, src []byte) int {
	for i := from; i < len(items); i++ {
		it := items[i]
		if pos < it.start {
			return -1 // in the space of a line break
		}
		if pos >= it.end {
			continue
		}
		if it.str {
			if pos != it.start {
				return -1
			}
			return i
		}
		if !canCut(it, pos-it.start, src) {
			return -1
		}
		return i
	}
	return -1
}

// endItem returns the item in which a mention ending at pos ends.
func endItem(items []runItem, from, pos int, src []byte) int {
	for i := from; i < len(items); i++ {
		it := items[i]
		if pos <= it.start {
			return -1
		}
		if pos > it.end {
			continue
		}
		if it.str {
			if pos != it.end {
				return -1
			}
			return i
		}
		if !canCut(it, pos-it.start, src) {
			return -1
		}
		return i
	}
	return -1
}

// canCut reports whether a Text may be split off bytes into its value.
// Splitting inside "&amp;" or between a backslash and the character it
// escapes would change what the text says.
func canCut(it runItem, off int, src []byte) bool {
	t := it.node.(*ast.Text)
	v := t.Segment.Value(src)
	if off == 0 || off == len(v) {
		return true
	}
	if off < it.padding {
		return false
	}
	if v[off-1] == '\\' {
		return false
	}
	// An entity or character reference is at most ~32 bytes long.
	for i := off - 1; i >= 0 && i >= off-32; i-- {
		c := v[i]
		if c == '&' {
			for j := off; j < len(v) && j < off+32; j++ {
				if v[j] == ';' {
					return false
				}
				if !isRefByte(v[j]) {
					break
				}
			}
			return true
		}
		if !isRefByte(c) {
			return true
		}
	}
	return true
}

func isRefByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '#'
}

// splitText cuts t off bytes into its value: t keeps the left part, and a
// new Text with the right part and t's line break follows it.
func (st *state) splitText(parent ast.Node, t *ast.Text, off int) *ast.Text {
	seg := t.Segment
	cut := seg.Start + off - seg.Padding
	// As ast.NewTextSegment makes it, but from the arena.
	right := st.textNodes.new()
	right.Segment = text.NewSegment(cut, seg.Stop)
	right.SetSoftLineBreak(t.SoftLineBreak())
	right.SetHardLineBreak(t.HardLineBreak())
	t.Segment = seg.WithStop(cut)
	t.SetSoftLineBreak(false)
	t.SetHardLineBreak(false)
	parent.InsertAfter(parent, t, right)
	return right
}

func (r *nodeRenderer) renderMention(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*mentionNode)
	if !n.Link {
		return ast.WalkContinue, nil
	}
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a class="mention`)
	if n.Ref.Class != "" {
		_, _ = w.WriteString(" mention-")
		writeEscapedHTML(w, n.Ref.Class)
	}
	// The href is sentinel(sentinelRoot, URL-escaped path), written in place.
	_, _ = w.WriteString(`" href="` + sentinelRoot)
	if isPlainURL(n.Ref.Slug) {
		// Escaping would change nothing: write the path without making it.
		_, _ = w.WriteString(refDir(n.Ref.Kind))
		_, _ = w.WriteString(n.Ref.Slug)
		_ = w.WriteByte('/')
	} else {
		_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(n.Ref.Path()), false)))
	}
	_, _ = w.WriteString(sentinelEnd + `">`)
	return ast.WalkContinue, nil
}

// refDir returns what link.Ref.Path puts before the slug for kind.
func refDir(kind link.Kind) string {
	switch kind {
	case link.Entity:
		return "entities/"
	case link.Topic:
		return "topics/"
	case link.Briefing:
		return "briefings/"
	}
	return ""
}

// isPlainURL reports whether s holds only bytes that util.URLEscape and
// util.EscapeHTML leave as they are: ASCII letters and digits, '-', '.',
// '_', '~' and '/', which most slugs are made of.
func isPlainURL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			return false
		}
	}
	return true
}

// writeEscapedHTML writes s escaped as util.EscapeHTML escapes it, without
// copying it to a []byte first.
func writeEscapedHTML(w util.BufWriter, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if esc := util.EscapeHTMLByte(s[i]); esc != nil {
			_, _ = w.WriteString(s[last:i])
			_, _ = w.Write(esc)
			last = i + 1
		}
	}
	_, _ = w.WriteString(s[last:])
}
