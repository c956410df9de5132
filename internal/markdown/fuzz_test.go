package markdown

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzHeadingID checks that any heading text gives an id that is safe in an
// HTML attribute and a URL fragment, stable, and unique in its document
// however often the heading repeats.
func FuzzHeadingID(f *testing.F) {
	for _, s := range []string{"Military Cooperation", "Überblick", "日本語の見出し", "  --  ", "", "a\x00b",
		"fn-1", "fnref-2-3", "\"><img src=x onerror=alert(1)>", "\xff\xfe", "Kim Jong Un {#kim}", "A-1", "İstanbul ǅ"} {
		f.Add(s)
	}
	conv := New(Options{})
	f.Fuzz(func(t *testing.T, s string) {
		id := HeadingID(s)
		if id == "" || !utf8.ValidString(id) || strings.HasPrefix(id, "-") || strings.HasSuffix(id, "-") || strings.Contains(id, "--") {
			t.Fatalf("HeadingID(%q) = %q", s, id)
		}
		for _, r := range id {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
				t.Fatalf("HeadingID(%q) = %q has %q", s, id, r)
			}
		}
		if again := HeadingID(id); again != id {
			t.Fatalf("HeadingID is not stable: %q -> %q -> %q", s, id, again)
		}

		// The same text as several headings, and as an explicit id.
		line := strings.NewReplacer("\n", " ", "\r", " ", "{", "", "}", "").Replace(s)
		src := "## " + line + "\n\n## " + line + "\n\n### " + line + "\n\n## " + id + "\n\n## x {#" + strings.ReplaceAll(line, " ", "") + "}\n"
		r := conv.Convert(Doc{Path: "f.md", Source: []byte(src), BodyLine: 1, Base: "briefings/f/"})
		seen := map[string]bool{}
		for _, h := range r.Headings {
			if h.ID == "" || seen[h.ID] {
				t.Fatalf("heading ids not unique in %q: %+v", src, r.Headings)
			}
			seen[h.ID] = true
			if strings.ContainsAny(h.ID, " \"'<>&\x00#") {
				t.Fatalf("unsafe id %q from %q", h.ID, src)
			}
		}
	})
}

// FuzzWikilink converts documents dense in [[ ]] built around the fuzzed
// text: no input may panic, every diagnostic must point into the document,
// and the HTML must be well formed: every <a> closed, none inside another,
// and no sentinel byte left once it is fixed up.
func FuzzWikilink(f *testing.F) {
	for _, s := range []string{"Kim Jong Un", "Kim Family", "Nobody|shown", "#part", "Russia#Early life|the country",
		"[[", "]]", "|", "", "x]] [[y", "<script>alert(1)</script>", "\"><img onerror=alert(1)>", "This Briefing#a",
		"Kim Jong Un|[[Russia]]", "`[[x]]`", "[a](b)", "\x00", "\n\n", "a\nb", "![[Russia]]"} {
		f.Add(s, uint8(0))
	}
	conv := [2]*Converter{New(Options{}), New(Options{Unsafe: true})}
	f.Fuzz(func(t *testing.T, s string, flags uint8) {
		src := "[[" + s + "]] and [[" + s + "|" + s + "]] and ![[" + s + "]]\n\n- [[Kim Jong Un|" + s + "]]\n\n> [[" + s + "#" + s + "]] " + s + "\n"
		doc := Doc{Path: "f.md", Source: []byte(src), BodyLine: 4, Base: "briefings/f/",
			Self: thisDoc, Mentions: names, Wikilinks: targets, Mode: Mode(flags % 3)}
		r := conv[flags>>7].Convert(doc)
		lines := strings.Count(src, "\n") + 1
		for _, d := range r.Diags {
			if d.Path != "f.md" || d.Line < doc.BodyLine || d.Line >= doc.BodyLine+lines || d.Col < 1 || d.Msg == "" {
				t.Fatalf("diagnostic outside the document: %+v (document has %d lines from line %d)", d, lines, doc.BodyLine)
			}
		}
		var all []byte
		fc := FixContext{Root: "../../", IDPrefix: "p-", Home: "briefings/f/", OwnPage: flags&2 != 0, Offline: flags&4 != 0}
		for _, sec := range r.Sections {
			all = Fixup(all, sec.HTML, fc)
		}
		all = Fixup(all, r.Footnotes, fc)
		if bytes.IndexByte(all, 0) >= 0 {
			t.Fatalf("sentinel left in %q", all)
		}
		if flags>>7 == 0 {
			checkAnchors(t, all)
		}
	})
}

// checkAnchors asserts that every <a> in h is closed and none is nested in
// another, reading h with a real HTML tokenizer. Only for safe mode: raw
// HTML may legitimately hold anything.
func checkAnchors(t *testing.T, h []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(h))
	depth := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			if depth != 0 {
				t.Fatalf("unclosed <a> in %q", h)
			}
			return
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "a" {
				if depth++; depth > 1 {
					t.Fatalf("<a> inside <a> in %q", h)
				}
				for {
					k, v, more := z.TagAttr()
					if string(k) == "href" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(string(v))), "javascript:") {
						t.Fatalf("javascript: link in %q", h)
					}
					if !more {
						break
					}
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "a" {
				if depth--; depth < 0 {
					t.Fatalf("</a> without <a> in %q", h)
				}
			}
		}
	}
}
