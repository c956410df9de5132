package render

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"sync"

	"github.com/dossier-dev/dossier/internal/graph"
	"github.com/dossier-dev/dossier/internal/site"
)

// Sizes of the entity graphs.
const (
	// GraphLimit is how many of the most-mentioned entities the entity
	// graph shows.
	GraphLimit = 40
	// egoLimit is how many neighbours an entity page's own graph shows.
	egoLimit = 12
	// graphLinks is how many of each entity's strongest links the text
	// list under the graph names.
	graphLinks = 4
	// graphEdges is how many of its strongest links each entity draws: a
	// line for every pair that ever shared a briefing would hide the
	// structure under a mesh of weak lines.
	graphEdges = 5
)

// shapes mark entity types in graphs as the theme's glyphs do (see the
// .type-* rules of style.css): colour alone would not tell them apart in
// print or for colour-blind readers.
var shapes = map[string]string{"person": "circle", "organization": "square", "place": "triangle",
	"event": "diamond", "equipment": "cross", "other": "ring"}

// GraphView is a network of entities drawn as an inline SVG, with the same
// content as a list for readers who do not see the drawing.
type GraphView struct {
	SVG template.HTML
	// Nodes are the entities drawn, most mentioned first, each with its
	// strongest links inside the drawing.
	Nodes []GraphNode
	// Types are the entity types drawn, in the order of site.EntityTypes,
	// for the legend.
	Types []string
	// Shown and Total count the entities drawn and those that could be.
	Shown, Total int
}

// GraphNode is an entity of a graph and its strongest links in it.
type GraphNode struct {
	Entity *site.Entity
	Links  []site.EntityWeight
}

func (pb *planner) entityGraph() *Page {
	p := pb.page("graph", "Entity graph", "entities/graph/")
	p.Description = "How the most-mentioned entities of " + pb.s.Config.Title + " appear together"
	var ranked []*site.Entity
	for _, e := range pb.s.Entities {
		if len(e.Appearances) > 0 {
			ranked = append(ranked, e)
		}
	}
	slices.SortStableFunc(ranked, func(a, b *site.Entity) int {
		return cmp.Or(cmp.Compare(b.Mentions, a.Mentions), cmp.Compare(len(b.Appearances), len(a.Appearances)))
	})
	nodes := ranked[:min(GraphLimit, len(ranked))]
	p.Graph = pb.drawGraph(p, nodes, -1, "Entity graph: the "+fmt.Sprint(len(nodes))+" most-mentioned entities and the briefings they share")
	p.Graph.Total = len(ranked)
	return p
}

// egoGraph draws an entity with the entities it appears with most.
func (pb *planner) egoGraph(p *Page, e *site.Entity) *GraphView {
	if e.RelatedCount() == 0 {
		return nil
	}
	nodes := []*site.Entity{e}
	for _, r := range e.TopRelated(egoLimit) {
		nodes = append(nodes, r.Entity)
	}
	v := pb.drawGraph(p, nodes, 0, e.Name+" and the entities that appear in the same briefings")
	v.Total = e.RelatedCount()
	return v
}

// drawGraph lays out the given entities with an edge for every pair that
// shares briefings.
func (pb *planner) drawGraph(p *Page, nodes []*site.Entity, center int, label string) *GraphView {
	pos := nodePositions(len(pb.s.Entities), nodes)
	defer pos.release(nodes)
	g := graph.Graph{Center: center, Label: label}
	v := &GraphView{Shown: len(nodes)}
	types := map[string]bool{}
	for _, e := range nodes {
		types[e.Type] = true
		g.Nodes = append(g.Nodes, graph.Node{Label: e.Name, Href: p.URL(e), Class: "type-" + e.Type, Weight: e.Mentions,
			Shape: shapes[e.Type],
			Title: fmt.Sprintf("%s (%s): %s in %s", e.Name, typeName(e.Type), countNoun(e.Mentions, "mention", "mentions"),
				countNoun(len(e.Appearances), "briefing", "briefings"))})
	}
	g.Edges, v.Nodes = graphLinksOf(nodes, pos, center)
	for _, t := range site.EntityTypes {
		if types[t] {
			v.Types = append(v.Types, t)
		}
	}
	v.SVG = template.HTML(graph.SVG(g))
	return v
}

