package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// Raw HTML in safe mode. goldmark leaves it out with an HTML comment; an
// author who wrote <b> would then see text silently vanish, so we show it
// escaped, as text, instead. These renderers are registered only when
// Options.Unsafe is false; otherwise goldmark's renderer writes the HTML.

func (r *nodeRenderer) renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(source)))
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var b bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b.Write(seg.Value(source))
	}
	if n.HasClosure() {
		b.Write(n.ClosureLine.Value(source))
	}
	_, _ = w.WriteString(`<p class="raw-html">`)
	_, _ = w.Write(util.EscapeHTML(bytes.TrimRight(b.Bytes(), "\r\n")))
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

// voidElements have no closing tag, so they open nothing.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}

// tagDepth returns +1 for an inline opening tag, -1 for a closing tag and
// 0 for anything else (comments, void or self-closing elements).
func tagDepth(n *ast.RawHTML, source []byte) int {
	if n.Segments.Len() == 0 {
		return 0
	}
	first := n.Segments.At(0)
	v := first.Value(source)
	if bytes.HasPrefix(v, []byte("</")) {
		return -1
	}
	if len(v) < 2 || v[0] != '<' || !isASCIILetter(v[1]) {
		return 0
	}
	end := 1
	for end < len(v) && (isASCIILetter(v[end]) || '0' <= v[end] && v[end] <= '9' || v[end] == '-') {
		end++
	}
	if voidElements[strings.ToLower(string(v[1:end]))] {
		return 0
	}
	last := n.Segments.At(n.Segments.Len() - 1)
	if bytes.HasSuffix(last.Value(source), []byte("/>")) {
		return 0
	}
	return 1
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
