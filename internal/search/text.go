package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// PlainText returns the text a reader sees in converted HTML: tags removed,
// entities resolved, block boundaries as line breaks, runs of white space as
// one space. Heading anchors ("#") and footnote reference numbers are left
// out, since they are not words of the text. The HTML is the converter's own
// output (well formed, attributes quoted), so a small scanner suffices; link
// sentinels live inside attributes and go with the tags.
func PlainText(src []byte) string {
	return string(appendPlainText(nil, src, nil))
}

// appendPlainText appends the plain text of src to dst, after a space when
// dst holds text already, and returns it without trailing space. When
// links is not nil it appends to it where the text of each link (but a
// heading's anchor) starts and ends in the result: links name things, which
// is what a snippet should show.
func appendPlainText(dst, src []byte, links *[][2]int) []byte {
	w := textWriter{b: dst, space: len(dst) > 0}
	skip, skipName := 0, "" // depth inside an element whose text is left out
	link := -1              // where the text of the open link starts
	s := unsafe.String(unsafe.SliceData(src), len(src))
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			i = len(s)
		}
		if skip == 0 {
			w.unescape(s[:i])
		}
		s = s[i:]
		if s == "" {
			break
		}
		end := tagEnd(s)
		tag := s[:end]
		s = s[end:]
		name, closing := tagName(tag)
		switch {
		case skip > 0:
			if name == skipName {
				if closing {
					skip--
				} else {
					skip++
				}
			}
		case !closing && name == "sup", !closing && name == "a" && strings.Contains(tag, `class="anchor"`):
			skip, skipName = 1, name
		case name == "a" && links != nil:
			if !closing {
				link = len(w.b)
				if w.space {
					link++ // after the space that comes first
				}
			} else if link >= 0 {
				if link < len(w.b) {
					*links = append(*links, [2]int{link, len(w.b)})
				}
				link = -1
			}
		case blockTag(name):
			w.space = len(w.b) > 0
		}
	}
	return w.b
}

// textWriter appends text with every run of white space (and NUL, which
// converted HTML never means as text) as one space, and none at the ends.
type textWriter struct {
	b     []byte
	space bool // a space is due before the next character
}

func (w *textWriter) add(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if '!' <= c && c <= '~' {
			// A run of printable ASCII goes in at once, with the single
			// spaces between its words: they stay as they are.
			j := i + 1
			for j < len(s) {
				if c := s[j]; '!' <= c && c <= '~' {
					j++
				} else if c == ' ' && j+1 < len(s) && '!' <= s[j+1] && s[j+1] <= '~' {
					j += 2
				} else {
					break
				}
			}
			if w.space {
				w.b = append(w.b, ' ')
				w.space = false
			}
			w.b = append(w.b, s[i:j]...)
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == 0 {
				w.space = len(w.b) > 0
			} else {
				if w.space {
					w.b = append(w.b, ' ')
					w.space = false
				}
				w.b = append(w.b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			w.space = len(w.b) > 0
		} else {
			if w.space {
				w.b = append(w.b, ' ')
				w.space = false
			}
			w.b = append(w.b, s[i:i+size]...)
		}
		i += size
	}
}

// unescape adds text with its character references resolved as
// html.UnescapeString resolves them; the references the converter writes
// most take a table lookup.
func (w *textWriter) unescape(s string) {
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			w.add(s)
			return
		}
		w.add(s[:i])
		s = s[i:]
		if j := strings.IndexByte(s, ';'); j > 0 && j <= 8 {
			if r := entity(s[1:j]); r != "" {
				w.add(r)
				s = s[j+1:]
				continue
			}
		}
		// Anything else: html.UnescapeString up to the next '&', which
		// resolves each reference on its own.
		j := strings.IndexByte(s[1:], '&')
		if j < 0 {
			j = len(s)
		} else {
			j++
		}
		w.add(html.UnescapeString(s[:j]))
		s = s[j:]
	}
}

// entity resolves the character references converted Markdown holds
// most: the escapes of html/template and goldmark, and the typographer's
// quotes and dashes; "" for any other.
func entity(name string) string {
	switch name {
	case "amp":
		return "&"
	case "lt":
		return "<"
	case "gt":
		return ">"
	case "quot", "#34":
		return "\""
	case "#39", "apos":
		return "'"
	case "rsquo":
		return "’"
	case "lsquo":
		return "‘"
	case "rdquo":
		return "”"
	case "ldquo":
		return "“"
	case "mdash":
		return "—"
	case "ndash":
		return "–"
	case "hellip":
		return "…"
	case "laquo":
		return "«"
	case "raquo":
		return "»"
	case "nbsp":
		return "\u00a0"
	}
	return ""
}

// tagEnd returns the length of the tag at the start of s, skipping '>'
// inside quoted attribute values.
func tagEnd(s string) int {
	var quote byte
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		}
	}
	return len(s)
}

// tagName returns the lower-case element name of a tag and whether it
// closes an element. Comments and doctypes have no name. The name is a
// slice of the tag unless it has upper-case letters.
func tagName(tag string) (string, bool) {
	t := tag[1:]
	closing := strings.HasPrefix(t, "/")
	if closing {
		t = t[1:]
	}
	n, up := 0, false
	for ; n < len(t); n++ {
		c := t[n]
		if 'A' <= c && c <= 'Z' {
			up = true
		} else if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			break
		}
	}
	if up {
		return strings.ToLower(t[:n]), closing
	}
	return t[:n], closing
}

// blockTag reports whether an element ends a line of text: words on either
// side of it are not one.
func blockTag(name string) bool {
	switch name {
	case "p", "br", "li", "ul", "ol", "div", "section",
		"h1", "h2", "h3", "h4", "h5", "h6", "pre",
		"blockquote", "table", "tr", "td", "th", "dt",
		"dd", "hr", "figure", "figcaption", "caption":
		return true
	}
	return false
}
