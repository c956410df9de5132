package source

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// keptStrings lists every string a File keeps for the site, walking its
// fields by reflection so that a field added later is covered too. The
// field positions are not kept (a full build drops them once the file is
// converted), nor is the Markdown.
func keptStrings(f *File) []string {
	var out []string
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			out = append(out, v.String())
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			// In the order of the keys' text, so that two walks compare.
			keys := v.MapKeys()
			slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
			for _, k := range keys {
				walk(k)
				walk(v.MapIndex(k))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				switch v.Type().Field(i).Name {
				case "FieldPos", "again":
					continue
				}
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(f).Elem())
	return out
}

// TestPackCopies checks that pack leaves every value a file keeps as it
// was, in memory of its own: nothing the site keeps may hold the
// decoder's copy of the front matter.
func TestPackCopies(t *testing.T) {
	for _, tc := range []struct {
		c    candidate
		text string
		must []string // some of the strings the walk has to reach
	}{
		{candidate{path: "content/briefings/kim/index.md", kind: KindBriefing, name: "kim", assets: []string{"content/briefings/kim/map.png"}},
			"---\ntitle: \"Kim in Russia\"\ndate: 2023-09-13\nsummary: The bottom line.\ntopics:\n  - Military Cooperation\nentities: [Kim Jong Un, Sergei Shoigu]\n" +
				"classification: SECRET\nlocation: Vladivostok\nauthors:\n  - A. Analyst\nsources:\n  - title: KCNA\n    url: https://kcna.kp/x\n  - https://example.org/y\n" +
				"region: East Asia\nextra:\n  note: kept\n  list: [a, b]\n---\nBody.\n",
			[]string{"content/briefings/kim/map.png", "Sergei Shoigu", "A. Analyst", "https://example.org/y", "note", "kept", "b"}},
		{candidate{path: "content/briefings/toml.md", kind: KindBriefing, name: "toml"},
			"+++\ntitle = \"Kim\"\ndate = 2023-09-13\nsources = [{title = \"KCNA\", url = \"https://kcna.kp/x\"}]\n[extra]\nnote = \"kept\"\n+++\nBody.\n",
			[]string{"KCNA", "https://kcna.kp/x", "extra", "kept"}},
		{candidate{path: "content/entities/kim-jong-un.md", kind: KindEntity, name: "kim-jong-un"},
			"---\nname: Kim Jong Un\ntype: person\naliases: [Kim, Chairman Kim]\nsummary: Leader.\n---\n",
			[]string{"Kim Jong Un", "person", "Chairman Kim", "Leader."}},
		{candidate{path: "content/topics/arms.md", kind: KindTopic, name: "arms"},
			"---\ntitle: Arms\naliases: [Weapons]\nsummary: Arms deals.\n---\n",
			[]string{"Arms", "Weapons", "Arms deals."}},
		{candidate{path: "content/pages/about.md", kind: KindPage, name: "about"},
			"---\ntitle: About\nsummary: Who we are.\nslug: about-us\n---\n",
			[]string{"about-us", "About", "Who we are."}},
	} {
		t.Run(tc.c.name, func(t *testing.T) {
			f, diags := decode(tc.c, []byte(tc.text))
			if f == nil || diags.HasErrors() {
				t.Fatalf("decode: %v", diags)
			}
			before := keptStrings(f)
			f.pack(new(packer))
			after := keptStrings(f)
			if !reflect.DeepEqual(after, before) {
				t.Fatalf("pack changed the values:\n got %q\nwant %q", after, before)
			}
			for i, s := range after {
				if s != "" && unsafe.StringData(s) == unsafe.StringData(before[i]) {
					t.Errorf("%q is still the decoder's", s)
				}
			}
			for _, m := range tc.must {
				if !slices.Contains(after, m) {
					t.Errorf("the walk missed %q: %q", m, after)
				}
			}
		})
	}
}
