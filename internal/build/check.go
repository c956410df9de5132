package build

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/link"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/site"
	"github.com/dossier-dev/dossier/internal/source"
)

// CheckOptions configure Check.
type CheckOptions struct {
	Drafts bool      // include drafts, as build --drafts does
	Now    time.Time // the present, for dates in the future; zero means time.Now()
}

// CheckResult is what Check found.
type CheckResult struct {
	// Diags holds every error a build would report and every warning of
	// the site, sorted by file, line and column.
	Diags diag.List
	// Counts of the site's documents, for the summary line.
	Briefings, Entities, Topics, Pages int
}

// Check does everything a build does except write: it reads, converts and
// renders the site in fsys, so that every build error is found, and then
// looks for what is legal but probably a mistake (SPEC §6, `dossier
// check`). Content errors and warnings come back in the result; err is
// only for a failure that is not about the content (an interruption).
func Check(ctx context.Context, fsys fs.FS, opts CheckOptions) (*CheckResult, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	// Load would drop the warnings when there are errors; check wants both.
	s, cfg, diags, err := load(ctx, fsys, opts.Drafts, nil)
	if err != nil {
		return nil, err
	}
	if !diags.HasErrors() {
		// Rendering finds template errors and files two parts of the site
		// both want to write.
		sink := &discard{files: map[string]bool{}}
		_, err := Render(ctx, fsys, s, render.Options{BaseURL: cfg.BaseURL, Offline: cfg.Offline}, sink)
		var list diag.List
		var one diag.Diagnostic
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.As(err, &list):
			diags.Merge(list)
		case errors.As(err, &one):
			diags.Add(one)
		case err != nil:
			return &CheckResult{Diags: diags.Sort()}, err
		}
	}
	diags.Merge(warnings(s, opts.Now))
	return &CheckResult{Diags: diags.Sort(), Briefings: len(s.Briefings), Entities: len(s.Entities),
		Topics: len(s.Topics), Pages: len(s.Pages)}, nil
}

// discard is the sink of a check: it keeps nothing but the names, to find
// two parts of the site that want the same file.
type discard struct {
	mu    sync.Mutex
	files map[string]bool
}

func (d *discard) WriteFile(rel string, _ []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.files[rel] {
		return fmt.Errorf("write %s: two parts of the site want to write this file (a page and a static file with the same path?)", rel)
	}
	d.files[rel] = true
	return nil
}

// warnings finds what check warns about in a converted, assembled site.
func warnings(s *site.Site, now time.Time) diag.List {
	var w diag.List
	pos := func(file, key string) source.Pos {
		if f := s.File(file); f != nil {
			return f.PosOf(key)
		}
		return source.Pos{Line: 1, Col: 1}
	}
	warnAt := func(file, key, format string, args ...any) {
		p := pos(file, key)
		w.Warnf(file, p.Line, p.Col, format, args...)
	}

	// Stubs: warned once each, where they are first named.
	stubEntity := map[*site.Entity]bool{}
	stubTopic := map[*site.Topic]bool{}
	for _, b := range byPath(s.Briefings) {
		for _, e := range b.Listed {
			if e.Stub && !stubEntity[e] {
				stubEntity[e] = true
				warnAt(b.Path, "entities", "entity %q has no profile, so its page is a stub: add content/entities/%s.md", e.Name, e.Slug)
			}
		}
		for _, t := range b.Tagged {
			if t.Stub && !stubTopic[t] {
				stubTopic[t] = true
				warnAt(b.Path, "topics", "topic %q has no definition, so its page is a stub: add content/topics/%s.md", t.Title, t.Slug)
			}
		}
		for _, sec := range b.Sections {
			for _, t := range sec.Topics {
				if t.Stub && !stubTopic[t] && slices.ContainsFunc(sec.TopicNames, func(n string) bool { return strings.EqualFold(strings.TrimSpace(n), t.Title) }) {
					stubTopic[t] = true
					w.Warnf(b.Path, sec.Line, 1, "topic %q has no definition, so its page is a stub: add content/topics/%s.md", t.Title, t.Slug)
				}
			}
		}
	}

	// Names that two entities (or two topics) claim are never linked.
	l := newLinker(s)
	for _, a := range l.mentions.Ambiguous() {
		w.Merge(ambiguity(s, a, func(r *link.Ref) (string, string) { e := l.entity[r]; return e.Path, e.Name }, "entities"))
	}
	for _, a := range l.headings.Ambiguous() {
		w.Merge(ambiguity(s, a, func(r *link.Ref) (string, string) { t := l.topic[r]; return t.Path, t.Title }, "topics"))
	}

	for _, b := range s.Briefings {
		mentioned := map[*site.Entity]bool{}
		for _, m := range b.Mentions {
			mentioned[m.Entity] = true
		}
		for _, e := range b.Listed {
			if !mentioned[e] {
				warnAt(b.Path, "entities", "entities: %q is listed but never mentioned in the text", e.Name)
			}
		}
		if len(b.Sources) == 0 {
			w.Warnf(b.Path, 1, 1, "briefing has no sources: add a sources list of {title, url} to the front matter")
		}
		if future(b.Date, now) {
			warnAt(b.Path, "date", "date %s is in the future", b.Date.Format(dateFormat(b.Date)))
		}
	}
	for _, t := range s.Topics {
		if !t.Stub && len(t.Sections) == 0 {
			warnAt(t.Path, "title", "topic %q has no sections: no ## heading names it or an alias, and none has {topics=%q}", t.Title, t.Title)
		}
	}
	for _, e := range s.Entities {
		if !e.Stub && len(e.Appearances) == 0 {
			warnAt(e.Path, "name", "no briefing mentions or lists %q", e.Name)
		}
	}

	dup := func(kind, file, title string, seen map[string]string) {
		key := strings.ToLower(strings.Join(strings.Fields(title), " "))
		if first, ok := seen[key]; ok {
			warnAt(file, "title", "title %q is also the title of %s: readers and wikilinks cannot tell the %ss apart", title, first, kind)
			return
		}
		seen[key] = file
	}
	seen := map[string]string{}
	for _, b := range byPath(s.Briefings) {
		dup("briefing", b.Path, b.Title, seen)
	}
	seen = map[string]string{}
	for _, t := range s.Topics {
		if !t.Stub {
			dup("topic", t.Path, t.Title, seen)
		}
	}
	seen = map[string]string{}
	for _, p := range s.Pages {
		dup("page", p.Path, p.Title, seen)
	}
	return w
}

