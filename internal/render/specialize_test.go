package render

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
)

// TestSpecialize: calls of partial with a constant name and constant keys
// get a function of their own and render as before; the others keep
// calling the generic partial, with the same results and errors.
func TestSpecialize(t *testing.T) {
	const defs = `{{define "chip"}}<a href="{{.Page.Rel "x/"}}">{{.E}}{{with .F}} {{.}}{{end}}{{with .G}} {{.}}{{end}}</a>{{end}}` +
		`{{define "site"}}[{{.Site.Title}} {{.E}}]{{end}}`
	for _, tc := range []struct {
		name, main string
		special    bool   // the call is specialized
		want       string // the output, or
		err        string // a part of the error
	}{
		{"no values", `{{partial "chip" $}}`, true, `<a href="../x/"></a>`, ""},
		{"one value", `{{partial "chip" $ "E" "e<"}}`, true, `<a href="../x/">e&lt;</a>`, ""},
		{"two values", `{{partial "chip" $ "E" "e" "F" 2}}`, true, `<a href="../x/">e 2</a>`, ""},
		{"site", `{{partial "site" $.Site "E" "e"}}`, true, `[T e]`, ""},
		{"in an argument", `{{printf "%s" (partial "chip" $ "E" "e")}}`, true, `&lt;a href=&#34;../x/&#34;&gt;e&lt;/a&gt;`, ""},
		{"in a declaration", `{{$h := partial "chip" $ "E" "e"}}{{$h}}`, true, `<a href="../x/">e</a>`, ""},
		{"in a range", `{{range .Kind | len}}{{partial "chip" $ "E" "e"}}{{end}}`, true, `<a href="../x/">e</a>`, ""},
		{"three values", `{{partial "chip" $ "E" "e" "F" 2 "G" 3}}`, false, `<a href="../x/">e 2 3</a>`, ""},
		{"computed name", `{{partial (printf "chi%s" "p") $ "E" "e"}}`, false, `<a href="../x/">e</a>`, ""},
		{"computed key", `{{partial "chip" $ (printf "E") "e"}}`, false, `<a href="../x/">e</a>`, ""},
		{"no such template", `{{partial "nope" $}}`, false, "", `"nope" is undefined`},
		{"odd values", `{{partial "chip" $ "E"}}`, false, "", "odd number"},
		{"key not a string", `{{partial "chip" $ 1 2}}`, false, "", "not a string"},
		{"piped", `{{"e" | partial "chip" $ "E" "e"}}`, false, "", "odd number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := template.New("").Funcs(funcs)
			ps := &partials{set: set}
			set.Funcs(template.FuncMap{"partial": ps.generic})
			template.Must(set.New("defs").Parse(defs))
			template.Must(set.New("main").Parse(tc.main))
			ps.reuse = reusable(set, nil)
			ps.specialize()
			if got := strings.Contains(set.Lookup("main").Tree.Root.String(), "_partial_"); got != tc.special {
				t.Errorf("specialized: %v, want %v (%s)", got, tc.special, set.Lookup("main").Tree.Root)
			}
			p := &Page{Kind: "k", Site: &SiteInfo{Title: "T", memo: new(memo)}, root: "../"}
			for range 2 { // the second time from the memo
				var buf bytes.Buffer
				err := set.ExecuteTemplate(&buf, "main", p)
				switch {
				case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
					t.Fatalf("error %v, want one about %q", err, tc.err)
				case tc.err == "" && err != nil:
					t.Fatal(err)
				case buf.String() != tc.want:
					t.Fatalf("got %s, want %s", buf.String(), tc.want)
				}
			}
		})
	}
}

// TestPartialGenericCalls: calls of the generic partial with the same name
// and keys share their reused results.
func TestPartialGenericCalls(t *testing.T) {
	set := template.New("").Funcs(funcs)
	ps := &partials{set: set}
	set.Funcs(template.FuncMap{"partial": ps.generic})
	template.Must(set.New("defs").Parse(`{{define "chip"}}{{.E}}{{end}}`))
	// A computed name keeps the generic partial.
	template.Must(set.New("main").Parse(`{{range .Site.Pages}}{{end}}{{partial (print "chip") $ "E" "a"}}{{partial (print "chip") $ "E" "b"}}{{partial (print "chip") $ "E" "a"}}`))
	ps.reuse = reusable(set, nil)
	ps.specialize()
	p := &Page{Site: &SiteInfo{memo: new(memo)}}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, "main", p); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "aba" {
		t.Errorf("got %q, want %q", buf.String(), "aba")
	}
	if n := len(ps.calls); n != 1 {
		t.Errorf("%d generic calls kept, want 1", n)
	}
	kept := 0
	for i := range p.Site.memo.shards {
		kept += len(p.Site.memo.shards[i].cur.index) + len(p.Site.memo.shards[i].old.index)
	}
	if kept != 2 {
		t.Errorf("%d results kept, want 2", kept)
	}
}

// TestPartialClones: a clone of a set runs its partials in itself, never in
// the set it was cloned from (which could then not be cloned again), and
// shares that set's memo keys, so that a result one clone rendered is
// reused by the others, for specialized and generic calls alike.
func TestPartialClones(t *testing.T) {
	rendered := 0
	set := template.New("").Funcs(funcs).Funcs(template.FuncMap{"count": func() string { rendered++; return "" }})
	ps := &partials{set: set}
	set.Funcs(template.FuncMap{"partial": ps.generic})
	template.Must(set.New("defs").Parse(`{{define "chip"}}{{count}}<a href="{{.Page.Rel "x/"}}">{{.E}}</a>{{end}}`))
	template.Must(set.New("main").Parse(`{{partial "chip" $ "E" "a"}}{{partial (print "chip") $ "E" "b"}}{{partial "chip" $ "E" "a"}}`))
	ps.reuse = reusable(set, nil)
	ps.specialize()
	p := &Page{Kind: "k", Site: &SiteInfo{memo: new(memo)}, root: "../"}
	const want = `<a href="../x/">a</a><a href="../x/">b</a><a href="../x/">a</a>`
	for i := range 3 {
		c := ps.clone()
		if c == set {
			t.Fatal("clone returned the set itself")
		}
		var buf bytes.Buffer
		if err := c.ExecuteTemplate(&buf, "main", p); err != nil {
			t.Fatalf("clone %d: %v", i, err)
		}
		if buf.String() != want {
			t.Errorf("clone %d: got %s, want %s", i, buf.String(), want)
		}
		// Three results: each specialized call site has its own keys,
		// so the two calls with "a" are two; the first clone renders
		// them, the others reuse them.
		if rendered != 3 {
			t.Errorf("after clone %d: chip rendered %d times, want 3", i, rendered)
		}
		if n := MemoSize(p); n != 3 {
			t.Errorf("after clone %d: %d results kept, want 3", i, n)
		}
	}
}
