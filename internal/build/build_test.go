package build

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

// writeSite extracts a txtar archive of a site into a new folder.
func writeSite(t *testing.T, archive string) string {
	t.Helper()
	a, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func buildSite(t *testing.T, src string, opts Options) string {
	t.Helper()
	opts.Source = src
	if opts.Dest == "" {
		opts.Dest = filepath.Join(t.TempDir(), "public")
	}
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatalf("build: %v", err)
	}
	return opts.Dest
}

func parse(t *testing.T, dir, name string) *html.Node {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// mainOf returns the <main> element of a page.
func mainOf(doc *html.Node) *html.Node {
	return find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "main" })
}

// mentionLinks returns the text and href of every mention link in n.
func mentionLinks(n *html.Node) [][2]string {
	var out [][2]string
	for _, a := range findAll(n, func(n *html.Node) bool { return hasClass(n, "mention") }) {
		out = append(out, [2]string{textOf(a), attr(a, "href")})
	}
	return out
}

func TestCrossLinking(t *testing.T) {
	src := writeSite(t, "testdata/sites/crosslink.txtar")
	out := buildSite(t, src, Options{})
	checkLinks(t, out, false)
	checkSelfContained(t, out)

	visit := parse(t, out, "briefings/visit/index.html")
	body := find(visit, func(n *html.Node) bool { return hasClass(n, "briefing-body") })
	if body == nil {
		body = mainOf(visit)
	}

	t.Run("first mention links, through an alias and a typographic possessive", func(t *testing.T) {
		got := mentionLinks(body)
		want := [][2]string{
			{"Kim", "../../entities/kim-jong-un/"},               // "Kim’s": ’ ends the word
			{"Vladimir Putin", "../../entities/vladimir-putin/"}, // first Putin mention
			{"Kim Yo Jong", "../../entities/kim-yo-jong/"},       // longest match, not "Kim"
		}
		if !slices.Equal(got, want) {
			t.Errorf("mention links:\n got %q\nwant %q", got, want)
		}
	})

	t.Run("nothing inside code or links is a mention link", func(t *testing.T) {
		for _, code := range findAll(body, func(n *html.Node) bool { return n.Type == html.ElementNode && (n.Data == "code" || n.Data == "pre") }) {
			if a := find(code, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "a" }); a != nil {
				t.Errorf("link inside <%s>: %q", code.Data, textOf(code))
			}
		}
		for _, a := range findAll(body, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "a" }) {
			if find(a.FirstChild, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "a" }) != nil {
				t.Errorf("nested link in %q", textOf(a))
			}
		}
	})

	t.Run("ambiguous alias is never linked", func(t *testing.T) {
		for _, m := range mentionLinks(body) {
			if m[0] == "Acme" {
				t.Errorf("ambiguous alias Acme linked to %s", m[1])
			}
		}
	})

	t.Run("wikilinks with shown text, to topics and briefings", func(t *testing.T) {
		var got [][2]string
		for _, a := range findAll(body, func(n *html.Node) bool { return hasClass(n, "wikilink") }) {
			got = append(got, [2]string{textOf(a), attr(a, "href")})
		}
		want := [][2]string{
			{"the president", "../../entities/vladimir-putin/"},
			{"Military Cooperation", "../../topics/military-cooperation/"},
			{"Later Talks", "../../briefings/later/"}, // written as a slug: shows the title
		}
		if !slices.Equal(got, want) {
			t.Errorf("wikilinks:\n got %q\nwant %q", got, want)
		}
	})

	t.Run("topic page gathers matching sections newest first", func(t *testing.T) {
		topic := parse(t, out, "topics/military-cooperation/index.html")
		var titles []string
		for _, h := range findAll(mainOf(topic), func(n *html.Node) bool {
			return n.Type == html.ElementNode && n.Data == "h2" && strings.Contains(attr(n, "id"), "--")
		}) {
			titles = append(titles, strings.TrimSuffix(strings.TrimSpace(textOf(h)), "#"))
		}
		for i := range titles {
			titles[i] = strings.TrimSpace(titles[i])
		}
		want := []string{"Arms Deal Talks", "A Focus on Military Cooperation", "Gifts in the Port"}
		if !slices.Equal(titles, want) {
			t.Errorf("sections on the topic page: got %q, want %q", titles, want)
		}
		// In full: the text of the sections is on the page.
		text := textOf(mainOf(topic))
		for _, s := range []string{"Kim signed a treaty", "Putin's offer was discussed", "Drones were handed over"} {
			s = strings.ReplaceAll(s, "'", "’")
			if !strings.Contains(text, s) {
				t.Errorf("topic page lacks %q", s)
			}
		}
	})

	t.Run("entity page lists mentioning briefings with the sentence", func(t *testing.T) {
		kim := textOf(mainOf(parse(t, out, "entities/kim-jong-un/index.html")))
		for _, s := range []string{"The Visit", "Later Talks", "Kim’s train arrived in the east.", "Kim signed a treaty with Putin."} {
			if !strings.Contains(kim, s) {
				t.Errorf("Kim Jong Un's page lacks %q", s)
			}
		}
		self := mentionLinks(mainOf(parse(t, out, "entities/kim-jong-un/index.html")))
		for _, m := range self {
			if strings.Contains(m[1], "kim-jong-un") {
				t.Errorf("entity page links to itself: %q", m)
			}
		}
	})

	t.Run("stubs for unknown front-matter names", func(t *testing.T) {
		for _, p := range []string{"entities/choe-son-hui/index.html", "topics/humanitarian-aid/index.html"} {
			if _, err := os.Stat(filepath.Join(out, p)); err != nil {
				t.Errorf("stub page missing: %v", err)
			}
		}
		if !strings.Contains(textOf(mainOf(parse(t, out, "entities/choe-son-hui/index.html"))), "The Visit") {
			t.Error("stub entity page does not list the briefing that names it")
		}
	})

	t.Run("every page of SPEC §5 exists", func(t *testing.T) {
		for _, p := range []string{"index.html", "404.html", "feed.xml", "sitemap.xml", "briefings/index.html",
			"topics/index.html", "entities/index.html", "timeline/index.html", "about/index.html",
			"assets/style.css", "assets/syntax.css"} {
			if _, err := os.Stat(filepath.Join(out, p)); err != nil {
				t.Error(err)
			}
		}
	})
}

