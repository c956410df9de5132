package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// Footnotes are rendered by us rather than by goldmark's footnote renderer
// for three reasons: their ids and links must be sentinels (a footnote link
// in a section shown on a topic page leads back into the briefing), the
// list must be marked so Convert can return it apart from the last
// section, and goldmark's "fn:1" ids contain a colon that needs escaping
// in CSS selectors. Ids are fn-N for a note and fnref-N (fnref-N-2, …) for
// its references; headings never take ids of that shape.

func isFootnoteList(n ast.Node) bool { return n.Kind() == extast.KindFootnoteList }

func isFootnoteRef(n ast.Node) bool {
	k := n.Kind()
	return k == extast.KindFootnoteLink || k == extast.KindFootnoteBacklink
}

func noteID(index int) string { return "fn-" + strconv.Itoa(index) }

func refID(index, refIndex int) string {
	id := "fnref-" + strconv.Itoa(index)
	if refIndex > 0 {
		id += "-" + strconv.Itoa(refIndex+1)
	}
	return id
}

func (r *nodeRenderer) renderFootnoteLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*extast.FootnoteLink)
	is := strconv.Itoa(n.Index)
	_, _ = w.WriteString(`<sup id="` + sentinelID + refID(n.Index, n.RefIndex) + sentinelEnd +
		`"><a href="` + sentinelFrag + noteID(n.Index) + sentinelEnd +
		`" class="footnote-ref" role="doc-noteref">` + is + `</a></sup>`)
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderFootnoteBacklink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*extast.FootnoteBacklink)
	_, _ = w.WriteString(`&#160;<a href="` + sentinelFrag + refID(n.Index, n.RefIndex) + sentinelEnd +
		`" class="footnote-backref" role="doc-backlink" aria-label="Back to reference ` + strconv.Itoa(n.Index))
	if n.RefCount > 1 {
		_, _ = w.WriteString("-" + strconv.Itoa(n.RefIndex+1))
	}
	_, _ = w.WriteString(`">&#x21a9;&#xfe0e;</a>`)
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderFootnote(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*extast.Footnote)
	if entering {
		_, _ = w.WriteString(`<li id="` + sentinelID + noteID(n.Index) + sentinelEnd + "\">\n")
	} else {
		_, _ = w.WriteString("</li>\n")
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderFootnoteList(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(footnoteMark + "<div class=\"footnotes\" role=\"doc-endnotes\">\n<hr>\n<ol>\n")
	} else {
		_, _ = w.WriteString("</ol>\n</div>\n")
	}
	return ast.WalkContinue, nil
}
