package markdown

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/dossier-dev/dossier/internal/diag"
)

// checkLimitsRef and paragraphRef.add are checkLimits and paragraph.add as
// they were before their fast paths: a byte-by-byte scan that decodes the
// runes around every marker. The tests below check that the fast versions
// agree with them on every input.
func checkLimitsRef(doc *Doc, src []byte) *diag.Diagnostic {
	fail := func(off int, format string, args ...any) *diag.Diagnostic {
		l, c := diag.LineCol(src, off)
		d := diag.Errorf(doc.Path, doc.BodyLine+l-1, c, format, args...)
		return &d
	}
	var fence []byte
	var para paragraphRef
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
			para = paragraphRef{}
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
		for i := 0; i+1 < len(line) && !inCode; i++ {
			if line[i] == '[' && line[i+1] == '^' {
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

type paragraphRef struct{ paragraph }

func (p *paragraphRef) add(line []byte, off int) int {
	p.size += len(line) + 1
	lastParen := bytes.LastIndexByte(line, ')')
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c == ']' && i+1 < len(line) && line[i+1] == '(' && lastParen < i {
			if p.unclosed == 0 {
				p.firstUnclosed = off + i
			}
			p.unclosed++
		}
		k := bytes.IndexByte([]byte("*_~"), c)
		if k < 0 || i > 0 && line[i-1] == c {
			continue
		}
		j := i
		for j < len(line) && line[j] == c {
			j++
		}
		before, _ := utf8.DecodeLastRune(line[:i])
		after, _ := utf8.DecodeRune(line[j:])
		if i == 0 {
			before = ' '
		}
		if j == len(line) {
			after = ' '
		}
		isPunct := func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }
		left := !unicode.IsSpace(after) && (!isPunct(after) || unicode.IsSpace(before) || isPunct(before))
		right := !unicode.IsSpace(before) && (!isPunct(before) || unicode.IsSpace(after) || isPunct(after))
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
	}
	return -1
}

// limitCases are inputs for the agreement tests: ordinary prose, every
// construct that checkLimits counts, Unicode and broken UTF-8 around the
// markers, and documents just over and just under each limit.
func limitCases() []string {
	cases := []string{
		"", "\n", "\n\n", "plain prose, nothing special.\n", "Kim met *nobody* and **Putin** _too_; ~~struck~~.",
		"*a_ *b_", "*_a_*", "_*x*_", "~~*a*~~", "a*](b", "x_~*y", "__**x**__", "snake_case_name and 2*3*4", "__init__ ***bold italic*** ~~~not a fence", "a * b _ c ~ d",
		"*é* _日本_ ~ü~ «*»", "\u00a0*\u00a0_\u2003~\u3000", "*\u0085x", "x*\u00a0", "(*)[_]{~}", "\xff*\xfe_\xc3~",
		"*\xe6\x97", "\xe6\x97*", "a*", "*a", "*", "_", "~", "**", "a**b", "a__b", "‘*quoted*’", "€*€", "*€",
		"[a](b) [c](d", "[a](b", "](", "]( )", ") ](", "[x](y) ](", "]]((", "a](b\nc](d)\n\nx](", "](\r\n](",
		"[^1] and [^2]\n\n[^1]: a\n[^2]: b", "[^[^[^", "[[^^", "x[^", "[^", "^[", "```\n[^1] *a\n```\n[^2]",
		"~~~\n*a\n~~~~\n*b", "```go\ncode\n````\nafter *x", "    ```\n*a", "> ```\n> *a\n> ```",
		"- a\n  - b\n    - c", "> > > x", "1. 2) 3. x", ": def\n: more", "[^a]: [^b]: x", "\t\t- x", "-x", ">x",
		"text\r\nmore *text*\r\n\r\n_x_\r\n", "a\n \nb", "a\n\u00a0\nb *c", " \t \n*", "\x00*\x00",
	}
	cases = append(cases,
		strings.Repeat("> ", 100)+"x\n", strings.Repeat("> ", 101)+"x\n", strings.Repeat("- ", 150)+"x\n",
		strings.Repeat("*a_ ", 40_000), strings.Repeat("*a_ ", 5_000)+"\n\n"+strings.Repeat("*a_ ", 5_000),
		strings.Repeat("a* ", 20_000)+strings.Repeat(" *a", 20_000), strings.Repeat("a** ", 20_000)+strings.Repeat(" **a", 20_000),
		strings.Repeat("[a](", 20_000), strings.Repeat("[a](\n", 20_000), strings.Repeat("[a](", 9_999)+")",
		strings.Repeat("x](y ", 10_000)+"\n"+strings.Repeat("z", 10_000), strings.Repeat("[a](b) ", 20_000),
		strings.Repeat("x[^1]\n\n[^1]: y\n\n", 5_001), strings.Repeat("[^", 10_001), strings.Repeat("[^", 10_000),
		strings.Repeat("```\n"+strings.Repeat("[^", 100)+"\n```\n", 200),
	)
	for _, f := range []string{"testdata/bench.md"} {
		if b, err := os.ReadFile(f); err == nil {
			cases = append(cases, string(b))
		}
	}
	return cases
}

func sameDiag(a, b *diag.Diagnostic) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Error() == b.Error()
}

