package render

import (
	"cmp"
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
		files = append(files, personFile(slug, "Entity "+slug))
	}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for b := range 300 {
		var names []string
		for range 2 + r.IntN(6) {
			// Low numbers far more often: popular entities.
			names = append(names, fmt.Sprintf("Entity e%02d", min(r.IntN(ne), r.IntN(ne), r.IntN(ne))))
		}
		slug := fmt.Sprintf("b%03d", b)
		files = append(files, listingFile(slug, day.AddDate(0, 0, b), names))
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
	for range 400 {
		var nodes []*site.Entity
		for _, i := range r.Perm(ne)[:1+r.IntN(ne)] {
			nodes = append(nodes, s.Entities[i])
		}
		sets = append(sets, nodes)
	}
	// Two lists that repeat an entity.
	sets = append(sets, []*site.Entity{s.Entities[0], s.Entities[1], s.Entities[2], s.Entities[0], s.Entities[3]},
		append(slices.Clone(s.Entities[:12]), s.Entities[5], s.Entities[1]))
	full := 0
	for k, nodes := range sets {
		// The ego graphs have their centre; the random ones none, or one.
		center := 0
		if k >= len(s.Entities) {
			center = k%3 - 2
		}
		full += checkGraphLinks(t, s, nodes, center)
	}
	if full == 0 {
		t.Fatal("no node had all its links: the site does not test the walk")
	}

	// By hand: in V's list, X ties with V's fifth heaviest edge and comes
	// after it (by name); X's own walk stops before V (X's five edges to
	// the Ws are heavier). Stable by position, strongest keeps X–V for V
	// and not V–W5, which only V's walk through the tie finds.
	files = nil
	names := []string{"Xavier", "Victor", "Anna", "Boris", "Clara", "Dmitri", "Elena"}
	for _, name := range names {
		files = append(files, personFile(name, name))
	}
	var pairs [][2]string
	for _, w := range names[2:] {
		pairs = append(pairs, [2]string{"Victor", w}, [2]string{"Victor", w}, [2]string{"Xavier", w}, [2]string{"Xavier", w}, [2]string{"Xavier", w})
	}
	pairs = append(pairs, [2]string{"Xavier", "Victor"}, [2]string{"Xavier", "Victor"})
	for b, pair := range pairs {
		slug := fmt.Sprintf("b%03d", b)
		files = append(files, listingFile(slug, day.AddDate(0, 0, b), pair[:]))
	}
	hand, diags := site.New(config.Default(), files)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	hand.Assemble()
	byName := map[string]*site.Entity{}
	for _, e := range hand.Entities {
		byName[e.Name] = e
	}
	var nodes []*site.Entity
	for _, name := range names {
		nodes = append(nodes, byName[name])
	}
	checkGraphLinks(t, hand, nodes, -1)
}

// personFile is the profile of a person.
func personFile(slug, name string) *source.File {
	return &source.File{Path: "content/entities/" + slug + ".md", Kind: source.KindEntity, Slug: slug,
		Entity: &source.EntityMeta{Name: name, Type: "person"}}
}

// listingFile is a briefing, titled by its slug, that lists entities in
// its front matter.
func listingFile(slug string, date time.Time, entities []string) *source.File {
	return &source.File{Path: "content/briefings/" + slug + ".md", Kind: source.KindBriefing, Slug: slug,
		Briefing: &source.BriefingMeta{Title: slug, Date: date, Entities: entities}}
}

// checkGraphLinks compares graphLinksOf for nodes with the edges and
// links of walks through every node's whole list. It returns how many
// nodes had all their links.
func checkGraphLinks(t *testing.T, s *site.Site, nodes []*site.Entity, center int) (full int) {
	t.Helper()
	at := map[*site.Entity]int{}
	for i, e := range nodes {
		at[e] = i
	}
	// As drawGraph did before its walks stopped early: each node walks its
	// whole list.
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
	wantEdges = strongest(wantEdges, len(nodes), center)
	slices.SortFunc(wantEdges, func(a, b graph.Edge) int { return cmp.Or(cmp.Compare(a.A, b.A), cmp.Compare(a.B, b.B)) })

	pos := nodePositions(len(s.Entities), nodes)
	edges, got := graphLinksOf(nodes, pos, center)
	pos.release(nodes)
	if !slices.Equal(edges, wantEdges) {
		t.Errorf("graph of %s… (centre %d): edges\n%v, want\n%v", nodes[0].Name, center, edges, wantEdges)
	}
	for i := range nodes {
		if got[i].Entity != nodes[i] || !slices.Equal(got[i].Links, wantLinks[i]) {
			t.Errorf("graph of %s…: node %d links %v, want %v", nodes[0].Name, i, got[i].Links, wantLinks[i])
		}
		if len(wantLinks[i]) == graphLinks && len(nodes) > graphEdges+1 {
			full++
		}
	}
	return full
}
