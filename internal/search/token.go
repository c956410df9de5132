package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The tokenizer runs twice: here, when the index is built, and in the
// browser (themes/default/static/search.js) on the query and on the text a
// snippet is cut from. The two must cut the same terms, so the rules are
// few, and the data they need (the folding table and the stop words) is
// written into the index manifest for the browser to use, not copied.
//
// A token is a maximal run of letters, decimal digits, combining marks and
// '&' — the same characters that make a token for mention matching (see
// package link), so "AT&T" stays whole and both apostrophes end a word
// ("Kim’s" holds "Kim"). A token becomes a term by lower-casing each rune,
// folding accented Latin letters to their base letters through foldTable
// ("Đặng" → "dang" is not covered: only Latin-1 and Latin Extended-A are)
// and dropping combining marks, so that "é" and "e\u0301" meet. A term is
// indexed when it has at least two characters or a digit, at most
// maxTermRunes characters, and is not a stop word.
//
// The index is built from tens of millions of tokens, so the tokenizer
// allocates nothing per token: it hands each term to its caller as bytes in
// a buffer it reuses, and ASCII text (almost all of an English site) takes
// a table lookup per byte.

// maxTermRunes bounds the length of an indexed term: longer runs are
// hashes, URLs without separators and the like, which nobody types.
const maxTermRunes = 32

// foldTable maps lower-case accented Latin letters to plain ones. It is
// written into the manifest so that the browser folds exactly the same way.
var foldTable = map[rune]string{}

// foldFirst, foldLast and folded are foldTable as an array, for the
// tokenizer.
const foldFirst, foldLast = 0xC0, 0x17F

var folded [foldLast - foldFirst + 1]string

func init() {
	for base, accented := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđð", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏőơ",
		"r": "ŕŗř", "s": "śŝşšſș", "t": "ţťŧț", "u": "ùúûüũūŭůűųư", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
		"ss": "ß", "ae": "æ", "oe": "œ", "th": "þ",
	} {
		for _, r := range accented {
			foldTable[r] = base
		}
	}
	for r, s := range foldTable {
		if foldFirst <= r && r <= foldLast {
			folded[r-foldFirst] = s
		}
	}
}

// fold returns the folded form of a lower-case rune, or "".
func fold(r rune) string {
	if foldFirst <= r && r <= foldLast {
		return folded[r-foldFirst]
	}
	return foldTable[r]
}

// stopWords are left out of the index and out of queries: they are in
// nearly every document, so they rank nothing and would make the largest
// posting lists.
var stopWords = []string{
	"a", "about", "after", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before",
	"being", "both", "but", "by", "can", "could", "did", "do", "does", "each", "for", "from",
	"had", "has", "have", "he", "her", "his", "how", "if", "in", "into", "is", "it", "its",
	"may", "might", "more", "most", "must", "no", "not", "of", "on", "or", "other", "our",
	"over", "own", "same", "she", "should", "since", "so", "some", "such", "than", "that",
	"the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
	"under", "until", "very", "was", "we", "were", "what", "when", "where", "which", "while",
	"who", "whom", "why", "will", "with", "would",
}

var stopSet, stopLen = func() (map[string]bool, int) {
	m := make(map[string]bool, len(stopWords))
	n := 0
	for _, w := range stopWords {
		m[w] = true
		n = max(n, len(w))
	}
	return m, n
}()

// Token is one term of a text and where its token stands.
type Token struct {
	Term       string
	Start, End int // byte offsets of the token in the text
}

// Tokens returns the indexable terms of text in order.
func Tokens(text string) []Token {
	var out []Token
	eachToken(text, nil, func(term []byte, start, end int) {
		if indexable(term) {
			out = append(out, Token{string(term), start, end})
		}
	})
	return out
}

// Indexable reports whether a term goes into the index.
func Indexable(term string) bool { return indexable([]byte(term)) }

