package render

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/graph"
	"github.com/dossier-dev/dossier/internal/site"
	"github.com/dossier-dev/dossier/internal/source"
)

// TestGraphLinksOf checks the walk that stops early against one through
// every co-occurring entity, on ego graphs and on graphs of random
// entities of a random site where a few entities appear with most others.
func TestGraphLinksOf(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	var files []*source.File
	const ne = 40
	for i := range ne {
		slug := fmt.Sprintf("e%02d", i)
		files = append(files, &source.File{Path: "content/entities/" + slug + ".md", Kind: source.KindEntity, Slug: slug,
			Entity: &source.EntityMeta{Name: "Entity " + slug, Type: "person"}})
	}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for b := range 300 {
		var names []string
		for range 2 + r.IntN(6) {
			// Low numbers far more often: popular entities.
			names = append(names, fmt.Sprintf("Entity e%02d", min(r.IntN(ne), r.IntN(ne), r.IntN(ne))))
		}
		slug := fmt.Sprintf("b%03d", b)
		files = append(files, &source.File{Path: "content/briefings/" + slug + ".md", Kind: source.KindBriefing, Slug: slug,
			Briefing: &source.BriefingMeta{Title: slug, Date: day.AddDate(0, 0, b), Entities: names}})
	}
	s, diags := site.New(config.Default(), files)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	s.Assemble()

	var sets [][]*site.Entity
	for _, e := range s.Entities {
		nodes := []*site.Entity{e}
		for _, w := range e.TopRelated(egoLimit) {
			nodes = append(nodes, w.Entity)
		}
		sets = append(sets, nodes)
	}
	for range 20 {
		var nodes []*site.Entity
		for _, i := range r.Perm(ne)[:1+r.IntN(15)] {
			nodes = append(nodes, s.Entities[i])
		}
		sets = append(sets, nodes)
	}
	walkedPast := 0
	for _, nodes := range sets {
		at := map[*site.Entity]int{}
		for i, e := range nodes {
			at[e] = i
		}
		var wantEdges []graph.Edge
		var wantLinks [][]site.EntityWeight
		for i, e := range nodes {
			var links []site.EntityWeight
			for _, w := range e.Related() {
				j, ok := at[w.Entity]
				if !ok {
					continue
				}
				if i < j {
					wantEdges = append(wantEdges, graph.Edge{A: i, B: j, Weight: w.Count})
				}
				if len(links) < graphLinks {
					links = append(links, site.EntityWeight{Entity: nodes[j], Count: w.Count})
				}
			}
			wantLinks = append(wantLinks, links)
		}
		pos := nodePositions(len(s.Entities), nodes)
		edges, got := graphLinksOf(nodes, pos)
		pos.release(nodes)
		if !slices.Equal(edges, wantEdges) {
			t.Errorf("graph of %s…: edges %v, want %v", nodes[0].Name, edges, wantEdges)
		}
		for i := range nodes {
			if got[i].Entity != nodes[i] || !slices.Equal(got[i].Links, wantLinks[i]) {
				t.Errorf("graph of %s…: node %d links %v, want %v", nodes[0].Name, i, got[i].Links, wantLinks[i])
			}
			if len(wantLinks[i]) == graphLinks && len(nodes) > 1 {
				walkedPast++
			}
		}
	}
	if walkedPast == 0 {
		t.Fatal("no node had all its links: the site does not test the walk")
	}
}
