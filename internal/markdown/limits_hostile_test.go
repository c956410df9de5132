package markdown

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestLimits converts documents that goldmark would take minutes or hours
// over and expects a prompt error at the place where a limit is passed;
// documents just inside the limits convert.
func TestLimits(t *testing.T) {
	indented := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return b.String()
	}
	footnotes := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "x[^%d]\n\n[^%d]: y\n\n", i, i)
		}
		return b.String()
	}
	const (
		nesting = "lists, block quotes and footnotes are nested more than 100 levels deep here: flatten the structure"
		delims  = "this paragraph has 5001 emphasis markers (*, _ or ~) that open and never close, which makes it too slow to convert: close them, split the paragraph with blank lines, or write them as \\*, \\_ and \\~"
		links   = "this paragraph has 20000 link targets \"](\" that are never closed with \")\", which makes it too slow to convert: close them or split the paragraph with blank lines"
		notes   = "this document has more than 10000 footnote references and definitions [^…], which makes it too slow to convert: split the document"
	)
	for _, tc := range []struct {
		name, src, want string
	}{
		{"100,000 nested block quotes", strings.Repeat("> ", 100_000) + "x\n", "f.md:3:201: " + nesting},
		{"100,000 nested list items", strings.Repeat("- ", 100_000) + "x\n", "f.md:3:201: " + nesting},
		{"lists and quotes in turn", "text\n\n" + strings.Repeat("> 1. ", 60) + "x\n", "f.md:5:251: " + nesting},
		{"a list nested by indentation", indented(3000), "f.md:103:201: " + nesting},
		{"nested footnote definitions", strings.Repeat("[^a]: ", 20_000) + "x\n", "f.md:3:601: " + nesting},
		{"100 nested block quotes convert", strings.Repeat("> ", 100) + "x\n", ""},
		{"deep indentation in fenced code is not nesting", "```\n" + strings.Repeat(" ", 5000) + "- x\n```\n", ""},
		{"80,000 emphasis delimiters in one paragraph", strings.Repeat("*a_ ", 40_000), "f.md:3:20003: " + delims},
		{"a 1 MB paragraph of paired emphasis converts", strings.Repeat("Kim met *nobody* and **Putin** _too_; ", 1<<20/40), ""},
		{"a paragraph of 5,000 closed links converts", strings.Repeat("[a](https://example.org/) ", 5000), ""},
		{"emphasis delimiters in separate paragraphs", strings.Repeat("*a_ *b_\n\n", 20_000), ""},
		{"20,000 unclosed link targets", strings.Repeat("[a](", 20_000), "f.md:3:3: " + links},
		{"20,000 footnotes", footnotes(20_000), "f.md:20003:2: " + notes},
		{"10,000 equal headings", strings.Repeat("## A\n\n", 10_000), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r := New(Options{}).Convert(Doc{Path: "f.md", Source: []byte(tc.src), BodyLine: 3, Base: "briefings/f/"})
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			} else {
				t.Logf("%v", d)
			}
			if got := r.Diags.Error(); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if len(r.Sections) == 0 {
				t.Error("no sections")
			}
		})
	}
}
