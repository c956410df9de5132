package build

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/dossier-dev/dossier/internal/blob"
	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/link"
	"github.com/dossier-dev/dossier/internal/markdown"
	"github.com/dossier-dev/dossier/internal/site"
	"github.com/dossier-dev/dossier/internal/source"
)

// convCache remembers the Markdown conversion of every document.
//
// A conversion depends on the document's body and folder, on the names of
// every entity (any of them may be mentioned: they make the epoch, and a
// new epoch forgets everything), and on the wikilinks the document holds,
// whose targets are recorded as they resolve and checked again before the
// conversion is reused.
type convCache struct {
	conv   *markdown.Converter
	unsafe bool
	epoch  uint64
	docs   map[string]*convEntry // by document path

	// The name tables of the last build, kept while no name changes,
	// and the topics the heading trie found in each section title.
	names    uint64
	linker   *linker
	headings map[string][]*link.Ref
}

// convEntry is one remembered conversion.
type convEntry struct {
	file     *source.File // the file it was made from
	base     string
	self     string
	bodyLine int
	wiki     []wikiQuery
	res      markdown.Result
	html     []blob.Blob   // the HTML of res, packed once (see htmlParts)
	sum      uint64        // digest of res (see resultSum)
	secs     []uint64      // digest of each section of res
	sentence []sentenceSum // digest of the sentence around each entity's first mention
	fields   fieldsMemo    // of the briefing's own fields (see briefingFields)
}

// sentenceSum is the digest of the sentence around an entity's first
// mention, with the entity's index (its ref's, which is its rank).
type sentenceSum struct {
	entity int32
	sum    uint64
}

// sentenceSum returns the digest of the sentence around the first mention
// of the entity of rank i. A briefing mentions a few entities: a scan is
// quicker than a map.
func (e *convEntry) sentenceSum(i int32) (uint64, bool) {
	for _, s := range e.sentence {
		if s.entity == i {
			return s.sum, true
		}
	}
	return 0, false
}

// wikiQuery is one wikilink target a conversion resolved, and to what.
type wikiQuery struct{ name, got string }

// recorder passes wikilink lookups through and writes them down.
type recorder struct {
	ix  markdown.Resolver
	got []wikiQuery
}

// Resolve implements markdown.Resolver.
func (r *recorder) Resolve(name string) (*link.Ref, string) {
	ref, msg := r.ix.Resolve(name)
	r.got = append(r.got, wikiQuery{name, resolved(ref, msg)})
	return ref, msg
}

// resolved says what a lookup gave in the terms a conversion uses.
func resolved(ref *link.Ref, msg string) string {
	if ref == nil {
		return "\x00" + msg
	}
	return fmt.Sprintf("%d\x00%s\x00%s\x00%s", ref.Kind, ref.Slug, ref.Name, ref.Class)
}

// reusable reports whether e converts f as a new conversion would.
func (e *convEntry) reusable(f *source.File, base, self string, ix *link.Index) bool {
	if e.base != base || e.self != self || e.bodyLine != f.BodyLine {
		return false
	}
	if e.file != f && !bytes.Equal(e.file.Body, f.Body) {
		return false
	}
	for _, q := range e.wiki {
		if resolved(ix.Resolve(q.name)) != q.got {
			return false
		}
	}
	return true
}

