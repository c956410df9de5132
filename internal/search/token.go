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

// maxTermRunes bounds the length of an indexed term: longer runs are
// hashes, URLs without separators and the like, which nobody types.
const maxTermRunes = 32

// foldTable maps lower-case accented Latin letters to plain ones. It is
// written into the manifest so that the browser folds exactly the same way.
var foldTable = map[rune]string{}

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

var stopSet = func() map[string]bool {
	m := make(map[string]bool, len(stopWords))
	for _, w := range stopWords {
		m[w] = true
	}
	return m
}()

// Token is one term of a text and where its token stands.
type Token struct {
	Term       string
	Start, End int // byte offsets of the token in the text
}

// Tokens returns the indexable terms of text in order.
func Tokens(text string) []Token {
	var out []Token
	eachToken(text, func(term string, start, end int) {
		if Indexable(term) {
			out = append(out, Token{term, start, end})
		}
	})
	return out
}

// Indexable reports whether a term goes into the index.
func Indexable(term string) bool {
	n := utf8.RuneCountInString(term)
	if n == 0 || n > maxTermRunes || stopSet[term] {
		return false
	}
	return n >= 2 || strings.IndexFunc(term, unicode.IsDigit) >= 0
}

// eachToken calls fn with the term of every token of text, indexable or not.
func eachToken(text string, fn func(term string, start, end int)) {
	var b []byte
	start := -1
	letters := false // the token has a letter or digit, not only '&' and marks
	same := true     // the term is the token's own text (lower-case ASCII)
	flush := func(end int) {
		if start >= 0 && letters && len(b) > 0 {
			if same {
				fn(text[start:end], start, end)
			} else {
				fn(string(b), start, end)
			}
		}
		b = b[:0]
		start, letters, same = -1, false, true
	}
	for i, r := range text {
		if !isTokenRune(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
		}
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
				same = false
			}
			if r != '&' {
				letters = true
			}
			b = append(b, byte(r))
		case unicode.In(r, unicode.Mn, unicode.Mc):
			// Marks decorate the letter before them; the term keeps the
			// base letter only.
			same = false
		default:
			letters = true
			if l := unicode.ToLower(r); l != r {
				r, same = l, false
			}
			if f, ok := foldTable[r]; ok {
				b, same = append(b, f...), false
			} else {
				b = utf8.AppendRune(b, r)
			}
		}
	}
	flush(len(text))
}

// isTokenRune reports whether r can be part of a token; it is the rule of
// package link's tokenizer.
func isTokenRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '&'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// compareTerms orders terms as JavaScript compares strings, by UTF-16 code
// units, so that the browser can binary-search the shard table with <. It
// differs from Go's byte order only between runes above U+FFFF and those in
// U+E000–U+FFFF.
func compareTerms(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return cmpUnits(ra, rb)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

// cmpUnits compares two different runes by their first UTF-16 code unit (the
// second decides only when the first are equal, and then the runes compare
// as they are).
func cmpUnits(a, b rune) int {
	ua, ub := firstUnit(a), firstUnit(b)
	if ua != ub {
		if ua < ub {
			return -1
		}
		return 1
	}
	if a < b {
		return -1
	}
	return 1
}

func firstUnit(r rune) rune {
	if r > 0xFFFF {
		return 0xD800 + (r-0x10000)>>10
	}
	return r
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
