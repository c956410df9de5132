package source

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// site builds a MapFS from file names and contents.
func site(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// lines formats diagnostics one per entry, as the user sees them.
func lines(t *testing.T, fsys fs.FS, opts Options) ([]*File, []string) {
	t.Helper()
	files, diags := Load(context.Background(), fsys, opts)
	var out []string
	for _, d := range diags {
		out = append(out, d.Error())
	}
	return files, out
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

const kimYAML = `---
title: Kim in Russia
date: 2023-09-13
summary: "  The bottom line.  "
topics: [Military Cooperation, " ", Sanctions]
entities: Kim Jong Un
classification: UNCLASSIFIED
location: Vladivostok
authors: [A. Analyst]
sources:
  - title: KCNA
    url: https://kcna.kp/x
  - https://example.org/y
  - title: Desk
    url: mailto:desk@example.org
  - url: ../notes/
draft: false
region: East Asia
weight: 3
---
The body.
`

const kimTOML = `+++
title = "Kim in Russia"
date = 2023-09-13T10:30:00+09:00
topics = ["Military Cooperation"]
sources = [{ title = "KCNA", url = "https://kcna.kp/x" }]
region = "East Asia"

[extra]
note = "kept"
+++

The body.
`

// TestLoadKinds decodes one file of every kind, in both formats, and checks
// every field of the result.
func TestLoadKinds(t *testing.T) {
	fsys := site(map[string]string{
		"content/briefings/2023-09-13-kim-in-russia.md": kimYAML,
		"content/briefings/kim-toml.md":                 kimTOML,
		"content/briefings/local.md":                    "+++\ntitle = 'Local'\ndate = 2023-09-14\n+++\n",
		"content/briefings/localtime.md":                "+++\ntitle = 'Local'\ndate = 2023-09-14T08:00:00\nslug = 'Local Time'\n+++\n",
		"content/entities/kim-jong-un.md":               "+++\nname = \"Kim Jong Un\"\ntype = \"Person\"\naliases = [\"Kim\", \"Chairman Kim\"]\nsummary = \"Leader.\"\n+++\nProfile.\n",
		"content/entities/kcna.md":                      "---\nname: KCNA\n---\n",
		"content/topics/military-cooperation.md":        "---\ntitle: Military Cooperation\naliases: Arms\nsummary: Weapons and training.\n---\n",
		"content/pages/about.md":                        "+++\ntitle = \"About\"\nsummary = \"Who we are\"\n+++\nText.\n",
	})
	files, diags := lines(t, fsys, Options{})
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics:\n%s", strings.Join(diags, "\n"))
	}
	want := []*File{
		{
			Path: "content/briefings/2023-09-13-kim-in-russia.md", Kind: KindBriefing, Slug: "kim-in-russia",
			Front:    []byte(kimYAML[4:strings.Index(kimYAML, "---\nThe body")]),
			Body:     []byte("The body.\n"),
			BodyLine: 21,
			Briefing: &BriefingMeta{
				Title:          "Kim in Russia",
				Date:           date(2023, 9, 13),
				Summary:        "The bottom line.",
				Topics:         []string{"Military Cooperation", "Sanctions"},
				Entities:       []string{"Kim Jong Un"},
				Classification: "UNCLASSIFIED",
				Location:       "Vladivostok",
				Authors:        []string{"A. Analyst"},
				Sources: []Link{
					{Title: "KCNA", URL: "https://kcna.kp/x"},
					{URL: "https://example.org/y"},
					{Title: "Desk", URL: "mailto:desk@example.org"},
					{URL: "../notes/"},
				},
			},
			Params: map[string]any{"region": "East Asia", "weight": uint64(3)},
			FieldPos: map[string]Pos{
				"title": {2, 1}, "date": {3, 1}, "summary": {4, 1}, "topics": {5, 1}, "entities": {6, 1},
				"classification": {7, 1}, "location": {8, 1}, "authors": {9, 1}, "sources": {10, 1},
				"draft": {17, 1}, "region": {18, 1}, "weight": {19, 1},
				// The keys of the sources that are maps, for messages
				// about one source's field.
				"sources.1": {11, 5}, "sources.1.title": {11, 5}, "sources.1.url": {12, 5},
				"sources.3": {14, 5}, "sources.3.title": {14, 5}, "sources.3.url": {15, 5},
				"sources.4": {16, 5}, "sources.4.url": {16, 5},
			},
		},
		{
			Path: "content/briefings/kim-toml.md", Kind: KindBriefing, Slug: "kim-toml",
			Front:    []byte(kimTOML[4:strings.Index(kimTOML, "+++\n\nThe body")]),
			Body:     []byte("\nThe body.\n"),
			BodyLine: 11,
			Briefing: &BriefingMeta{
				Title:   "Kim in Russia",
				Date:    time.Date(2023, 9, 13, 1, 30, 0, 0, time.UTC),
				Topics:  []string{"Military Cooperation"},
				Sources: []Link{{Title: "KCNA", URL: "https://kcna.kp/x"}},
			},
			Params: map[string]any{"region": "East Asia", "extra": map[string]any{"note": "kept"}},
			FieldPos: map[string]Pos{
				"title": {2, 1}, "date": {3, 1}, "topics": {4, 1}, "sources": {5, 1}, "region": {6, 1}, "extra": {8, 1},
				"sources.1": {5, 14}, "sources.1.title": {5, 14}, "sources.1.url": {5, 30},
			},
		},
		{
			Path: "content/briefings/local.md", Kind: KindBriefing, Slug: "local",
			Front: []byte("title = 'Local'\ndate = 2023-09-14\n"), Body: []byte{}, BodyLine: 5,
			Briefing: &BriefingMeta{Title: "Local", Date: date(2023, 9, 14)},
			FieldPos: map[string]Pos{"title": {2, 1}, "date": {3, 1}},
		},
		{
			Path: "content/briefings/localtime.md", Kind: KindBriefing, Slug: "local-time",
			Front: []byte("title = 'Local'\ndate = 2023-09-14T08:00:00\nslug = 'Local Time'\n"), Body: []byte{}, BodyLine: 6,
			Briefing: &BriefingMeta{Title: "Local", Date: time.Date(2023, 9, 14, 8, 0, 0, 0, time.UTC)},
			FieldPos: map[string]Pos{"title": {2, 1}, "date": {3, 1}, "slug": {4, 1}},
		},
		{
			Path: "content/entities/kcna.md", Kind: KindEntity, Slug: "kcna",
			Front: []byte("name: KCNA\n"), Body: []byte{}, BodyLine: 4,
			Entity:   &EntityMeta{Name: "KCNA", Type: "other"},
			FieldPos: map[string]Pos{"name": {2, 1}},
		},
		{
			Path: "content/entities/kim-jong-un.md", Kind: KindEntity, Slug: "kim-jong-un",
			Front:    []byte("name = \"Kim Jong Un\"\ntype = \"Person\"\naliases = [\"Kim\", \"Chairman Kim\"]\nsummary = \"Leader.\"\n"),
			Body:     []byte("Profile.\n"),
			BodyLine: 7,
			Entity:   &EntityMeta{Name: "Kim Jong Un", Type: "person", Aliases: []string{"Kim", "Chairman Kim"}, Summary: "Leader."},
			FieldPos: map[string]Pos{"name": {2, 1}, "type": {3, 1}, "aliases": {4, 1}, "summary": {5, 1}},
		},
		{
			Path: "content/pages/about.md", Kind: KindPage, Slug: "about",
			Front: []byte("title = \"About\"\nsummary = \"Who we are\"\n"), Body: []byte("Text.\n"), BodyLine: 5,
			Page:     &PageMeta{Title: "About", Summary: "Who we are"},
			FieldPos: map[string]Pos{"title": {2, 1}, "summary": {3, 1}},
		},
		{
			Path: "content/topics/military-cooperation.md", Kind: KindTopic, Slug: "military-cooperation",
			Front: []byte("title: Military Cooperation\naliases: Arms\nsummary: Weapons and training.\n"), Body: []byte{}, BodyLine: 6,
			Topic:    &TopicMeta{Title: "Military Cooperation", Aliases: []string{"Arms"}, Summary: "Weapons and training."},
			FieldPos: map[string]Pos{"title": {2, 1}, "aliases": {3, 1}, "summary": {4, 1}},
		},
	}
	if diff := cmp.Diff(want, files, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(File{}), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Load mismatch (-want +got):\n%s", diff)
	}
	// The RFC 3339 date keeps its offset; dates without one are UTC.
	if _, off := files[1].Briefing.Date.Zone(); off != 9*3600 {
		t.Errorf("RFC 3339 offset = %d, want %d", off, 9*3600)
	}
	if loc := files[2].Briefing.Date.Location(); loc != time.UTC {
		t.Errorf("YYYY-MM-DD location = %v, want UTC", loc)
	}
}

// TestLoadLayout covers what the walk finds, bundles and their assets, and
// the warnings for everything it will not read.
func TestLoadLayout(t *testing.T) {
	ok := "---\ntitle: T\ndate: 2023-09-13\n---\n"
	fsys := site(map[string]string{
		"dossier.toml": "",
		"content/briefings/2023-09-13-visit/index.md":      ok,
		"content/briefings/2023-09-13-visit/map.png":       "png",
		"content/briefings/2023-09-13-visit/img/b.png":     "png",
		"content/briefings/2023-09-13-visit/img-a.png":     "png",
		"content/briefings/2023-09-13-visit/.hidden":       "x",
		"content/briefings/2023-09-13-visit/.git/config":   "x",
		"content/briefings/2023-09-13-visit/img/.DS_Store": "x",
		"content/briefings/2023-09-13-visit/notes.md":      "notes",
		"content/briefings/2023-09-13-visit/sub/index.md":  ok,
		"content/briefings/plain.md":                       ok,
		"content/briefings/.draft.md":                      "",
		"content/briefings/.trash/x.md":                    "",
		"content/briefings/map.png":                        "png",
		"content/briefings/old/a.md":                       ok,
		"content/briefings/old/deeper/b.md":                ok,
		"content/topics/images/x.png":                      "png",
		"content/notes.md":                                 ok,
		"content/drafts/x.md":                              ok,
		"content/.obsidian/workspace":                      "{}",
		"static/CNAME":                                     "example.org",
	})
	files, diags := lines(t, fsys, Options{})
	want := []string{
		"content/briefings/2023-09-13-visit/notes.md:1:1: warning: only index.md of the bundle content/briefings/2023-09-13-visit/ is a page; other .md files are not copied either: ignored (a briefing is content/briefings/NAME.md or content/briefings/NAME/index.md)",
		"content/briefings/2023-09-13-visit/sub/index.md:1:1: warning: only index.md of the bundle content/briefings/2023-09-13-visit/ is a page; other .md files are not copied either: ignored (a briefing is content/briefings/NAME.md or content/briefings/NAME/index.md)",
		"content/briefings/map.png:1:1: warning: not a .md file or a bundle folder: ignored",
		"content/briefings/old/a.md:1:1: warning: too deep and content/briefings/old/ has no index.md, so it is not a bundle: ignored (a briefing is content/briefings/NAME.md or content/briefings/NAME/index.md)",
		"content/briefings/old/deeper/b.md:1:1: warning: too deep and content/briefings/old/ has no index.md, so it is not a bundle: ignored (a briefing is content/briefings/NAME.md or content/briefings/NAME/index.md)",
		"content/drafts:1:1: warning: not in briefings/, entities/, topics/ or pages/: ignored",
		"content/notes.md:1:1: warning: not in briefings/, entities/, topics/ or pages/: ignored",
		"content/topics/images:1:1: warning: folder has no index.md, so it is not a bundle: ignored (a topic is content/topics/NAME.md or content/topics/NAME/index.md)",
	}
	if diff := cmp.Diff(want, diags); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	var got [][]string
	for _, f := range files {
		got = append(got, append([]string{f.Path, f.Slug}, f.Assets...))
	}
	wantFiles := [][]string{
		{"content/briefings/2023-09-13-visit/index.md", "visit",
			"content/briefings/2023-09-13-visit/img-a.png",
			"content/briefings/2023-09-13-visit/img/b.png",
			"content/briefings/2023-09-13-visit/map.png"},
		{"content/briefings/plain.md", "plain"},
	}
	if diff := cmp.Diff(wantFiles, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestLoadNoContent(t *testing.T) {
	for name, fsys := range map[string]fs.FS{
		"no content folder": site(map[string]string{"dossier.toml": ""}),
		"empty fs":          fstest.MapFS{},
		"empty kind folder": fstest.MapFS{"content/briefings": &fstest.MapFile{Mode: fs.ModeDir}},
	} {
		files, diags := lines(t, fsys, Options{})
		if len(files) != 0 || len(diags) != 0 {
			t.Errorf("%s: got %d files, diagnostics %q", name, len(files), diags)
		}
	}
}

// TestLoadErrors checks the exact message and position for each thing a
// user can get wrong in one file. Positions are lines of the file.
func TestLoadErrors(t *testing.T) {
	const b = "content/briefings/b.md"
	tests := []struct {
		name string
		path string
		data string
		want []string
	}{
		{"empty file", b, "", []string{b + ":1:1: empty file: a briefing needs front matter with at least title and date"}},
		{"blank file", b, "\n  \r\n", []string{b + ":1:1: empty file: a briefing needs front matter with at least title and date"}},
		{"empty entity", "content/entities/e.md", "", []string{"content/entities/e.md:1:1: empty file: an entity needs front matter with at least name"}},
		{"empty topic", "content/topics/t.md", "", []string{"content/topics/t.md:1:1: empty file: a topic needs front matter with at least title"}},
		{"yaml never closed", b, "---\ntitle: x\ndate: 2023-09-13\n", []string{b + ":1:1: front matter opened with --- on line 1 is never closed"}},
		{"toml never closed", b, "+++\ntitle = 'x'\n---\n", []string{b + ":1:1: front matter opened with +++ on line 1 is never closed"}},
		{"malformed yaml", b, "---\ntitle: x\ntopics: [a, b\n---\n", []string{b + ":3:9: invalid YAML: sequence end token ']' not found"}},
		{"malformed yaml after BOM and CRLF", b, "\uFEFF---\r\ntitle: x\r\n\r\ntopics: [a, b\r\n---\r\n", []string{b + ":4:9: invalid YAML: sequence end token ']' not found"}},
		{"duplicate yaml key", b, "---\ntitle: x\ntitle: y\n---\n", []string{b + `:3:1: invalid YAML: mapping key "title" already defined at line 2, column 1`}},
		{"yaml list", b, "---\n- a\n- b\n---\n", []string{b + ":2:1: invalid YAML: front matter must be fields written as key: value, not a list"}},
		{"malformed toml", b, "+++\ntitle = \"x\"\ndate = \n+++\n", []string{b + ":3:8: invalid TOML: unexpected character U+000A at start of value"}},
		{"malformed toml non-ascii column", b, "+++\ntitle = \"Überblick\" x\n+++\n", []string{b + ":2:21: invalid TOML: expected newline but got U+0078 'x'"}},
		{"duplicate toml key", b, "+++\ntitle = 'x'\ntitle = 'y'\n+++\n", []string{b + ":3:1: invalid TOML: key title is already defined"}},
		{"missing title and date", b, "---\nsummary: x\n---\n", []string{
			b + `:1:1: missing required field "date"`,
			b + `:1:1: missing required field "title"`,
		}},
		{"no front matter", b, "# Just a heading\n", []string{
			b + `:1:1: missing required field "date" (the file has no front matter: start it with a line ---)`,
			b + `:1:1: missing required field "title" (the file has no front matter: start it with a line ---)`,
		}},
		{"missing name", "content/entities/e.md", "---\ntitle: Kim\n---\n", []string{`content/entities/e.md:1:1: missing required field "name"`}},
		{"missing topic title", "content/topics/t.md", "+++\nname = 'x'\n+++\n", []string{`content/topics/t.md:1:1: missing required field "title"`}},
		{"missing page title", "content/pages/p.md", "---\n---\n", []string{`content/pages/p.md:1:1: missing required field "title"`}},
		{"empty title", b, "---\ntitle: \"  \"\ndate: 2023-09-13\n---\n", []string{b + ":2:1: title must not be empty"}},
		{"null title", b, "---\ntitle:\ndate: 2023-09-13\n---\n", []string{b + ":2:1: title must not be empty"}},
		{"topics: 5", b, "---\ntitle: x\ndate: 2023-09-13\ntopics: 5\n---\n", []string{b + ":4:1: topics must be a list of strings, not a number"}},
		{"topics item map", b, "---\ntitle: x\ndate: 2023-09-13\ntopics: [a, {b: c}]\n---\n", []string{b + ":4:1: topics must be a list of strings, but item 2 is a map"}},
		{"numeric title", b, "---\ntitle: 1984\ndate: 2023-09-13\n---\n", []string{b + ":2:1: title must be text, not a number (put it in quotes)"}},
		{"draft not bool", b, "---\ntitle: x\ndate: 2023-09-13\ndraft: maybe\n---\n", []string{b + ":4:1: draft must be true or false, not text"}},
		{"bad date", b, "---\ntitle: x\ndate: 13/09/2023\n---\n", []string{b + `:3:1: date "13/09/2023" is not YYYY-MM-DD or RFC 3339`}},
		{"impossible date", b, "---\ntitle: x\ndate: 2023-02-30\n---\n", []string{b + `:3:1: date "2023-02-30" is not YYYY-MM-DD or RFC 3339`}},
		{"numeric date", b, "+++\ntitle = 'x'\ndate = 20230913\n+++\n", []string{b + `:3:1: date must be YYYY-MM-DD or RFC 3339, not a number`}},
		{"toml time of day", b, "+++\ntitle = 'x'\ndate = 10:00:00\n+++\n", []string{b + `:3:1: date must be YYYY-MM-DD or RFC 3339, not a time of day`}},
		{"slug leaves folder", b, "---\ntitle: x\ndate: 2023-09-13\nslug: ../x\n---\n", []string{b + `:4:1: slug "../x" would leave its folder`}},
		{"absolute slug", b, "---\ntitle: x\ndate: 2023-09-13\nslug: /etc/passwd\n---\n", []string{b + `:4:1: slug "/etc/passwd" would leave its folder`}},
		{"backslash slug", b, "---\ntitle: x\ndate: 2023-09-13\nslug: 'a\\b'\n---\n", []string{b + `:4:1: slug "a\\b" would leave its folder`}},
		{"toml slug leaves folder", b, "+++\ntitle = 'x'\ndate = 2023-09-13\nslug = '..'\n+++\n", []string{b + `:4:1: slug ".." would leave its folder`}},
		{"empty slug", b, "---\ntitle: x\ndate: 2023-09-13\nslug: '!!'\n---\n", []string{b + `:4:1: slug "!!" has no letters or digits`}},
		{"no slug from name", "content/briefings/2023-09-13-___.md", "---\ntitle: x\ndate: 2023-09-13\n---\n", []string{
			`content/briefings/2023-09-13-___.md:1:1: cannot make a slug from the name "2023-09-13-___": set slug in the front matter`,
		}},
		{"javascript source", b, "---\ntitle: x\ndate: 2023-09-13\nsources:\n  - title: x\n    url: javascript:alert(1)\n---\n", []string{
			b + `:6:5: source URL "javascript:alert(1)" uses a scheme that is not allowed (http, https, mailto)`,
		}},
		{"javascript source, TOML table", b, "+++\ntitle = 'x'\ndate = 2023-09-13\n[[sources]]\nurl = 'https://x.org'\n[[sources]]\ntitle = 'y'\nurl = 'javascript:y'\n+++\n", []string{
			b + `:8:1: source URL "javascript:y" uses a scheme that is not allowed (http, https, mailto)`,
		}},
		{"javascript source, flow map", b, "---\ntitle: x\ndate: 2023-09-13\nsources:\n  - https://x.org\n  - {title: y, url: 'javascript:y'}\n---\n", []string{
			b + `:6:16: source URL "javascript:y" uses a scheme that is not allowed (http, https, mailto)`,
		}},
		{"source title not text", b, "---\ntitle: x\ndate: 2023-09-13\nsources:\n  - url: https://x.org\n    title: [a]\n---\n", []string{
			b + `:6:5: source 1: title must be text, not a list`,
		}},
		{"data source", b, "+++\ntitle = 'x'\ndate = 2023-09-13\nsources = ['DATA:text/html,x']\n+++\n", []string{
			b + `:4:1: source URL "DATA:text/html,x" uses a scheme that is not allowed (http, https, mailto)`,
		}},
		{"source without url", b, "---\ntitle: x\ndate: 2023-09-13\nsources:\n  - title: x\n---\n", []string{b + ":5:5: source 1 has no url"}},
		{"source unknown key", b, "---\ntitle: x\ndate: 2023-09-13\nsources:\n  - {title: x, ulr: 'https://x.org'}\n---\n", []string{
			b + `:5:16: source 1 has unknown key "ulr" (a source has title and url)`,
		}},
		{"source control character", b, "---\ntitle: x\ndate: 2023-09-13\nsources: [\"java\\tscript:x\"]\n---\n", []string{
			b + `:4:1: source URL "java\tscript:x" is not a valid URL: net/url: invalid control character in URL`,
		}},
		{"sources not a list", b, "---\ntitle: x\ndate: 2023-09-13\nsources: 5\n---\n", []string{b + ":4:1: sources must be a list of {title, url}, not a number"}},
		{"bad entity type", "content/entities/e.md", "---\nname: x\ntype: persn\n---\n", []string{
			`content/entities/e.md:3:1: type "persn" is not one of person, organization, place, event, equipment, other`,
		}},
		{"invalid utf-8", b, "---\ntitle: ab\xffc\n", []string{b + ":2:10: invalid UTF-8 (byte 0xff): save the file as UTF-8"}},
		{"invalid utf-8 after non-ascii", b, "---\r\ntitle: x\r\nsummary: éé\xc3(\n", []string{b + ":3:12: invalid UTF-8 (byte 0xc3): save the file as UTF-8"}},
		{"field in wrong case", b, "---\nTitle: x\ndate: 2023-09-13\n---\n", []string{
			b + `:1:1: missing required field "title"`,
			b + `:2:1: warning: field "Title" is not "title" (field names are lower case): kept as a custom field`,
		}},
		{"draft on entity", "content/entities/e.md", "---\nname: x\ndraft: true\n---\n", []string{
			`content/entities/e.md:3:1: warning: draft applies only to briefings and pages: this entity is published`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, diags := lines(t, site(map[string]string{tt.path: tt.data}), Options{})
			if diff := cmp.Diff(tt.want, diags); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			wantFiles := 1
			if hasError(tt.want) {
				wantFiles = 0
			}
			if len(files) != wantFiles {
				t.Errorf("got %d files, want %d", len(files), wantFiles)
			}
		})
	}
}

// hasError reports whether any formatted diagnostic is an error.
func hasError(diags []string) bool {
	for _, d := range diags {
		if !strings.Contains(d, ": warning: ") {
			return true
		}
	}
	return false
}

func TestLoadBOMAndCRLF(t *testing.T) {
	fsys := site(map[string]string{
		"content/briefings/a.md": "\uFEFF---\r\ntitle: T\r\n\r\ndate: 2023-09-13\r\n---\r\nBody\r\nline2\r",
		"content/briefings/b.md": "+++\rtitle = 'T'\rdate = 2023-09-13\r+++\rBody\r",
	})
	files, diags := lines(t, fsys, Options{})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %q", diags)
	}
	a, b := files[0], files[1]
	if string(a.Body) != "Body\nline2\n" || a.BodyLine != 6 || a.FieldPos["date"] != (Pos{4, 1}) || a.Briefing.Title != "T" {
		t.Errorf("a: body %q line %d date at %v title %q", a.Body, a.BodyLine, a.FieldPos["date"], a.Briefing.Title)
	}
	if string(b.Body) != "Body\n" || b.BodyLine != 5 || b.FieldPos["date"] != (Pos{3, 1}) {
		t.Errorf("b: body %q line %d date at %v", b.Body, b.BodyLine, b.FieldPos["date"])
	}
}

func TestLoadDrafts(t *testing.T) {
	fsys := site(map[string]string{
		"content/briefings/draft.md": "---\ntitle: D\ndate: 2023-09-13\ndraft: true\n---\n",
		"content/briefings/final.md": "---\ntitle: F\ndate: 2023-09-13\n---\n",
		"content/pages/draft.md":     "+++\ntitle = 'P'\ndraft = true\n+++\n",
		"content/briefings/bad.md":   "---\ntitle: B\ndate: nope\ndraft: true\n---\n",
	})
	for _, tt := range []struct {
		opts Options
		want []string
	}{
		{Options{}, []string{"content/briefings/final.md"}},
		{Options{Drafts: true}, []string{"content/briefings/draft.md", "content/briefings/final.md", "content/pages/draft.md"}},
	} {
		files, diags := lines(t, fsys, tt.opts)
		var got []string
		for _, f := range files {
			got = append(got, f.Path)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Drafts=%v files (-want +got):\n%s", tt.opts.Drafts, diff)
		}
		// A draft's errors are reported even when the draft is left out.
		if want := []string{`content/briefings/bad.md:3:1: date "nope" is not YYYY-MM-DD or RFC 3339`}; !cmp.Equal(want, diags) {
			t.Errorf("Drafts=%v diagnostics = %q, want %q", tt.opts.Drafts, diags, want)
		}
	}
}

// unreadableFS fails to open one file, as a file without read permission does.
type unreadableFS struct {
	fstest.MapFS
	bad string
}

func (u unreadableFS) Open(name string) (fs.File, error) {
	if name == u.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.Open(name)
}

func (u unreadableFS) ReadFile(name string) ([]byte, error) {
	if name == u.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.ReadFile(name)
}

func TestLoadUnreadable(t *testing.T) {
	fsys := unreadableFS{
		MapFS: site(map[string]string{
			"content/briefings/locked.md": "---\ntitle: x\ndate: 2023-09-13\n---\n",
			"content/briefings/open.md":   "---\ntitle: x\ndate: 2023-09-13\n---\n",
		}),
		bad: "content/briefings/locked.md",
	}
	files, diags := lines(t, fsys, Options{})
	if want := []string{"content/briefings/locked.md:1:1: cannot read file: permission denied"}; !cmp.Equal(want, diags) {
		t.Errorf("diagnostics = %q, want %q", diags, want)
	}
	if len(files) != 1 || files[0].Path != "content/briefings/open.md" {
		t.Errorf("files = %v", files)
	}
}

// TestLoadSymlinks runs on the real file system: a link loop must neither
// hang nor fail the load, and a link to a file is read through.
func TestLoadSymlinks(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Skipf("symlinks not supported: %v", err)
		}
	}
	write("content/briefings/bundle/index.md", "---\ntitle: x\ndate: 2023-09-13\n---\n")
	write("content/briefings/bundle/a.png", "png")
	write("shared/linked.md", "---\ntitle: y\ndate: 2023-09-13\n---\n")
	link("..", "content/briefings/bundle/loop")
	link("loop2", "content/briefings/bundle/loop1")
	link("loop1", "content/briefings/bundle/loop2")
	link("../../shared/linked.md", "content/briefings/linked.md")
	link("missing.md", "content/briefings/broken.md")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	files, diags := Load(ctx, os.DirFS(root), Options{})
	var got []string
	for _, d := range diags {
		got = append(got, d.Error())
	}
	want := []string{
		"content/briefings/broken.md:1:1: cannot read file: no such file or directory",
		"content/briefings/bundle/loop:1:1: warning: link to a folder is not followed: ignored",
		"content/briefings/bundle/loop1:1:1: warning: cannot read: too many levels of symbolic links: ignored",
		"content/briefings/bundle/loop2:1:1: warning: cannot read: too many levels of symbolic links: ignored",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if len(files) != 2 || files[0].Slug != "bundle" || files[1].Slug != "linked" {
		t.Fatalf("files = %+v", files)
	}
	if diff := cmp.Diff([]string{"content/briefings/bundle/a.png"}, files[0].Assets); diff != "" {
		t.Errorf("assets (-want +got):\n%s", diff)
	}
}

func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	files, diags := Load(ctx, site(map[string]string{"content/briefings/a.md": "---\ntitle: x\ndate: 2023-09-13\n---\n"}), Options{})
	if files != nil || !diags.HasErrors() {
		t.Errorf("cancelled Load = %v, %v; want no files and an error", files, diags)
	}
	if err := diags.Err(); err == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
		t.Errorf("error %v does not say the load was cancelled", err)
	}
}

