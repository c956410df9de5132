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

// sentenceEnds are what ends a sentence; the punctuation belongs to it.
var sentenceEnds = [][]byte{[]byte(". "), []byte("! "), []byte("? ")}

// sentence returns the sentence of txt around txt[start:end]: from after
// the previous ". ", "! " or "? " to the next one (punctuation included),
// trimmed, and shortened with ellipses to about maxSentence characters
// around the mention. The result is a new string, so that it keeps only the
// sentence in memory, not all of txt.
func sentence(txt []byte, start, end int) string {
	from := 0
	for _, sep := range sentenceEnds {
		if i := bytes.LastIndex(txt[:start], sep); i >= 0 && i+len(sep) > from {
			from = i + len(sep)
		}
	}
	to := len(txt)
	for _, sep := range sentenceEnds {
		if i := bytes.Index(txt[end:], sep); i >= 0 && end+i+1 < to {
			to = end + i + 1
		}
	}
	s := string(txt[from:to])
	lead := len(s) - len(strings.TrimLeft(s, " "))
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= maxSentence {
		return collapseSpaces(s)
	}
	// Keep a window of maxSentence runes that shows the mention with some
	// context before it, cut at spaces.
	rs := []rune(s)
	at := utf8.RuneCountInString(s[:max(0, min(len(s), start-from-lead))])
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
