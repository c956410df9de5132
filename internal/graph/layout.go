// Package graph lays out a small weighted network (entities that appear in
// the same briefings) at build time and writes it as a static SVG whose
// nodes are links. The layout is deterministic: a force-directed layout
// started from fixed positions and run for a fixed number of steps with no
// randomness (or, around a centre node, a radial one), then overlapping
// nodes and labels pushed apart, and as a last resort the whole drawing
// spread, until no two labels and no label and mark overlap. The same graph
// always gives the same bytes on a given platform (floating-point results
// could differ where the compiler fuses multiply-adds, as on arm64; the
// coordinates are rounded to a tenth, which hides nearly all of it).
//
// The package knows nothing about the site: the caller gives labels, link
// targets, CSS classes and weights.
package graph

import (
	"math"
	"slices"
)

// Graph is a network to draw.
type Graph struct {
	Nodes []Node
	Edges []Edge
	// Center is the index of a node pinned in the middle (an entity's own
	// neighbourhood), or -1.
	Center int
	// Label is the accessible name of the drawing.
	Label string
}

// Node is one entity of the drawing.
type Node struct {
	Label  string // shown beside the circle
	Href   string // link target, already relative to the page
	Class  string // CSS classes of the link, e.g. "type-person"
	Weight int    // sets the size of its mark (mentions)
	Title  string // tooltip and accessible description
	// Shape is the mark: circle (the default), square, triangle, diamond,
	// cross or ring, so that a type shows by shape as well as by colour.
	Shape string
}

// Edge joins nodes A and B (indexes into Nodes).
type Edge struct {
	A, B   int
	Weight int // shared briefings: sets the line's width
}

// Layout is where everything goes, in SVG user units with the origin at the
// top left of the drawing.
type Layout struct {
	Width, Height float64
	Nodes         []Placed
}

// Placed is a node's mark and the box of its label. R is the radius of the
// circle that holds the mark whatever its shape.
type Placed struct {
	X, Y, R float64
	Label   Box
	Anchor  string // text-anchor of the label: start, middle or end
}

// Box is an axis-aligned rectangle.
type Box struct{ X, Y, W, H float64 }

// Overlaps reports whether two boxes share any area.
func (a Box) Overlaps(b Box) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

// Sizes of the drawing, in user units (pixels at 100%).
const (
	FontSize    = 12.0
	LabelHeight = 15.0 // a label's box: the font's ascent and descent with a little air
	labelGap    = 4.0  // between a circle and its label
	minRadius   = 4.0
	maxRadius   = 18.0
	margin      = 6.0
	idealEdge   = 100.0 // the force layout's natural distance between joined nodes
	iterations  = 400
	separation  = 400 // passes that push overlapping nodes and labels apart
	maxSpread   = 60  // times the layout is spread out (by spreadStep) to free labels
	spreadStep  = 1.1
	clearance   = 3.0 // kept free between labels and between a label and a mark
)

// extent is how far each shape reaches from its centre, as a multiple of
// the radius of the circle of the same weight (the shapes have about the
// same area).
var extent = map[string]float64{"square": 1.26, "triangle": 1.3, "diamond": 1.25, "cross": 1.15}

func extentOf(shape string) float64 {
	if e, ok := extent[shape]; ok {
		return e
	}
	return 1
}

