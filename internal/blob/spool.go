package blob

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"sync"
	"unsafe"
)

// A Spool keeps blobs in a temporary file instead of in memory. A full
// build puts every section's HTML there as it converts documents and reads
// each back when a page shows it: at 100,000 briefings that HTML is more
// than a gigabyte, which would otherwise stay in memory from the first
// conversion to the last page. Reads come from the operating system's file
// cache, a copy of a few kilobytes each.
//
// Put appends through a buffer; Seal flushes it, after which blobs can be
// read from any number of goroutines. Reading a blob before Seal panics.
type Spool struct {
	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	size    int64
	sealed  bool
	removed bool // the file is already out of its folder
	err     error
}

// NewSpool creates a spool in dir (the system's temporary folder when dir
// is ""). Close removes it.
func NewSpool(dir string) (*Spool, error) {
	f, err := os.CreateTemp(dir, ".dossier-spool-*")
	if err != nil {
		return nil, fmt.Errorf("create spool file: %w", err)
	}
	// Where the system allows it, the file goes from its folder at once and
	// lives on while open: a killed build leaves nothing behind.
	sp := &Spool{f: f, w: bufio.NewWriterSize(f, 1<<20)}
	sp.removed = os.Remove(f.Name()) == nil
	return sp, nil
}

// Put stores a copy of each part, one after the other, and returns their
// blobs. A nil Spool packs them in memory instead.
func (sp *Spool) Put(parts ...[]byte) []Blob {
	if sp == nil {
		return PackAll(parts)
	}
	out := make([]Blob, len(parts))
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.sealed {
		panic("blob: Put after Seal")
	}
	for i, p := range parts {
		if len(p) < raw {
			out[i] = inMemory(slices.Clone(p), len(p), plain)
			continue
		}
		checkLen(len(p))
		if sp.err == nil {
			_, sp.err = sp.w.Write(p)
		}
		out[i] = Blob{p: unsafe.Pointer(sp), m: sp.size, n: uint32(len(p)), kind: spooled}
		sp.size += int64(len(p))
	}
	return out
}

// Seal writes what Put buffered and makes the spool readable. It reports
// the first error of writing the file. Sealing a nil Spool does nothing.
func (sp *Spool) Seal() error {
	if sp == nil {
		return nil
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if !sp.sealed {
		sp.sealed = true
		if sp.err == nil {
			sp.err = sp.w.Flush()
		}
		sp.w = nil
		if sp.err != nil {
			sp.err = fmt.Errorf("write spool file: %w", sp.err)
		}
	}
	return sp.err
}

// Size is how many bytes the spool's file holds.
func (sp *Spool) Size() int64 {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.size
}

// Close closes and removes the spool's file. Blobs in it must not be read
// afterwards.
func (sp *Spool) Close() error {
	err := sp.f.Close()
	if !sp.removed {
		if rerr := os.Remove(sp.f.Name()); err == nil {
			err = rerr
		}
	}
	return err
}

func (sp *Spool) read(dst []byte, off int64, n int) []byte {
	if !sp.sealed {
		// Seal happens before any page is rendered; a read before it is a
		// bug in the caller, and unsynchronised.
		panic("blob: read from a spool before Seal")
	}
	dst = slices.Grow(dst, n)
	buf := dst[len(dst) : len(dst)+n]
	if _, err := sp.f.ReadAt(buf, off); err != nil {
		// The file is ours, in the temporary folder, and was written in
		// full (Seal reported any error): failing to read it back is an
		// I/O failure of the machine, which a page cannot recover from.
		panic(fmt.Sprintf("blob: read spool file %s: %v", sp.f.Name(), err))
	}
	return dst[:len(dst)+n]
}
