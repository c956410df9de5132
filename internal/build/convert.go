package build

import (
	"context"
	"fmt"
	"net/url"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/dossier-dev/dossier/internal/blob"
	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/link"
	"github.com/dossier-dev/dossier/internal/markdown"
	"github.com/dossier-dev/dossier/internal/site"
	"github.com/dossier-dev/dossier/internal/slab"
	"github.com/dossier-dev/dossier/internal/source"
)

// linker holds the name tables of one build.
type linker struct {
	mentions *link.Trie  // entity names and aliases, case-sensitive
	headings *link.Trie  // topic titles and aliases, case-insensitive
	index    *link.Index // every name, alias, title and slug, for wikilinks
	entity   map[*link.Ref]*site.Entity
	topic    map[*link.Ref]*site.Topic
}

func newLinker(s *site.Site) *linker {
	l := &linker{mentions: link.NewTrie(false), headings: link.NewTrie(true), index: link.NewIndex(),
		entity: map[*link.Ref]*site.Entity{}, topic: map[*link.Ref]*site.Topic{}}
	for i, e := range s.Entities {
		ref := &link.Ref{Kind: link.Entity, Index: i, Slug: e.Slug, Name: e.Name, Class: e.Type}
		l.entity[ref] = e
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			l.mentions.Add(n, ref)
			l.index.Add(n, ref)
		}
		l.index.Add(e.Slug, ref)
	}
	for i, t := range s.Topics {
		ref := &link.Ref{Kind: link.Topic, Index: i, Slug: t.Slug, Name: t.Title}
		l.topic[ref] = t
		for _, n := range append([]string{t.Title}, t.Aliases...) {
			l.headings.Add(n, ref)
			l.index.Add(n, ref)
		}
		l.index.Add(t.Slug, ref)
	}
	for i, b := range s.Briefings {
		ref := &link.Ref{Kind: link.Briefing, Index: i, Slug: b.Slug, Name: b.Title}
		l.index.Add(b.Title, ref)
		l.index.Add(b.Slug, ref)
	}
	for i, p := range s.Pages {
		ref := &link.Ref{Kind: link.Page, Index: i, Slug: p.Slug, Name: p.Title}
		l.index.Add(p.Title, ref)
		l.index.Add(p.Slug, ref)
	}
	for _, b := range s.Broken {
		l.index.AddBroken(linkKinds[b.Kind], b.Slug, b.Title, b.Path)
	}
	return l
}

// linkKinds are the link kinds of the kinds of content file.
var linkKinds = map[source.Kind]link.Kind{source.KindBriefing: link.Briefing, source.KindEntity: link.Entity,
	source.KindTopic: link.Topic, source.KindPage: link.Page}

// convert converts the Markdown of every document in parallel and then
// gives every briefing section its topics. It returns the diagnostics. It
// keeps the HTML in sp; with a spool (a full build) it also drops each
// file's Markdown once converted. Rebuilds, which compare the Markdown
// with the next version, convert with Session.convert instead.
func convert(ctx context.Context, s *site.Site, sp *blob.Spool) diag.List {
	l := newLinker(s)
	conv := markdown.New(markdown.Options{Unsafe: s.Config.Markdown.Unsafe})
	mode := linkMode(s)
	type task struct {
		doc  markdown.Doc
		done func(markdown.Result, []blob.Blob, *keeper)
	}
	var tasks []task
	eachDocument(s, l, func(path, base string, self *link.Ref, done func(markdown.Result, []blob.Blob, *keeper)) {
		tasks = append(tasks, task{docFor(l, s, path, base, self, mode), done})
	})

	results := make([]diag.List, len(tasks))
	g, ctx := errgroup.WithContext(ctx)
	workers := runtime.GOMAXPROCS(0)
	g.SetLimit(workers)
	// Each running conversion has a keeper of its own: at most workers
	// run at once.
	keepers := make(chan *keeper, workers)
	for range workers {
		keepers <- newKeeper()
	}
	for i, t := range tasks {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			k := <-keepers
			defer func() { keepers <- k }()
			// In a full build the Markdown is read only now (see
			// source.Options.Compact) and let go of once converted.
			f := s.File(t.doc.Path)
			doc := t.doc
			src, buf, err := f.MarkdownInto(k.src)
			k.src = buf
			if err != nil {
				results[i] = diag.List{diag.Errorf(f.Path, 1, 1, "%v", err)}
				tasks[i] = task{}
				return nil
			}
			doc.Source = src
			conv.ConvertFunc(doc, func(r *markdown.Result) {
				// The HTML is the converter's buffer until this returns:
				// Put copies it, and the model keeps only the blobs.
				html := sp.Put(htmlParts(*r)...)
				for j := range r.Sections {
					r.Sections[j].HTML = nil
				}
				r.Footnotes = nil
				t.done(*r, html, k)
				results[i] = r.Diags
			})
			tasks[i] = task{}
			if sp != nil {
				// A full build reads neither the Markdown again nor a
				// field's position (check and Load's callers may).
				f.Forget()
				f.FieldPos = nil
			}
			return nil
		})
	}
	var diags diag.List
	if err := g.Wait(); err != nil {
		return diags // cancelled: the caller reports ctx.Err()
	}
	for _, d := range results {
		diags.Merge(d)
	}
	diags.Merge(sectionTopics(s, s.Briefings, l, l.headings.Contains))
	diags.Merge(checkBroken(s, l, conv))
	return diags
}

