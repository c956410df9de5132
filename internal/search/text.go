package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PlainText returns the text a reader sees in converted HTML: tags removed,
// entities resolved, block boundaries as line breaks, runs of white space as
// one space. Heading anchors ("#") and footnote reference numbers are left
// out, since they are not words of the text. The HTML is the converter's own
// output (well formed, attributes quoted), so a small scanner suffices; link
// sentinels live inside attributes and go with the tags.
func PlainText(src []byte) string {
	var b strings.Builder
	skip, skipName := 0, "" // depth inside an element whose text is left out
	s := string(src)
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			i = len(s)
		}
		if skip == 0 {
			b.WriteString(html.UnescapeString(s[:i]))
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
		case blockTags[name]:
			b.WriteByte('\n')
		}
	}
	return collapse(b.String())
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
// closes an element. Comments and doctypes have no name.
func tagName(tag string) (string, bool) {
	t := strings.TrimPrefix(tag, "<")
	closing := strings.HasPrefix(t, "/")
	t = strings.TrimPrefix(t, "/")
	n := strings.IndexFunc(t, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	})
	if n < 0 {
		n = len(t)
	}
	return strings.ToLower(t[:n]), closing
}

// blockTags end a line of text: words on either side of them are not one.
var blockTags = map[string]bool{
	"p": true, "br": true, "li": true, "ul": true, "ol": true, "div": true, "section": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "pre": true,
	"blockquote": true, "table": true, "tr": true, "td": true, "th": true, "dt": true,
	"dd": true, "hr": true, "figure": true, "figcaption": true, "caption": true,
}

// collapse turns every run of white space (and NUL, which converted HTML
// never means as text) into one space and trims the ends.
func collapse(s string) string {
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); {
		c, size := rune(s[i]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s[i:])
		}
		if c == 0 || unicode.IsSpace(c) {
			space = len(b) > 0
		} else {
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
