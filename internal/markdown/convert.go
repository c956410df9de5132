package markdown

import (
	"bufio"
	"bytes"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/wikilink"

	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/link"
)

// Markers that the renderers write and Convert removes again: the HTML is
// split into sections and footnotes on them. They start with NUL like the
// sentinels that Fixup rewrites, so user text can never contain them.
const (
	sectionMark  = "\x00S" // before each top-level ## heading
	footnoteMark = "\x00N" // before the footnote list
)

// Priorities of our goldmark plug-ins. goldmark runs lower numbers first
// and lets the renderer with the lowest number win a node kind.
const (
	// The wikilink parser must run before goldmark's link parser (200), or
	// [[x]] parses as a shortcut reference link.
	wikilinkParserPriority = 199
	// The transformer must run after goldmark's footnote transformer (999),
	// which attaches the footnote list to the document only at that point.
	transformerPriority = 10000
	// Our renderers override goldmark's HTML renderer (1000) and its
	// footnote renderer (500).
	rendererPriority = 100
)

// stateKey carries the per-conversion state from Convert to the
// transformer through goldmark's parser.Context; the goldmark instance
// itself is shared and holds no per-document state.
var stateKey = parser.NewContextKey()

// Converter converts Markdown documents. It builds its goldmark instance
// once; a Converter is safe for concurrent use by many goroutines.
type Converter struct {
	md goldmark.Markdown
}

// New returns a Converter configured by opts.
func New(opts Options) *Converter {
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(newNodeRenderer(opts.Unsafe), rendererPriority)),
	}
	if opts.Unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.DefinitionList,
			extension.Typographer,
		),
		goldmark.WithParserOptions(
			parser.WithAttribute(),
			parser.WithInlineParsers(util.Prioritized(&wikilink.Parser{}, wikilinkParserPriority)),
			parser.WithASTTransformers(util.Prioritized(transformer{}, transformerPriority)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Converter{md: md}
}

// scratch is the output buffer of one conversion, pooled because a build
// converts hundreds of documents and each render would otherwise grow a
// fresh buffer (and goldmark would wrap it in a fresh 4 KiB bufio.Writer).
type scratch struct {
	buf bytes.Buffer
	w   *bufio.Writer
}

var scratchPool = sync.Pool{New: func() any {
	s := &scratch{}
	s.w = bufio.NewWriter(&s.buf)
	return s
}}

// maxPooledBuffer keeps one huge document from pinning its buffer forever.
const maxPooledBuffer = 1 << 20

// Convert converts one document. Problems in the document (unresolved
// wikilinks) are reported in Result.Diags; Convert itself never fails.
func (c *Converter) Convert(doc Doc) Result {
	var out Result
	c.convert(doc, true, func(r *Result) { out = *r })
	return out
}

// ConvertFunc converts one document as Convert does and calls use with the
// result, whose HTML (Sections[i].HTML and Footnotes) is valid only during
// the call: it is the conversion's own output buffer, which the next
// conversion reuses. A caller that stores the HTML at once (a full build
// spools it) saves Convert's copy of every document's HTML.
func (c *Converter) ConvertFunc(doc Doc, use func(*Result)) {
	c.convert(doc, false, use)
}

func (c *Converter) convert(doc Doc, copyHTML bool, use func(*Result)) {
	src := doc.Source
	// goldmark passes NUL bytes through, but NUL starts our sentinels: turn
	// them into U+FFFD as HTML parsers do. Lines and rune columns stay the
	// same, so positions computed on src are still positions in the file.
	if bytes.IndexByte(src, 0) >= 0 {
		src = bytes.ReplaceAll(src, []byte{0}, []byte("\uFFFD"))
	}
	if d := checkLimits(&doc, src); d != nil {
		use(&Result{Sections: []Section{{Line: doc.BodyLine}}, Diags: diag.List{*d}})
		return
	}
	st := newState(&doc, src)
	pc := parser.NewContext()
	pc.Set(stateKey, st)
	root := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))

	sc := scratchPool.Get().(*scratch)
	sc.buf.Reset()
	sc.w.Reset(&sc.buf)
	// Our renderers never fail and the writer is a bytes.Buffer, so Render
	// cannot return an error worth reporting.
	_ = c.md.Renderer().Render(sc.w, src, root)
	_ = sc.w.Flush()
	st.split(sc.buf.Bytes(), copyHTML)
	st.finish()
	st.mentionSections()
	if len(st.res.Headings) == 0 {
		st.res.Headings = nil // as when no room was made for them
	}
	st.release()
	use(&st.res)
	if sc.buf.Cap() <= maxPooledBuffer {
		scratchPool.Put(sc)
	}
}