func TestLinkingModes(t *testing.T) {
	for _, tc := range []struct {
		mode string
		want int // mention links of Kim Jong Un in the visit briefing
	}{
		{"first", 1},
		{"all", 2}, // "Kim’s" and "Kim Jong Un" across the line break
		{"none", 0},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			src := writeSite(t, "testdata/sites/crosslink.txtar")
			cfg := "title = \"Test\"\n[linking]\nmentions = \"" + tc.mode + "\"\n"
			if err := os.WriteFile(filepath.Join(src, "dossier.toml"), []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			out := buildSite(t, src, Options{})
			n := 0
			for _, m := range mentionLinks(mainOf(parse(t, out, "briefings/visit/index.html"))) {
				if strings.HasSuffix(m[1], "entities/kim-jong-un/") {
					n++
				}
			}
			if n != tc.want {
				t.Errorf("links to Kim Jong Un: got %d, want %d", n, tc.want)
			}
			// Mentions are counted in every mode.
			if !strings.Contains(textOf(mainOf(parse(t, out, "entities/kim-jong-un/index.html"))), "The Visit") {
				t.Error("entity page lost the briefing")
			}
		})
	}
}

func TestOfflineBuild(t *testing.T) {
	src := writeSite(t, "testdata/sites/crosslink.txtar")
	out := buildSite(t, src, Options{Offline: true})
	checkLinks(t, out, true)
}

func TestDeterministic(t *testing.T) {
	src := writeSite(t, "testdata/sites/crosslink.txtar")
	a := buildSite(t, src, Options{})
	b := buildSite(t, src, Options{})
	compareTrees(t, a, b)
}

