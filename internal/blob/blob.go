// Package blob keeps large byte strings compressed in memory.
//
// A build holds the converted HTML of every section of every briefing from
// conversion until the last topic page that shows it is written: at 100,000
// briefings that is more than a gigabyte as plain bytes. Compressed with S2
// (a Snappy variant that compresses and decompresses at gigabytes a second)
// HTML takes about a quarter of that, and reading a section back costs
// microseconds.
package blob

import (
	"bytes"
	"hash/maphash"
	"slices"
	"unsafe"

	"github.com/klauspost/compress/s2"
)

// raw is the size below which a blob is kept as it is: compressing a few
// bytes saves nothing.
const raw = 128

// A Blob is an immutable byte string, compressed when that saves memory.
// The zero Blob is empty.
//
// A site keeps one for each section it converts, 650,000 at 100,000
// briefings, so a Blob is three words with one pointer: p is the first
// of its bytes in memory, or the Spool that holds them.
type Blob struct {
	p    unsafe.Pointer
	m    int64  // how many bytes p holds, or their offset in the spool
	n    uint32 // length of the uncompressed bytes
	kind uint8
}

// Kinds of Blob.
const (
	plain   uint8 = iota // the bytes as they are (or none)
	s2z                  // S2-compressed
	spooled              // in a Spool's file
)

// maxLen is the longest blob: sections come from files that content
// limits keep far below it.
const maxLen = 1<<32 - 1

// checkLen panics on a blob too long for a Blob to describe.
func checkLen(n int) {
	if n > maxLen {
		panic("blob: a blob of 4 GiB or more")
	}
}

// inMemory returns a Blob of data, which it keeps.
func inMemory(data []byte, n int, kind uint8) Blob {
	checkLen(n)
	if len(data) == 0 {
		return Blob{n: uint32(n), kind: kind}
	}
	return Blob{p: unsafe.Pointer(unsafe.SliceData(data)), m: int64(len(data)), n: uint32(n), kind: kind}
}

// data is the bytes the blob keeps in memory (nil when spooled).
func (b Blob) data() []byte {
	if b.kind == spooled || b.p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(b.p), b.m)
}

// Pack returns a Blob of a copy of b.
func Pack(b []byte) Blob {
	if len(b) < raw {
		return inMemory(bytes.Clone(b), len(b), plain)
	}
	z := s2.Encode(make([]byte, s2.MaxEncodedLen(len(b))), b)
	if len(z) >= len(b) {
		return inMemory(bytes.Clone(b), len(b), plain)
	}
	// Keep only the compressed bytes, not the worst-case buffer.
	return inMemory(bytes.Clone(z), len(b), s2z)
}

// PackAll packs each part (see Pack).
func PackAll(parts [][]byte) []Blob {
	out := make([]Blob, len(parts))
	for i, p := range parts {
		out[i] = Pack(p)
	}
	return out
}

// Len is the length of the uncompressed bytes.
func (b Blob) Len() int { return int(b.n) }

// Size is the memory the blob's bytes take.
func (b Blob) Size() int { return len(b.data()) }

// AppendTo appends the uncompressed bytes to dst.
func (b Blob) AppendTo(dst []byte) []byte {
	switch b.kind {
	case spooled:
		return (*Spool)(b.p).read(dst, b.m, int(b.n))
	case plain:
		return append(dst, b.data()...)
	}
	n := int(b.n)
	dst = slices.Grow(dst, n)
	out, err := s2.Decode(dst[len(dst):len(dst)+n], b.data())
	if err != nil || len(out) != n {
		// Only Pack makes compressed blobs, from bytes it compressed itself.
		panic("blob: corrupt data")
	}
	return dst[:len(dst)+n]
}

// Bytes returns the uncompressed bytes in a new slice (nil when empty).
func (b Blob) Bytes() []byte {
	if b.n == 0 {
		return nil
	}
	return b.AppendTo(make([]byte, 0, b.n))
}

// Equal reports whether a and b hold the same bytes.
func (b Blob) Equal(o Blob) bool {
	if b.n != o.n {
		return false
	}
	if b.kind != spooled && b.kind == o.kind {
		// Compression is deterministic: the same bytes compress the same.
		return bytes.Equal(b.data(), o.data())
	}
	return bytes.Equal(b.Bytes(), o.Bytes())
}

// sumSeed seeds Sum64: sums are comparable within one process only.
var sumSeed = maphash.MakeSeed()

// Sum64 is a hash of the blob's bytes that does not decompress them, for
// telling cheaply whether content changed: blobs that hold the same bytes
// have the same sum (Pack is deterministic), and different bytes almost
// surely differ. Sums are comparable within one process only.
func (b Blob) Sum64() uint64 {
	data := b.data()
	if b.kind == spooled {
		// A spooled blob has its bytes on disk only.
		data = b.Bytes()
	}
	h := maphash.Bytes(sumSeed, data)
	h ^= uint64(b.n) * 0x9e3779b97f4a7c15
	if b.kind == s2z {
		h = ^h
	}
	return h
}