// split cuts the rendered HTML into sections and footnotes. With copyHTML,
// everything is copied into one new allocation that the Result owns;
// without, the pieces are slices of out. Either way they are
// capacity-limited so that appending to one never overwrites the next.
func (st *state) split(out []byte, copyHTML bool) {
	var all []byte
	if copyHTML {
		all = make([]byte, 0, len(out))
	}
	body, notes := out, []byte(nil)
	if i := bytes.Index(out, []byte(footnoteMark)); i >= 0 {
		body, notes = out[:i], out[i+len(footnoteMark):]
	}
	secs := st.res.Sections
	for i := range secs {
		piece := body
		if j := bytes.Index(body, []byte(sectionMark)); j >= 0 {
			piece, body = body[:j], body[j+len(sectionMark):]
		} else {
			body = nil
		}
		if i == len(secs)-1 && len(body) > 0 {
			// Cannot happen (one mark per top-level ## heading), but never
			// lose output if it does.
			piece = append(piece[:len(piece):len(piece)], bytes.ReplaceAll(body, []byte(sectionMark), nil)...)
		}
		if !copyHTML {
			secs[i].HTML = piece[:len(piece):len(piece)]
			continue
		}
		start := len(all)
		all = append(all, piece...)
		secs[i].HTML = all[start:len(all):len(all)]
	}
	if len(notes) > 0 {
		if copyHTML {
			notes = bytes.Clone(notes)
		}
		st.res.Footnotes = notes[:len(notes):len(notes)]
	}
}

// state is everything one conversion learns while the transformer walks the
// tree: heading ids, sections, mentions, diagnostics.
type state struct {
	doc *Doc
	src []byte
	res Result

	section int       // index into res.Sections of the section being walked; -1 in footnotes
	summary bool      // whether res.Summary has been taken
	pos     positions // lines and columns of offsets in src

	*scratchSpace // from scratchSpaces until release
}

// scratchSpace is the part of a conversion's state that is only scratch:
// slices that grow to the sizes one document needs and that the next
// document can use again. Convert takes one from scratchSpaces and returns
// it when the conversion is done.
type scratchSpace struct {
	ids   map[string]int // heading ids given so far: > 0 when taken
	byRef map[refKey]int // index into res.Mentions

	firsts      []occurrence // parallel to res.Mentions: the first occurrence
	lastSection []int        // parallel to res.Mentions: the last section it occurs in, or -1
	inSections  []inSection  // which mentions occur in which sections, in document order

	// For mention matching, reused from run to run.
	run     []ast.Node
	items   []runItem
	joined  []byte
	matches []link.Match
	found   []found

	// For the sentences around first mentions (see finish).
	targets      []ast.Node
	text         []byte
	spans        []span
	sentences    []byte // the sentences of the mentions, one after another
	sentenceEnds []int  // parallel to res.Mentions: where its sentence ends

	lineStarts []int // room for state.pos

	// The nodes that the walk adds to the tree.
	mentionNodes arena[mentionNode]
	textNodes    arena[ast.Text]
	headingIDs   arena[headingID]
}

var scratchSpaces = sync.Pool{New: func() any { return new(scratchSpace) }}

// maxPooledScratch is the most elements a slice of a pooled scratchSpace
// keeps, and maxPooledText the most bytes; a larger one (from a huge
// document) is dropped rather than kept for every document after it.
const (
	maxPooledScratch = 1 << 12
	maxPooledText    = 1 << 16
	maxPooledBlocks  = 16 // of an arena
)

