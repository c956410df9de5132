package render_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/corpus"
	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/themes"
)

// loadCorpus writes and loads a small generated site.
func loadCorpus(t *testing.T, briefings int) *build.Model {
	t.Helper()
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Briefings: briefings, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	m, err := build.Load(context.Background(), os.DirFS(dir), false)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// withOverride returns the default theme's template layer and a site layer
// holding one file: the default theme's file name with old replaced by new.
func withOverride(t *testing.T, name, old, new string) []render.Layer {
	t.Helper()
	def, _ := fs.Sub(themes.Default, "default/templates")
	text, err := fs.ReadFile(def, name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(text, []byte(old)) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	site := fstest.MapFS{name: {Data: bytes.Replace(text, []byte(old), []byte(new), 1)}}
	return []render.Layer{{FS: def, Name: "themes/default/templates"}, {FS: site, Name: "templates"}}
}

func defaultLayers() []render.Layer {
	def, _ := fs.Sub(themes.Default, "default/templates")
	return []render.Layer{{FS: def, Name: "themes/default/templates"}}
}

// renderAll renders every page of a plan; memo false renders every partial
// at every call.
func renderAll(t *testing.T, r *render.Renderer, m *build.Model, opts render.Options, memo bool) (map[string]string, *render.Page) {
	t.Helper()
	out := map[string]string{}
	var first *render.Page
	for _, j := range render.Plan(m.Site, opts) {
		p := j.Data()
		if first == nil {
			first = p
			if !memo {
				render.ForgetMemo(p)
			}
		}
		var buf bytes.Buffer
		if err := r.Execute(&buf, p); err != nil {
			t.Fatalf("%s: %v", j.File, err)
		}
		out[j.File] = buf.String()
		if memo && p != first {
			// As the build does: the next pages reuse what p's views
			// held, which the partials kept must not depend on.
			p.Release()
		}
	}
	return out, first
}

// TestPartialMemo renders every page of a generated site twice, reusing
// partials and rendering each at every call: the pages must be the same,
// for every way pages link.
func TestPartialMemo(t *testing.T) {
	m := loadCorpus(t, 80)
	r, err := render.Load(defaultLayers())
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []render.Options{{}, {Offline: true}, {BaseURL: "https://example.org/b/"}} {
		got, p := renderAll(t, r, m, opts, true)
		want, _ := renderAll(t, r, m, opts, false)
		if render.MemoSize(p) == 0 {
			t.Errorf("%+v: no partial was kept", opts)
		}
		for file, w := range want {
			if got[file] != w {
				t.Errorf("%+v: %s differs when partials are reused", opts, file)
			}
		}
	}
}

// TestPartialOverride: a site's partials.html whose entity chip shows the
// page's title (which partial would not know to key on) is rendered at
// every call, and the partials it did not change are still reused; also
// when the site keeps it in its own themes/default/, named like the
// default theme.
func TestPartialOverride(t *testing.T) {
	m := loadCorpus(t, 40)
	const old, new = `<span class="chip-label">{{$e.Name}}</span>`, `<span class="chip-label">{{$e.Name}} on {{.Page.Title}}</span>`
	layers := withOverride(t, "partials.html", old, new)
	siteTheme, _, err := render.Layers(fstest.MapFS{"themes/default/templates/partials.html": layers[1].FS.(fstest.MapFS)["partials.html"]}, "default")
	if err != nil {
		t.Fatal(err)
	}
	for _, layers := range [][]render.Layer{layers, siteTheme} {
		r, err := render.Load(layers)
		if err != nil {
			t.Fatal(err)
		}
		pages, p := renderAll(t, r, m, render.Options{}, true)
		checked := 0
		for _, b := range m.Site.Briefings {
			html := pages[render.PathOf(b)+"index.html"]
			for _, e := range b.Entities {
				if want := e.Name + " on " + b.Title; !strings.Contains(html, want) {
					t.Errorf("%s: no chip %q", b.Slug, want)
				}
				checked++
			}
		}
		if checked == 0 {
			t.Fatal("no entity chip checked")
		}
		if render.MemoSize(p) == 0 {
			t.Error("the partials the site left alone are not reused")
		}
		// The same, rendered without reuse.
		want, _ := renderAll(t, r, m, render.Options{}, false)
		for file, w := range want {
			if pages[file] != w {
				t.Errorf("%s differs when partials are reused", file)
			}
		}
	}
}

// TestEarlierTheme: a site that copied base.html, partials.html and
// entity.html before partial existed (testdata/theme-0) gets the same pages,
// whichever of them it overrides.
func TestEarlierTheme(t *testing.T) {
	m := loadCorpus(t, 40)
	r, err := render.Load(defaultLayers())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := renderAll(t, r, m, render.Options{}, true)
	for _, names := range [][]string{{"partials.html"}, {"base.html"}, {"entity.html"}, {"base.html", "partials.html", "entity.html"}} {
		site := fstest.MapFS{}
		for _, n := range names {
			text, err := os.ReadFile("testdata/theme-0/" + n)
			if err != nil {
				t.Fatal(err)
			}
			site[n] = &fstest.MapFile{Data: text}
		}
		r, err := render.Load(append(defaultLayers(), render.Layer{FS: site, Name: "templates"}))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := renderAll(t, r, m, render.Options{}, true)
		for file, w := range want {
			if got[file] != w {
				t.Errorf("with the earlier %v: %s differs", names, file)
			}
		}
	}
}

// TestPartialErrors: an error in a partial called with partial names the
// partial's own file and line, whether a page template or another partial
// calls it.
func TestPartialErrors(t *testing.T) {
	m := loadCorpus(t, 20)
	layers := withOverride(t, "partials.html", `<span class="chip-label">{{$e.Name}}</span>`,
		`<span class="chip-label">{{$e.NoSuchField}}</span>`)
	r, err := render.Load(layers)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := fs.ReadFile(layers[0].FS, "partials.html")
	line := 1 + bytes.Count(def[:bytes.Index(def, []byte(`<span class="chip-label">{{$e.Name}}`))], []byte("\n"))
	seen := map[string]bool{}
	for _, j := range render.Plan(m.Site, render.Options{}) {
		kind := strings.SplitN(j.File, "/", 2)[0] // briefings: entity-chips calls it; entities: entity.html does
		if (kind != "briefings" && kind != "entities") || strings.Count(j.File, "/") != 2 || seen[kind] {
			continue
		}
		p := j.Data()
		if kind == "entities" && (p.Entity == nil || len(p.Entity.Related) == 0) {
			continue
		}
		seen[kind] = true
		err := r.Execute(&bytes.Buffer{}, p)
		var d diag.Diagnostic
		if !errors.As(err, &d) {
			t.Fatalf("%s: error %v is not a diagnostic", j.File, err)
		}
		if d.Path != "templates/partials.html" || d.Line != line || !strings.Contains(d.Msg, "NoSuchField") {
			t.Errorf("%s: error %v, want one at templates/partials.html:%d about NoSuchField", j.File, d, line)
		}
	}
	if len(seen) != 2 {
		t.Fatalf("checked %v", seen)
	}
}

// TestPartialArguments: partial takes a name, the page and key/value pairs,
// like dict.
func TestPartialArguments(t *testing.T) {
	m := loadCorpus(t, 5)
	for _, tc := range []struct{ call, want string }{
		{`{{partial "entity-chip" $ "E"}}`, "odd number"},
		{`{{partial "entity-chip" $ 1 2}}`, "not a string"},
		{`{{partial "no-such-partial" $}}`, "no-such-partial"},
	} {
		layers := withOverride(t, "404.html", `<p class="kicker">Error 404</p>`, tc.call)
		r, err := render.Load(layers)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range render.Plan(m.Site, render.Options{}) {
			if j.File != "404.html" {
				continue
			}
			err := r.Execute(&bytes.Buffer{}, j.Data())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want one about %q", tc.call, err, tc.want)
			}
		}
	}
}
