package site

import (
	"strings"
	"testing"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/source"
)

// TestNewReservesGraphSlug: entities/graph/ is the entity graph, so no
// entity may take the slug, by its file or as a stub named in front matter.
func TestNewReservesGraphSlug(t *testing.T) {
	e := entityFile("graph", "Graph", "other")
	e.FieldPos = map[string]source.Pos{"slug": {Line: 3, Col: 1}}
	b := briefingFile("content/briefings/a.md", "a", "A", "2024-01-01", nil, []string{"GRAPH "})
	b.FieldPos = map[string]source.Pos{"entities": {Line: 5, Col: 1}}
	_, diags := New(config.Default(), []*source.File{e})
	if got := diags.Sort().Error(); !strings.Contains(got, `content/entities/graph.md:3:1: entity slug "graph" is taken by the entity graph at entities/graph/`) {
		t.Errorf("entity file with slug graph: %s", got)
	}
	_, diags = New(config.Default(), []*source.File{b})
	if got := diags.Sort().Error(); !strings.Contains(got, `content/briefings/a.md:5:1: entities: "GRAPH " would make a page at entities/graph/`) {
		t.Errorf("stub named Graph: %s", got)
	}
}
