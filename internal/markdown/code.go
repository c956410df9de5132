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
	opts := lfOptions
	if strings.IndexByte(code.String(), '\r') >= 0 {
		opts = nil // chroma's defaults: line ends made \n
	}
	it, err := lexer.Tokenise(opts, code.String())
	if err != nil {
		return false
	}
	writeTokens(w, it)
	return true
}

// lfOptions are chroma's default options without EnsureLF, which copies
// the code twice to turn \r\n and \r into \n: highlight uses them for code
// that has no \r, which is nearly all of it. Chroma only reads them.
var lfOptions = &chroma.TokeniseOptions{State: "root"}

// writeTokens writes the tokens of it as HTML, byte for byte as chroma's
// HTML formatter does with chromahtml.WithClasses(true) and
// chromahtml.PreventSurroundingPre(true) (TestWriteTokens checks it): each
// token escaped by html.EscapeString, inside <span class="…"> when its type
// has a class, and a token that spans lines cut after each newline into
// spans of their own. Writing the tokens as they come, rather than through
// the formatter, saves collecting them into a slice, splitting that into
// lines and formatting every span with fmt: about a sixth of the
// allocations of highlighting. Nothing here can fail, so nothing half-written needs
// undoing.
func writeTokens(w util.BufWriter, it chroma.Iterator) {
	// The formatter drops the last line if it is one empty token; such a
	// token that opens a line is held back until something follows it.
	held, holding := chroma.TokenType(0), false
	lineTokens := 0 // tokens written on the current line
	for tok := it(); tok != chroma.EOF; tok = it() {
		if holding {
			writeToken(w, held, "")
			holding, lineTokens = false, 1
		}
		v := tok.Value
		if v == "" && lineTokens == 0 {
			held, holding = tok.Type, true
			continue
		}
		for {
			i := strings.IndexByte(v, '\n')
			if i < 0 {
				break
			}
			writeToken(w, tok.Type, v[:i+1])
			lineTokens = 0
			if v = v[i+1:]; v == "" {
				break
			}
		}
		if v != "" || tok.Value == "" {
			writeToken(w, tok.Type, v)
			lineTokens++
		}
	}
}

// writeToken writes one token value, escaped, in a span with the class of
// its type if it has one.
func writeToken(w util.BufWriter, t chroma.TokenType, v string) {
	cls := tokenClass(t)
	if cls != "" {
		_, _ = w.WriteString(`<span class="`)
		_, _ = w.WriteString(cls)
		_, _ = w.WriteString(`">`)
	}
	writeEscaped(w, v)
	if cls != "" {
		_, _ = w.WriteString("</span>")
	}
}

// tokenClass returns the CSS class of token type t as chroma's formatter
// names it (without a prefix): the class of t, or of its nearest parent
// type that has one.
func tokenClass(t chroma.TokenType) string {
	for t != 0 {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
		t = t.Parent()
	}
	return chroma.StandardTypes[t]
}

// writeEscaped writes s escaped as html.EscapeString escapes it.
func writeEscaped(w util.BufWriter, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		_, _ = w.WriteString(s[last:i])
		_, _ = w.WriteString(esc)
		last = i + 1
	}
	_, _ = w.WriteString(s[last:])
}

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
