package source

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dossier-dev/dossier/internal/diag"
)

// Options changes what Load returns.
type Options struct {
	// Drafts keeps briefings and pages that set draft: true; without it
	// they are left out (their errors are still reported).
	Drafts bool
	// Compact keeps neither Body nor Front: File.Markdown reads the body
	// from the file again when it is converted (checking that the file did
	// not change), or, where that cannot be done, it is kept compressed
	// (File.Packed). A full build holds every file from reading to
	// conversion: their Markdown is a gigabyte at 100,000 briefings.
	Compact bool
}

// kindDirs maps each folder under content/ to the kind of file it holds.
var kindDirs = map[string]Kind{
	"briefings": KindBriefing,
	"entities":  KindEntity,
	"topics":    KindTopic,
	"pages":     KindPage,
}

// candidate is a content file found by the walk, not yet read.
type candidate struct {
	path   string // slash path from the site root
	kind   Kind
	name   string // file name without ".md", or the bundle folder's name
	assets []string
}

// Load reads every content file of the site rooted at fsys: *.md files and
// <name>/index.md bundles directly inside content/briefings, entities,
// topics and pages. Files are read and decoded in parallel but returned
// sorted by Path. A file with an error of its own is reported and left out,
// so every returned File has its required fields and a valid slug; the
// caller decides from the diagnostics whether to go on. When ctx is
// cancelled Load stops early and returns no files and an error diagnostic.
func Load(ctx context.Context, fsys fs.FS, opts Options) ([]*File, diag.List) {
	files, _, diags := LoadAll(ctx, fsys, opts)
	return files, diags
}

// Broken is a content file that Load left out for errors of its own, with
// what a wikilink may call it: a link to it can then say why it does not
// resolve instead of saying that nothing has that name.
type Broken struct {
	Path  string
	Kind  Kind
	Slug  string // from the front matter when it could be read, else from the file name; may be ""
	Title string // the title (or an entity's name) when the front matter gave one
	// Body is the Markdown after the front matter, when the front matter
	// was closed, and BodyLine its first line: the build still converts
	// it for its errors, so that they come with the front matter's.
	Body     []byte
	BodyLine int
}

// LoadAll is Load that also returns the files it left out for errors of
// their own, sorted by Path.
func LoadAll(ctx context.Context, fsys fs.FS, opts Options) ([]*File, []Broken, diag.List) {
	cands, diags := walk(ctx, fsys)
	if err := ctx.Err(); err != nil {
		return nil, nil, cancelled(err)
	}
	files := make([]*File, len(cands))
	lists := make([]diag.List, len(cands))
	// A few workers take the files in turn: one goroutine a file would
	// grow a new stack for every file's decoding.
	var (
		next    atomic.Int64
		stopped atomic.Pointer[error]
		wg      sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), len(cands)) {
		wg.Go(func() {
			var buf []byte // reused: with Compact no File keeps the bytes read
			var keep packer
			for {
				if err := ctx.Err(); err != nil {
					stopped.CompareAndSwap(nil, &err)
					return
				}
				i := int(next.Add(1) - 1)
				if i >= len(cands) {
					return
				}
				c := cands[i]
				var data []byte
				var err error
				if opts.Compact {
					buf, err = readFile(fsys, c.path, buf)
					data = buf
				} else {
					data, err = fs.ReadFile(fsys, c.path)
				}
				if err != nil {
					lists[i] = diag.List{diag.Errorf(c.path, 1, 1, "cannot read file: %s", reason(err))}
					continue
				}
				files[i], lists[i] = decode(c, data)
				switch f := files[i]; {
				case f == nil || !opts.Compact:
				case lists[i].HasErrors():
					// Kept for Broken, out of the buffer read into next.
					f.Body = bytes.Clone(f.Body)
				default:
					f.forget(fsys, data)
					f.pack(&keep)
				}
			}
		})
	}
	wg.Wait()
	if err := stopped.Load(); err != nil {
		return nil, nil, cancelled(*err)
	}
	var out []*File
	var broken []Broken
	for i, f := range files {
		diags.Merge(lists[i])
		if lists[i].HasErrors() {
			broken = append(broken, brokenFile(cands[i], f))
			continue
		}
		if f == nil || (f.isDraft() && !opts.Drafts) {
			continue
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *File) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(broken, func(a, b Broken) int { return strings.Compare(a.Path, b.Path) })
	return out, broken, diags.Sort()
}

