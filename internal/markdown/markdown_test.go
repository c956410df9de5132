package markdown

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/dossier-dev/dossier/internal/link"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// Fakes for link.Trie and link.Index: small, obviously right, and
// independent of the real ones being written alongside.

var (
	kim    = &link.Ref{Kind: link.Entity, Index: 0, Slug: "kim-jong-un", Name: "Kim Jong Un", Class: "person"}
	putin  = &link.Ref{Kind: link.Entity, Index: 1, Slug: "vladimir-putin", Name: "Vladimir Putin", Class: "person"}
	russia = &link.Ref{Kind: link.Entity, Index: 2, Slug: "russia", Name: "Russia", Class: "place"}
	acme   = &link.Ref{Kind: link.Entity, Index: 3, Slug: "acme", Name: "Acme", Class: "organization"}
	acmeCo = &link.Ref{Kind: link.Entity, Index: 4, Slug: "acme-corporation", Name: "Acme Corporation", Class: "organization"}
	ivory  = &link.Ref{Kind: link.Entity, Index: 5, Slug: "cote-divoire", Name: "Côte d’Ivoire", Class: "place"}
	thing  = &link.Ref{Kind: link.Entity, Index: 6, Slug: "thing", Name: "Thing", Class: ""}

	sanctions = &link.Ref{Kind: link.Topic, Index: 0, Slug: "sanctions", Name: "Sanctions"}
	other     = &link.Ref{Kind: link.Briefing, Index: 1, Slug: "other", Name: "Other Briefing"}
	about     = &link.Ref{Kind: link.Page, Index: 0, Slug: "about", Name: "About"}
	thisDoc   = &link.Ref{Kind: link.Briefing, Index: 0, Slug: "x", Name: "This Briefing"}
)

// fakeMatcher finds names naively: at each word start, the longest name
// that ends at a word end. Apostrophes end words, as in link.Trie.
type fakeMatcher []struct {
	name string
	ref  *link.Ref
}

