package link

import (
	"unicode"
	"unicode/utf8"
)

// The tokenizer is shared by names and texts: a name matches a text exactly
// when both cut into the same tokens, so the rules live in one place.
//
// A token is a maximal run of letters, decimal digits, combining marks (Mn,
// Mc) and '&'. Marks belong to the word they decorate ("Đặng" written with
// combining accents is one token); '&' keeps "AT&T" and "M&A" whole.
// Everything else separates tokens. In particular both the ASCII apostrophe
// and the typographic ’ end a word, so "Kim’s" holds the token "Kim".
//
// Scripts written without spaces (Chinese, Japanese, Thai) form one token per
// unbroken run: "金正恩" matches only where it stands alone or between
// punctuation, not inside a longer run such as "金正恩委员长". Segmenting those
// scripts into words needs a dictionary, which this package does not carry.

// byteClass classifies the bytes of a text for nextToken: ASCII token
// characters, ASCII separators, and the bytes of multi-byte (or invalid)
// UTF-8, which need decoding. The table keeps the common case free of rune
// decoding and of branches.
var byteClass = func() (t [256]uint8) {
	for c := utf8.RuneSelf; c < len(t); c++ {
		t[c] = classRune
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = classToken
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = classToken
		t[c-'a'+'A'] = classToken
	}
	t['&'] = classToken
	return t
}()

const (
	classSep   = iota // an ASCII byte that separates tokens
	classToken        // an ASCII byte that belongs to tokens
	classRune         // a byte of a multi-byte rune: decode to decide
)

// isTokenRune reports whether r can be part of a token.
func isTokenRune(r rune) bool {
	if r < utf8.RuneSelf {
		return byteClass[r] == classToken
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// nextToken returns the byte bounds of the first token that starts at or
// after i, or (-1, -1) when there is none. i must be on a rune boundary that
// is not inside a token (0, or the end of a token or separator).
func nextToken(s string, i int) (start, end int) {
	// Skip the separator.
	for {
		for i < len(s) && byteClass[s[i]] == classSep {
			i++
		}
		if i == len(s) {
			return -1, -1
		}
		if byteClass[s[i]] == classToken {
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isTokenRune(r) {
			break
		}
		i += size
	}
	return i, tokenEnd(s, i)
}

// tokenEnd returns the end of the run of token runes that starts at i.
func tokenEnd(s string, i int) int {
	for {
		for i < len(s) && byteClass[s[i]] == classToken {
			i++
		}
		if i == len(s) || byteClass[s[i]] != classRune {
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isTokenRune(r) {
			return i
		}
		i += size
	}
}

// foldRune maps r to one representative of its simple case-folding orbit
// (the orbit's smallest rune), so that two runes fold to the same value
// exactly when strings.EqualFold considers them equal. Lower-casing would not
// do: the Kelvin sign K, 'K' and 'k' must all meet, and so must 'ſ', 'S', 's'.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < m {
			m = f
		}
	}
	return m
}

// appendFold appends the case-folded form of tok to dst. It gives up and
// returns false as soon as dst would grow beyond limit bytes: no stored key
// is that long, and stopping early keeps Match from allocating for a freak
// token. A folded rune is never longer than the original (the orbit's
// smallest rune has the shortest encoding), so limit can be checked as we go.
func appendFold(dst []byte, tok string, limit int) ([]byte, bool) {
	for i := 0; i < len(tok); {
		c := tok[i]
		if c < utf8.RuneSelf {
			if len(dst) >= limit {
				return dst, false
			}
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(tok[i:])
		f := foldRune(r)
		if len(dst)+utf8.RuneLen(f) > limit {
			return dst, false
		}
		dst = utf8.AppendRune(dst, f)
		i += size
	}
	return dst, true
}

// appendSep appends the normalised form of a separator to dst: every run of
// white space (including NBSP and line breaks, since Markdown reflows names
// across lines) becomes one space, and ’ becomes ' so that "O’Brien" and
// "O'Brien" are the same name whichever quote an editor typed. Other bytes,
// even invalid UTF-8, are copied as they are. Like appendFold it stops with
// false once dst would exceed limit.
func appendSep(dst []byte, sep string, limit int) ([]byte, bool) {
	space := false
	for i := 0; i < len(sep); {
		c := sep[i]
		size := 1
		var out string
		if c < utf8.RuneSelf {
			if c == ' ' || ('\t' <= c && c <= '\r') {
				if space {
					i++
					continue
				}
				space = true
				out = " "
			} else {
				space = false
				out = sep[i : i+1]
			}
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(sep[i:])
			switch {
			case unicode.IsSpace(r):
				if space {
					i += size
					continue
				}
				space = true
				out = " "
			case r == '’':
				space = false
				out = "'"
			default:
				space = false
				out = sep[i : i+size]
			}
		}
		if len(dst)+len(out) > limit {
			return dst, false
		}
		dst = append(dst, out...)
		i += size
	}
	return dst, true
}