// brokenFile describes the candidate c, which has errors; f is what decode
// could read of it, or nil.
func brokenFile(c candidate, f *File) Broken {
	b := Broken{Path: c.path, Kind: c.kind, Slug: slugFromName(c.name)}
	if f == nil {
		return b
	}
	b.Body, b.BodyLine = f.Body, f.BodyLine
	if f.Slug != "" {
		b.Slug = f.Slug
	}
	switch {
	case f.Briefing != nil:
		b.Title = f.Briefing.Title
	case f.Entity != nil:
		b.Title = f.Entity.Name
	case f.Topic != nil:
		b.Title = f.Topic.Title
	case f.Page != nil:
		b.Title = f.Page.Title
	}
	return b
}

// readFile reads the file name of fsys into buf, grown as needed, and
// returns the bytes, as fs.ReadFile would return them.
func readFile(fsys fs.FS, name string, buf []byte) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return buf[:0], err
	}
	defer f.Close()
	size := 0
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		size = int(info.Size())
	}
	buf = slices.Grow(buf[:0], size+1) // +1: the read that sees the end
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 4096)
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf[:0], err
		}
	}
}

// isDraft reports whether the file's front matter set draft: true.
func (f *File) isDraft() bool {
	return f.Briefing != nil && f.Briefing.Draft || f.Page != nil && f.Page.Draft
}

func cancelled(err error) diag.List {
	return diag.List{diag.Errorf("content", 1, 1, "loading content stopped: %v", err)}
}

// reason returns the operating system's reason for a failed file operation
// without the path, which the diagnostic already shows.
func reason(err error) string {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func hidden(name string) bool { return strings.HasPrefix(name, ".") }

// isDir reports whether the entry at p is a folder, following a symbolic
// link one step. Links are followed only here, for entries Load looks at
// directly; fs.WalkDir never follows them, so a link loop cannot hang a walk.
func isDir(fsys fs.FS, p string, d fs.DirEntry) (bool, error) {
	if d.Type()&fs.ModeSymlink == 0 {
		return d.IsDir(), nil
	}
	info, err := fs.Stat(fsys, p)
	if err != nil {
		return false, err
	}
	return info.IsDir(), nil
}

// walk finds the content files under content/ and warns about everything
// there that Load will not read, saying why, so that a misplaced file does
// not silently vanish from the site.
func walk(ctx context.Context, fsys fs.FS) ([]candidate, diag.List) {
	var diags diag.List
	entries, err := fs.ReadDir(fsys, "content")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		diags.Errorf("content", 1, 1, "cannot read folder: %s", reason(err))
		return nil, diags
	}
	var cands []candidate
	for _, e := range entries {
		if ctx.Err() != nil {
			return nil, diags
		}
		if hidden(e.Name()) {
			continue
		}
		p := "content/" + e.Name()
		kind, ok := kindDirs[e.Name()]
		if !ok {
			diags.Warnf(p, 1, 1, "not in briefings/, entities/, topics/ or pages/: ignored")
			continue
		}
		dir, err := isDir(fsys, p, e)
		switch {
		case err != nil:
			diags.Errorf(p, 1, 1, "cannot read folder: %s", reason(err))
		case !dir:
			diags.Warnf(p, 1, 1, "not a folder: ignored")
		default:
			c, d := walkKind(ctx, fsys, p, kind)
			cands = append(cands, c...)
			diags.Merge(d)
		}
	}
	return cands, diags
}

