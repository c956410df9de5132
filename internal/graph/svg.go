package graph

import (
	"bytes"
	"html"
	"strconv"
)

// SVG lays out g and writes it as an inline <svg> element: lines for the
// edges under circles and labels for the nodes, each node an <a> link with
// a <title>. Presentation attributes give a readable drawing without any
// stylesheet (in print, say); the theme's CSS colours nodes by class.
// Every text is escaped.
func SVG(g Graph) []byte {
	l := Lay(g)
	if len(l.Nodes) == 0 {
		return nil
	}
	var b bytes.Buffer
	// Room for the whole drawing at once (an edge takes up to about 160 bytes,
	// a node 380): growing the buffer by doubling allocated twice
	// what the SVG ends up holding.
	b.Grow(1024 + 160*len(g.Edges) + 380*len(g.Nodes))
	maxEdge := 1
	for _, e := range g.Edges {
		maxEdge = max(maxEdge, e.Weight)
	}
	b.WriteString(`<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	b.WriteString(num(l.Width) + " " + num(l.Height))
	b.WriteString(`" width="` + num(l.Width) + `" height="` + num(l.Height) + `" role="group"`)
	if g.Label != "" {
		b.WriteString(` aria-label="` + html.EscapeString(g.Label) + `"`)
	}
	b.WriteString(` font-size="` + num(FontSize) + `">` + "\n")

	b.WriteString(`<g class="graph-edges" aria-hidden="true" stroke="#8a8f98" stroke-linecap="round">` + "\n")
	for _, e := range g.Edges {
		p, q := l.Nodes[e.A], l.Nodes[e.B]
		f := float64(e.Weight-1) / float64(max(maxEdge-1, 1)) // 0 for the lightest, 1 for the heaviest
		b.WriteString(`<line x1="` + num(p.X) + `" y1="` + num(p.Y) + `" x2="` + num(q.X) + `" y2="` + num(q.Y) +
			`" stroke-width="` + num(round(0.75+3.25*f)) + `" stroke-opacity="` + num(round(0.3+0.6*f)) + `"><title>` + html.EscapeString(g.Nodes[e.A].Label+" – "+g.Nodes[e.B].Label) +
			`: ` + strconv.Itoa(e.Weight) + `</title></line>` + "\n")
	}
	b.WriteString("</g>\n")

	b.WriteString(`<g class="graph-nodes">` + "\n")
	for i, nd := range g.Nodes {
		p := l.Nodes[i]
		class := "node"
		if nd.Class != "" {
			class += " " + nd.Class
		}
		if i == g.Center {
			class += " is-center"
		}
		b.WriteString(`<a class="` + html.EscapeString(class) + `" href="` + html.EscapeString(nd.Href) + `">`)
		if nd.Title != "" {
			b.WriteString(`<title>` + html.EscapeString(nd.Title) + `</title>`)
		}
		writeMark(&b, nd.Shape, p.X, p.Y, p.R/extentOf(nd.Shape))
		tx := p.Label.X
		switch p.Anchor {
		case "middle":
			tx += p.Label.W / 2
		case "end":
			tx += p.Label.W
		}
		// The baseline sits so that the text's ascent and descent are
		// centred in the label's box.
		ty := p.Label.Y + p.Label.H/2 + FontSize*0.35
		b.WriteString(`<text x="` + num(round(tx)) + `" y="` + num(round(ty)) + `" text-anchor="` + p.Anchor + `">` +
			html.EscapeString(nd.Label) + "</text></a>\n")
	}
	b.WriteString("</g>\n</svg>")
	return b.Bytes()
}

// writeMark draws a node's mark centred on (x, y) for a circle of radius r
// (see extent for how far each shape reaches).
func writeMark(b *bytes.Buffer, shape string, x, y, r float64) {
	const paint = ` fill="#5b6270" stroke="#ffffff" stroke-width="1.5"/>`
	poly := func(pts ...float64) {
		b.WriteString(`<polygon class="mark" points="`)
		for i := 0; i < len(pts); i += 2 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(num(round(x+pts[i]*r)) + "," + num(round(y+pts[i+1]*r)))
		}
		b.WriteString(`"` + paint)
	}
	switch shape {
	case "square":
		s := 0.89 * r
		b.WriteString(`<rect class="mark" x="` + num(round(x-s)) + `" y="` + num(round(y-s)) + `" width="` + num(round(2*s)) +
			`" height="` + num(round(2*s)) + `"` + paint)
	case "triangle":
		poly(0, -1.3, 1.126, 0.65, -1.126, 0.65)
	case "diamond":
		poly(0, -1.25, 1.25, 0, 0, 1.25, -1.25, 0)
	case "cross":
		a, c := 0.4, 1.15
		poly(-a, -c, a, -c, a, -a, c, -a, c, a, a, a, a, c, -a, c, -a, a, -c, a, -c, -a, -a, -a)
	case "ring":
		b.WriteString(`<circle class="mark ring" cx="` + num(x) + `" cy="` + num(y) + `" r="` + num(round(r*0.8)) +
			`" fill="#ffffff" stroke="#5b6270" stroke-width="` + num(round(max(r*0.4, 2))) + `"/>`)
	default:
		b.WriteString(`<circle class="mark" cx="` + num(x) + `" cy="` + num(y) + `" r="` + num(round(r)) + `"` + paint)
	}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
