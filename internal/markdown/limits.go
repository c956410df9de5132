package markdown

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/dossier-dev/dossier/internal/diag"
)

// Limits on Markdown shapes that goldmark parses in more than linear time.
// Real documents stay far below them; hostile or broken ones would
// otherwise stall a build for minutes or hours. Measured with goldmark
// v1.8.7:
//
//   - Nesting: 40,000 nested block quotes or list items take 1–4 s, and a
//     list nested by indentation is cubic (3,000 levels took 72 s).
//   - Emphasis: every closing *, _ or ~ searches back through the markers
//     that opened and never closed, so 40,000 of each in one paragraph
//     take 12 s; well-paired emphasis is linear (a 1 MB paragraph with
//     80,000 markers: 0.25 s).
//   - Links: every "](" whose ")" never comes scans to the end of the
//     paragraph; 20,000 of them take 4.5 s.
//   - Footnotes: every reference searches every definition; 40,000
//     footnotes take 32 s.
const (
	maxNesting       = 100         // lists, block quotes and footnotes inside each other
	maxEmphasisWork  = 25_000_000  // unclosed emphasis openers × closers in one paragraph
	maxLinkWork      = 100_000_000 // unclosed "](" × bytes of the paragraph
	maxFootnoteMarks = 10_000      // "[^" in one document
)

const linkMsg = "this paragraph has %d link targets \"](\" that are never closed with \")\", which makes it too slow to convert: " +
	"close them or split the paragraph with blank lines"

// checkLimits returns a diagnostic for the first place where src passes
// one of the limits, or nil. It reads lines roughly as a Markdown parser
// does: blank lines end paragraphs and fenced code is skipped. Its estimate
// of nesting counts the container markers that open a line (">", list
// markers, "[^x]:", ": ") plus half its indentation, which is never less
// than the depth of the containers that line opens.
func checkLimits(doc *Doc, src []byte) *diag.Diagnostic {
	fail := func(off int, format string, args ...any) *diag.Diagnostic {
		l, c := diag.LineCol(src, off)
		d := diag.Errorf(doc.Path, doc.BodyLine+l-1, c, format, args...)
		return &d
	}
	var fence []byte // the fence of the open code block; nil outside one
	var para paragraph
	notes := 0
	for off := 0; off <= len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		line := src[off:end]
		depth, rest, at := containers(line)
		blank := len(bytes.TrimSpace(rest)) == 0
		inCode := fence != nil
		switch {
		case fence != nil:
			if t := bytes.TrimRight(rest, " \t"); len(t) >= len(fence) && bytes.Count(t, fence[:1]) == len(t) {
				fence = nil
			}
		case isFence(rest) || blank:
			if o := para.linkOverflow(); o >= 0 {
				return fail(o, linkMsg, para.unclosed)
			}
			para = paragraph{}
			if isFence(rest) {
				n := 0
				for n < len(rest) && rest[n] == rest[0] {
					n++
				}
				fence = rest[:n]
			}
		default:
			if o := para.add(line, off); o >= 0 {
				return fail(o, "this paragraph has %d emphasis markers (*, _ or ~) that open and never close, which makes it too slow to convert: "+
					"close them, split the paragraph with blank lines, or write them as \\*, \\_ and \\~", para.open())
			}
			if o := para.linkOverflow(); o >= 0 && end == len(src) {
				return fail(o, linkMsg, para.unclosed)
			}
		}
		if fence == nil && depth > maxNesting {
			return fail(off+at, "lists, block quotes and footnotes are nested more than %d levels deep here: flatten the structure", maxNesting)
		}
		if !inCode {
			// "[^" cannot overlap itself, so counting the matches of
			// bytes.Index counts every place where one starts.
			for i := 0; ; i += 2 {
				j := bytes.Index(line[i:], footnoteOpen)
				if j < 0 {
					break
				}
				i += j
				if notes++; notes > maxFootnoteMarks {
					return fail(off+i, "this document has more than %d footnote references and definitions [^…], which makes it too slow to convert: "+
						"split the document", maxFootnoteMarks)
				}
			}
		}
		if end == len(src) {
			break
		}
		off = end + 1
	}
	return nil
}

// paragraph tracks, for one paragraph, what makes goldmark slow.
type paragraph struct {
	opens, closes [3]int // emphasis runs of *, _ and ~ that can open, close
	size          int    // bytes so far
	unclosed      int    // "](" without a ")" after it on its line
	firstUnclosed int    // offset of the first of them
}

// open returns the emphasis openers that no closer of their kind can match.
func (p *paragraph) open() int {
	n := 0
	for i := range p.opens {
		n += max(p.opens[i]-p.closes[i], 0)
	}
	return n
}

