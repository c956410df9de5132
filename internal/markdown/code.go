package markdown

import (
	"bufio"
	"bytes"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
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
	_, _ = w.WriteString(`<div class="highlight"><pre class="chroma"><code`)
	if len(lang) > 0 {
		_, _ = w.WriteString(` class="language-`)
		_, _ = w.Write(util.EscapeHTML(lang))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	lines := node.Lines()
	if !r.highlight(w, lang, lines, source) {
		// Escaping works byte by byte, so the lines can be escaped one by one.
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			_, _ = w.Write(util.EscapeHTML(seg.Value(source)))
		}
	}
	_, _ = w.WriteString("</code></pre></div>\n")
	return ast.WalkSkipChildren, nil
}

// highlight writes the code in lines highlighted as lang and reports
// whether it did; without a lexer for lang the caller writes the code
// escaped as it is.
func (r *nodeRenderer) highlight(w util.BufWriter, lang []byte, lines *text.Segments, source []byte) bool {
	lexer := lexerFor(lang)
	if lexer == nil {
		return false
	}
	n := 0
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		n += seg.Len()
	}
	var code strings.Builder
	code.Grow(n)
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(source))
	}
	it, err := lexer.Tokenise(nil, code.String())
	if err != nil {
		return false
	}
	// Format only fails when the writer does; buffer the output so that a
	// failure cannot leave half a block behind.
	b := codeBufPool.Get().(*bytes.Buffer)
	defer func() {
		if b.Cap() <= maxPooledBuffer {
			codeBufPool.Put(b)
		}
	}()
	b.Reset()
	if err := r.code.Format(b, r.style, it); err != nil {
		return false
	}
	_, _ = w.Write(b.Bytes())
	return true
}

// codeBufPool holds the buffers that highlight formats into.
var codeBufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// lexerCache caches lexers.Get by language name. A name that chroma does not
// know by name or alias makes lexers.Get try it as a file name against
// every lexer's patterns, which takes milliseconds (about 10 ms for
// "mermaid"), for every code block; the cache remembers those misses too.
// Names come from documents, so the cache keeps at most maxCachedLexers of
// them, none longer than maxCachedLexerName; other names are looked up
// every time, as they were before.
var lexerCache struct {
	sync.RWMutex
	m map[string]chroma.Lexer // coalesced; nil: no lexer for the name
}

const (
	maxCachedLexers    = 256
	maxCachedLexerName = 64
)

// lexerFor returns the coalesced lexer for lang, or nil when there is none
// (or lang is empty).
func lexerFor(lang []byte) chroma.Lexer {
	if len(lang) == 0 {
		return nil
	}
	lexerCache.RLock()
	lexer, ok := lexerCache.m[string(lang)]
	lexerCache.RUnlock()
	if ok {
		return lexer
	}
	name := string(lang)
	if l := lexers.Get(name); l != nil {
		lexer = chroma.Coalesce(l)
	}
	if len(name) <= maxCachedLexerName {
		lexerCache.Lock()
		if lexerCache.m == nil {
			lexerCache.m = map[string]chroma.Lexer{}
		}
		if len(lexerCache.m) < maxCachedLexers {
			lexerCache.m[name] = lexer
		}
		lexerCache.Unlock()
	}
	return lexer
}

// ChromaCSS returns the stylesheet for highlighted code: the light style,
// then the dark style inside @media (prefers-color-scheme: dark), every
// rule scoped under .highlight so that it cannot touch the rest of a page.
func ChromaCSS() []byte {
	light := cssRules(styles.Get(lightStyle))
	dark := cssRules(styles.Get(darkStyle))
	var b bytes.Buffer
	b.WriteString("/* Code highlighting: chroma styles " + lightStyle + " and " + darkStyle + ". */\n")
	for _, r := range light {
		b.WriteString(".highlight " + r.selector + " { " + strings.Join(r.decls, "; ") + " }\n")
	}
	// The light rules still apply in dark mode: a dark rule must undo every
	// property its light twin sets and it does not (github sets a
	// background on errors, github-dark only a colour).
	darkBy := map[string]int{}
	for i, r := range dark {
		darkBy[r.selector] = i
	}
	for _, l := range light {
		i, ok := darkBy[l.selector]
		if !ok {
			dark = append(dark, cssRule{selector: l.selector})
			i = len(dark) - 1
			darkBy[l.selector] = i
		}
		for _, d := range l.decls {
			prop, _, _ := strings.Cut(d, ":")
			if !hasProp(dark[i].decls, prop) {
				dark[i].decls = append(dark[i].decls, prop+": unset")
			}
		}
	}
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	for _, r := range dark {
		b.WriteString("  .highlight " + r.selector + " { " + strings.Join(r.decls, "; ") + " }\n")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// cssRule is one rule of chroma's stylesheet.
type cssRule struct {
	selector string
	decls    []string // "prop: value"
}

// cssRules returns the rules of style's stylesheet as chroma writes them:
// one "selector { decl; decl }" per line.
func cssRules(style *chroma.Style) []cssRule {
	f := chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithAllClasses(true), chromahtml.WithCSSComments(false))
	var css bytes.Buffer
	_ = f.WriteCSS(&css, style)
	var rules []cssRule
	sc := bufio.NewScanner(&css)
	for sc.Scan() {
		sel, body, ok := strings.Cut(sc.Text(), "{")
		if !ok {
			continue
		}
		body, _, _ = strings.Cut(body, "}")
		r := cssRule{selector: strings.TrimSpace(sel)}
		for _, d := range strings.Split(body, ";") {
			if d = strings.TrimSpace(d); d != "" {
				r.decls = append(r.decls, d)
			}
		}
		rules = append(rules, r)
	}
	return rules
}

func hasProp(decls []string, prop string) bool {
	for _, d := range decls {
		if p, _, _ := strings.Cut(d, ":"); strings.TrimSpace(p) == strings.TrimSpace(prop) {
			return true
		}
	}
	return false
}