// TestLoadDeterministic loads a site with many files several times: the
// parallel decode must not leak its scheduling into the result.
func TestLoadDeterministic(t *testing.T) {
	files := map[string]string{}
	for i := range 200 {
		name := strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strings.Repeat("y", i/26)
		files["content/briefings/"+name+".md"] = "---\ntitle: T\ndate: nope\n---\n"
		files["content/topics/"+name+".md"] = "---\ntitle: " + name + "\n---\n"
	}
	fsys := site(files)
	first, firstDiags := Load(context.Background(), fsys, Options{})
	for range 5 {
		again, diags := Load(context.Background(), fsys, Options{})
		if !cmp.Equal(first, again, cmpopts.IgnoreUnexported(File{})) || !cmp.Equal(firstDiags, diags) {
			t.Fatal("two loads of the same site differ")
		}
	}
	if len(first) != 200 || len(firstDiags) != 200 {
		t.Errorf("got %d files and %d diagnostics, want 200 and 200", len(first), len(firstDiags))
	}
}

func TestPosOf(t *testing.T) {
	f := &File{FieldPos: map[string]Pos{"title": {2, 1}}}
	if got := f.PosOf("title"); got != (Pos{2, 1}) {
		t.Errorf("PosOf(title) = %v", got)
	}
	if got := f.PosOf("date"); got != (Pos{1, 1}) {
		t.Errorf("PosOf(date) = %v", got)
	}
}