// checkBroken converts the bodies of the files left out for errors of their
// own (Site.Broken), for their diagnostics only: a user who breaks a
// file's front matter hears about its body's errors in the same run.
func checkBroken(s *site.Site, l *linker, conv *markdown.Converter) diag.List {
	var diags diag.List
	mode := linkMode(s)
	for _, b := range s.Broken {
		if b.Body == nil {
			continue
		}
		base := (&link.Ref{Kind: linkKinds[b.Kind], Slug: b.Slug}).Path()
		doc := markdown.Doc{Path: b.Path, Source: b.Body, BodyLine: b.BodyLine, Base: base,
			Mentions: l.mentions, Wikilinks: l.index, Mode: mode}
		diags.Merge(conv.Convert(doc).Diags)
	}
	return diags
}

// linkMode is the site's linking.mentions setting as a markdown.Mode.
func linkMode(s *site.Site) markdown.Mode {
	return map[string]markdown.Mode{"first": markdown.LinkFirst, "all": markdown.LinkAll, "none": markdown.LinkNone}[s.Config.Linking.Mentions]
}

// eachDocument calls add for every document to convert, in a fixed order,
// with its page folder, its own ref (so that it never links to itself) and
// what to do with the result. Full builds and rebuilds both use it, so that
// what a conversion sets in the model cannot differ between them.
func eachDocument(s *site.Site, l *linker, add func(path, base string, self *link.Ref, done func(markdown.Result, []blob.Blob, *keeper))) {
	selfEntity := map[*site.Entity]*link.Ref{}
	for r, e := range l.entity {
		selfEntity[e] = r
	}
	selfTopic := map[*site.Topic]*link.Ref{}
	for r, t := range l.topic {
		selfTopic[t] = r
	}
	// Summaries written in front matter get the typography the body gets;
	// one taken from the first paragraph has it already.
	summary := func(k *keeper, written, first string) string {
		if written == "" {
			return k.strings.Clone(first)
		}
		return k.smarten(written)
	}
	for _, b := range s.Briefings {
		add(b.Path, "briefings/"+b.Slug+"/", nil, func(r markdown.Result, html []blob.Blob, k *keeper) {
			b.Content = k.content(r, html, b)
			b.Mentions = k.mentions(l, r)
			b.AutoSummary = b.Summary == ""
			b.Summary = summary(k, b.Summary, r.Summary)
			b.Location = k.smarten(b.Location)
		})
	}
	for _, e := range s.Entities {
		if !e.Stub {
			add(e.Path, "entities/"+e.Slug+"/", selfEntity[e], func(r markdown.Result, html []blob.Blob, k *keeper) {
				e.Content = k.content(r, html, nil)
				e.Summary = summary(k, e.Summary, r.Summary)
			})
		}
	}
	for _, t := range s.Topics {
		if !t.Stub {
			add(t.Path, "topics/"+t.Slug+"/", selfTopic[t], func(r markdown.Result, html []blob.Blob, k *keeper) {
				t.Content = k.content(r, html, nil)
				t.Summary = summary(k, t.Summary, r.Summary)
			})
		}
	}
	for _, p := range s.Pages {
		add(p.Path, p.Slug+"/", nil, func(r markdown.Result, html []blob.Blob, k *keeper) {
			p.Content = k.content(r, html, nil)
			p.Summary = summary(k, p.Summary, r.Summary)
		})
	}
}

// docFor prepares the conversion of one document. The body was kept by the
// source stage; we find it through the site's file table.
func docFor(l *linker, s *site.Site, path, folder string, self *link.Ref, mode markdown.Mode) markdown.Doc {
	f := s.File(path)
	return markdown.Doc{Path: path, Source: f.Body, BodyLine: f.BodyLine, Base: folder, Self: self,
		Mentions: l.mentions, Wikilinks: l.index, Mode: mode}
}

// htmlParts are the pieces of HTML of a conversion that the model keeps
// as blobs: each section's, then the footnotes.
func htmlParts(r markdown.Result) [][]byte {
	parts := make([][]byte, 0, len(r.Sections)+1)
	for _, sec := range r.Sections {
		parts = append(parts, sec.HTML)
	}
	return append(parts, r.Footnotes)
}

