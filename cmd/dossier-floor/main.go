// Command dossier-floor is the "floor" of issue 6: the least work any
// generator must do for a briefing site, against which Dossier's build time
// is measured. It reads every briefing in SITE/content/briefings, drops the
// front matter, converts the body with goldmark (the same extensions
// Dossier enables: GFM, footnotes, definition lists, typographer, heading
// attributes and ids) and highlights fenced code with chroma (CSS classes),
// on all cores, and writes each result to DEST/<name>/index.html:
//
//	dossier-floor SITE DEST
//
// It is a measuring tool, not part of Dossier, so it imports goldmark and
// chroma directly rather than going through internal/markdown (which is the
// only package of Dossier itself allowed to import them).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
	"golang.org/x/sync/errgroup"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: dossier-floor SITE DEST")
	}
	flag.Parse()
	if flag.NArg() != 2 {
		flag.Usage()
		os.Exit(2)
	}
	start := time.Now()
	n, err := run(context.Background(), flag.Arg(0), flag.Arg(1))
	if err != nil {
		fmt.Fprintln(os.Stderr, "dossier-floor:", err)
		os.Exit(1)
	}
	fmt.Printf("converted %d briefings in %s\n", n, time.Since(start).Round(time.Millisecond))
}

func run(ctx context.Context, site, dest string) (int, error) {
	dir := filepath.Join(site, "content", "briefings")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAttribute(), parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(newCodeRenderer(), 100))),
	)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	n := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".md") {
			continue
		}
		n++
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			src, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return err
			}
			var out bytes.Buffer
			if err := md.Convert(body(src), &out); err != nil {
				return fmt.Errorf("convert %s: %w", name, err)
			}
			folder := filepath.Join(dest, strings.TrimSuffix(name, ".md"))
			if err := os.MkdirAll(folder, 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(folder, "index.html"), out.Bytes(), 0o644)
		})
	}
	return n, g.Wait()
}

// body returns src without its YAML front matter.
func body(src []byte) []byte {
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return src
	}
	if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
		return rest[i+5:]
	}
	return src
}

// codeRenderer highlights fenced code blocks with chroma, as Dossier and
// Hugo do, with CSS classes.
type codeRenderer struct {
	formatter *chromahtml.Formatter
	style     *chroma.Style
}

func newCodeRenderer() *codeRenderer {
	return &codeRenderer{
		formatter: chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true)),
		style:     styles.Get("github"),
	}
}

func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
}

func (r *codeRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var code strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(source))
	}
	lang := string(n.Language(source))
	_, _ = w.WriteString(`<div class="highlight"><pre class="chroma"><code>`)
	if err := r.highlight(w, lang, code.String()); err != nil {
		_, _ = w.Write(util.EscapeHTML([]byte(code.String())))
	}
	_, _ = w.WriteString("</code></pre></div>\n")
	return ast.WalkSkipChildren, nil
}

func (r *codeRenderer) highlight(w io.Writer, lang, code string) error {
	lexer := lexers.Get(lang)
	if lexer == nil {
		lexer = lexers.Fallback
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return err
	}
	return r.formatter.Format(w, r.style, it)
}