var names = fakeMatcher{
	{"Kim Jong Un", kim}, {"Kim", kim}, {"Vladimir Putin", putin}, {"Putin", putin},
	{"Russia", russia}, {"Acme", acme}, {"Acme Corporation", acmeCo},
	{"Côte d’Ivoire", ivory}, {"Côte d'Ivoire", ivory}, {"Thing", thing},
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&' }

func (m fakeMatcher) Match(text string, dst []link.Match) []link.Match {
	for i := 0; i < len(text); {
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		if i > 0 && isWordRune(prev) {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
			continue
		}
		best := -1
		for k, n := range m {
			if !strings.HasPrefix(text[i:], n.name) {
				continue
			}
			next, _ := utf8.DecodeRuneInString(text[i+len(n.name):])
			if i+len(n.name) < len(text) && isWordRune(next) {
				continue
			}
			if best < 0 || len(n.name) > len(m[best].name) {
				best = k
			}
		}
		if best >= 0 {
			dst = append(dst, link.Match{Start: i, End: i + len(m[best].name), Ref: m[best].ref})
			i += len(m[best].name)
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return dst
}

type fakeResolver map[string]*link.Ref

var targets = fakeResolver{
	"Kim Jong Un": kim, "Vladimir Putin": putin, "Russia": russia, "Sanctions": sanctions,
	"Other Briefing": other, "About": about, "This Briefing": thisDoc,
}

func (f fakeResolver) Resolve(name string) (*link.Ref, string) {
	if name == "Kim Family" {
		return nil, `ambiguous: "Kim Family" names entities kim-jong-un and kim-yo-jong`
	}
	if r, ok := f[name]; ok {
		return r, ""
	}
	return nil, fmt.Sprintf("no entity, topic, briefing or page is named %q", name)
}

// goldenCase is one archive of testdata/golden: input.md, and options in
// the archive comment as "key: value" lines (mode, unsafe, self, base,
// bodyline, and the FixContext fields root, prefix, offline, ownpage).
type goldenCase struct {
	doc Doc
	opt Options
	fix FixContext
}

func parseCase(t *testing.T, a *txtar.Archive) goldenCase {
	t.Helper()
	gc := goldenCase{
		doc: Doc{
			Path: "content/briefings/x.md", BodyLine: 5, Base: "briefings/x/",
			Self: thisDoc, Mentions: names, Wikilinks: targets, Mode: LinkFirst,
		},
		fix: FixContext{Root: "../../", Home: "briefings/x/", OwnPage: true},
	}
	for _, line := range strings.Split(string(a.Comment), "\n") {
		// Option lines are "key: value" with a lower-case key; other
		// lines describe the case.
		k, v, ok := strings.Cut(line, ":")
		if !ok || k == "" || strings.ToLower(k) != k || strings.ContainsAny(k, " \t") {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "mode":
			gc.doc.Mode = map[string]Mode{"first": LinkFirst, "all": LinkAll, "none": LinkNone}[v]
		case "unsafe":
			gc.opt.Unsafe = v == "true"
		case "self":
			gc.doc.Self = map[string]*link.Ref{"kim": kim, "none": nil, "doc": thisDoc}[v]
		case "base":
			gc.doc.Base = v
		case "bodyline":
			gc.doc.BodyLine, _ = strconv.Atoi(v)
		case "root":
			gc.fix.Root = v
		case "prefix":
			gc.fix.IDPrefix = v
		case "offline":
			gc.fix.Offline = v == "true"
		case "ownpage":
			gc.fix.OwnPage = v == "true"
		default:
			t.Fatalf("unknown option %q", k)
		}
	}
	for _, f := range a.Files {
		if f.Name == "input.md" {
			gc.doc.Source = f.Data
		}
	}
	return gc
}

// dump writes a Result as text for golden files: every piece of HTML after
// Fixup, then the data beside it.
func dump(r Result, fc FixContext) []byte {
	var b bytes.Buffer
	for i, s := range r.Sections {
		fmt.Fprintf(&b, "=== section %d id=%q title=%q line=%d topics=%q\n", i, s.ID, s.Title, s.Line, s.Topics)
		b.Write(Fixup(nil, s.HTML, fc))
	}
	if len(r.Footnotes) > 0 {
		b.WriteString("=== footnotes\n")
		b.Write(Fixup(nil, r.Footnotes, fc))
	}
	b.WriteString("=== headings\n")
	for _, h := range r.Headings {
		fmt.Fprintf(&b, "h%d #%s %q\n", h.Level, h.ID, h.Text)
	}
	b.WriteString("=== mentions\n")
	for _, m := range r.Mentions {
		fmt.Fprintf(&b, "%s %d %s count=%d sections=%v\n    %q\n", m.Ref.Kind, m.Ref.Index, m.Ref.Slug, m.Count, m.Sections, m.Sentence)
	}
	fmt.Fprintf(&b, "=== summary\n%q\n", r.Summary)
	b.WriteString("=== diags\n")
	for _, d := range r.Diags {
		b.WriteString(d.Error() + "\n")
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	converters := map[bool]*Converter{false: New(Options{}), true: New(Options{Unsafe: true})}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			gc := parseCase(t, a)
			got := dump(converters[gc.opt.Unsafe].Convert(gc.doc), gc.fix)
			// Nothing in a result may point into the source: a full build
			// reads every file into one buffer again and again.
			doc := gc.doc
			doc.Source = bytes.Clone(doc.Source)
			r := converters[gc.opt.Unsafe].Convert(doc)
			for i := range doc.Source {
				doc.Source[i] = '#'
			}
			if after := dump(r, gc.fix); !bytes.Equal(after, got) {
				t.Errorf("the result changed when its source was written over:\n--- after\n%s\n--- before\n%s", after, got)
			}
			var inPlace []byte
			converters[gc.opt.Unsafe].ConvertFunc(gc.doc, func(r *Result) { inPlace = dump(*r, gc.fix) })
			if !bytes.Equal(inPlace, got) {
				t.Errorf("ConvertFunc gives another result than Convert:\n--- ConvertFunc\n%s\n--- Convert\n%s", inPlace, got)
			}
			if *update {
				found := false
				for i := range a.Files {
					if a.Files[i].Name == "output.html" {
						a.Files[i].Data, found = got, true
					}
				}
				if !found {
					a.Files = append(a.Files, txtar.File{Name: "output.html", Data: got})
				}
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			var want []byte
			for _, f := range a.Files {
				if f.Name == "output.html" {
					want = f.Data
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update to accept):\n--- got\n%s\n--- want\n%s", file, got, want)
			}
		})
	}
}

func TestFixup(t *testing.T) {
	const html = "<a href=\"\x00Rentities/kim/\x00\">k</a>" +
		"<a href=\"\x00Rbriefings/x/photo.jpg\x00\">p</a>" +
		"<a href=\"\x00Rtopics/t/#sec\x00\">t</a>" +
		"<a href=\"\x00R\x00\">home</a>" +
		"<a href=\"\x00R#top\x00\">top</a>" +
		"<a href=\"\x00Rsearch/?q=a&amp;b\x00\">s</a>" +
		"<h2 id=\"\x00Isec\x00\"><a href=\"\x00Fsec\x00\">#</a></h2>"
	tests := []struct {
		name string
		fc   FixContext
		want string
	}{
		{"own page", FixContext{Root: "../../", Home: "briefings/x/", OwnPage: true},
			`<a href="../../entities/kim/">k</a><a href="../../briefings/x/photo.jpg">p</a><a href="../../topics/t/#sec">t</a>` +
				`<a href="../../">home</a><a href="../../#top">top</a><a href="../../search/?q=a&amp;b">s</a>` +
				`<h2 id="sec"><a href="#sec">#</a></h2>`},
		{"own page offline", FixContext{Root: "../../", Home: "briefings/x/", OwnPage: true, Offline: true},
			`<a href="../../entities/kim/index.html">k</a><a href="../../briefings/x/photo.jpg">p</a><a href="../../topics/t/index.html#sec">t</a>` +
				`<a href="../../index.html">home</a><a href="../../index.html#top">top</a><a href="../../search/index.html?q=a&amp;b">s</a>` +
				`<h2 id="sec"><a href="#sec">#</a></h2>`},
		{"topic page", FixContext{Root: "../../../../", Home: "briefings/x/", IDPrefix: "x--", OwnPage: false},
			`<a href="../../../../entities/kim/">k</a><a href="../../../../briefings/x/photo.jpg">p</a><a href="../../../../topics/t/#sec">t</a>` +
				`<a href="../../../../">home</a><a href="../../../../#top">top</a><a href="../../../../search/?q=a&amp;b">s</a>` +
				`<h2 id="x--sec"><a href="../../../../briefings/x/#sec">#</a></h2>`},
		{"topic page offline", FixContext{Root: "../../", Home: "briefings/x/", IDPrefix: "x--", Offline: true},
			`<a href="../../entities/kim/index.html">k</a><a href="../../briefings/x/photo.jpg">p</a><a href="../../topics/t/index.html#sec">t</a>` +
				`<a href="../../index.html">home</a><a href="../../index.html#top">top</a><a href="../../search/index.html?q=a&amp;b">s</a>` +
				`<h2 id="x--sec"><a href="../../briefings/x/index.html#sec">#</a></h2>`},
		{"site root", FixContext{Root: "", Home: "briefings/x/", IDPrefix: "p-", OwnPage: true},
			`<a href="entities/kim/">k</a><a href="briefings/x/photo.jpg">p</a><a href="topics/t/#sec">t</a>` +
				`<a href="./">home</a><a href="./#top">top</a><a href="search/?q=a&amp;b">s</a>` +
				`<h2 id="p-sec"><a href="#p-sec">#</a></h2>`},
		{"site root offline", FixContext{Root: "", Home: "", Offline: true},
			`<a href="entities/kim/index.html">k</a><a href="briefings/x/photo.jpg">p</a><a href="topics/t/index.html#sec">t</a>` +
				`<a href="index.html">home</a><a href="index.html#top">top</a><a href="search/index.html?q=a&amp;b">s</a>` +
				`<h2 id="sec"><a href="index.html#sec">#</a></h2>`},
		{"home is the root page", FixContext{Root: "", Home: ""},
			`<a href="entities/kim/">k</a><a href="briefings/x/photo.jpg">p</a><a href="topics/t/#sec">t</a>` +
				`<a href="./">home</a><a href="./#top">top</a><a href="search/?q=a&amp;b">s</a>` +
				`<h2 id="sec"><a href="./#sec">#</a></h2>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Fixup([]byte("prefix:"), []byte(html), tt.fc))
			if got != "prefix:"+tt.want {
				t.Errorf("Fixup:\n got %s\nwant %s", got, "prefix:"+tt.want)
			}
		})
	}
}

func TestFixupMalformed(t *testing.T) {
	for _, in := range []string{"\x00", "a\x00", "\x00R", "\x00Rabc", "\x00X\x00", "\x00Xa\x00b", "\x00\x00\x00", "<p>\x00Q x\x00</p>\x00R"} {
		out := Fixup(nil, []byte(in), FixContext{Root: "../", Offline: true, IDPrefix: "a\x00b"})
		if bytes.IndexByte(out, 0) >= 0 {
			t.Errorf("Fixup(%q) = %q: contains NUL", in, out)
		}
	}
}

func TestResolveDest(t *testing.T) {
	tests := []struct {
		dest, base string
		image      bool
		want       string
	}{
		{"https://example.com/a?b=1&c=2", "briefings/x/", false, "https://example.com/a?b=1&amp;c=2"},
		{"mailto:a@example.com", "briefings/x/", false, "mailto:a@example.com"},
		{"javascript:alert(1)", "briefings/x/", false, "#"},
		{"JavaScript:alert(1)", "briefings/x/", false, "#"},
		{"vbscript:x", "briefings/x/", false, "#"},
		{"data:text/html,<b>", "briefings/x/", false, "#"},
		{"data:image/png;base64,AAAA", "briefings/x/", false, "#"},
		{"data:image/png;base64,AAAA", "briefings/x/", true, "data:image/png;base64,AAAA"},
		{"data:image/svg+xml,<svg>", "briefings/x/", true, "#"},
		{"//cdn.example.com/x.js", "briefings/x/", false, "//cdn.example.com/x.js"},
		{"/entities/kim/", "briefings/x/", false, "\x00Rentities/kim/\x00"},
		{"/", "briefings/x/", false, "\x00R\x00"},
		{"#sec", "briefings/x/", false, "\x00Fsec\x00"},
		{"#", "briefings/x/", false, "#"},
		{"#Über blick", "briefings/x/", false, "\x00F%C3%9Cber%20blick\x00"},
		{"../y/", "briefings/x/", false, "\x00Rbriefings/y/\x00"},
		{"../y", "briefings/x/", false, "\x00Rbriefings/y\x00"},
		{"../y/#part", "briefings/x/", false, "\x00Rbriefings/y/#part\x00"},
		{"photo.jpg", "briefings/x/", true, "\x00Rbriefings/x/photo.jpg\x00"},
		{"./photo.jpg", "briefings/x/", true, "\x00Rbriefings/x/photo.jpg\x00"},
		{"img/a b.png", "briefings/x/", true, "\x00Rbriefings/x/img/a%20b.png\x00"},
		{"..", "briefings/x/", false, "\x00Rbriefings/\x00"},
		{".", "briefings/x/", false, "\x00Rbriefings/x/\x00"},
		{"../..", "briefings/x/", false, "\x00R\x00"},
		{"../../", "briefings/x/", false, "\x00R\x00"},
		{"../../../etc/passwd", "briefings/x/", false, "../../../etc/passwd"},
		{"?q=1", "briefings/x/", false, "\x00Rbriefings/x/?q=1\x00"},
		{"", "briefings/x/", false, "\x00Rbriefings/x/\x00"},
		{"about/", "", false, "\x00Rabout/\x00"},
		{`a"b<c>.html`, "p/", false, "\x00Rp/a%22b%3Cc%3E.html\x00"},
		{"x:y", "p/", false, "x:y"},
	}
	for _, tt := range tests {
		got := string(resolveDest([]byte(tt.dest), tt.base, tt.image))
		if got != tt.want {
			t.Errorf("resolveDest(%q, %q, image=%v) = %q, want %q", tt.dest, tt.base, tt.image, got, tt.want)
		}
	}
}

func TestHeadingID(t *testing.T) {
	tests := map[string]string{
		"Überblick":               "überblick",
		"日本語":                     "日本語",
		"Military Cooperation":    "military-cooperation",
		"  A -- B  ":              "a-b",
		"Kim’s visit (2023)":      "kim-s-visit-2023",
		"नमस्ते दुनिया":           "नमस्ते-दुनिया",
		"!!!":                     "section",
		"":                        "section",
		"Привет, мир":             "привет-мир",
		"snake_case and kebab-it": "snake-case-and-kebab-it",
	}
	for in, want := range tests {
		if got := HeadingID(in); got != want {
			t.Errorf("HeadingID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSentence(t *testing.T) {
	tests := []struct {
		txt, mention, want string
	}{
		{"First one. Kim went to Russia. Then back.", "Kim", "Kim went to Russia."},
		{"He met Kim! Really? Yes.", "Kim", "He met Kim!"},
		{"Only Kim here", "Kim", "Only Kim here"},
		{"Is it Kim? No.", "Kim", "Is it Kim?"},
	}
	for _, tt := range tests {
		i := strings.Index(tt.txt, tt.mention)
		if got := sentence([]byte(tt.txt), i, i+len(tt.mention)); got != tt.want {
			t.Errorf("sentence(%q) = %q, want %q", tt.txt, got, tt.want)
		}
	}
	long := strings.Repeat("word ", 100) + "Kim " + strings.Repeat("more ", 100)
	i := strings.Index(long, "Kim")
	got := sentence([]byte(long), i, i+3)
	if n := utf8.RuneCountInString(got); n > maxSentence+2 || !strings.Contains(got, "Kim") ||
		!strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("long sentence: %d runes: %q", n, got)
	}
}

// TestSentinelsRaw checks the sentinel format itself, before Fixup.
func TestSentinelsRaw(t *testing.T) {
	r := New(Options{}).Convert(Doc{
		Source: []byte("Kim met Putin.[^1]\n\n## Plan\n\nSee [below](#plan).\n\n[^1]: Note.\n"),
		Base:   "briefings/x/", Mentions: names, Mode: LinkFirst,
	})
	html := string(r.Sections[0].HTML) + string(r.Sections[1].HTML) + string(r.Footnotes)
	for _, want := range []string{
		`<a class="mention mention-person" href="` + "\x00Rentities/kim-jong-un/\x00" + `">Kim</a>`,
		`<sup id="` + "\x00Ifnref-1\x00" + `"><a href="` + "\x00Ffn-1\x00" + `"`,
		`<h2 id="` + "\x00Iplan\x00" + `">Plan <a class="anchor" href="` + "\x00Fplan\x00" + `" aria-label="Link to this section">#</a></h2>`,
		`<a href="` + "\x00Fplan\x00" + `">below</a>`,
		`<li id="` + "\x00Ifn-1\x00" + `">`,
		`href="` + "\x00Ffnref-1\x00" + `"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %q in\n%q", want, html)
		}
	}
	if strings.Contains(html, "\x00S") || strings.Contains(html, "\x00N") {
		t.Errorf("section or footnote marks left in output: %q", html)
	}
}

// TestNULInSource checks that NUL in the input cannot forge a sentinel.
func TestNULInSource(t *testing.T) {
	src := "a\x00Rjavascript:alert(1)\x00 [x](\x00Ry\x00) `\x00I`\n\n```\n\x00F\x00\n```\n\n## H\x00I\n"
	r := New(Options{}).Convert(Doc{Source: []byte(src), Base: "b/", Mentions: names})
	for _, s := range r.Sections {
		out := Fixup(nil, s.HTML, FixContext{Root: "../"})
		if bytes.IndexByte(out, 0) >= 0 || bytes.Contains(out, []byte("../javascript")) {
			t.Errorf("NUL or forged sentinel in %q", out)
		}
		if n := bytes.Count(s.HTML, []byte{0}); n%2 != 0 {
			t.Errorf("odd number of NULs in %q", s.HTML)
		}
	}
	if got := r.Sections[1].Title; got != "H\uFFFDI" {
		t.Errorf("title = %q", got)
	}
}

func TestConcurrent(t *testing.T) {
	c := New(Options{})
	src, err := os.ReadFile("testdata/bench.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := Doc{Path: "b.md", Source: src, BodyLine: 1, Base: "briefings/b/", Mentions: names, Wikilinks: targets}
	want := dump(c.Convert(doc), FixContext{Root: "../../"})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 5 {
				var got []byte
				if i%2 == 0 {
					got = dump(c.Convert(doc), FixContext{Root: "../../"})
				} else {
					// The HTML is the conversion's own buffer: another
					// conversion must not write into it during use.
					c.ConvertFunc(doc, func(r *Result) { got = dump(*r, FixContext{Root: "../../"}) })
				}
				if !bytes.Equal(got, want) {
					t.Error("concurrent conversion differs")
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestChromaCSS(t *testing.T) {
	css := string(ChromaCSS())
	for _, want := range []string{".highlight .chroma {", ".highlight .chroma .kd {", "@media (prefers-color-scheme: dark) {\n  .highlight .bg {", "  .highlight .chroma .err { color: #f85149; background-color: unset }"} {
		if !strings.Contains(css, want) {
			t.Errorf("ChromaCSS lacks %q", want)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(css), "\n") {
		line = strings.TrimSpace(line)
		if line == "}" || strings.HasPrefix(line, "@media") || strings.HasPrefix(line, "/*") {
			continue
		}
		if !strings.HasPrefix(line, ".highlight ") {
			t.Errorf("rule not scoped under .highlight: %q", line)
		}
	}
}

func FuzzConvert(f *testing.F) {
	seeds := []string{
		"", "# T\n\nKim Jong Un met Putin.", "## A {#a topics=\"x, y\"}\n\n## A\n",
		"Kim Jong\nUn and Kim's and Kim’s", "[[Kim Jong Un]] [[X|y]] [[#a]] ![[Russia]] [[Kim Family]]",
		"<b>x</b>\n\n<div>\n</div>", "a[^1]\n\n[^1]: b [[Russia]]", "```go\nfunc(){}\n```\n",
		"[a](../../../x) ![i](p.png) [j](javascript:x) <http://a.b>", "| a | Kim |\n|---|---|\n| Russia | b |",
		"AT&amp;T \\*Kim\\* &rsquo;Kim&#39;", "> ## quoted\n\n- ## listed\n", "Côte d'Ivoire \"Acme Corporation\"",
		"\x00R\x00 \x00", "Kim  \nJong Un\\\nPutin",
	}
	for _, s := range seeds {
		f.Add(s, uint8(0))
	}
	conv := [2]*Converter{New(Options{}), New(Options{Unsafe: true})}
	f.Fuzz(func(t *testing.T, src string, flags uint8) {
		doc := Doc{
			Path: "f.md", Source: []byte(src), BodyLine: 3, Base: "briefings/f/",
			Self: kim, Mentions: names, Wikilinks: targets, Mode: Mode(flags % 3),
		}
		if flags&8 != 0 {
			doc.Self = nil
		}
		r := conv[flags>>4&1].Convert(doc)
		fc := FixContext{Root: "../../", Offline: flags&32 != 0, IDPrefix: "p-", Home: "briefings/f/", OwnPage: flags&64 != 0}
		for _, s := range r.Sections {
			if out := Fixup(nil, s.HTML, fc); bytes.IndexByte(out, 0) >= 0 {
				t.Fatalf("NUL in output %q", out)
			}
		}
		if out := Fixup(nil, r.Footnotes, fc); bytes.IndexByte(out, 0) >= 0 {
			t.Fatalf("NUL in footnotes %q", out)
		}
		if len(r.Sections) == 0 || r.Sections[0].Title != "" {
			t.Fatalf("bad sections %+v", r.Sections)
		}
		for _, m := range r.Mentions {
			if m.Count < 1 || m.Ref == nil || (doc.Self != nil && m.Ref.Index == doc.Self.Index && m.Ref.Kind == doc.Self.Kind) {
				t.Fatalf("bad mention %+v", m)
			}
			for i, s := range m.Sections {
				if s < 0 || s >= len(r.Sections) || i > 0 && s <= m.Sections[i-1] {
					t.Fatalf("bad mention sections %v", m.Sections)
				}
			}
		}
		if !utf8.ValidString(r.Summary) && utf8.ValidString(src) {
			t.Fatalf("invalid summary %q", r.Summary)
		}
	})
}

func BenchmarkConvert(b *testing.B) {
	src, err := os.ReadFile("testdata/bench.md")
	if err != nil {
		b.Fatal(err)
	}
	c := New(Options{})
	doc := Doc{Path: "b.md", Source: src, BodyLine: 1, Base: "briefings/b/", Mentions: names, Wikilinks: targets}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		c.Convert(doc)
	}
}
