package markdown

import (
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"go.abhg.dev/goldmark/wikilink"
)

// nodeRenderer renders the node kinds whose HTML is ours: headings,
// links, images, code, footnotes, mentions, wikilinks and (in safe mode)
// raw HTML. It holds no per-document state: the transformer stores every
// per-document decision in the tree, so one renderer serves concurrent
// conversions.
type nodeRenderer struct {
	unsafe bool
}

func newNodeRenderer(unsafe bool) *nodeRenderer {
	return &nodeRenderer{unsafe: unsafe}
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, r.renderHeading)
	reg.Register(ast.KindLink, r.renderLink)
	reg.Register(ast.KindImage, r.renderImage)
	reg.Register(ast.KindFencedCodeBlock, r.renderCode)
	reg.Register(ast.KindCodeBlock, r.renderCode)
	reg.Register(extast.KindFootnoteLink, r.renderFootnoteLink)
	reg.Register(extast.KindFootnoteBacklink, r.renderFootnoteBacklink)
	reg.Register(extast.KindFootnote, r.renderFootnote)
	reg.Register(extast.KindFootnoteList, r.renderFootnoteList)
	reg.Register(kindMention, r.renderMention)
	reg.Register(kindWikiLink, r.renderWikiLink)
	reg.Register(wikilink.Kind, r.renderUnresolved)
	if !r.unsafe {
		reg.Register(ast.KindRawHTML, r.renderRawHTML)
		reg.Register(ast.KindHTMLBlock, r.renderHTMLBlock)
	}
}
