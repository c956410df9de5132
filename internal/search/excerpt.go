package search

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// A record holds the text a result's snippet is cut from, and what one
// query loads is at most ResultsPage records' packs: so a record can hold
// about a kilobyte of a document's text, not all of it. Which kilobyte
// decides whether a snippet can show the words a search found. The record
// holds an excerpt, chosen from the document alone (so that it changes
// only when the document does):
//
//   - the start of the text: what the passages leave, and at least a
//     quarter unless the document has a summary of its own (which the
//     result shows when the excerpt does not hold the words searched for);
//   - short passages around the first mention of each name the text links
//     to, and then of each other capitalised word inside a sentence —
//     names are what people search for, and a name a document mentions
//     once, late, is exactly what the start of its text misses;
//
// Words of the title, names and summary need no passage: a result shows
// them already. The passages are joined in the order of the text, with "…"
// where text was left out.

// anchor is a candidate passage of an excerpt: a link's text or a
// capitalised word, at the first mention of a term.
type anchor struct {
	start, end int
	link       bool
}

// Passage bounds: the words within these many bytes on either side of an
// anchor go with it.
const (
	passageBefore = 24
	passageAfter  = 40
	ellipsis      = " … "
)

// appendExcerpt appends to dst, as a JSON string, at most about limit bytes
// of text: all of it when it fits, else an excerpt around anchors (in the
// order of the text). lead says whether the excerpt starts with the start
// of the text.
func appendExcerpt(dst, text []byte, anchors []anchor, limit int, lead bool) []byte {
	var s excerptScratch
	return s.appendExcerpt(dst, text, anchors, limit, lead)
}

// excerptScratch holds what appendExcerpt needs while it works, for a
// worker to reuse from one document to the next.
type excerptScratch struct {
	spans [][2]int
	text  []byte
}

// appendExcerpt is appendExcerpt with buffers kept in s.
func (sc *excerptScratch) appendExcerpt(dst, text []byte, anchors []anchor, limit int, lead bool) []byte {
	if len(text) <= limit {
		return appendJSONString(dst, text)
	}
	reserve := 0
	if lead {
		reserve = limit / 4
	}
	// Passages, links first, each within what is left of the budget.
	spans := sc.spans[:0]
	used := 0
	for _, links := range []bool{true, false} {
		for _, a := range anchors {
			if a.link != links || a.start < reserve || covered(spans, a.start, a.end) {
				continue
			}
			s := [2]int{wordStart(text, max(a.start-passageBefore, 0), a.start), wordEnd(text, a.end, min(a.end+passageAfter, len(text)))}
			cost := s[1] - s[0] + len(ellipsis)
			if used+cost > limit-reserve {
				continue
			}
			spans = append(spans, s)
			used += cost
		}
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	// The start of the text takes the rest (the reserve at least), and the
	// passages it reaches.
	head := 0
	if rest := max(limit-used, reserve); rest >= passageBefore+passageAfter || lead {
		h, _ := truncate(text, rest)
		head = len(h)
	}
	b := append(sc.text[:0], text[:head]...)
	end := head
	for _, s := range spans {
		if s[1] <= end {
			continue
		}
		if s[0] <= end+len(ellipsis) {
			b = append(b, text[end:s[1]]...) // adjacent: no gap to mark
		} else {
			if len(b) > 0 {
				b = append(b, ellipsis...)
			} else {
				b = append(b, "… "...)
			}
			b = append(b, text[s[0]:s[1]]...)
		}
		end = s[1]
	}
	if end < len(text) {
		b = append(b, " …"...)
	}
	sc.spans, sc.text = spans, b
	return appendJSONString(dst, b)
}

func covered(spans [][2]int, start, end int) bool {
	for _, s := range spans {
		if s[0] <= start && end <= s[1] {
			return true
		}
	}
	return false
}

// wordStart moves from i (not after limit) to the start of a word.
func wordStart(text []byte, i, limit int) int {
	if i == 0 {
		return 0
	}
	for j := i; j < limit; j++ {
		if text[j-1] == ' ' {
			return j
		}
	}
	return limit
}

// wordEnd moves back from i (not before limit) to the end of a word.
func wordEnd(text []byte, limit, i int) int {
	if i >= len(text) {
		return len(text)
	}
	for j := i; j > limit; j-- {
		if text[j] == ' ' {
			return j
		}
	}
	return limit
}

// capitalised reports whether the word at start begins with an upper-case
// letter inside a sentence: not after the end of one.
func capitalised(text []byte, start int) bool {
	r, _ := utf8.DecodeRune(text[start:])
	if !unicode.IsUpper(r) {
		return false
	}
	for i := start - 1; i >= 0; i-- {
		switch text[i] {
		case ' ':
			continue
		case '.', '!', '?', ':', '"':
			return false
		}
		// “ and ‘ and the like open a quotation: a sentence starts.
		r, _ := utf8.DecodeLastRune(text[:i+1])
		return !unicode.Is(unicode.Pi, r) && !unicode.Is(unicode.Ps, r)
	}
	return false
}