// Lay computes the layout of g.
func Lay(g Graph) Layout {
	n := len(g.Nodes)
	if n == 0 {
		return Layout{}
	}
	maxW := 1
	for _, nd := range g.Nodes {
		maxW = max(maxW, nd.Weight)
	}
	r := make([]float64, n)
	for i, nd := range g.Nodes {
		r[i] = minRadius + (maxRadius-minRadius)*math.Sqrt(float64(max(nd.Weight, 0))/float64(maxW))
		r[i] *= extentOf(nd.Shape)
	}
	var x, y []float64
	if g.Center >= 0 {
		x, y = radial(g)
	} else {
		x, y = force(g, r)
	}
	widen(x, y)
	separate(g, x, y, r)

	// Spread the drawing until every label has a free place; scaling
	// positions moves nodes apart while labels keep their size, so this
	// ends.
	var placed []Placed
	for try := 0; ; try++ {
		var ok bool
		placed, ok = placeLabels(g, x, y, r)
		if ok || try == maxSpread {
			break
		}
		for i := range x {
			x[i] *= spreadStep
			y[i] *= spreadStep
		}
	}

	// Move the drawing to the origin and round, so that the SVG carries
	// short numbers.
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range placed {
		minX = min(minX, p.X-p.R, p.Label.X)
		minY = min(minY, p.Y-p.R, p.Label.Y)
		maxX = max(maxX, p.X+p.R, p.Label.X+p.Label.W)
		maxY = max(maxY, p.Y+p.R, p.Label.Y+p.Label.H)
	}
	dx, dy := margin-minX, margin-minY
	for i := range placed {
		p := &placed[i]
		p.X, p.Y, p.R = round(p.X+dx), round(p.Y+dy), round(p.R)
		p.Label = Box{round(p.Label.X + dx), round(p.Label.Y + dy), round(p.Label.W), p.Label.H}
	}
	return Layout{Width: math.Ceil(maxX - minX + 2*margin), Height: math.Ceil(maxY - minY + 2*margin), Nodes: placed}
}

// radial puts the Center node in the middle and the others around it in
// node order, clockwise from the top, nearer the more they share with it.
func radial(g Graph) (x, y []float64) {
	n := len(g.Nodes)
	x, y = make([]float64, n), make([]float64, n)
	shared := make([]int, n)
	maxShared := 1
	for _, e := range g.Edges {
		if e.A == g.Center || e.B == g.Center {
			shared[e.A+e.B-g.Center] = e.Weight
			maxShared = max(maxShared, e.Weight)
		}
	}
	// The ring is long enough for a label's height per node.
	ring := max(idealEdge*1.2, float64(n)*LabelHeight*2.2/(2*math.Pi))
	k := 0
	for i := range n {
		if i == g.Center {
			continue
		}
		a := 2*math.Pi*float64(k)/float64(n-1) - math.Pi/2
		d := ring * (1.15 - 0.3*float64(shared[i])/float64(maxShared))
		x[i], y[i] = d*math.Cos(a), d*math.Sin(a)
		k++
	}
	return x, y
}

// force runs a Fruchterman–Reingold layout from fixed starting positions
// on a circle (node order decides them), for a fixed number of steps with a
// linearly falling temperature. Joined nodes attract more the more they
// share; all nodes repel; a weak pull to the middle keeps unconnected nodes
// near the rest.
func force(g Graph, r []float64) (x, y []float64) {
	n := len(g.Nodes)
	x, y = make([]float64, n), make([]float64, n)
	ring := idealEdge * math.Sqrt(float64(n)) / 2
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		x[i], y[i] = ring*math.Cos(a), ring*math.Sin(a)
	}
	maxEdge := 1
	for _, e := range g.Edges {
		maxEdge = max(maxEdge, e.Weight)
	}
	dx, dy := make([]float64, n), make([]float64, n)
	for it := range iterations {
		temp := idealEdge * (1 - float64(it)/iterations)
		clear(dx)
		clear(dy)
		for i := range n {
			for j := i + 1; j < n; j++ {
				vx, vy := x[i]-x[j], y[i]-y[j]
				d := math.Hypot(vx, vy)
				if d < 1e-6 {
					// Coincident nodes: part them along a direction fixed
					// by their indexes.
					a := float64(i*31+j*17) * 0.7
					vx, vy, d = math.Cos(a), math.Sin(a), 1
				}
				// Distance between the circles' rims, so big nodes keep
				// room for each other.
				rim := max(d-r[i]-r[j], 1)
				f := idealEdge * idealEdge / rim / d
				dx[i] += vx * f
				dy[i] += vy * f
				dx[j] -= vx * f
				dy[j] -= vy * f
			}
		}
		for _, e := range g.Edges {
			vx, vy := x[e.A]-x[e.B], y[e.A]-y[e.B]
			d := math.Hypot(vx, vy)
			s := 0.4 + 0.6*float64(e.Weight)/float64(maxEdge)
			f := d / idealEdge * s
			dx[e.A] -= vx * f
			dy[e.A] -= vy * f
			dx[e.B] += vx * f
			dy[e.B] += vy * f
		}
		for i := range n {
			dx[i] -= 0.04 * x[i]
			dy[i] -= 0.04 * y[i]
			d := math.Hypot(dx[i], dy[i])
			if d > 0 {
				step := min(d, temp)
				x[i] += dx[i] / d * step
				y[i] += dy[i] / d * step
			}
		}
	}
	return x, y
}

