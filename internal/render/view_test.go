package render

import (
	"html/template"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/dossier-dev/dossier/internal/site"
)

func TestRelURL(t *testing.T) {
	for _, tc := range []struct {
		root, path string
		offline    bool
		want       string
	}{
		{"", "", false, "./"},
		{"", "", true, "index.html"},
		{"../../", "", false, "../../"},
		{"../../", "", true, "../../index.html"},
		{"../../", "entities/kim/", false, "../../entities/kim/"},
		{"../../", "entities/kim/", true, "../../entities/kim/index.html"},
		{"../../", "briefings/x/#sec", true, "../../briefings/x/index.html#sec"},
		{"../../", "assets/style.css", true, "../../assets/style.css"},
		{"", "feed.xml", false, "feed.xml"},
		{"https://example.org/w/", "topics/", false, "https://example.org/w/topics/"},
	} {
		if got := relURL(tc.root, tc.path, tc.offline); got != tc.want {
			t.Errorf("relURL(%q, %q, %v) = %q, want %q", tc.root, tc.path, tc.offline, got, tc.want)
		}
	}
}

func TestRootFor(t *testing.T) {
	for path, want := range map[string]string{
		"":                   "",
		"briefings/":         "../",
		"briefings/x/":       "../../",
		"topics/t/page/2/":   "../../../../",
		"a/b/c/d/e/f/g/h/i/": "../../../../../../../../../",
	} {
		if got := rootFor(path); got != want {
			t.Errorf("rootFor(%q) = %q, want %q", path, got, want)
		}
	}
	// Pages at the same usual depth share the prefix's bytes.
	if a, b := rootFor("briefings/x/"), rootFor("topics/y/"); unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("two pages at depth 2 do not share their prefix")
	}
}

func TestPaging(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	for _, tc := range []struct {
		n, size int
		want    []int
	}{
		{1, 2, []int{1, 2}}, {2, 2, []int{3, 4}}, {3, 2, []int{5}}, {4, 2, []int{}}, {1, 50, []int{1, 2, 3, 4, 5}},
	} {
		got := page(items, tc.n, tc.size)
		if len(got) != len(tc.want) {
			t.Errorf("page(%d, %d) = %v, want %v", tc.n, tc.size, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("page(%d, %d) = %v, want %v", tc.n, tc.size, got, tc.want)
			}
		}
	}
	if pagedPath("topics/t/", 1) != "topics/t/" || pagedPath("topics/t/", 3) != "topics/t/page/3/" {
		t.Error("pagedPath")
	}
}

func TestPagerWindow(t *testing.T) {
	for _, tc := range []struct {
		n, total int
		want     string // numbers, "…" for a gap, [n] for the current page
	}{
		{1, 1, "[1]"},
		{1, 3, "[1] 2 3"},
		{5, 10, "1 … 3 4 [5] 6 7 … 10"},
		{1, 10, "[1] 2 3 … 10"},
		{10, 10, "1 … 8 9 [10]"},
		{4, 10, "1 2 3 [4] 5 6 … 10"},
	} {
		p := &Page{Path: pagedPath("topics/t/", tc.n)}
		p.root = rootFor(p.Path)
		pg := (&planner{}).pager(p, "topics/t/", tc.n, 1, tc.total)
		var parts []string
		for _, l := range pg.Links {
			switch {
			case l.Gap:
				parts = append(parts, "…")
			case l.Current:
				parts = append(parts, "["+strconv.Itoa(l.Number)+"]")
			default:
				parts = append(parts, strconv.Itoa(l.Number))
			}
		}
		if got := strings.Join(parts, " "); got != tc.want {
			t.Errorf("page %d of %d: %s, want %s", tc.n, tc.total, got, tc.want)
		}
		if tc.n > 1 && pg.Prev != p.Rel(pagedPath("topics/t/", tc.n-1)) {
			t.Errorf("page %d: prev %q", tc.n, pg.Prev)
		}
		if tc.n == 2 && pg.Prev != "../../" {
			t.Errorf("page 2's previous page is the topic page itself, got %q", pg.Prev)
		}
	}
}

// TestTOC: the table of contents of the default theme, built from the
// entries of toc, is the same as the one its earlier briefing.html nested
// from the headings themselves.
func TestTOC(t *testing.T) {
	const nested = `<ol>
          {{- $li := false}}{{$sub := false}}
          {{- range .Headings}}
          {{- if eq .Level 2}}
          {{- if $sub}}</ol>{{$sub = false}}{{end}}{{if $li}}</li>{{end}}
          <li><a href="#{{.ID}}">{{.Text}}</a>{{$li = true}}
          {{- else}}
          {{- if not $li}}<li>{{$li = true}}{{end}}{{if not $sub}}<ol>{{$sub = true}}{{end}}
            <li><a href="#{{.ID}}">{{.Text}}</a></li>
          {{- end}}
          {{- end}}
          {{- if $sub}}</ol>{{end}}{{if $li}}</li>{{end}}
        </ol>`
	const grouped = `<ol>
          {{- range .TOC}}
          {{- with .Heading}}
          <li><a href="#{{.ID}}">{{.Text}}</a>
          {{- else}}<li>{{end}}
          {{- with .Sub}}<ol>
          {{- range .}}
            <li><a href="#{{.ID}}">{{.Text}}</a></li>
          {{- end}}</ol>{{end}}</li>
          {{- end}}
        </ol>`
	old := template.Must(template.New("").Parse(nested))
	cur := template.Must(template.New("").Parse(grouped))
	for _, levels := range []string{"", "2", "22", "23", "233", "2323", "32", "332", "3", "242", "2342", "1", "12", "2332333"} {
		var hs []site.Heading
		for i, l := range levels {
			hs = append(hs, site.Heading{Level: int(l - '0'), ID: "h" + strconv.Itoa(i), Text: "H<" + strconv.Itoa(i)})
		}
		var want, got strings.Builder
		if err := old.Execute(&want, map[string]any{"Headings": hs}); err != nil {
			t.Fatal(err)
		}
		if err := cur.Execute(&got, map[string]any{"TOC": toc(hs)}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("levels %s:\ngot  %s\nwant %s", levels, got.String(), want.String())
		}
	}
}