// TestCheckLimitsAgree checks that checkLimits gives the same result as the
// byte-by-byte reference on each case, alone and with a prefix that moves
// every offset.
func TestCheckLimitsAgree(t *testing.T) {
	doc := &Doc{Path: "f.md", BodyLine: 3}
	kinds := map[string]int{} // diagnostics by limit: every limit must be tested
	for i, c := range limitCases() {
		for _, src := range []string{c, "prefix *line*\n" + c, "é" + c, c + "\n\n" + c} {
			got, want := checkLimits(doc, []byte(src)), checkLimitsRef(doc, []byte(src))
			if !sameDiag(got, want) {
				t.Errorf("case %d (%.40q…): got %v, want %v", i, src, got, want)
			}
			for _, k := range []string{"nested", "emphasis", "link targets", "footnote references"} {
				if want != nil && strings.Contains(want.Msg, k) {
					kinds[k]++
				}
			}
		}
	}
	if len(kinds) != 4 {
		t.Errorf("the cases pass only these limits: %v", kinds)
	}
}

// TestParagraphAdd checks paragraph.add against the reference line by line,
// with counts already near the emphasis limit, so that short lines cross it.
func TestParagraphAdd(t *testing.T) {
	// The second and third start one closer below the limit: 2,500 closers
	// times 10,001 (or, after closing a "_", 10,000) open markers.
	starts := []paragraph{{}, {opens: [3]int{0, 10_001, 0}, closes: [3]int{0, 0, 2_499}},
		{opens: [3]int{3_000, 3_000, 4_001}, closes: [3]int{0, 0, 2_499}}}
	over := 0
	for i, c := range limitCases() {
		for _, start := range starts {
			over += checkAdd(t, fmt.Sprint("case ", i), start, c)
		}
	}
	if over == 0 {
		t.Error("no case passes the emphasis limit")
	}
}

// checkAdd adds the lines of src to a paragraph that starts as start, with
// paragraph.add and with the reference, and fails unless both return the
// same and leave the same counts. It returns how many lines passed the
// emphasis limit.
func checkAdd(t *testing.T, name string, start paragraph, src string) int {
	t.Helper()
	got, want := start, paragraphRef{start}
	over, off := 0, 0
	for _, line := range strings.SplitAfter(src, "\n") {
		b := []byte(strings.TrimSuffix(line, "\n"))
		g, w := got.add(b, off), want.add(b, off)
		if g != w || got != want.paragraph {
			t.Fatalf("%s: line %q: got %d %+v, want %d %+v", name, b, g, got, w, want.paragraph)
		}
		if g >= 0 {
			over++
		}
		off += len(line)
	}
	return over
}

// FuzzCheckLimits compares checkLimits with the reference on any input,
// repeated so that short inputs can reach the limits too.
func FuzzCheckLimits(f *testing.F) {
	for _, c := range limitCases() {
		if len(c) < 1000 {
			f.Add(c, uint16(1))
		}
	}
	f.Add("*a_ ", uint16(40_000))
	f.Add("[a](", uint16(20_000))
	f.Add("[^1]\n", uint16(10_001))
	f.Add("> ", uint16(101))
	doc := &Doc{Path: "f.md", BodyLine: 1}
	f.Fuzz(func(t *testing.T, s string, n uint16) {
		if len(s)*int(n) > 1<<20 {
			n = uint16(1<<20/max(len(s), 1)) + 1
		}
		src := []byte(strings.Repeat(s, max(int(n), 1)))
		if got, want := checkLimits(doc, src), checkLimitsRef(doc, src); !sameDiag(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
}

// FuzzParagraphAdd compares paragraph.add with the reference on any line,
// from counts that the fuzzer chooses.
func FuzzParagraphAdd(f *testing.F) {
	for _, c := range limitCases() {
		if len(c) < 1000 {
			f.Add(c, uint16(0), uint16(0), uint16(0))
		}
	}
	f.Add("*a_ ~b", uint16(5000), uint16(4999), uint16(4999))
	f.Fuzz(func(t *testing.T, s string, o0, o1, c2 uint16) {
		_ = checkAdd(t, "fuzz", paragraph{opens: [3]int{int(o0), int(o1), 0}, closes: [3]int{0, 0, int(c2)}}, s)
	})
}

func BenchmarkCheckLimits(b *testing.B) {
	src, err := os.ReadFile("testdata/bench.md")
	if err != nil {
		b.Fatal(err)
	}
	doc := &Doc{Path: "b.md", BodyLine: 1}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if checkLimits(doc, src) != nil {
			b.Fatal("bench.md passes a limit")
		}
	}
}