// aspect is the width-to-height ratio widen gives the node cloud: pages
// are wider than tall, and so are labels.
const aspect = 1.6

// widen stretches the layout horizontally (about the origin, where a
// Center node stays) until its nodes spread aspect times as wide as high.
func widen(x, y []float64) {
	if len(x) < 2 {
		return
	}
	w := slices.Max(x) - slices.Min(x)
	h := slices.Max(y) - slices.Min(y)
	if w <= 0 || h <= 0 || w >= aspect*h {
		return
	}
	f := aspect * h / w
	for i := range x {
		x[i] *= f
	}
}

// separate moves nodes apart until no node's footprint — its mark and its
// label on the right, where placeLabels tries first — overlaps another's:
// each pass pushes every overlapping pair apart along the axis where they
// overlap least, half each (the Center node stays). Unlike spreading the
// whole drawing, this keeps the drawing compact, so labels stay legible
// when it is fitted to the page.
func separate(g Graph, x, y, r []float64) {
	n := len(x)
	w := make([]float64, n)
	for i, nd := range g.Nodes {
		w[i] = TextWidth(nd.Label)
	}
	foot := func(i int) Box {
		h := max(2*r[i], LabelHeight)
		return Box{x[i] - r[i] - clearance, y[i] - h/2 - clearance, 2*r[i] + labelGap + w[i] + 2*clearance, h + 2*clearance}
	}
	for range separation {
		moved := false
		for i := range n {
			for j := i + 1; j < n; j++ {
				a, b := foot(i), foot(j)
				if !a.Overlaps(b) {
					continue
				}
				moved = true
				ox := min(a.X+a.W, b.X+b.W) - max(a.X, b.X)
				oy := min(a.Y+a.H, b.Y+b.H) - max(a.Y, b.Y)
				// Direction from j to i; equal centres part by index.
				var mx, my float64
				if ox < oy {
					mx = ox + 0.5
					if a.X+a.W/2 < b.X+b.W/2 || (a.X+a.W/2 == b.X+b.W/2 && i < j) {
						mx = -mx
					}
				} else {
					my = oy + 0.5
					if a.Y+a.H/2 < b.Y+b.H/2 || (a.Y+a.H/2 == b.Y+b.H/2 && i < j) {
						my = -my
					}
				}
				si, sj := 0.5, 0.5
				switch g.Center {
				case i:
					si, sj = 0, 1
				case j:
					si, sj = 1, 0
				}
				x[i] += mx * si
				y[i] += my * si
				x[j] -= mx * sj
				y[j] -= my * sj
			}
		}
		if !moved {
			return
		}
	}
}

