package source

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestFrontMatterLimits feeds front matter that goccy/go-yaml would take
// minutes over (deep flow nesting, one map with tens of thousands of keys)
// or that is simply too large, and expects a prompt error at the place
// where the limit is passed; just below each limit, the file loads.
func TestFrontMatterLimits(t *testing.T) {
	keys := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "k%d: v\n", i)
		}
		return b.String()
	}
	nested := func(n int) string {
		var b strings.Builder
		b.WriteString("extra:\n")
		for i := range n {
			fmt.Fprintf(&b, "  k%d: v\n", i)
		}
		return b.String()
	}
	items := func(n int) string {
		var b strings.Builder
		b.WriteString("sources:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - title: Source %d\n    url: https://example.org/%d\n", i, i)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, front, want string
	}{
		{"100,000 nested [", "x: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n",
			"content/briefings/x.md:4:104: front matter nests lists and maps written with [ and { more than 100 levels deep"},
		{"101 nested {", "x: " + strings.Repeat("{a: ", 101) + "1" + strings.Repeat("}", 101) + "\n",
			"content/briefings/x.md:4:404: front matter nests lists and maps written with [ and { more than 100 levels deep"},
		{"100 nested [ load", "x: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n", ""},
		{"brackets in quotes and comments do not count", "x: '" + strings.Repeat("[", 500) + "'\ny: \"" + strings.Repeat("{", 500) + "\" # " + strings.Repeat("[", 500) + "\n", ""},
		{"one map with 30,000 keys", keys(30_000),
			"content/briefings/x.md:2:1: front matter is 283 KB, more than the limit of 256 KB: move long text into the body below the closing ---"},
		{"one map with 2,001 keys", keys(1999),
			"content/briefings/x.md:2002:1: front matter has more than 2000 fields in one map: keep long lists of data out of front matter"},
		{"a nested map with 2,001 keys", nested(2001),
			"content/briefings/x.md:2005:3: front matter has more than 2000 fields in one map: keep long lists of data out of front matter"},
		{"3,000 sources of two keys each load", items(3000), ""},
		{"a 300 KB summary", "summary: " + strings.Repeat("a", 300<<10) + "\n",
			"content/briefings/x.md:2:1: front matter is 301 KB, more than the limit of 256 KB: move long text into the body below the closing ---"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := "---\ntitle: T\ndate: 2023-01-01\n" + tc.front + "---\nbody\n"
			start := time.Now()
			file, diags := decodeFile(candidate{path: "content/briefings/x.md", kind: KindBriefing, name: "x"}, []byte(data))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			got := diags.Errors().Error()
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if (file != nil) != (tc.want == "") {
				t.Errorf("file %v", file != nil)
			}
		})
	}
	// TOML has the same size limit and a nesting limit of its own.
	data := "+++\ntitle = 'T'\ndate = 2023-01-01\nx = " + strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000) + "\n+++\n"
	_, diags := decodeFile(candidate{path: "content/briefings/x.md", kind: KindBriefing, name: "x"}, []byte(data))
	if want := "content/briefings/x.md:4:10005: invalid TOML: arrays and inline tables are nested more than the maximum of 10000 levels deep"; diags.Error() != want {
		t.Errorf("TOML: got %q\nwant %q", diags.Error(), want)
	}
}
