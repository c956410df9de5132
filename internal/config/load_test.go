package config

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func load(t *testing.T, toml string) (Config, []string) {
	t.Helper()
	cfg, diags := Load(fstest.MapFS{FileName: &fstest.MapFile{Data: []byte(toml)}})
	var out []string
	for _, d := range diags {
		out = append(out, d.Error())
	}
	return cfg, out
}

func TestLoadDefaults(t *testing.T) {
	cfg, diags := Load(fstest.MapFS{"content/briefings/a.md": &fstest.MapFile{}})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if diff := cmp.Diff(Default(), cfg); diff != "" {
		t.Errorf("without dossier.toml (-want +got):\n%s", diff)
	}
	want := Config{Title: "Briefings", Language: "en", Theme: "default",
		Linking: Linking{Mentions: "first"}, Print: Print{Paper: "A4"}, PageSize: 50}
	if diff := cmp.Diff(want, Default()); diff != "" {
		t.Errorf("Default() differs from SPEC §2 (-want +got):\n%s", diff)
	}
	cfg, d := load(t, "# only a comment\n")
	if len(d) != 0 || !cmp.Equal(Default(), cfg) {
		t.Errorf("empty dossier.toml = %+v, %q", cfg, d)
	}
}

func TestLoadKeys(t *testing.T) {
	tests := []struct {
		name string
		toml string
		edit func(*Config)
	}{
		{"title", `title = "  Korea Desk "`, func(c *Config) { c.Title = "Korea Desk" }},
		{"empty title", `title = ""`, func(c *Config) { c.Title = "" }},
		{"baseURL gets a slash", `baseURL = "https://example.org/briefs"`, func(c *Config) { c.BaseURL = "https://example.org/briefs/" }},
		{"baseURL keeps its slash", `baseURL = "http://example.org/"`, func(c *Config) { c.BaseURL = "http://example.org/" }},
		{"empty baseURL", `baseURL = ""`, func(c *Config) {}},
		{"language", `language = "de"`, func(c *Config) { c.Language = "de" }},
		{"theme", `theme = "dark"`, func(c *Config) { c.Theme = "dark" }},
		{"classification", `classification = "SECRET"`, func(c *Config) { c.Classification = "SECRET" }},
		{"offline", `offline = true`, func(c *Config) { c.Offline = true }},
		{"pageSize", `pageSize = 10`, func(c *Config) { c.PageSize = 10 }},
		{"mentions", "[linking]\nmentions = \"all\"", func(c *Config) { c.Linking.Mentions = "all" }},
		{"mentions any case", "[linking]\nmentions = \"None\"", func(c *Config) { c.Linking.Mentions = "none" }},
		{"paper", "[print]\npaper = \"letter\"", func(c *Config) { c.Print.Paper = "Letter" }},
		{"paper a4", "print.paper = \"a4\"", func(c *Config) { c.Print.Paper = "A4" }},
		{"unsafe", "markdown = { unsafe = true }", func(c *Config) { c.Markdown.Unsafe = true }},
		{"empty table", "[linking]", func(c *Config) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := load(t, tt.toml)
			if len(diags) != 0 {
				t.Fatalf("diagnostics: %q", diags)
			}
			want := Default()
			tt.edit(&want)
			if diff := cmp.Diff(want, cfg); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		toml string
		want []string
	}{
		{"unknown table", "title = \"x\"\n\n[linkng]\nmentions = \"all\"\n", []string{
			`dossier.toml:3:1: unknown key "linkng" (did you mean "linking"?)`,
		}},
		{"unknown key no suggestion", "colour = \"red\"\n", []string{`dossier.toml:1:1: unknown key "colour"`}},
		{"unknown key case", "baseurl = \"https://x.org\"\n", []string{`dossier.toml:1:1: unknown key "baseurl" (did you mean "baseURL"?)`}},
		{"unknown nested key", "[print]\n  papr = \"A4\"\n", []string{`dossier.toml:2:3: unknown key "print.papr" (did you mean "print.paper"?)`}},
		{"key at the wrong level", "mentions = \"all\"\n", []string{`dossier.toml:1:1: unknown key "mentions" (did you mean "linking.mentions"?)`}},
		{"wrong type string", "title = 5\n", []string{`dossier.toml:1:1: title must be a string, not an integer`}},
		{"wrong type bool", "offline = \"yes\"\n", []string{`dossier.toml:1:1: offline must be a boolean (true or false), not a string`}},
		{"wrong type int", "pageSize = 2.5\n", []string{`dossier.toml:1:1: pageSize must be an integer, not a float`}},
		{"pageSize zero", "pageSize = 0\n", []string{`dossier.toml:1:1: pageSize must be at least 1, not 0`}},
		{"table expected", "linking = \"all\"\n", []string{`dossier.toml:1:1: linking must be a table ([linking]), not a string`}},
		{"bad mentions", "[linking]\nmentions = \"some\"\n", []string{`dossier.toml:2:1: linking.mentions "some" is not one of "first", "all", "none"`}},
		{"bad paper", "print.paper = \"A5\"\n", []string{`dossier.toml:1:7: print.paper "A5" is not one of "A4", "Letter"`}},
		{"paper not a string", "[print]\npaper = 4\n", []string{`dossier.toml:2:1: print.paper must be a string, one of "A4", "Letter", not an integer`}},
		{"relative baseURL", "baseURL = \"/briefs/\"\n", []string{`dossier.toml:1:1: baseURL "/briefs/" must be an absolute http:// or https:// URL`}},
		{"ftp baseURL", "baseURL = \"ftp://x.org/\"\n", []string{`dossier.toml:1:1: baseURL "ftp://x.org/" must be an absolute http:// or https:// URL`}},
		{"baseURL with query", "baseURL = \"https://x.org/?a=1\"\n", []string{`dossier.toml:1:1: baseURL "https://x.org/?a=1" must not have a query (?) or fragment (#)`}},
		{"theme leaves themes", "theme = \"../x\"\n", []string{`dossier.toml:1:1: theme "../x" must be the name of a folder in themes/`}},
		{"empty language", "language = \" \"\n", []string{`dossier.toml:1:1: language must not be empty`}},
		{"syntax error", "title = \"x\n", []string{`dossier.toml:1:11: invalid TOML: basic strings cannot have new lines`}},
		{"many errors at once", "titel = \"x\"\npageSize = \"50\"\n[print]\npaper = \"A3\"\n[linking]\nmentions = \"every\"\n[markdown]\nunsafe = 1\nraw = true\n", []string{
			`dossier.toml:1:1: unknown key "titel" (did you mean "title"?)`,
			`dossier.toml:2:1: pageSize must be an integer, not a string`,
			`dossier.toml:4:1: print.paper "A3" is not one of "A4", "Letter"`,
			`dossier.toml:6:1: linking.mentions "every" is not one of "first", "all", "none"`,
			`dossier.toml:8:1: markdown.unsafe must be a boolean (true or false), not an integer`,
			`dossier.toml:9:1: unknown key "markdown.raw"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := load(t, tt.toml)
			if diff := cmp.Diff(tt.want, diags); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			// Refused values leave the defaults in place.
			if tt.name == "many errors at once" && !cmp.Equal(Default(), cfg) {
				t.Errorf("config = %+v, want defaults", cfg)
			}
		})
	}
}

// unreadable makes dossier.toml fail to open, as a file without read
// permission does.
type unreadable struct{}

func (unreadable) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

func TestLoadUnreadable(t *testing.T) {
	_, diags := Load(unreadable{})
	if len(diags) != 1 || diags[0].Error() != "dossier.toml:1:1: cannot read file: permission denied" {
		t.Errorf("diagnostics = %v", diags)
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ in, want string }{
		{"linkng", "linking"},
		{"tittle", "title"},
		{"page_size", "pageSize"},
		{"language", "language"},
		{"paper", "print.paper"},
		{"unsafe", "markdown.unsafe"},
		{"xyz", ""},
		{"lingo", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.in); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