// graphLinksOf returns the edges a graph draws (see strongest), ordered
// by first node, then second, and each node with its first graphLinks
// co-occurring entities of the graph.
//
// A popular entity appears with thousands of others, and two entities of
// a graph may share no briefing at all, so walking every node's whole list
// for the pairs it forms (as this did) read thousands of entries for each
// of them. A list comes most shared first, and strongest keeps an edge
// only if it is among the graphEdges heaviest of one of its nodes (or
// touches the centre): so a walk can stop once it has its links, its
// graphEdges heaviest edges and every edge as heavy as the last of them;
// the centre's walk, whose edges are all kept, goes on until it has met
// every node. Every edge strongest keeps is then found by the walk of one
// of its nodes, and so is every edge that outweighs or ties with one it
// keeps, which are all that decide what it keeps.
func graphLinksOf(nodes []*site.Entity, pos positions, center int) ([]graph.Edge, []GraphNode) {
	n := len(nodes)
	// The bound holds for distinct entities; a list that repeats one (no
	// graph does) gets the whole walks.
	others, whole := -1, false
	for i, e := range nodes {
		if pos.at[e.Rank()] == int32(i) {
			others++
		} else {
			whole = true
		}
	}
	ranks := make([]int, n)
	for i, e := range nodes {
		ranks[i] = e.Rank()
	}
	slices.Sort(ranks)
	ranks = slices.Compact(ranks)
	found := make([]bool, n*n)
	var edges []graph.Edge
	out := make([]GraphNode, n)
	for i, e := range nodes {
		node := GraphNode{Entity: e}
		// The graph's entities met so far, and the weight of the
		// graphEdges-th of them.
		met, last := 0, 0
		e.EachRelatedAmong(ranks, func(rank, count int) bool { // most shared first
			j := int(pos.at[rank])
			if !whole && i != center && met >= graphEdges && count < last && len(node.Links) == graphLinks {
				return false
			}
			if met++; met == graphEdges {
				last = count
			}
			a, b := min(i, j), max(i, j)
			if whole && i > j {
				// Only the first node's walk gives an edge, as j's
				// position may not be where i's own walk finds it.
				a = -1
			}
			if a >= 0 && !found[a*n+b] {
				found[a*n+b] = true
				edges = append(edges, graph.Edge{A: a, B: b, Weight: count})
			}
			if len(node.Links) < graphLinks {
				node.Links = append(node.Links, site.EntityWeight{Entity: nodes[j], Count: count})
			}
			return met < others
		})
		out[i] = node
	}
	// In the order the first node's walk meets them (most shared first,
	// then by rank), as strongest breaks ties by that order.
	slices.SortFunc(edges, func(x, y graph.Edge) int {
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(y.Weight, x.Weight), cmp.Compare(nodes[x.B].Rank(), nodes[y.B].Rank()))
	})
	edges = strongest(edges, n, center)
	// Edges in a fixed order: by first node, then second.
	slices.SortFunc(edges, func(a, b graph.Edge) int { return cmp.Or(cmp.Compare(a.A, b.A), cmp.Compare(a.B, b.B)) })
	return edges, out
}

// positions gives the position of each node of a graph by the entity's
// rank, -1 for every other entity. drawGraph walks the entities each node
// appears with: at 100,000 briefings the popular ones appear with
// thousands, almost none of them in the graph, and the lookup of each is
// then a load from a table of a few tens of kilobytes.
type positions struct {
	at  []int32
	buf *[]int32 // what positionTables holds: at, by pointer, so that putting it back allocates nothing
}

// positionTables keep tables of -1 between graphs.
var positionTables sync.Pool

// nodePositions returns the table for nodes on a site of n entities.
func nodePositions(n int, nodes []*site.Entity) positions {
	buf, _ := positionTables.Get().(*[]int32)
	if buf == nil || len(*buf) < n {
		t := make([]int32, n)
		for i := range t {
			t[i] = -1
		}
		buf = &t
	}
	for i, e := range nodes {
		(*buf)[e.Rank()] = int32(i) // a repeated entity keeps its last position
	}
	return positions{at: *buf, buf: buf}
}

// release returns the table, all -1 again.
func (p positions) release(nodes []*site.Entity) {
	for _, e := range nodes {
		p.at[e.Rank()] = -1
	}
	positionTables.Put(p.buf)
}

// strongest keeps the edges that are among the graphEdges heaviest of
// either of their nodes (heavier first, then in node order), and every
// edge of the center node.
func strongest(edges []graph.Edge, n, center int) []graph.Edge {
	byNode := make([][]int, n) // node → indexes into edges
	for i, e := range edges {
		byNode[e.A] = append(byNode[e.A], i)
		byNode[e.B] = append(byNode[e.B], i)
	}
	keep := make([]bool, len(edges))
	for v, es := range byNode {
		slices.SortStableFunc(es, func(i, j int) int { return cmp.Compare(edges[j].Weight, edges[i].Weight) })
		for k, i := range es {
			if k < graphEdges || v == center {
				keep[i] = true
			}
		}
	}
	var out []graph.Edge
	for i, e := range edges {
		if keep[i] {
			out = append(out, e)
		}
	}
	return out
}

// countNoun returns "1 mention" or "3 mentions".
func countNoun(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
