package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Smarten gives plain text from front matter (summaries, datelines) the
// same typography the Typographer gives Markdown bodies, so that a summary
// shown above a briefing does not have straight quotes where its body has
// curly ones: an apostrophe or closing quote after a letter, digit or
// punctuation becomes ’ or ”, an opening one becomes ‘ or “, "--" becomes an
// en dash and "---" an em dash, "..." an ellipsis.
func Smarten(s string) string {
	if !strings.ContainsAny(s, `'"-.`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := ' ' // start of text opens a quote
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\'' || r == '"':
			opening := unicode.IsSpace(prev) || strings.ContainsRune("([{‘“-–—/", prev)
			if r == '\'' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				opening = false // an elided year: ’90s
			}
			switch {
			case r == '\'' && opening:
				b.WriteRune('‘')
			case r == '\'':
				b.WriteRune('’')
			case opening:
				b.WriteRune('“')
			default:
				b.WriteRune('”')
			}
		case strings.HasPrefix(s[i:], "---"):
			b.WriteRune('—')
			r, size = '—', 3
		case strings.HasPrefix(s[i:], "--"):
			b.WriteRune('–')
			r, size = '–', 2
		case strings.HasPrefix(s[i:], "..."):
			b.WriteRune('…')
			r, size = '…', 3
		default:
			b.WriteString(s[i : i+size])
		}
		prev = r
		i += size
	}
	return b.String()
}