// release returns st's scratch space to scratchSpaces, without the
// pointers into this document's tree that it still holds.
func (st *state) release() {
	sc := st.scratchSpace
	st.scratchSpace = nil
	sc.lineStarts = reclaim(st.pos.spare, maxPooledScratch)
	st.pos = positions{}
	sc.ids = reclaimMap(sc.ids, maxPooledScratch)
	sc.byRef = reclaimMap(sc.byRef, maxPooledScratch)
	sc.firsts = reclaim(sc.firsts, maxPooledScratch)
	sc.lastSection = reclaim(sc.lastSection, maxPooledScratch)
	sc.inSections = reclaim(sc.inSections, maxPooledScratch)
	sc.run = reclaim(sc.run, maxPooledScratch)
	sc.items = reclaim(sc.items, maxPooledScratch)
	sc.joined = reclaim(sc.joined, maxPooledText)
	sc.matches = reclaim(sc.matches, maxPooledScratch)
	sc.found = reclaim(sc.found, maxPooledScratch)
	sc.targets = reclaim(sc.targets, maxPooledScratch)
	sc.text = reclaim(sc.text, maxPooledText)
	sc.spans = reclaim(sc.spans, maxPooledScratch)
	sc.sentences = reclaim(sc.sentences, maxPooledText)
	sc.sentenceEnds = reclaim(sc.sentenceEnds, maxPooledScratch)
	sc.mentionNodes.reset(maxPooledBlocks)
	sc.textNodes.reset(maxPooledBlocks)
	sc.headingIDs.reset(maxPooledBlocks)
	scratchSpaces.Put(sc)
}

// reclaim returns s emptied and zeroed for its next use, or nil if it can
// hold more than limit elements.
func reclaim[T any](s []T, limit int) []T {
	if cap(s) > limit {
		return nil
	}
	s = s[:cap(s)]
	clear(s)
	return s[:0]
}

// reclaimMap returns m emptied for its next use, or a new map if m has
// held more than limit entries (a cleared map keeps its size).
func reclaimMap[K comparable, V any](m map[K]V, limit int) map[K]V {
	if m == nil || len(m) > limit {
		return map[K]V{}
	}
	clear(m)
	return m
}

type refKey struct {
	kind  link.Kind
	index int
}

// occurrence is where an entity first occurs: the node that wraps the
// occurrence and the block whose text gives the sentence around it.
type occurrence struct {
	block, target ast.Node
}

func newState(doc *Doc, src []byte) *state {
	sc := scratchSpaces.Get().(*scratchSpace)
	st := &state{
		doc: doc,
		src: src,
		pos: positions{src: src, spare: sc.lineStarts},

		scratchSpace: sc,
	}
	if st.ids == nil {
		st.ids, st.byRef = map[string]int{}, map[refKey]int{}
	}
	// Room for every line that starts with "##" (the ## and ### headings,
	// and some more), so that the slices are allocated once rather than
	// grown step by step.
	h := bytes.Count(src, []byte("\n##"))
	if bytes.HasPrefix(src, []byte("##")) {
		h++
	}
	st.res.Sections = make([]Section, 1, 1+h)
	st.res.Sections[0] = Section{Line: doc.BodyLine}
	if h > 0 {
		st.res.Headings = make([]Heading, 0, h)
	}
	return st
}

// transformer is the one ASTTransformer of the package. A single walk in
// document order gives headings their ids, opens sections, resolves link
// destinations and wikilinks, and wraps entity mentions, so that "first
// mention" and section membership follow the order a reader sees.
type transformer struct{}

// Transform implements parser.ASTTransformer.
func (transformer) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*state)
	if st == nil {
		return
	}
	st.walk(doc, true)
}

// walk visits the children of parent. Consecutive Text and String children
// form a run whose joined text is matched for mentions when mentions is true.
func (st *state) walk(parent ast.Node, mentions bool) {
	// Text between inline HTML tags (<a href=…>Kim</a>) is inside raw HTML
	// too: depth counts the elements open among parent's children.
	depth := 0
	for c := parent.FirstChild(); c != nil; {
		next := c.NextSibling()
		if raw, ok := c.(*ast.RawHTML); ok {
			depth = max(0, depth+tagDepth(raw, st.src))
		}
		if mentions && depth == 0 && isRunText(c) {
			st.run = append(st.run, c)
			if t, ok := c.(*ast.Text); ok && t.HardLineBreak() {
				// A name does not continue across a <br>.
				st.flush(parent)
			}
			c = next
			continue
		}
		// The run is flushed before visiting anything else, so the scratch
		// slices are free again when visit recurses.
		st.flush(parent)
		st.visit(c, mentions)
		c = next
	}
	st.flush(parent)
}

