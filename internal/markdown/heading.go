package markdown

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// HeadingID turns heading text into an id: lower case, the letters, digits and
// combining marks of every script kept, every other run of characters
// turned into one '-', no '-' at either end. goldmark's own id function
// drops non-ASCII letters ("Überblick" → "berblick"), which would give
// every heading of a Japanese briefing the same id.
func HeadingID(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

// cleanID makes an author's {#id} safe as an id and as a URL fragment: it
// keeps what is written (case included) but turns spaces, quotes and URL
// delimiters into '-'. It never starts with '_': ids of that shape belong
// to the theme (HeadingID cannot make them either).
func cleanID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' || r == '.' || r == ':' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return strings.TrimLeft(b.String(), "_.:")
}

// isFootnoteID reports whether id has the shape of the footnote ids
// (fn-1, fnref-1, fnref-1-2), which headings must not take.
func isFootnoteID(id string) bool {
	var rest string
	switch {
	case strings.HasPrefix(id, "fn-"):
		rest = id[3:]
		return isDigits(rest)
	case strings.HasPrefix(id, "fnref-"):
		rest = id[6:]
		a, b, ok := strings.Cut(rest, "-")
		return isDigits(a) && (!ok || isDigits(b))
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// unique returns id, or id-1, id-2, … if id is taken in this document.
func (st *state) unique(id string) string {
	if isFootnoteID(id) {
		// Numbering fnref-2 would only give more footnote-shaped ids.
		id = "h-" + id
	}
	if st.ids[id] == 0 {
		st.ids[id] = 1
		return id
	}
	// st.ids[id] is the next number worth trying after id, so that a
	// document with thousands of equal headings numbers them in linear
	// time, not quadratic.
	for i := st.ids[id]; ; i++ {
		cand := id + "-" + strconv.Itoa(i)
		if st.ids[cand] == 0 {
			st.ids[id] = i + 1
			st.ids[cand] = 1
			return cand
		}
	}
}

// heading gives n its final id, opens a section for a top-level ## heading
// and records h2 and h3 for the table of contents.
func (st *state) heading(n *ast.Heading) {
	title := st.plainText(n)
	id := ""
	if v, ok := n.AttributeString("id"); ok {
		id = cleanID(attrString(v))
	}
	if id == "" {
		id = HeadingID(title)
	}
	id = st.unique(id)
	// The renderer reads the final id from here.
	h := st.headingIDs.new()
	h.id = id
	n.SetAttributeString("id", h)

	if n.Level == 2 || n.Level == 3 {
		st.res.Headings = append(st.res.Headings, Heading{Level: n.Level, ID: id, Text: title})
	}
	if !isSection(n) {
		return
	}
	var topics []string
	if v, ok := n.AttributeString("topics"); ok {
		for _, t := range strings.Split(attrString(v), ",") {
			if t = strings.TrimSpace(t); t != "" {
				topics = append(topics, t)
			}
		}
	}
	line := st.doc.BodyLine
	if pos := headingPos(n); pos >= 0 && pos <= len(st.src) {
		l, _ := st.pos.at(pos)
		line = st.doc.BodyLine + l - 1
	}
	st.section = len(st.res.Sections)
	st.res.Sections = append(st.res.Sections, Section{ID: id, Title: title, Topics: topics, Line: line})
}

// isSection reports whether n opens a section: a ## heading at the top
// level. One inside a block quote or list cannot be cut out as a section
// without breaking the HTML around it.
func isSection(n *ast.Heading) bool {
	return n.Level == 2 && n.Parent() != nil && n.Parent().Kind() == ast.KindDocument
}

func headingPos(n *ast.Heading) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	return -1
}

// attrString returns an attribute value as text; goldmark gives strings
// as []byte and numbers or booleans as other types, which we ignore.
func attrString(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return ""
}

// attrBytes is attrString for writing an attribute: a []byte value is
// returned as it is, not copied. (util.EscapeHTML never writes into its
// argument.)
func attrBytes(v any) []byte {
	if b, ok := v.([]byte); ok {
		return b
	}
	return []byte(attrString(v))
}

// safeAttrs are the heading attributes an author may set in safe mode.
// goldmark's own filter also allows style, which lets content restyle the
// page around it.
var safeAttrs = util.NewBytesFilterString(`class,dir,lang,title`)

// unsafeAttrs are the heading attributes allowed with Options.Unsafe.
var unsafeAttrs = util.NewBytesFilterString(`accesskey,autocapitalize,class,contenteditable,dir,draggable,hidden,inert,itemid,itemprop,itemref,itemscope,itemtype,lang,part,role,slot,spellcheck,style,tabindex,title,translate`)

// writeAttrs writes the author's attributes of n, except id (which we
// write as a sentinel) and topics (which is ours, not HTML).
func (r *nodeRenderer) writeAttrs(w util.BufWriter, n ast.Node) {
	filter := safeAttrs
	if r.unsafe {
		filter = unsafeAttrs
	}
	for _, a := range n.Attributes() {
		if !filter.Contains(a.Name) && !bytes.HasPrefix(a.Name, []byte("data-")) {
			continue
		}
		_ = w.WriteByte(' ')
		_, _ = w.Write(a.Name)
		_, _ = w.WriteString(`="`)
		_, _ = w.Write(util.EscapeHTML(attrBytes(a.Value)))
		_ = w.WriteByte('"')
	}
}

// headingID is the final id of a heading, which the walk stores as the
// heading's "id" attribute for renderHeading: as a pointer (from an arena),
// so that storing it allocates nothing.
type headingID struct{ id string }

// writeID writes the id attribute value v, escaped.
func writeID(w util.BufWriter, v any) {
	if h, ok := v.(*headingID); ok {
		writeEscapedHTML(w, h.id)
		return
	}
	_, _ = w.Write(util.EscapeHTML(attrBytes(v)))
}

// hasID reports whether the id attribute value v is not empty.
func hasID(v any) bool {
	if h, ok := v.(*headingID); ok {
		return h.id != ""
	}
	return len(attrBytes(v)) > 0
}

func (r *nodeRenderer) renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	v, _ := n.AttributeString("id")
	if entering {
		if isSection(n) {
			_, _ = w.WriteString(sectionMark)
		}
		_, _ = w.WriteString("<h")
		_ = w.WriteByte("0123456"[n.Level])
		if hasID(v) {
			_, _ = w.WriteString(` id="` + sentinelID)
			writeID(w, v)
			_, _ = w.WriteString(sentinelEnd + `"`)
		}
		r.writeAttrs(w, n)
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if hasID(v) {
		_, _ = w.WriteString(` <a class="anchor" href="` + sentinelFrag)
		writeID(w, v)
		_, _ = w.WriteString(sentinelEnd + `" aria-label="Link to this section">#</a>`)
	}
	_, _ = w.WriteString("</h")
	_ = w.WriteByte("0123456"[n.Level])
	_, _ = w.WriteString(">\n")
	return ast.WalkContinue, nil
}