func indexable(term []byte) bool {
	n := len(term)
	ascii := true
	for _, c := range term {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		n = utf8.RuneCount(term)
	}
	if n == 0 || n > maxTermRunes || len(term) <= stopLen && stopSet[string(term)] {
		return false
	}
	if n >= 2 {
		return true
	}
	r, _ := utf8.DecodeRune(term)
	return unicode.IsDigit(r)
}

// Byte classes of the tokenizer, as bits, so that a run of bytes can OR
// them together and tell at its end whether it has a letter or an
// upper-case one.
const (
	sep   = 0      // an ASCII byte that ends a token
	lower = 1 << 0 // a lower-case letter or a digit: the term has it as it is
	upper = 1 << 1 // an upper-case letter: the term has it lower-cased
	amp   = 1 << 2 // '&': part of a token, but not a letter
	high  = 1 << 3 // a byte of a non-ASCII rune: decoded on its own
)

var byteClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			t[c] = lower
		case 'A' <= c && c <= 'Z':
			t[c] = upper
		case c == '&':
			t[c] = amp
		case c >= utf8.RuneSelf:
			t[c] = high
		}
	}
	return t
}()

// eachToken calls fn with the term of every token of text, indexable or
// not, and the token's byte offsets. The term is built in buf (grown as
// needed and returned for reuse) and is valid only until fn returns.
func eachToken(text string, buf []byte, fn func(term []byte, start, end int)) []byte {
	b := buf[:0]
	start := -1
	letters := false // the token has a letter or digit, not only '&' and marks
	for i := 0; i < len(text); {
		switch byteClass[text[i]] {
		case sep:
			if start >= 0 {
				if letters && len(b) > 0 {
					fn(b, start, i)
				}
				b, start, letters = b[:0], -1, false
			}
			i++
			continue
		case lower, upper, amp:
			if start < 0 {
				start = i
			}
			// The run of ASCII token bytes goes in at once, then is
			// lower-cased in place if it needs to be.
			j, classes := i, uint8(0)
			for j < len(text) {
				cl := byteClass[text[j]]
				if cl-1 >= high-1 { // sep or high
					break
				}
				classes |= cl
				j++
			}
			n := len(b)
			b = append(b, text[i:j]...)
			if classes&upper != 0 {
				for k := n; k < len(b); k++ {
					if byteClass[b[k]] == upper {
						b[k] += 'a' - 'A'
					}
				}
			}
			if classes&(lower|upper) != 0 {
				letters = true
			}
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letters = true
			r = unicode.ToLower(r)
			if f := fold(r); f != "" {
				b = append(b, f...)
			} else {
				b = utf8.AppendRune(b, r)
			}
		case unicode.In(r, unicode.Mn, unicode.Mc):
			// Marks decorate the letter before them; the term keeps the
			// base letter only.
		default:
			if start >= 0 {
				if letters && len(b) > 0 {
					fn(b, start, i)
				}
				b, start, letters = b[:0], -1, false
			}
			i += size
			continue
		}
		if start < 0 {
			start = i
		}
		i += size
	}
	if start >= 0 && letters && len(b) > 0 {
		fn(b, start, len(text))
	}
	return b
}

// compareTerms orders terms as JavaScript compares strings, by UTF-16 code
// units, so that the browser can binary-search the shard table with <. It
// differs from Go's byte order only between runes above U+FFFF (lead byte
// 0xF0–0xF4, a surrogate pair in UTF-16) and those in U+E000–U+FFFF (lead
// byte 0xEE or 0xEF): the first sort before the second in UTF-16. The
// first byte where two valid UTF-8 strings differ is in the same place of
// the same rune of both, so it decides.
func compareTerms(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if x >= 0xF0 && (y == 0xEE || y == 0xEF) {
			return -1
		}
		if y >= 0xF0 && (x == 0xEE || x == 0xEF) {
			return 1
		}
		if x < y {
			return -1
		}
		return 1
	}
	return len(a) - len(b)
}

// foldPairs returns the folding table as sorted [from, to] pairs, for the
// manifest.
func foldPairs() [][2]string {
	out := make([][2]string, 0, len(foldTable))
	for r, s := range foldTable {
		out = append(out, [2]string{string(r), s})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}
