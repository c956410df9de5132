package graph_test

import (
	"context"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/browsertest"

	"github.com/chromedp/chromedp"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/graph"
)

// These tests build the worked example (the repository's content/) and
// check the graphs as they were written: /entities/graph/ and the
// neighbourhood on every entity page.

var (
	svgRe  = regexp.MustCompile(`(?s)<svg class="graph".*?</svg>`)
	nodeRe = regexp.MustCompile(`(?s)<a class="node[^"]*" href="([^"]*)">.*?<text x="([^"]*)" y="([^"]*)" text-anchor="([^"]*)">([^<]*)</text></a>`)
)

type label struct {
	text string
	box  graph.Box
}

// graphsOf returns, for every page of the built site that has a graph, its
// node links and label boxes as the SVG places them.
func graphsOf(t *testing.T, dir string) map[string][][2]string {
	t.Helper()
	pages := map[string][][2]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		svg := svgRe.Find(raw)
		if svg == nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		var nodes [][2]string
		for _, m := range nodeRe.FindAllSubmatch(svg, -1) {
			nodes = append(nodes, [2]string{string(m[1]), string(m[5])})
		}
		pages[filepath.ToSlash(rel)] = nodes
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// labelBoxes rebuilds each label's box from its text position and anchor,
// with the width estimate the layout used.
func labelBoxes(t *testing.T, svg []byte) []label {
	t.Helper()
	var out []label
	for _, m := range nodeRe.FindAllSubmatch(svg, -1) {
		x, _ := strconv.ParseFloat(string(m[2]), 64)
		y, _ := strconv.ParseFloat(string(m[3]), 64)
		text := unescape(string(m[5]))
		w := graph.TextWidth(text)
		switch string(m[4]) {
		case "middle":
			x -= w / 2
		case "end":
			x -= w
		}
		// The baseline sits 0.35 em below the middle of the label's box.
		top := y - graph.FontSize*0.35 - graph.LabelHeight/2
		out = append(out, label{text, graph.Box{X: x, Y: top, W: w, H: graph.LabelHeight}})
	}
	return out
}

func unescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'").Replace(s)
}

func buildExample(t *testing.T, offline bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(context.Background(), build.Options{Source: "../..", Dest: dir, Offline: offline}); err != nil {
		t.Fatalf("build the example: %v", err)
	}
	return dir
}

func TestExampleGraphs(t *testing.T) {
	dir := buildExample(t, false)
	pages := graphsOf(t, dir)
	main := pages["entities/graph/index.html"]
	if len(main) < 10 {
		t.Fatalf("the entity graph has %d nodes; the example has more entities", len(main))
	}
	if len(pages) < 10 {
		t.Errorf("only %d pages have a graph; every entity that shares a briefing should", len(pages))
	}
	for page, nodes := range pages {
		for _, n := range nodes {
			// Every node links to an existing entity page.
			target := path.Join(path.Dir(page), n[0], "index.html")
			if !strings.HasPrefix(target, "entities/") {
				t.Errorf("%s: node %q links to %s, not an entity page", page, n[1], n[0])
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target))); err != nil {
				t.Errorf("%s: node %q links to %s, which does not exist", page, n[1], n[0])
			}
		}
		raw, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(page)))
		labels := labelBoxes(t, svgRe.Find(raw))
		for i, a := range labels {
			for _, b := range labels[i+1:] {
				if a.box.Overlaps(b.box) {
					t.Errorf("%s: labels %q and %q overlap", page, a.text, b.text)
				}
			}
		}
	}
}

func TestExampleGraphIsDeterministic(t *testing.T) {
	a, b := buildExample(t, false), buildExample(t, false)
	for _, page := range []string{"entities/graph/index.html", "entities/kim-jong-un/index.html"} {
		x, _ := os.ReadFile(filepath.Join(a, page))
		y, _ := os.ReadFile(filepath.Join(b, page))
		if sx, sy := svgRe.Find(x), svgRe.Find(y); sx == nil || string(sx) != string(sy) {
			t.Errorf("%s: two builds drew different graphs (or none)", page)
		}
	}
}

// TestExampleGraphInBrowser measures the labels as Chromium draws them, in
// whatever sans-serif face it picks: no two overlap.
func TestExampleGraphInBrowser(t *testing.T) {
	dir := buildExample(t, true)
	ctx := browser(t)
	for _, page := range []string{"entities/graph/index.html", "entities/alexander-kozlov/index.html", "entities/kim-jong-un/index.html"} {
		u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, page))}).String()
		if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		boxes, err := chromedp.Run(ctx, chromedp.Evaluate[[]struct {
			Text                     string
			Left, Top, Right, Bottom float64
		}](`Array.from(document.querySelectorAll("svg.graph text")).map(t => {
			const r = t.getBoundingClientRect();
			return {Text: t.textContent, Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom};
		})`))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if len(boxes) < 3 {
			t.Fatalf("%s: %d labels drawn", page, len(boxes))
		}
		for i, a := range boxes {
			for _, b := range boxes[i+1:] {
				if a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom {
					t.Errorf("%s: in the browser, labels %q and %q overlap", page, a.Text, b.Text)
				}
			}
		}
	}
}

// browser starts Chromium and returns a tab's context, with a deadline
// for the whole test.
func browser(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(browsertest.Tab(t, 1280, 900), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}