// walkKind lists one kind folder: its *.md files and its bundles.
func walkKind(ctx context.Context, fsys fs.FS, dir string, kind Kind) ([]candidate, diag.List) {
	var diags diag.List
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		diags.Errorf(dir, 1, 1, "cannot read folder: %s", reason(err))
		return nil, diags
	}
	var cands []candidate
	for _, e := range entries {
		if ctx.Err() != nil {
			return nil, diags
		}
		name := e.Name()
		if hidden(name) {
			continue
		}
		p := dir + "/" + name
		isFolder, err := isDir(fsys, p, e)
		switch {
		case err != nil && strings.HasSuffix(name, ".md"):
			// A broken link: reading it reports the reason as an error.
			cands = append(cands, candidate{path: p, kind: kind, name: strings.TrimSuffix(name, ".md")})
		case err != nil:
			diags.Warnf(p, 1, 1, "cannot read: %s: ignored", reason(err))
		case !isFolder && strings.HasSuffix(name, ".md"):
			cands = append(cands, candidate{path: p, kind: kind, name: strings.TrimSuffix(name, ".md")})
		case !isFolder:
			diags.Warnf(p, 1, 1, "not a .md file or a bundle folder: ignored")
		default:
			c, d := walkFolder(fsys, p, kind)
			if c != nil {
				cands = append(cands, *c)
			}
			diags.Merge(d)
		}
	}
	return cands, diags
}

// walkFolder handles a folder inside a kind folder: a bundle when it holds
// index.md, otherwise something the user probably meant as content but
// that Load cannot place.
func walkFolder(fsys fs.FS, dir string, kind Kind) (*candidate, diag.List) {
	var diags diag.List
	index := dir + "/index.md"
	info, err := fs.Stat(fsys, index)
	bundle := err == nil && !info.IsDir()
	kindDir := path.Dir(dir)
	layout := article(kind) + " is " + kindDir + "/NAME.md or " + kindDir + "/NAME/index.md"

	var assets, stray []string
	walkErr := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Warnf(p, 1, 1, "cannot read: %s: ignored", reason(err))
			return nil
		}
		if p == dir {
			return nil
		}
		if hidden(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if info, err := fs.Stat(fsys, p); err != nil {
				diags.Warnf(p, 1, 1, "cannot read: %s: ignored", reason(err))
				return nil
			} else if info.IsDir() {
				diags.Warnf(p, 1, 1, "link to a folder is not followed: ignored")
				return nil
			}
		}
		switch {
		case p == index: // the page itself
		case strings.HasSuffix(p, ".md"):
			stray = append(stray, p)
		case bundle:
			assets = append(assets, p)
		}
		return nil
	})
	if walkErr != nil {
		diags.Warnf(dir, 1, 1, "cannot read folder: %s: ignored", reason(walkErr))
	}
	for _, p := range stray {
		if bundle {
			diags.Warnf(p, 1, 1, "only index.md of the bundle %s/ is a page; other .md files are not copied either: ignored (%s)", dir, layout)
		} else {
			diags.Warnf(p, 1, 1, "too deep and %s/ has no index.md, so it is not a bundle: ignored (%s)", dir, layout)
		}
	}
	if !bundle {
		if len(stray) == 0 {
			diags.Warnf(dir, 1, 1, "folder has no index.md, so it is not a bundle: ignored (%s)", layout)
		}
		return nil, diags
	}
	slices.Sort(assets)
	return &candidate{path: index, kind: kind, name: path.Base(dir), assets: assets}, diags
}

// decodeFile turns the bytes of one content file into a File, or reports
// why it cannot. It does no I/O, so it is what the fuzz test drives.
func decodeFile(c candidate, data []byte) (*File, diag.List) {
	f, diags := decode(c, data)
	if diags.HasErrors() {
		return nil, diags
	}
	return f, diags
}