// TestLoadCompact checks that a compact load keeps none of a file's text
// and reads the same Markdown again when asked, also where the file had a
// byte order mark and CRLF line endings.
func TestLoadCompact(t *testing.T) {
	long := strings.Repeat("Kim Jong Un met Vladimir Putin at the Vostochny Cosmodrome.\n\n", 40)
	fsys := site(map[string]string{
		"content/briefings/a.md": "---\ntitle: T\ndate: 2023-09-13\n---\n" + long,
		"content/briefings/b.md": "---\ntitle: U\ndate: 2023-09-14\n---\nShort.\n",
		"content/briefings/c.md": "\uFEFF---\r\ntitle: V\r\ndate: 2023-09-15\r\n---\r\nWindows\r\nlines.\r\n",
	})
	plain, _ := lines(t, fsys, Options{})
	compact, diags := lines(t, fsys, Options{Compact: true})
	if len(diags) != 0 || len(compact) != 3 {
		t.Fatalf("%d files, diagnostics: %q", len(compact), diags)
	}
	for i, f := range compact {
		if f.Body != nil || f.Front != nil || f.Packed.Len() != 0 {
			t.Errorf("%s: compact load kept Body, Front or Packed", f.Path)
		}
		got, err := f.Markdown()
		if err != nil || string(got) != string(plain[i].Body) {
			t.Errorf("%s: Markdown() = %q, %v, want %q", f.Path, got, err, plain[i].Body)
		}
		if got, err := plain[i].Markdown(); err != nil || string(got) != string(plain[i].Body) {
			t.Errorf("%s: Markdown() of a plain load = %q, %v, want its Body", f.Path, got, err)
		}
	}
	if got := string(plain[2].Body); got != "Windows\nlines.\n" {
		t.Errorf("CRLF body = %q", got)
	}
	// MarkdownInto reads each file into the one buffer it is given.
	buf := make([]byte, 0, 8<<10)
	for i, f := range compact {
		got, grown, err := f.MarkdownInto(buf)
		if err != nil || string(got) != string(plain[i].Body) {
			t.Errorf("%s: MarkdownInto = %q, %v, want %q", f.Path, got, err, plain[i].Body)
		}
		if unsafe.SliceData(grown) != unsafe.SliceData(buf) {
			t.Errorf("%s: MarkdownInto did not read into the buffer it was given", f.Path)
		}
	}
}