func (st *state) visit(c ast.Node, mentions bool) {
	switch n := c.(type) {
	case *ast.Heading:
		st.heading(n)
		// Headings never hold mentions, but wikilinks in them still resolve.
		st.walk(n, false)
	case *ast.Paragraph:
		if !st.summary && n.Parent() != nil && n.Parent().Kind() == ast.KindDocument {
			if s := st.plainText(n); s != "" {
				st.res.Summary, st.summary = s, true
			}
		}
		st.walk(n, mentions)
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.CodeSpan, *ast.RawHTML, *ast.AutoLink:
		// Nothing inside code or raw HTML is a mention or a link of ours.
	case *ast.Link:
		n.Destination = resolveDest(n.Destination, st.doc.Base, false)
		st.walk(n, false)
	case *ast.Image:
		n.Destination = resolveDest(n.Destination, st.doc.Base, true)
		st.walk(n, false)
	case *wikilink.Node:
		st.wikilink(n)
	default:
		if isFootnoteList(c) {
			// Footnotes belong to no section.
			st.section = -1
		}
		st.walk(c, mentions)
	}
}

// occur records one occurrence of ref and reports whether it is the first
// in the document.
func (st *state) occur(ref *link.Ref, block, target ast.Node) bool {
	k := refKey{ref.Kind, ref.Index}
	i, seen := st.byRef[k]
	if !seen {
		i = len(st.res.Mentions)
		st.byRef[k] = i
		st.res.Mentions = append(st.res.Mentions, Mention{Ref: ref})
		st.firsts = append(st.firsts, occurrence{block, target})
		st.lastSection = append(st.lastSection, -1)
	}
	st.res.Mentions[i].Count++
	if st.section >= 0 && st.lastSection[i] != st.section {
		st.lastSection[i] = st.section
		st.inSections = append(st.inSections, inSection{i, st.section})
	}
	return !seen
}

// inSection says that mention (an index into Result.Mentions) occurs in
// section: occur collects them, and mentionSections turns them into the
// Sections of each Mention.
type inSection struct{ mention, section int }

// mentionSections sets the Sections of every Mention from st.inSections.
// They are cut from one allocation rather than grown one by one: a
// document mentions dozens of entities, each in a few sections.
func (st *state) mentionSections() {
	if len(st.inSections) == 0 {
		return
	}
	all := make([]int, len(st.inSections))
	// Count each mention's sections, then turn the counts into where
	// each mention's part of all starts.
	counts := st.lastSection
	clear(counts)
	for _, in := range st.inSections {
		counts[in.mention]++
	}
	at := 0
	for i, n := range counts {
		counts[i] = at
		at += n
	}
	// inSections is in document order, so each part comes out ascending.
	for _, in := range st.inSections {
		all[counts[in.mention]] = in.section
		counts[in.mention]++
	}
	start := 0
	for i := range st.res.Mentions {
		if end := counts[i]; end > start {
			st.res.Mentions[i].Sections = all[start:end:end]
			start = end
		}
	}
}

// isSelf reports whether ref is the document's own ref.
func (st *state) isSelf(ref *link.Ref) bool {
	s := st.doc.Self
	return s != nil && ref != nil && s.Kind == ref.Kind && s.Index == ref.Index
}

// finish computes what needs the whole tree: the sentences around first
// mentions, which must see the text of mentions later in the same block.
//
// The text of a block is made once for each run of consecutive first
// mentions in it, rather than once per mention. The walk registers them in
// document order, so a run lists them in the order in which the block's
// text meets them. A mention that the text does not meet in that order
// (one in an image's alt text, which the text leaves out, and every
// mention after it in the run) gets a pass of its own.
func (st *state) finish() {
	p := plain{src: st.src, b: st.text, spans: st.spans}
	targets := st.targets
	for i := 0; i < len(st.firsts); {
		block := st.firsts[i].block
		targets = targets[:0]
		for j := i; j < len(st.firsts) && st.firsts[j].block == block; j++ {
			targets = append(targets, st.firsts[j].target)
		}
		p.around(block, targets)
		for k, sp := range p.spans {
			if !sp.found && block != nil {
				one := plain{src: st.src}
				one.around(block, targets[k:k+1])
				sp = one.spans[0]
			}
			st.sentences = appendSentence(st.sentences, p.b, sp.start, sp.end)
			st.sentenceEnds = append(st.sentenceEnds, len(st.sentences))
		}
		i += len(targets)
	}
	st.targets, st.text, st.spans = targets, p.b, p.spans
	// One string holds every sentence, rather than one string each.
	all, start := string(st.sentences), 0
	for i, end := range st.sentenceEnds {
		st.res.Mentions[i].Sentence = all[start:end]
		start = end
	}
}

// blockOf returns the nearest block ancestor of n (n itself if it is one):
// the paragraph, table cell or heading whose text holds a mention.
func blockOf(n ast.Node) ast.Node {
	for ; n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock {
			return n
		}
	}
	return nil
}
