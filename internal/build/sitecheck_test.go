package build

import (
	"bytes"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// page is one parsed HTML file of a built site.
type page struct {
	ids   map[string]int
	links []ref // href and src values, with the element they came from
	doc   *html.Node
	raw   []byte
}

type ref struct {
	tag, attr, val string
	rel            string // the rel attribute of <link> and <a>
}

// loads reports whether the element fetches its target when the page loads,
// as opposed to naming it (a link, a canonical URL, a feed).
func (r ref) loads() bool {
	switch r.tag {
	case "a", "area":
		return false
	case "link":
		for _, rel := range strings.Fields(strings.ToLower(r.rel)) {
			switch rel {
			case "stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest":
				return true
			}
		}
		return false
	}
	return true
}

// readSite parses every HTML file under dir, keyed by slash path.
func readSite(t *testing.T, dir string) map[string]*page {
	t.Helper()
	pages := map[string]*page{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		doc, err := html.Parse(bytes.NewReader(raw))
		if err != nil {
			return err
		}
		pg := &page{ids: map[string]int{}, doc: doc, raw: raw}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				for _, a := range n.Attr {
					switch a.Key {
					case "id":
						pg.ids[a.Val]++
					case "href", "src":
						pg.links = append(pg.links, ref{n.Data, a.Key, a.Val, attr(n, "rel")})
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		rel, _ := filepath.Rel(dir, p)
		pages[filepath.ToSlash(rel)] = pg
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// checkLinks asserts that every relative href and src of every page names a
// file of the site (and, with a #fragment, an id on that page), that no id
// repeats on a page, and that no link is root-absolute (which would break
// the site under a sub-path). With offline, every page link must name a file
// (index.html), so that the site opens from disk.
func checkLinks(t *testing.T, dir string, offline bool) {
	t.Helper()
	pages := readSite(t, dir)
	if len(pages) == 0 {
		t.Fatal("no HTML pages found")
	}
	for name, pg := range pages {
		for id, n := range pg.ids {
			if n > 1 {
				t.Errorf("%s: id %q appears %d times", name, id, n)
			}
		}
		if name == "404.html" {
			continue // served at any depth; its links are right for the root only
		}
		for _, l := range pg.links {
			u, err := url.Parse(l.val)
			if err != nil {
				t.Errorf("%s: <%s %s=%q>: %v", name, l.tag, l.attr, l.val, err)
				continue
			}
			if u.Scheme != "" || u.Host != "" {
				if l.loads() {
					t.Errorf("%s: <%s %s=%q> loads from another host", name, l.tag, l.attr, l.val)
				}
				continue
			}
			if strings.HasPrefix(u.Path, "/") {
				t.Errorf("%s: <%s %s=%q> is root-absolute; links must be relative", name, l.tag, l.attr, l.val)
				continue
			}
			target := name
			if u.Path != "" {
				target = path.Join(path.Dir(name), u.Path)
				if strings.HasSuffix(u.Path, "/") || u.Path == "." || u.Path == "./" {
					if offline && l.tag == "a" {
						t.Errorf("%s: <a href=%q> names a folder; offline links must name index.html", name, l.val)
					}
					target = path.Join(target, "index.html")
				}
			}
			if strings.HasPrefix(target, "../") || target == ".." {
				t.Errorf("%s: %q leaves the site", name, l.val)
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target))); err != nil {
				t.Errorf("%s: <%s %s=%q>: target %s does not exist", name, l.tag, l.attr, l.val, target)
				continue
			}
			if u.Fragment != "" && strings.HasSuffix(target, ".html") {
				tp := pages[target]
				if tp == nil || tp.ids[u.Fragment] == 0 {
					t.Errorf("%s: <a href=%q>: no id %q in %s", name, l.val, u.Fragment, target)
				}
			}
		}
	}
}

var (
	cssURL    = regexp.MustCompile(`(?i)(?:@import\s+(?:url\()?|url\()\s*['"]?([^'")\s]+)`)
	styleHref = regexp.MustCompile(`(?i)<link[^>]+rel="?stylesheet"?[^>]*>`)
)

// checkSelfContained asserts that nothing in the site loads from another
// host: no external src, stylesheet href, @import or url() in HTML or CSS.
func checkSelfContained(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := path.Ext(p)
		if ext != ".html" && ext != ".css" && ext != ".js" {
			return nil
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range cssURL.FindAllSubmatch(raw, -1) {
			if external(string(m[1])) {
				t.Errorf("%s: loads %s from another host", p, m[1])
			}
		}
		for _, m := range styleHref.FindAll(raw, -1) {
			if strings.Contains(string(m), "//") {
				t.Errorf("%s: stylesheet from another host: %s", p, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func external(u string) bool {
	return strings.HasPrefix(u, "//") || strings.Contains(u, "://")
}

// text returns the text content of the first element matching pred.
func find(n *html.Node, pred func(*html.Node) bool) *html.Node {
	if pred(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, pred); f != nil {
			return f
		}
	}
	return nil
}

func findAll(n *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if pred(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, findAll(c, pred)...)
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
