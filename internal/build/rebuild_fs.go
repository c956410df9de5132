package build

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/source"
)

// kindFolders are the folders under content/ that hold documents; anything
// else there is only warned about (see source.Load).
var kindFolders = map[string]bool{"briefings": true, "entities": true, "topics": true, "pages": true}

// unitOf returns the content unit a changed path belongs to: the file or
// bundle folder directly inside a kind folder ("content/briefings/x.md",
// "content/briefings/x" for everything inside the bundle x/). source.Load
// decodes each unit on its own, so a unit can be read again alone.
// whole reports a change that no unit covers, such as content/ or a kind
// folder itself appearing or vanishing: then every unit must be read again.
func unitOf(p string) (unit string, whole bool) {
	parts := strings.SplitN(p, "/", 4)
	if parts[0] != "content" {
		return "", false
	}
	switch {
	case len(parts) == 1:
		return "", true
	case !kindFolders[parts[1]]:
		// content/<other> only gives a warning, which a full load
		// refreshes; what is inside it is never read.
		return "", len(parts) == 2
	case len(parts) == 2:
		return "", true
	}
	return parts[0] + "/" + parts[1] + "/" + parts[2], false
}

// unitFS shows source.Load only some units of a site: the root lists only
// content/, content/ only the kind folders of those units, and each kind
// folder only those units. Everything inside a unit is passed through, so
// a bundle is walked exactly as a full load walks it.
type unitFS struct {
	base  fs.FS
	units map[string]bool // unit paths
	kinds map[string]bool // "content/briefings", for each unit
}

func newUnitFS(base fs.FS, units []string) *unitFS {
	u := &unitFS{base: base, units: map[string]bool{}, kinds: map[string]bool{}}
	for _, p := range units {
		u.units[p] = true
		u.kinds[p[:strings.LastIndexByte(p, '/')]] = true
	}
	return u
}

// folder reports whether name is one of the folders whose listing is
// filtered.
func (u *unitFS) folder(name string) bool {
	return name == "." || name == "content" || u.kinds[name]
}

// shown reports whether name is visible at all.
func (u *unitFS) shown(name string) bool {
	if u.folder(name) {
		return true
	}
	unit, _ := unitOf(name)
	return unit != "" && u.units[unit]
}

func (u *unitFS) keep(dir, name string) bool {
	switch {
	case dir == ".":
		return name == "content"
	case dir == "content":
		return u.kinds["content/"+name]
	default:
		return u.units[dir+"/"+name]
	}
}

// Open implements fs.FS.
func (u *unitFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if !u.shown(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	f, err := u.base.Open(name)
	if err != nil || !u.folder(name) {
		return f, err
	}
	return &unitDir{File: f, u: u, name: name}, nil
}

// ReadDir implements fs.ReadDirFS.
func (u *unitFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	if !u.shown(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	if u.kinds[name] {
		return u.unitEntries(name)
	}
	entries, err := fs.ReadDir(u.base, name)
	if err != nil || !u.folder(name) {
		return entries, err
	}
	return u.filter(name, entries), nil
}

// unitEntries lists the units of the kind folder dir that exist, as
// fs.ReadDir would list them, without listing the whole folder (which
// holds every briefing of the site).
func (u *unitFS) unitEntries(dir string) ([]fs.DirEntry, error) {
	if _, err := fs.Stat(u.base, dir); err != nil {
		return nil, err
	}
	var out []fs.DirEntry
	for p := range u.units {
		if path.Dir(p) != dir {
			continue
		}
		info, err := fs.Lstat(u.base, p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, fs.FileInfoToDirEntry(info))
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

func (u *unitFS) filter(dir string, entries []fs.DirEntry) []fs.DirEntry {
	out := entries[:0:0]
	for _, e := range entries {
		if u.keep(dir, e.Name()) {
			out = append(out, e)
		}
	}
	return out
}

// Stat implements fs.StatFS.
func (u *unitFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	if !u.shown(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return fs.Stat(u.base, name)
}

// ReadFile implements fs.ReadFileFS.
func (u *unitFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	if !u.shown(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return fs.ReadFile(u.base, name)
}

// unitDir is an open filtered folder.
type unitDir struct {
	fs.File
	u    *unitFS
	name string
}

// ReadDir implements fs.ReadDirFile. Listings here are small (a site root,
// content/, kind folders), so it lists everything at the first call.
func (d *unitDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rd, ok := d.File.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: d.name, Err: fs.ErrInvalid}
	}
	var out []fs.DirEntry
	for {
		entries, err := rd.ReadDir(n)
		out = append(out, d.u.filter(d.name, entries)...)
		if err != nil || n <= 0 || len(out) > 0 {
			return out, err
		}
	}
}

// loadUnits reads the given units of the site as source.Load would read
// them in a whole-site load, and returns each unit's files and
// diagnostics (a unit that no longer exists has neither).
func loadUnits(ctx context.Context, fsys fs.FS, units []string, drafts bool) (map[string]*unitState, error) {
	files, broken, diags := source.LoadAll(ctx, newUnitFS(fsys, units), source.Options{Drafts: drafts})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]*unitState, len(units))
	for _, p := range units {
		out[p] = &unitState{}
	}
	partition(out, files, broken, diags, nil)
	return out, nil
}

// partition gives the files, left-out files and diagnostics of a load to
// their units; diagnostics of no unit go to rest.
func partition(units map[string]*unitState, files []*source.File, broken []source.Broken, diags diag.List, rest *diag.List) {
	unitFor := func(p string) *unitState {
		unit, _ := unitOf(p)
		if unit == "" {
			return nil
		}
		us := units[unit]
		if us == nil {
			us = &unitState{}
			units[unit] = us
		}
		return us
	}
	for _, f := range files {
		if us := unitFor(f.Path); us != nil {
			us.files = append(us.files, f)
		}
	}
	for _, b := range broken {
		if us := unitFor(b.Path); us != nil {
			us.broken = append(us.broken, b)
		}
	}
	for _, d := range diags {
		if us := unitFor(d.Path); us != nil {
			us.diags = append(us.diags, d)
		} else if rest != nil {
			rest.Add(d)
		}
	}
}
