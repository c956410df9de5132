package markdown

import (
	"bytes"
	stdhtml "html"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/wikilink"
)

// stringText returns what a String node shows. The typographer makes its
// String nodes "code" holding an entity such as "&rsquo;"; matching and
// plain text need the character itself.
func stringText(n *ast.String) []byte {
	if n.IsCode() && bytes.IndexByte(n.Value, '&') >= 0 {
		return []byte(stdhtml.UnescapeString(string(n.Value)))
	}
	return n.Value
}

// plain collects the text of a subtree as a reader sees it, and where some
// of its nodes (targets) start and end in it.
type plain struct {
	src     []byte
	b       []byte
	targets []ast.Node // the nodes to find, in the order the text meets them
	spans   []span     // parallel to targets
	next    int        // targets[:next] have been met
}

// span is where a target lies in the text; found is false if the text
// never met it (left-out markup) and then start and end are 0.
type span struct {
	start, end int
	found      bool
}

// plainText returns the text of n's descendants without markup: soft line
// breaks as spaces, entities and escapes resolved, code spans included,
// raw HTML, images and footnote references left out.
func plainText(n ast.Node, src []byte) string {
	// Room for most headings and image descriptions, rather than growing
	// from nothing in small steps.
	p := plain{src: src, b: make([]byte, 0, 128)}
	p.add(n)
	return collapseSpaces(string(p.b))
}

// plainText is plainText(n, st.src), made in st's scratch space.
func (st *state) plainText(n ast.Node) string {
	p := plain{src: st.src, b: st.text[:0]}
	p.add(n)
	k := len(p.b)
	p.b = appendCollapsed(p.b, p.b[:k])
	st.text = p.b
	return string(p.b[k:])
}

// collapseSpaces trims s and turns every run of spaces into one; left-out
// markup (raw HTML, images) would otherwise leave gaps.
func collapseSpaces(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// around sets p.b to the untrimmed text of block (empty for nil) and
// p.spans to where each of targets lies in it. The targets must be listed
// in the order in which the text meets them; one met out of order is not
// found, and neither is every target after it.
func (p *plain) around(block ast.Node, targets []ast.Node) {
	p.b, p.targets, p.next = p.b[:0], targets, 0
	p.spans = append(p.spans[:0], make([]span, len(targets))...)
	if block != nil {
		p.add(block)
	}
}

func (p *plain) add(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		target := -1
		if p.next < len(p.targets) && c == p.targets[p.next] {
			target = p.next
			p.next++
			p.spans[target] = span{start: len(p.b), found: true}
		}
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(p.src)
			if !c.IsRaw() && (bytes.IndexByte(v, '\\') >= 0 || bytes.IndexByte(v, '&') >= 0) {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			p.appendSpaced(v)
			if c.SoftLineBreak() || c.HardLineBreak() {
				p.b = append(p.b, ' ')
			}
		case *ast.String:
			p.appendSpaced(stringText(c))
		case *ast.AutoLink:
			p.b = append(p.b, c.Label(p.src)...)
		case *ast.RawHTML, *ast.Image:
		case *wikilink.Node, *wikiLink, *mentionNode:
			p.add(c)
		default:
			if !isFootnoteRef(c) {
				p.add(c)
			}
		}
		if target >= 0 {
			p.spans[target].end = len(p.b)
		}
	}
}

// appendSpaced appends v with newlines and tabs (from code spans that
// span lines) as spaces.
func (p *plain) appendSpaced(v []byte) {
	for {
		i := bytes.IndexAny(v, "\n\t\r")
		if i < 0 {
			p.b = append(p.b, v...)
			return
		}
		p.b = append(append(p.b, v[:i]...), ' ')
		v = v[i+1:]
	}
}

// maxSentence is how many characters of a sentence Mention.Sentence keeps.
const maxSentence = 300

// isSentenceEnd reports whether txt[i:] starts with what ends a sentence:
// ". ", "! " or "? ". The punctuation belongs to the sentence.
func isSentenceEnd(txt []byte, i int) bool {
	switch txt[i] {
	case '.', '!', '?':
		return i+1 < len(txt) && txt[i+1] == ' '
	}
	return false
}

// sentence returns the sentence of txt around txt[start:end]: from after
// the previous ". ", "! " or "? " to the next one (punctuation included),
// trimmed, and shortened with ellipses to about maxSentence characters
// around the mention. The result is a new string, so that it keeps only the
// sentence in memory, not all of txt.
func sentence(txt []byte, start, end int) string {
	return string(appendSentence(nil, txt, start, end))
}

// appendSentence appends sentence(txt, start, end) to dst.
func appendSentence(dst, txt []byte, start, end int) []byte {
	// The sentence starts after the last end before start and ends with
	// the first end at or after end.
	from := 0
	for i := start - 2; i >= 0; i-- {
		if isSentenceEnd(txt, i) {
			from = i + 2
			break
		}
	}
	to := len(txt)
	for i := end; i+1 < len(txt); i++ {
		if isSentenceEnd(txt, i) {
			to = i + 1
			break
		}
	}
	s := txt[from:to]
	lead := len(s) - len(bytes.TrimLeft(s, " "))
	s = bytes.TrimSpace(s)
	if utf8.RuneCount(s) <= maxSentence {
		return appendCollapsed(dst, s)
	}
	return append(dst, shorten(string(s), start-from-lead)...)
}

// appendCollapsed appends collapseSpaces(string(s)) to dst.
func appendCollapsed(dst, s []byte) []byte {
	s = bytes.TrimSpace(s)
	if !bytes.Contains(s, []byte("  ")) {
		return append(dst, s...)
	}
	for i, f := range bytes.Fields(s) {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, f...)
	}
	return dst
}

// shorten returns a window of about maxSentence runes of the sentence s
// that shows the mention starting at byte mention, with some context
// before it, cut at spaces and marked with ellipses where it cuts.
func shorten(s string, mention int) string {
	rs := []rune(s)
	at := utf8.RuneCountInString(s[:max(0, min(len(s), mention))])
	lo := max(0, at-maxSentence/3)
	hi := min(len(rs), lo+maxSentence)
	lo = max(0, hi-maxSentence)
	if lo > 0 {
		for i := lo; i < at && i < lo+30; i++ {
			if rs[i] == ' ' {
				lo = i + 1
				break
			}
		}
	}
	if hi < len(rs) {
		for i := hi - 1; i > at && i > hi-30; i-- {
			if rs[i] == ' ' {
				hi = i
				break
			}
		}
	}
	out := collapseSpaces(string(rs[lo:hi]))
	if lo > 0 {
		out = "…" + out
	}
	if hi < len(rs) {
		out += "…"
	}
	return out
}