// keeper allocates what the model keeps of conversion results: the
// values of a full build come from blocks of their own (see package slab),
// one keeper for each worker; noKeeper, for rebuilds, allocates each value
// on its own.
type keeper struct {
	sections    *slab.Of[site.Section]
	sectionPtrs *slab.Of[*site.Section]
	headings    *slab.Of[site.Heading]
	mentionVals *slab.Of[site.Mention]
	mentionPtrs *slab.Of[*site.Mention]
	ints        *slab.Of[int]
	strings     *slab.Strings
	names       *slab.Of[string]
	// src is the buffer a full build reads each file's Markdown into
	// again: nothing the model keeps points into it.
	src []byte
}

func newKeeper() *keeper {
	return &keeper{new(slab.Of[site.Section]), new(slab.Of[*site.Section]), new(slab.Of[site.Heading]),
		new(slab.Of[site.Mention]), new(slab.Of[*site.Mention]), new(slab.Of[int]), new(slab.Strings), new(slab.Of[string]), nil}
}

var noKeeper = &keeper{}

// content copies a conversion result into the model, with its HTML as
// html (the blobs of htmlParts).
func (k *keeper) content(r markdown.Result, html []blob.Blob, b *site.Briefing) site.Content {
	c := site.Content{Footnotes: html[len(r.Sections)]}
	if n := len(r.Sections); n > 0 {
		secs := k.sections.Make(n)
		c.Sections = k.sectionPtrs.Make(n)
		for i, sec := range r.Sections {
			secs[i] = site.Section{Briefing: b, Index: i, ID: k.strings.Clone(sec.ID), Title: k.strings.Clone(sec.Title),
				Line: sec.Line, HTML: html[i], TopicNames: k.list(sec.Topics)}
			c.Sections[i] = &secs[i]
		}
	}
	if n := len(r.Headings); n > 0 {
		c.Headings = k.headings.Make(n)
		for i, h := range r.Headings {
			c.Headings[i] = site.Heading{Level: h.Level, ID: k.sameOrClone(h.ID, c.Sections, func(s *site.Section) string { return s.ID }),
				Text: k.sameOrClone(h.Text, c.Sections, func(s *site.Section) string { return s.Title })}
		}
	}
	return c
}

// sameOrClone returns the string of one of secs equal to v (a heading's
// id or text is usually a section's), else a copy of v.
func (k *keeper) sameOrClone(v string, secs []*site.Section, of func(*site.Section) string) string {
	for _, sec := range secs {
		if of(sec) == v {
			return of(sec)
		}
	}
	return k.strings.Clone(v)
}

// smarten is markdown.Smarten(v) in k's blocks; v itself (which loading
// already copied into blocks) when typography changes nothing.
func (k *keeper) smarten(v string) string {
	if s := markdown.Smarten(v); s != v {
		return k.strings.Clone(s)
	}
	return v
}

// list is a copy of v in k's blocks, strings and all; noKeeper's is v.
func (k *keeper) list(v []string) []string { return slab.CloneStrings(k.names, k.strings, v) }

// mentions copies the mentions of a conversion result into the model.
func (k *keeper) mentions(l *linker, r markdown.Result) []*site.Mention {
	n := 0
	for _, m := range r.Mentions {
		if l.entity[m.Ref] != nil {
			n++
		}
	}
	each := k.mentionVals.Make(n)
	out := k.mentionPtrs.Make(n)
	if out == nil {
		out = []*site.Mention{}
	}
	i := 0
	for _, m := range r.Mentions {
		if e := l.entity[m.Ref]; e != nil {
			each[i] = site.Mention{Entity: e, Count: m.Count, Sections: k.ints.Clone(m.Sections), Sentence: k.strings.Clone(m.Sentence)}
			out[i] = &each[i]
			i++
		}
	}
	return out
}

// sectionTopics gives each section of the briefings bs (of s) the topics
// its heading names, by attribute or in its text (SPEC §4); inHeading finds
// the topics named in a heading's text (the heading trie, or a memo of it
// during rebuilds). It runs on one goroutine because an attribute may name
// a topic that does not exist yet, which creates a stub.
func sectionTopics(s *site.Site, bs []*site.Briefing, l *linker, inHeading func(title string) []*link.Ref) diag.List {
	var diags diag.List
	for _, b := range bs {
		for _, sec := range b.Sections {
			if sec.Index == 0 && sec.Title == "" {
				continue
			}
			var topics []*site.Topic
			for _, name := range sec.TopicNames {
				t, msg := s.TopicByName(name)
				if msg != "" {
					diags.Errorf(b.Path, sec.Line, 1, "topics attribute: %s", msg)
					continue
				}
				topics = appendUnique(topics, t)
			}
			for _, ref := range inHeading(sec.Title) {
				topics = appendUnique(topics, l.topic[ref])
			}
			if len(topics) > 1 {
				site.SortTopics(topics)
			}
			sec.Topics = topics
		}
	}
	return diags
}

func appendUnique[T comparable](list []T, v T) []T {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// NormalizeBaseURL checks a --base-url value and gives it a trailing slash.
// An empty value stays empty (no absolute URLs).
func NormalizeBaseURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("--base-url %q: want an absolute http(s) URL such as https://example.org/briefings/", s)
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}
