package markdown

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// Code blocks are highlighted by chroma with CSS classes rather than inline
// styles, so that one stylesheet (ChromaCSS) can switch light and dark and
// print, and so that pages carry no style attributes.

// newCodeFormatter returns a formatter that writes only the highlighted
// tokens; we write the <pre> and <code> around them ourselves. It is safe
// for concurrent use.
func newCodeFormatter() *chromahtml.Formatter {
	return chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))
}

const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

func (r *nodeRenderer) renderCode(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	var lang []byte
	if n, ok := node.(*ast.FencedCodeBlock); ok {
		lang = n.Language(source)
	}
	var code strings.Builder
	lines := node.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(source))
	}
	_, _ = w.WriteString(`<div class="highlight"><pre class="chroma"><code`)
	if len(lang) > 0 {
		_, _ = w.WriteString(` class="language-`)
		_, _ = w.Write(util.EscapeHTML(lang))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	if !r.highlight(w, string(lang), code.String()) {
		_, _ = w.Write(util.EscapeHTML([]byte(code.String())))
	}
	_, _ = w.WriteString("</code></pre></div>\n")
	return ast.WalkSkipChildren, nil
}

// highlight writes code highlighted as lang and reports whether it did;
// without a lexer for lang the caller writes the code escaped as it is.
func (r *nodeRenderer) highlight(w util.BufWriter, lang, code string) bool {
	if lang == "" {
		return false
	}
	lexer := lexers.Get(lang)
	if lexer == nil {
		return false
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return false
	}
	// Format only fails when the writer does; buffer the output so that a
	// failure cannot leave half a block behind.
	var b bytes.Buffer
	if err := r.code.Format(&b, r.style, it); err != nil {
		return false
	}
	_, _ = w.Write(b.Bytes())
	return true
}

// ChromaCSS returns the stylesheet for highlighted code: the light style,
// then the dark style inside @media (prefers-color-scheme: dark), every
// rule scoped under .highlight so that it cannot touch the rest of a page.
func ChromaCSS() []byte {
	var b bytes.Buffer
	b.WriteString("/* Code highlighting: chroma styles " + lightStyle + " and " + darkStyle + ". */\n")
	writeScopedCSS(&b, styles.Get(lightStyle), "")
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	writeScopedCSS(&b, styles.Get(darkStyle), "  ")
	b.WriteString("}\n")
	return b.Bytes()
}

// writeScopedCSS writes style's rules with ".highlight " before each
// selector. Every token class gets a rule, so that the dark rules override
// all light ones instead of letting some light colours through.
func writeScopedCSS(b *bytes.Buffer, style *chroma.Style, indent string) {
	f := chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithAllClasses(true), chromahtml.WithCSSComments(false))
	var css bytes.Buffer
	_ = f.WriteCSS(&css, style)
	sc := bufio.NewScanner(&css)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		b.WriteString(indent + ".highlight " + line + "\n")
	}
}