// placeLabels puts each label beside its node, trying the places in order
// (right, left, below, above, then the corners) and taking the first that
// touches no other label and no circle. Heavier nodes choose first. It
// reports false when some label found no free place, or two circles
// overlap.
func placeLabels(g Graph, x, y, r []float64) ([]Placed, bool) {
	n := len(g.Nodes)
	out := make([]Placed, n)
	for i := range n {
		out[i] = Placed{X: x[i], Y: y[i], R: r[i]}
		for j := i + 1; j < n; j++ {
			if math.Hypot(x[i]-x[j], y[i]-y[j]) < r[i]+r[j]+clearance {
				return out, false
			}
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	// Heaviest first; ties keep node order (a stable insertion sort keeps
	// this free of sort-package details).
	for i := 1; i < n; i++ {
		for j := i; j > 0 && g.Nodes[order[j]].Weight > g.Nodes[order[j-1]].Weight; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	var boxes []Box
	ok := true
	for _, i := range order {
		w := TextWidth(g.Nodes[i].Label)
		placedOne := false
		for _, c := range candidates(x[i], y[i], r[i], w) {
			if free(c.box, boxes, x, y, r) {
				out[i].Label, out[i].Anchor = c.box, c.anchor
				boxes = append(boxes, c.box)
				placedOne = true
				break
			}
		}
		if !placedOne {
			ok = false
			c := candidates(x[i], y[i], r[i], w)[0]
			out[i].Label, out[i].Anchor = c.box, c.anchor
			boxes = append(boxes, c.box)
		}
	}
	return out, ok
}

type candidate struct {
	box    Box
	anchor string
}

func candidates(cx, cy, r, w float64) []candidate {
	h := LabelHeight
	d := r*math.Sqrt2/2 + 1 // a corner label starts where the circle's diagonal ends
	return []candidate{
		{Box{cx + r + labelGap, cy - h/2, w, h}, "start"},
		{Box{cx - r - labelGap - w, cy - h/2, w, h}, "end"},
		{Box{cx - w/2, cy + r + 1, w, h}, "middle"},
		{Box{cx - w/2, cy - r - 1 - h, w, h}, "middle"},
		{Box{cx + d, cy + d - 2, w, h}, "start"},
		{Box{cx + d, cy - d - h + 2, w, h}, "start"},
		{Box{cx - d - w, cy + d - 2, w, h}, "end"},
		{Box{cx - d - w, cy - d - h + 2, w, h}, "end"},
	}
}

// free reports whether b, grown by the clearance, touches none of the
// placed boxes and no circle.
func free(b Box, placed []Box, x, y, r []float64) bool {
	g := Box{b.X - clearance, b.Y - clearance, b.W + 2*clearance, b.H + 2*clearance}
	for _, p := range placed {
		if g.Overlaps(p) {
			return false
		}
	}
	for i := range x {
		// The nearest point of the box to the circle's centre.
		nx := min(max(x[i], b.X), b.X+b.W)
		ny := min(max(y[i], b.Y), b.Y+b.H)
		if math.Hypot(x[i]-nx, y[i]-ny) < r[i]+clearance {
			return false
		}
	}
	return true
}

// TextWidth estimates the width of a label at FontSize from the advance
// widths of DejaVu Sans, one of the wider sans-serif faces, plus 5 %: the
// label's real box, in whichever sans-serif face the reader has, fits in
// the estimate.
func TextWidth(s string) float64 {
	w := 0.0
	for _, c := range s {
		switch {
		case c < 128 && c >= 32:
			w += asciiWidths[c-32]
		case c >= 0x2E80: // CJK and other wide scripts
			w += 1.0
		default:
			w += 0.72
		}
	}
	return math.Ceil(w * FontSize * 1.05)
}

// asciiWidths are DejaVu Sans advance widths in em, from ' ' to '~'.
var asciiWidths = [95]float64{
	.318, .401, .460, .838, .636, .950, .780, .275, .390, .390, .500, .838, .318, .361, .318, .337, // space–/
	.636, .636, .636, .636, .636, .636, .636, .636, .636, .636, .337, .337, .838, .838, .838, .531, // 0–?
	1.0, .684, .686, .698, .770, .632, .575, .775, .752, .295, .295, .656, .557, .863, .748, .787, // @–O
	.603, .787, .695, .635, .611, .732, .684, .989, .685, .611, .685, .390, .337, .390, .838, .500, // P–_
	.500, .613, .635, .550, .635, .615, .352, .635, .634, .278, .278, .579, .278, .974, .634, .612, // `–o
	.635, .635, .411, .521, .392, .634, .592, .818, .592, .592, .525, .636, .337, .636, .838, // p–~
}

func round(v float64) float64 { return math.Round(v*10) / 10 }