// convert does what convert (convert.go) does, converting only the
// documents whose remembered conversion cannot be reused. Keep the two in
// step: TestRebuildEqualsFullBuild compares their results.
//
// With patch set, s is the last build's site refreshed for new versions of
// the briefings in patch (site.Refresh), every other document as converted
// then: only those briefings are converted and given their section topics.
// It reports ok false when that cannot give what a full conversion would
// (a changed briefing's headings name other topics by attribute, which may
// make or drop stub topics); the caller then makes the site anew.
func (ss *Session) convert(ctx context.Context, s *site.Site, patch []*site.Briefing) (diags diag.List, ok bool, err error) {
	c := &ss.conv
	mode := linkMode(s)
	var l *linker
	if patch != nil && c.linker != nil {
		// The names, and so the name tables, are the last build's.
		l = c.linker
	} else {
		patch = nil
		if c.conv == nil || c.unsafe != s.Config.Markdown.Unsafe {
			c.conv = markdown.New(markdown.Options{Unsafe: s.Config.Markdown.Unsafe})
			c.unsafe = s.Config.Markdown.Unsafe
			c.docs = nil
		}
		if epoch := ss.mentionEpoch(s, mode); c.docs == nil || epoch != c.epoch {
			c.docs, c.epoch = map[string]*convEntry{}, epoch
		}
		l = ss.linkerFor(s)
	}
	var only map[string]bool
	if patch != nil {
		only = make(map[string]bool, len(patch))
		for _, b := range patch {
			only[b.Path] = true
		}
	}
	var bySlug map[string]*link.Ref // made when first needed

	type task struct {
		doc    markdown.Doc
		self   string
		done   func(markdown.Result, []blob.Blob, *keeper)
		entry  *convEntry
		reused bool
	}
	var tasks []*task
	add := func(path, base string, self *link.Ref, done func(markdown.Result, []blob.Blob, *keeper)) {
		if only != nil && !only[path] {
			return
		}
		t := &task{doc: docFor(l, s, path, base, self, mode), done: done}
		if self != nil {
			t.self = self.Path()
		}
		tasks = append(tasks, t)
	}
	eachDocument(s, l, add)

	var missed []*task
	for _, t := range tasks {
		f := s.File(t.doc.Path)
		if e := c.docs[t.doc.Path]; e != nil && e.reusable(f, t.doc.Base, t.self, l.index) {
			t.entry, t.reused = e, true
		} else {
			missed = append(missed, t)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, t := range missed {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			rec := &recorder{ix: t.doc.Wikilinks}
			doc := t.doc
			doc.Wikilinks = rec
			r := c.conv.Convert(doc)
			e := &convEntry{file: s.File(doc.Path), base: doc.Base, self: t.self, bodyLine: doc.BodyLine, wiki: rec.got, res: r,
				html: blob.PackAll(htmlParts(r))}
			e.sum, e.secs = resultSum(ss.seed, r)
			e.sentence = make([]sentenceSum, len(r.Mentions))
			for i, m := range r.Mentions {
				e.sentence[i] = sentenceSum{int32(m.Ref.Index), maphash.String(ss.seed, m.Sentence)}
			}
			t.entry = e
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, false, err
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}

	if patch != nil {
		for _, t := range tasks {
			if old := c.docs[t.doc.Path]; old == nil || !slices.Equal(attributeTopics(old.res), attributeTopics(t.entry.res)) {
				return nil, false, nil
			}
		}
	}
	// Forget documents that are gone, so that the cache holds one entry
	// per document.
	docs := c.docs
	if patch == nil {
		docs = make(map[string]*convEntry, len(tasks))
	}
	for _, t := range tasks {
		docs[t.doc.Path] = t.entry
		r := t.entry.res
		if t.reused && len(r.Mentions) > 0 && patch == nil {
			// A remembered result names the entities of the linker it was
			// made with; give it this build's.
			if bySlug == nil {
				bySlug = make(map[string]*link.Ref, len(l.entity))
				for r, e := range l.entity {
					bySlug[e.Slug] = r
				}
			}
			ms := make([]markdown.Mention, len(r.Mentions))
			for i, m := range r.Mentions {
				m.Ref = bySlug[m.Ref.Slug]
				ms[i] = m
			}
			r.Mentions = ms
		}
		// A rebuild replaces a few documents at a time: no blocks, which
		// the documents it keeps would hold on to.
		t.done(r, t.entry.html, noKeeper)
		if patch == nil {
			diags.Merge(r.Diags)
		}
	}
	c.docs = docs
	briefings := s.Briefings
	if patch != nil {
		// Every document's diagnostics, as a full conversion gives them.
		for _, e := range docs {
			diags.Merge(e.res.Diags)
		}
		briefings = patch
	}
	diags.Merge(sectionTopics(s, briefings, l, ss.headingTopics(l)))
	diags.Merge(checkBroken(s, l, c.conv))
	return diags, true, nil
}

// attributeTopics lists the topics a conversion's headings name by
// attribute, sorted and without repeats.
func attributeTopics(r markdown.Result) []string {
	var names []string
	for _, sec := range r.Sections {
		names = append(names, sec.Topics...)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// headingTopics is the heading trie's Contains, remembering what it finds
// in each title while the names stay the same, so that a rebuild does not
// scan every heading of the site again.
func (ss *Session) headingTopics(l *linker) func(string) []*link.Ref {
	memo := ss.conv.headings
	return func(title string) []*link.Ref {
		refs, ok := memo[title]
		if !ok {
			if len(memo) > 1<<20 {
				clear(memo) // titles of many edits ago
			}
			refs = l.headings.Contains(title)
			memo[title] = refs
		}
		return refs
	}
}

// mentionEpoch is a digest of everything every conversion depends on: the
// names, aliases, slugs and types of the entities in order (their place is
// their ref's index), the mention mode and the raw-HTML setting.
func (ss *Session) mentionEpoch(s *site.Site, mode markdown.Mode) uint64 {
	d := newDigest(ss.seed)
	d.int(int(mode))
	d.bool(s.Config.Markdown.Unsafe)
	for _, e := range s.Entities {
		d.str(e.Name)
		d.strs(e.Aliases)
		d.str(e.Slug)
		d.str(e.Type)
		d.bool(e.Stub)
	}
	return d.sum()
}

// linkerFor returns the name tables of s. Building them reads every name
// of the site; when none changed, the last build's tables serve again,
// pointed at this build's entities and topics (same order, same places).
func (ss *Session) linkerFor(s *site.Site) *linker {
	d := newDigest(ss.seed)
	for _, e := range s.Entities {
		d.str(e.Name)
		d.strs(e.Aliases)
		d.str(e.Slug)
		d.str(e.Type)
	}
	d.int(-1)
	for _, t := range s.Topics {
		d.str(t.Title)
		d.strs(t.Aliases)
		d.str(t.Slug)
	}
	d.int(-1)
	for _, b := range s.Briefings {
		d.str(b.Title)
		d.str(b.Slug)
	}
	d.int(-1)
	for _, p := range s.Pages {
		d.str(p.Title)
		d.str(p.Slug)
	}
	d.int(-1)
	for _, b := range s.Broken {
		d.str(b.Path)
		d.int(int(b.Kind))
		d.str(b.Slug)
		d.str(b.Title)
	}
	names := d.sum()
	c := &ss.conv
	if c.linker == nil || c.names != names {
		c.linker, c.names, c.headings = newLinker(s), names, map[string][]*link.Ref{}
		return c.linker
	}
	old := c.linker
	l := &linker{mentions: old.mentions, headings: old.headings, index: old.index,
		entity: make(map[*link.Ref]*site.Entity, len(old.entity)), topic: make(map[*link.Ref]*site.Topic, len(old.topic))}
	for r := range old.entity {
		l.entity[r] = s.Entities[r.Index]
	}
	for r := range old.topic {
		l.topic[r] = s.Topics[r.Index]
	}
	c.linker = l
	return l
}

// entryOf returns the remembered conversion of a document, or nil.
func (ss *Session) entryOf(path string) *convEntry {
	if path == "" {
		return nil
	}
	return ss.conv.docs[path]
}
