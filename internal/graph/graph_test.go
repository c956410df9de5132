package graph

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
)

var names = []string{
	"Kim Jong Un", "Vladimir Putin", "Russia", "North Korea", "Pyongyang", "UN Security Council",
	"Russia–North Korea Intergovernmental Commission", "Sergei Shoigu", "Kim Yo Jong", "Alexander Kozlov",
	"Vostochny Cosmodrome", "Komsomolsk-on-Amur", "Kinzhal", "Marshal Shaposhnikov", "Choe Son Hui",
	"Comprehensive Strategic Partnership Treaty", "Oleg Kozhemyako", "Yun Jong Ho", "Sergei Lavrov",
	"South Korea", "Pacific Fleet", "Vladivostok", "UN Panel of Experts",
}

var shapeList = []string{"circle", "square", "triangle", "diamond", "cross", "ring"}

// sample makes a graph of n nodes whose weights and edges follow from n
// alone: a dense core and a sparse rim, as co-occurrence networks have.
func sample(n, center int) Graph {
	g := Graph{Center: center, Label: "sample"}
	for i := range n {
		name := names[i%len(names)]
		if i >= len(names) {
			name = fmt.Sprintf("%s %d", name, i/len(names))
		}
		g.Nodes = append(g.Nodes, Node{Label: name, Href: fmt.Sprintf("../e%d/", i), Class: "type-x",
			Weight: 1 + (n-i)*(n-i)%47, Shape: shapeList[i%len(shapeList)], Title: name})
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			if (i*7+j*3)%5 < 2 || i < 4 || (center >= 0 && (i == center || j == center)) {
				g.Edges = append(g.Edges, Edge{A: i, B: j, Weight: 1 + (i+j)%4})
			}
		}
	}
	return g
}

func TestSVGIsDeterministic(t *testing.T) {
	for _, g := range []Graph{sample(40, -1), sample(13, 0), sample(1, -1), sample(2, 0)} {
		a, b := SVG(g), SVG(g)
		if !bytes.Equal(a, b) {
			t.Errorf("%d nodes: two drawings of the same graph differ", len(g.Nodes))
		}
	}
	if SVG(Graph{Center: -1}) != nil {
		t.Error("an empty graph drew something")
	}
}

// TestNoOverlaps checks the layout geometrically: no two labels overlap,
// no label covers a mark, no two marks touch.
func TestNoOverlaps(t *testing.T) {
	for _, tc := range []struct {
		n, center int
	}{{40, -1}, {23, -1}, {13, 0}, {13, 5}, {8, -1}, {3, 0}, {60, -1}} {
		g := sample(tc.n, tc.center)
		checkLayout(t, fmt.Sprintf("%d nodes, centre %d", tc.n, tc.center), g, Lay(g))
	}
}

func checkLayout(t *testing.T, name string, g Graph, l Layout) {
	t.Helper()
	for i, p := range l.Nodes {
		if want := TextWidth(g.Nodes[i].Label); p.Label.W < want-0.1 {
			t.Errorf("%s: label %q is %.1f wide, estimate %.1f", name, g.Nodes[i].Label, p.Label.W, want)
		}
		if p.Label.X < 0 || p.Label.Y < 0 || p.Label.X+p.Label.W > l.Width || p.Label.Y+p.Label.H > l.Height {
			t.Errorf("%s: label %q leaves the drawing", name, g.Nodes[i].Label)
		}
		for j, q := range l.Nodes {
			if j == i {
				continue
			}
			if j > i && p.Label.Overlaps(q.Label) {
				t.Errorf("%s: labels %q and %q overlap", name, g.Nodes[i].Label, g.Nodes[j].Label)
			}
			nx := math.Min(math.Max(q.X, p.Label.X), p.Label.X+p.Label.W)
			ny := math.Min(math.Max(q.Y, p.Label.Y), p.Label.Y+p.Label.H)
			if math.Hypot(q.X-nx, q.Y-ny) < q.R {
				t.Errorf("%s: label %q covers the mark of %q", name, g.Nodes[i].Label, g.Nodes[j].Label)
			}
			if j > i && math.Hypot(p.X-q.X, p.Y-q.Y) < p.R+q.R {
				t.Errorf("%s: marks of %q and %q overlap", name, g.Nodes[i].Label, g.Nodes[j].Label)
			}
		}
	}
}

func TestEgoCentre(t *testing.T) {
	g := sample(13, 0)
	l := Lay(g)
	c := l.Nodes[0]
	// The centre node is inside the middle half of the drawing.
	if c.X < l.Width/4 || c.X > l.Width*3/4 || c.Y < l.Height/4 || c.Y > l.Height*3/4 {
		t.Errorf("centre at (%.0f, %.0f) of %.0f × %.0f", c.X, c.Y, l.Width, l.Height)
	}
}

var (
	nodeLink = regexp.MustCompile(`<a class="node[^"]*" href="([^"]*)">`)
	textEl   = regexp.MustCompile(`<text [^>]*>([^<]*)</text>`)
)

func TestSVGLinksAndEscapes(t *testing.T) {
	g := sample(5, -1)
	g.Nodes[0].Label = `<script>alert("x")</script>`
	g.Nodes[1].Href = `../a"b/?q=<x>&y`
	g.Label = `"quoted" & <b>`
	svg := string(SVG(g))
	links := nodeLink.FindAllStringSubmatch(svg, -1)
	if len(links) != len(g.Nodes) {
		t.Fatalf("%d node links for %d nodes:\n%s", len(links), len(g.Nodes), svg)
	}
	if links[1][1] != `../a&#34;b/?q=&lt;x&gt;&amp;y` {
		t.Errorf("href = %s", links[1][1])
	}
	if strings.Contains(svg, "<script") || strings.Contains(svg, `<b>`) {
		t.Errorf("unescaped text in the SVG:\n%s", svg)
	}
	if texts := textEl.FindAllStringSubmatch(svg, -1); len(texts) != len(g.Nodes) || texts[0][1] != `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;` {
		t.Errorf("labels: %q", texts)
	}
	if got := strings.Count(svg, "<line "); got != len(g.Edges) {
		t.Errorf("%d lines for %d edges", got, len(g.Edges))
	}
}

func TestTextWidth(t *testing.T) {
	if TextWidth("") != 0 {
		t.Error("empty label has a width")
	}
	if a, b := TextWidth("iiii"), TextWidth("MMMM"); a >= b {
		t.Errorf("narrow letters %.0f not narrower than wide ones %.0f", a, b)
	}
	if a, b := TextWidth("Москва"), TextWidth("金正恩"); a <= 0 || b <= 0 {
		t.Error("non-Latin labels have no width")
	}
}