// ambiguity warns about a name that several entities or topics claim,
// naming all of them, at the first of them that has a file.
func ambiguity(s *site.Site, a link.Ambiguity, who func(*link.Ref) (file, name string), kind string) diag.List {
	type claim struct{ file, name string }
	var claims []claim
	for _, r := range a.Refs {
		f, n := who(r)
		claims = append(claims, claim{f, n})
	}
	// Claims with a file first, by path; stubs last.
	stub := func(c claim) int {
		if c.file == "" {
			return 1
		}
		return 0
	}
	slices.SortFunc(claims, func(x, y claim) int {
		return cmp.Or(cmp.Compare(stub(x), stub(y)), strings.Compare(x.file, y.file), strings.Compare(x.name, y.name))
	})
	var names []string
	for _, c := range claims {
		if c.file == "" {
			names = append(names, fmt.Sprintf("%s (a stub)", c.name))
		} else {
			names = append(names, fmt.Sprintf("%s (%s)", c.name, c.file))
		}
	}
	at := claims[0].file
	var w diag.List
	if at == "" {
		return w // only stubs claim it; the stub warnings send the user there
	}
	f := s.File(at)
	key := "aliases"
	if _, ok := f.FieldPos[key]; !ok || strings.EqualFold(strings.Join(strings.Fields(claims[0].name), " "), a.Name) {
		key = map[string]string{"entities": "name", "topics": "title"}[kind]
	}
	p := f.PosOf(key)
	effect := "mentions of it are never linked"
	if kind == "topics" {
		effect = "a heading that uses it belongs to none of them"
	}
	w.Warnf(at, p.Line, p.Col, "%q names %d %s: %s; %s: give each a name of its own",
		a.Name, len(claims), kind, strings.Join(names, " and "), effect)
	return w
}

// byPath returns the briefings in file order, so that "first named" means
// the same on every run.
func byPath(bs []*site.Briefing) []*site.Briefing {
	out := slices.Clone(bs)
	slices.SortFunc(out, func(a, b *site.Briefing) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// future reports whether d is after now. A date written without a time is
// compared by calendar day in the user's own time zone, so that a briefing
// dated today is never in the future, wherever the user is.
func future(d, now time.Time) bool {
	if dateFormat(d) == time.DateOnly {
		return d.Format(time.DateOnly) > now.Format(time.DateOnly)
	}
	return d.After(now)
}

// dateFormat shows a date as it was most likely written.
func dateFormat(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Location() == time.UTC {
		return time.DateOnly
	}
	return time.RFC3339
}
