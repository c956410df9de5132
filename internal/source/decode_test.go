package source

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeTOML(t *testing.T) {
	src := "\uFEFFtitle = \"Briefings\"\r\n" +
		"print.paper = \"A4\"\n" +
		"\n" +
		"[linking]\n" +
		"  mentions = \"all\"\n" +
		"[ markdown . extra ]\n" +
		"deep = { a = 1, b = { c = 2 } }\n" +
		"[[feeds]]\n" +
		"name = \"x\"\n" +
		"[[feeds]]\n" +
		"name = \"y\"\n" +
		"'quoted key' = 1\n"
	vals, pos, diags := DecodeTOML("dossier.toml", []byte(src))
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	wantPos := map[string]Pos{
		"title":                   {1, 1},
		"print":                   {2, 1},
		"print.paper":             {2, 7},
		"linking":                 {4, 1},
		"linking.mentions":        {5, 3},
		"markdown":                {6, 1},
		"markdown.extra":          {6, 14},
		"markdown.extra.deep":     {7, 1},
		"markdown.extra.deep.a":   {7, 10},
		"markdown.extra.deep.b":   {7, 17},
		"markdown.extra.deep.b.c": {7, 23},
		"feeds":                   {8, 1},
		"feeds.name":              {9, 1},
		"feeds.quoted key":        {12, 1},
	}
	if diff := cmp.Diff(wantPos, pos); diff != "" {
		t.Errorf("positions (-want +got):\n%s", diff)
	}
	wantVals := map[string]any{
		"title":   "Briefings",
		"print":   map[string]any{"paper": "A4"},
		"linking": map[string]any{"mentions": "all"},
		"markdown": map[string]any{"extra": map[string]any{
			"deep": map[string]any{"a": int64(1), "b": map[string]any{"c": int64(2)}},
		}},
		"feeds": []any{
			map[string]any{"name": "x"},
			map[string]any{"name": "y", "quoted key": int64(1)},
		},
	}
	if diff := cmp.Diff(wantVals, vals); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

func TestDecodeTOMLErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"title = \"x\"\n[linking\n", "dossier.toml:2:9: invalid TOML: expected ']' to close table name"},
		{"a = 1\na = 2\n", "dossier.toml:2:1: invalid TOML: key a is already defined"},
		{"t = \"é\" é\n", "dossier.toml:1:9: invalid TOML: expected newline but got U+00E9 'é'"},
	}
	for _, tt := range tests {
		vals, pos, diags := DecodeTOML("dossier.toml", []byte(tt.src))
		if vals != nil || pos != nil || len(diags) != 1 || diags[0].Error() != tt.want {
			t.Errorf("DecodeTOML(%q) = %v, %v, %q; want %q", tt.src, vals, pos, diags, tt.want)
		}
	}
}
