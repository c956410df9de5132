package build

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/site"
)

// RenderBook renders the briefing book page of spec into sink, at
// render.BookPath + "index.html", with the site's templates. It returns the
// book's data, whose Anchors are the ids the contents need page numbers for.
func RenderBook(fsys fs.FS, s *site.Site, opts render.Options, spec render.BookSpec, sink Sink) (*render.BookView, error) {
	tmpl, _, err := render.Layers(fsys, s.Config.Theme)
	if err != nil {
		return nil, err
	}
	r, err := render.Load(tmpl)
	if err != nil {
		return nil, err
	}
	p := render.Book(s, opts, spec)
	var buf bytes.Buffer
	if err := r.Execute(&buf, p); err != nil {
		return nil, err
	}
	return p.Book, sink.WriteFile(render.BookPath+"index.html", buf.Bytes())
}

// Memory is a Sink that keeps files in memory and serves them as an fs.FS,
// so that a site can be rendered and printed without touching the disk. A
// file can be replaced while it is being served; readers see the old bytes
// or the new, never a mix. It is safe for concurrent use.
type Memory struct {
	mu    sync.RWMutex
	files map[string][]byte
	dirs  map[string]bool
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{files: map[string][]byte{}, dirs: map[string]bool{".": true}}
}

// WriteFile stores a copy of data as rel (a slash-separated relative path).
func (m *Memory) WriteFile(rel string, data []byte) error {
	if !fs.ValidPath(rel) || rel == "." {
		return &fs.PathError{Op: "write", Path: rel, Err: fs.ErrInvalid}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dirs[rel] {
		return &fs.PathError{Op: "write", Path: rel, Err: errors.New("is a folder")}
	}
	m.files[rel] = slices.Clone(data)
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		m.dirs[d] = true
	}
	return nil
}

// Open implements fs.FS.
func (m *Memory) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if data, ok := m.files[name]; ok {
		return &memFile{Reader: bytes.NewReader(data), info: memInfo{name: path.Base(name), size: int64(len(data))}}, nil
	}
	if m.dirs[name] {
		var entries []fs.DirEntry
		prefix := name + "/"
		if name == "." {
			prefix = ""
		}
		seen := map[string]bool{}
		for p, data := range m.files {
			rest, ok := strings.CutPrefix(p, prefix)
			if !ok {
				continue
			}
			child, _, isDir := strings.Cut(rest, "/")
			if seen[child] {
				continue
			}
			seen[child] = true
			info := memInfo{name: child, size: int64(len(data))}
			if isDir {
				info = memInfo{name: child, dir: true}
			}
			entries = append(entries, fs.FileInfoToDirEntry(info))
		}
		slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
		return &memDir{info: memInfo{name: path.Base(name), dir: true}, entries: entries}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }

type memFile struct {
	*bytes.Reader
	info memInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

type memDir struct {
	info    memInfo
	entries []fs.DirEntry
}

func (d *memDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *memDir) Close() error               { return nil }
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a folder")}
}

// ReadDir implements fs.ReadDirFile.
func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if n <= 0 {
		out := d.entries
		d.entries = nil
		return out, nil
	}
	if len(d.entries) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(d.entries))
	out := d.entries[:n]
	d.entries = d.entries[n:]
	return out, nil
}