// compareTrees asserts that two folders hold the same files with the same bytes.
func compareTrees(t *testing.T, a, b string) {
	t.Helper()
	read := func(dir string) map[string][]byte {
		files := map[string][]byte{}
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)], _ = os.ReadFile(p)
			return nil
		})
		return files
	}
	fa, fb := read(a), read(b)
	if len(fa) != len(fb) {
		t.Errorf("file counts differ: %d and %d", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between builds", name)
		}
	}
}

// TestListPagination builds the fixture one briefing a page: the list of
// briefings and the time line continue on page/2/, newest first, with a
// pager between the pages, and every link still resolves.
func TestListPagination(t *testing.T) {
	src := writeSite(t, "testdata/sites/crosslink.txtar")
	if err := os.WriteFile(filepath.Join(src, "dossier.toml"), []byte("title = \"Test\"\npageSize = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, offline := range []bool{false, true} {
		out := buildSite(t, src, Options{Offline: offline})
		checkLinks(t, out, offline)
		for _, list := range []string{"briefings", "timeline"} {
			first := textOf(mainOf(parse(t, out, list+"/index.html")))
			second := textOf(mainOf(parse(t, out, list+"/page/2/index.html")))
			if !strings.Contains(first, "Later Talks") || strings.Contains(first, "The Visit") {
				t.Errorf("%s page 1 should hold only the newest briefing: %q", list, first)
			}
			if !strings.Contains(second, "The Visit") || strings.Contains(second, "Later Talks") {
				t.Errorf("%s page 2 should hold only the older briefing: %q", list, second)
			}
			if !strings.Contains(second, "Page 2 of 2") {
				t.Errorf("%s page 2 has no pager", list)
			}
			if _, err := os.Stat(filepath.Join(out, list, "page", "3")); err == nil {
				t.Errorf("%s has a page 3 for two briefings", list)
			}
		}
	}
}

// TestEntityTopicsCapped gives an entity sections under 14 topics: its
// page's sidebar lists the 12 with most sections, most first, and says how
// many more there are, on every page of the entity.
func TestEntityTopicsCapped(t *testing.T) {
	src := t.TempDir()
	files := map[string]string{
		"dossier.toml":                     "title = \"Test\"\npageSize = 1\n",
		"content/entities/ada-lovelace.md": "---\nname: Ada Lovelace\ntype: person\n---\n",
	}
	var body strings.Builder
	for i := 1; i <= 14; i++ {
		files[fmt.Sprintf("content/topics/t%02d.md", i)] = fmt.Sprintf("---\ntitle: Topic %02d\n---\n", i)
		// Topic 14 has the most sections and topic 1 the fewest; the
		// ones cut are the two with fewest, 01 and 02.
		for range i {
			fmt.Fprintf(&body, "## Topic %02d\n\nAda Lovelace wrote.\n\n", i)
		}
	}
	files["content/briefings/2024-01-01-a.md"] = "---\ntitle: A\ndate: 2024-01-01\n---\n" + body.String()
	files["content/briefings/2024-01-02-b.md"] = "---\ntitle: B\ndate: 2024-01-02\n---\nAda Lovelace again.\n"
	for name, text := range files {
		writeFile(t, src, name, text)
	}
	out := buildSite(t, src, Options{})
	for _, page := range []string{"entities/ada-lovelace/index.html", "entities/ada-lovelace/page/2/index.html"} {
		aside := find(parse(t, out, page), func(n *html.Node) bool { return attr(n, "aria-labelledby") == "_aside-topics" })
		if aside == nil {
			t.Fatalf("%s: no topics in the sidebar", page)
		}
		var got []string
		for _, a := range findAll(aside, func(n *html.Node) bool { return hasClass(n, "chip-topic") }) {
			got = append(got, textOf(a))
		}
		var want []string
		for i := 14; i > 2; i-- {
			want = append(want, fmt.Sprintf("Topic %02d", i))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: sidebar topics\n got %q\nwant %q", page, got, want)
		}
		if more := textOf(aside); !strings.Contains(more, "and 2 other topics") {
			t.Errorf("%s: sidebar does not say how many topics are left out: %q", page, more)
		}
	}
}