// TestLoadCompactChanged checks that a file that changed between a compact
// load and the reading of its Markdown gives an error, not a body that
// does not belong to the front matter the site was made from.
func TestLoadCompactChanged(t *testing.T) {
	fsys := site(map[string]string{
		"content/briefings/a.md": "---\ntitle: T\ndate: 2023-09-13\n---\nFirst.\n",
		"content/briefings/b.md": "---\ntitle: U\ndate: 2023-09-14\n---\nSecond.\n",
	})
	files, diags := lines(t, fsys, Options{Compact: true})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %q", diags)
	}
	fsys["content/briefings/a.md"].Data = []byte("---\ntitle: T2\ndate: 2023-09-13\n---\nFirst.\n")
	delete(fsys, "content/briefings/b.md")
	for i, want := range []string{"changed while the site was being built", "cannot read file again"} {
		if _, err := files[i].Markdown(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Markdown() error = %v, want %q", files[i].Path, err, want)
		}
	}
}

// TestLoadAllBroken: the files left out for errors come back with what a
// wikilink may call them: the slug and title of front matter that could be
// read, else the slug of the file's name.
func TestLoadAllBroken(t *testing.T) {
	fsys := site(map[string]string{
		"content/briefings/2023-09-13-kim-in-russia.md": "---\ntitle: [Kim in Russia\ndate: 2023-09-13\n---\nx\n",
		"content/briefings/treaty.md":                   "---\ntitle: The Treaty\ndate: 2024-06-19\nslug: putin-in-pyongyang\nsources: ['javascript:x']\n---\nx\n",
		"content/entities/shoigu/index.md":              "---\nname: Sergei Shoigu\ntype: persn\n---\nx\n",
		"content/topics/sanctions.md":                   "---\ntitle: Sanctions\n---\nx\n",
		"content/pages/about.md":                        "",
	})
	files, _, diags := LoadAll(context.Background(), fsys, Options{})
	if len(files) != 1 || files[0].Path != "content/topics/sanctions.md" {
		t.Fatalf("files = %v, want the topic only", files)
	}
	if n := len(diags.Errors()); n != 4 {
		t.Errorf("%d errors, want 4: %v", n, diags)
	}
	want := []Broken{
		{Path: "content/briefings/2023-09-13-kim-in-russia.md", Kind: KindBriefing, Slug: "kim-in-russia", Body: []byte("x\n"), BodyLine: 5},
		{Path: "content/briefings/treaty.md", Kind: KindBriefing, Slug: "putin-in-pyongyang", Title: "The Treaty", Body: []byte("x\n"), BodyLine: 7},
		{Path: "content/entities/shoigu/index.md", Kind: KindEntity, Slug: "shoigu", Title: "Sergei Shoigu", Body: []byte("x\n"), BodyLine: 5},
		{Path: "content/pages/about.md", Kind: KindPage, Slug: "about"},
	}
	for _, compact := range []bool{false, true} {
		_, broken, _ := LoadAll(context.Background(), fsys, Options{Compact: compact})
		if d := cmp.Diff(want, broken); d != "" {
			t.Errorf("compact %v: broken (-want +got):\n%s", compact, d)
		}
	}

	// A compact load reads each file into a buffer the next one reuses:
	// a large broken file, then smaller good ones, must keep its body.
	body := strings.Repeat("Kim Jong Un met Vladimir Putin.\n", 300)
	files2 := map[string]string{"content/briefings/a.md": "---\ntitle: [A\n---\n" + body}
	for i := range 12 {
		files2[fmt.Sprintf("content/briefings/b%02d.md", i)] = "---\ntitle: B\ndate: 2024-01-01\n---\nShort.\n"
	}
	_, broken, _ := LoadAll(context.Background(), site(files2), Options{Compact: true})
	if len(broken) != 1 || string(broken[0].Body) != body {
		t.Errorf("compact load: the broken file's body was not kept as read (%d broken files)", len(broken))
	}
}