// add counts the line at offset off into the paragraph and returns the
// offset of the emphasis marker with which the work of matching markers
// passes maxEmphasisWork, or -1.
//
// Most lines of prose hold no emphasis marker and no "](", so add skips
// to the next byte that can matter through a table, finds the line's last
// ")" only once it meets a "](", and decodes the runes around a marker
// only when they are not ASCII.
func (p *paragraph) add(line []byte, off int) int {
	p.size += len(line) + 1
	lastParen := -2 // offset of the line's last ')' (-1: none); -2 until needed
	for i := 0; i < len(line); i++ {
		c := line[i]
		k := limitByte[c]
		if k == 0 {
			continue
		}
		if c == ']' {
			if i+1 < len(line) && line[i+1] == '(' {
				if lastParen == -2 {
					lastParen = bytes.LastIndexByte(line, ')')
				}
				if lastParen < i {
					if p.unclosed == 0 {
						p.firstUnclosed = off + i
					}
					p.unclosed++
				}
			}
			continue
		}
		k-- // 0, 1, 2 for *, _, ~
		// A run of one marker counts once, at its first byte.
		j := i + 1
		for j < len(line) && line[j] == c {
			j++
		}
		before, after := ' ', ' '
		if i > 0 {
			before = lastRune(line[:i])
		}
		if j < len(line) {
			after = firstRune(line[j:])
		}
		left := !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before))
		right := !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after))
		if left {
			p.opens[k]++
		}
		if right {
			p.closes[k]++
			total := p.closes[0] + p.closes[1] + p.closes[2]
			if p.open()*total > maxEmphasisWork {
				return off + i
			}
		}
		i = j - 1 // the rest of the run is the same marker
	}
	return -1
}

// limitByte tells paragraph.add which bytes to look at: the emphasis
// markers (1 + their index in paragraph.opens) and ']' (which may start
// "](").
var limitByte = [256]uint8{'*': 1, '_': 2, '~': 3, ']': 4}

// firstRune and lastRune return the first and the last rune of a non-empty
// s as utf8.DecodeRune and utf8.DecodeLastRune do, without a call for the
// common ASCII byte.
func firstRune(s []byte) rune {
	if s[0] < utf8.RuneSelf {
		return rune(s[0])
	}
	r, _ := utf8.DecodeRune(s)
	return r
}

func lastRune(s []byte) rune {
	if c := s[len(s)-1]; c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeLastRune(s)
	return r
}

// linkOverflow returns the offset of the first unclosed link target of a
// paragraph whose unclosed targets would take too long, or -1.
func (p *paragraph) linkOverflow() int {
	if p.unclosed > 0 && p.unclosed*p.size > maxLinkWork {
		return p.firstUnclosed
	}
	return -1
}

// isSpace and isPunct classify the runes around an emphasis marker as
// CommonMark does: Unicode white space, and Unicode punctuation or symbols.
// ASCII, the common case, is looked up in tables made from the same
// functions.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiSpace[r]
	}
	return unicode.IsSpace(r)
}

func isPunct(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiPunct[r]
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

var asciiSpace, asciiPunct = func() (space, punct [utf8.RuneSelf]bool) {
	for r := range rune(utf8.RuneSelf) {
		space[r] = unicode.IsSpace(r)
		punct[r] = unicode.IsPunct(r) || unicode.IsSymbol(r)
	}
	return space, punct
}()

// containers estimates how many containers line opens and returns the
// rest of the line after their markers, and the offset of the marker with
// which the estimate passes maxNesting (or of the rest, if none does).
func containers(line []byte) (depth int, rest []byte, at int) {
	indent, markers := 0, 0
	i, at := 0, -1
	for {
		spaces := 0
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			if line[i] == '\t' {
				spaces += 4
			} else {
				spaces++
			}
			i++
		}
		if markers == 0 {
			indent = spaces
		}
		n := marker(line[i:])
		if n == 0 {
			break
		}
		if markers++; at < 0 && markers+indent/2 > maxNesting {
			at = i
		}
		i += n
	}
	if at < 0 {
		at = i
	}
	if markers == 0 {
		return 0, line[i:], at
	}
	return markers + indent/2, line[i:], at
}

// marker returns the length of the container marker that s starts with,
// or 0.
func marker(s []byte) int {
	if len(s) == 0 {
		return 0
	}
	followed := func(n int) int { // a marker must be followed by a space or the line's end
		if n == len(s) || s[n] == ' ' || s[n] == '\t' {
			return n
		}
		return 0
	}
	switch c := s[0]; {
	case c == '>':
		return 1
	case c == '-' || c == '+' || c == '*' || c == ':':
		return followed(1)
	case c >= '0' && c <= '9':
		n := 1
		for n < len(s) && n < 10 && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n < len(s) && (s[n] == '.' || s[n] == ')') {
			return followed(n + 1)
		}
	case c == '[' && len(s) > 1 && s[1] == '^':
		if j := bytes.Index(s, []byte("]:")); j > 2 && bytes.IndexByte(s[2:j], ']') < 0 {
			return followed(j + 2)
		}
	}
	return 0
}

// footnoteOpen starts a footnote reference or definition.
var footnoteOpen = []byte("[^")

// isFence reports whether s opens a fenced code block.
func isFence(s []byte) bool {
	return bytes.HasPrefix(s, []byte("```")) || bytes.HasPrefix(s, []byte("~~~"))
}