// decode is decodeFile, except that a file whose front matter could be
// read but has errors comes back with them, as far as it was read.
func decode(c candidate, data []byte) (*File, diag.List) {
	var diags diag.List
	data = normalise(data)
	if i := firstInvalidUTF8(data); i >= 0 {
		line, col := diag.LineCol(data, i)
		diags.Errorf(c.path, line, col, "invalid UTF-8 (byte 0x%02x): save the file as UTF-8", data[i])
		return nil, diags
	}
	if len(bytes.TrimSpace(data)) == 0 {
		diags.Errorf(c.path, 1, 1, "empty file: %s needs front matter with at least %s", article(c.kind), requiredFields(c.kind))
		return nil, diags
	}
	parts, ok := splitFront(data)
	if !ok {
		diags.Errorf(c.path, 1, 1, "front matter opened with %s on line 1 is never closed", parts.format.fence())
		return nil, diags
	}
	if d := checkFrontLimits(c.path, parts.format, parts.front, 1); d.HasErrors() {
		diags.Merge(d)
		return nil, diags
	}
	vals, pos, d := decodeFront(c.path, parts.format, parts.front, 1)
	diags.Merge(d)
	if d.HasErrors() {
		// The body is still worth checking (see Broken).
		return &File{Path: c.path, Kind: c.kind, Body: parts.body, BodyLine: parts.bodyLine}, diags
	}
	file := &File{
		Path:     c.path,
		Kind:     c.kind,
		Assets:   c.assets,
		Front:    parts.front,
		Body:     parts.body,
		BodyLine: parts.bodyLine,
		FieldPos: pos,
	}
	fl := &fields{path: c.path, vals: vals, pos: pos, known: make([]string, 0, 16), diags: &diags, noFront: parts.format == formatNone}
	switch c.kind {
	case KindBriefing:
		file.Briefing = &BriefingMeta{
			Title:          fl.required("title"),
			Date:           fl.date("date"),
			Summary:        fl.str("summary"),
			Topics:         fl.list("topics"),
			Entities:       fl.list("entities"),
			Classification: fl.str("classification"),
			Location:       fl.str("location"),
			Authors:        fl.list("authors"),
			Sources:        fl.sources("sources"),
			Draft:          fl.boolean("draft"),
		}
	case KindEntity:
		file.Entity = &EntityMeta{
			Name:    fl.required("name"),
			Type:    fl.entityType("type"),
			Aliases: fl.list("aliases"),
			Summary: fl.str("summary"),
		}
	case KindTopic:
		file.Topic = &TopicMeta{
			Title:   fl.required("title"),
			Aliases: fl.list("aliases"),
			Summary: fl.str("summary"),
		}
	default:
		file.Page = &PageMeta{
			Title:   fl.required("title"),
			Summary: fl.str("summary"),
			Draft:   fl.boolean("draft"),
		}
	}
	if c.kind == KindEntity || c.kind == KindTopic {
		if _, ok := vals["draft"]; ok {
			p := fl.at("draft")
			diags.Warnf(c.path, p.Line, p.Col, "draft applies only to briefings and pages: this %s is published", c.kind)
		}
	}
	file.Slug = fileSlug(fl, c)
	file.Params = fl.params()
	return file, diags
}

// fileSlug returns the slug from front matter when set, else from the name.
func fileSlug(fl *fields, c candidate) string {
	if v, ok := fl.get("slug"); ok {
		s := fl.str("slug") // reports a slug that is not text
		if _, isText := v.(string); !isText {
			return ""
		}
		slug, err := checkSlug(s)
		if err != nil {
			fl.errorf("slug", "%v", err)
		}
		return slug
	}
	slug := slugFromName(c.name)
	if slug == "" {
		fl.diags.Errorf(c.path, 1, 1, "cannot make a slug from the name %q: set slug in the front matter", c.name)
	}
	return slug
}

// article returns "a briefing", "an entity", ...
func article(k Kind) string {
	if k == KindEntity {
		return "an entity"
	}
	return "a " + k.String()
}

// requiredFields names the fields a kind must set, for error messages.
func requiredFields(k Kind) string {
	switch k {
	case KindBriefing:
		return "title and date"
	case KindEntity:
		return "name"
	default:
		return "title"
	}
}
