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

// plain collects the text of a subtree as a reader sees it, and where one
// node of it (target) starts and ends.
type plain struct {
	src        []byte
	b          []byte
	target     ast.Node
	start, end int
}

// plainText returns the text of n's descendants without markup: soft line
// breaks as spaces, entities and escapes resolved, code spans included,
// raw HTML, images and footnote references left out.
func plainText(n ast.Node, src []byte) string {
	p := plain{src: src}
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

// plainTextAround returns the untrimmed text of block and the byte range
// of target within it.
func plainTextAround(block, target ast.Node, src []byte) (string, int, int) {
	if block == nil {
		return "", 0, 0
	}
	p := plain{src: src, target: target, start: -1}
	p.add(block)
	if p.start < 0 {
		return string(p.b), 0, 0
	}
	return string(p.b), p.start, p.end
}

func (p *plain) add(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c == p.target {
			p.start = len(p.b)
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
		if c == p.target {
			p.end = len(p.b)
		}
	}
}

// appendSpaced appends v with newlines and tabs (from code spans that
// span lines) as spaces.
func (p *plain) appendSpaced(v []byte) {
	for _, c := range v {
		if c == '\n' || c == '\t' || c == '\r' {
			c = ' '
		}
		p.b = append(p.b, c)
	}
}

// maxSentence is how many characters of a sentence Mention.Sentence keeps.
const maxSentence = 300

// sentence returns the sentence of txt around txt[start:end]: from after
// the previous ". ", "! " or "? " to the next one (punctuation included),
// trimmed, and shortened with ellipses to about maxSentence characters
// around the mention.
func sentence(txt string, start, end int) string {
	from := 0
	for _, sep := range []string{". ", "! ", "? "} {
		if i := strings.LastIndex(txt[:start], sep); i >= 0 && i+len(sep) > from {
			from = i + len(sep)
		}
	}
	to := len(txt)
	for _, sep := range []string{". ", "! ", "? "} {
		if i := strings.Index(txt[end:], sep); i >= 0 && end+i+1 < to {
			to = end + i + 1
		}
	}
	s := txt[from:to]
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
