package render

import (
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
