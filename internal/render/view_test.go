package render

import (
	"strconv"
	"strings"
	"testing"
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
		"":                 "",
		"briefings/":       "../",
		"briefings/x/":     "../../",
		"topics/t/page/2/": "../../../../",
	} {
		if got := rootFor(path); got != want {
			t.Errorf("rootFor(%q) = %q, want %q", path, got, want)
		}
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
