package render

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	texttemplate "text/template"

	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/themes"
)

// PageTemplates are the templates of the page kinds; each defines "main".
// base.html (defines "base") and partials.html are parsed into every one.
var PageTemplates = []string{
	"home.html", "briefings.html", "briefing.html", "topics.html", "topic.html",
	"entities.html", "entity.html", "timeline.html", "page.html", "404.html",
	"search.html", "graph.html",
}

// BookTemplate is the template of the briefing book that `dossier pdf
// --book` prints. It is loaded with the page templates, so that a broken
// override is found by every build, but it is not a page of the site: Plan
// has no job for it.
const BookTemplate = "book.html"

var commonTemplates = []string{"base.html", "partials.html"}

// Renderer holds the parsed templates, one set per page kind. It is safe for
// concurrent use: templates are parsed once, and each page is rendered with
// a clone of its kind's set that no other goroutine is using (see
// partials.clone).
type Renderer struct {
	pages    map[string]*pageSet // by kind ("briefing")
	paths    map[string]string   // template name → file path, for errors
	embedded map[string]bool     // template names read from the embedded default theme
}

// pageSet is the template set of one page kind: as loaded, never executed,
// and the clones of it that are free for a page.
type pageSet struct {
	ps   *partials
	free chan *template.Template
}

// Workers is how many pages a build renders at once: twice the cores, so
// that a page that waits (for a lock of the partial memo, for the kernel)
// leaves its core to another page rather than idle.
func Workers() int { return 2 * runtime.GOMAXPROCS(0) }

// get returns a clone of the set for one page, made when none is free.
func (k *pageSet) get() *template.Template {
	select {
	case t := <-k.free:
		return t
	default:
		return k.ps.clone()
	}
}

// put gives back a clone that get returned, once its page is done.
func (k *pageSet) put(t *template.Template) {
	select {
	case k.free <- t:
	default: // more clones than workers: let this one go
	}
}

// Layer is one folder of templates. Later layers override earlier ones.
type Layer struct {
	FS   fs.FS
	Name string // how the folder is named in errors, e.g. "templates"

	embedded bool // the default theme built into the binary (see Layers)
}

// defaultLayer names the default theme's template layer (see Layers).
const defaultLayer = "themes/default/templates"

// Layers returns the template and static layers of a site in override
// order: the embedded default theme, the site's themes/<theme>/ when it has
// one, then (for templates) the site's templates/ folder.
func Layers(siteFS fs.FS, theme string) (tmpl, static []Layer, err error) {
	def, _ := fs.Sub(themes.Default, "default")
	tmpl = []Layer{{sub(def, "templates"), defaultLayer, true}}
	static = []Layer{{sub(def, "static"), "themes/default/static", true}}
	dir := "themes/" + theme
	if st, err := fs.Stat(siteFS, dir); err == nil && st.IsDir() {
		tmpl = append(tmpl, Layer{FS: sub(siteFS, dir+"/templates"), Name: dir + "/templates"})
		static = append(static, Layer{FS: sub(siteFS, dir+"/static"), Name: dir + "/static"})
	} else if theme != "default" {
		return nil, nil, diag.Errorf("dossier.toml", 1, 1, "theme %q not found: there is no folder %s/", theme, dir)
	}
	tmpl = append(tmpl, Layer{FS: sub(siteFS, "templates"), Name: "templates"})
	return tmpl, static, nil
}

// defaultTemplates is the default theme's template folder.
func defaultTemplates() fs.FS {
	def, _ := fs.Sub(themes.Default, "default")
	return sub(def, "templates")
}

func sub(fsys fs.FS, dir string) fs.FS {
	s, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // fs.Sub fails only for an invalid path, which dir never is
	}
	return s
}

// Load parses the templates of the layers: for each name, the last layer that
// has the file wins. Errors name the file that was at fault.
func Load(layers []Layer) (*Renderer, error) {
	r := &Renderer{pages: map[string]*pageSet{}, paths: map[string]string{}, embedded: map[string]bool{}}
	read := func(name string) (string, error) {
		for i := len(layers) - 1; i >= 0; i-- {
			b, err := fs.ReadFile(layers[i].FS, name)
			if err == nil {
				r.paths[name] = layers[i].Name + "/" + name
				r.embedded[name] = layers[i].embedded
				return string(b), nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("read template %s/%s: %w", layers[i].Name, name, err)
			}
		}
		return "", fmt.Errorf("template %s: not found in %s", name, layers[len(layers)-1].Name)
	}
	common := template.New("").Funcs(funcs)
	var diags diag.List
	for _, name := range commonTemplates {
		text, err := read(name)
		if err != nil {
			return nil, err
		}
		if _, err := common.New(name).Parse(text); err != nil {
			diags.Add(r.diagnose(err))
		}
	}
	if diags.HasErrors() {
		return nil, diags.Err()
	}
	for _, name := range append(PageTemplates[:len(PageTemplates):len(PageTemplates)], BookTemplate) {
		text, err := read(name)
		if err != nil {
			return nil, err
		}
		t := template.Must(common.Clone())
		ps := &partials{set: t}
		t.Funcs(template.FuncMap{"partial": ps.generic})
		if _, err := t.New(name).Parse(text); err != nil {
			diags.Add(r.diagnose(err))
			continue
		}
		if t.Lookup("base") == nil {
			diags.Errorf(r.paths["base.html"], 1, 1, `base.html must {{define "base"}}`)
			continue
		}
		// Which templates partial may reuse: all of them when every file
		// comes from the default theme, else those a site left as they are.
		if r.embedded["base.html"] && r.embedded["partials.html"] && r.embedded[name] {
			ps.reuse = reusable(t, nil)
		} else if def, err := defaultSet(defaultTemplates(), name); err == nil {
			ps.reuse = reusable(t, def)
		} else {
			ps.reuse = map[string]bool{}
		}
		ps.specialize()
		r.pages[strings.TrimSuffix(name, ".html")] = &pageSet{ps: ps, free: make(chan *template.Template, Workers())}
	}
	if diags.HasErrors() {
		return nil, diags.Err()
	}
	return r, nil
}

// Execute renders p with the template of its kind.
func (r *Renderer) Execute(w io.Writer, p *Page) error {
	k, ok := r.pages[p.Kind]
	if !ok {
		return fmt.Errorf("render %s: no template for page kind %q", p.Path, p.Kind)
	}
	t := k.get()
	defer k.put(t)
	if err := t.ExecuteTemplate(w, "base", p); err != nil {
		return r.diagnose(err)
	}
	return nil
}

// templateErr matches html/template's "template: name:line:col: msg" and
// "template: name:line: msg" forms.
var templateErr = regexp.MustCompile(`^template: ([^:]+):(\d+):(?:(\d+):)? ?(.*)$`)

// diagnose turns a template error into path:line:col: message so that a
// broken override points at the user's file.
func (r *Renderer) diagnose(err error) diag.Diagnostic {
	// An error in a template that partial rendered comes wrapped in the
	// error of the call: report the innermost, which names the partial's
	// own file and line.
	for e := err; e != nil; e = errors.Unwrap(e) {
		if _, ok := e.(texttemplate.ExecError); ok {
			err = e
		}
	}
	msg := err.Error()
	if m := templateErr.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		path := r.paths[m[1]]
		if path == "" {
			path = m[1]
		}
		return diag.Errorf(path, line, col, "%s", m[4])
	}
	return diag.Errorf("templates", 1, 1, "%s", msg)
}
