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

	"github.com/klauspost/compress/s2"
)

// raw is the size below which a blob is kept as it is: compressing a few
// bytes saves nothing.
const raw = 128

// A Blob is an immutable byte string, compressed when that saves memory.
// The zero Blob is empty.
type Blob struct {
	data []byte
	n    int  // length of the uncompressed bytes
	z    bool // data is S2-compressed
	// A blob put in a Spool has no data: its bytes are at off in sp.
	sp  *Spool
	off int64
}

// Pack returns a Blob of a copy of b.
func Pack(b []byte) Blob {
	if len(b) < raw {
		return Blob{data: bytes.Clone(b), n: len(b)}
	}
	z := s2.Encode(make([]byte, s2.MaxEncodedLen(len(b))), b)
	if len(z) >= len(b) {
		return Blob{data: bytes.Clone(b), n: len(b)}
	}
	// Keep only the compressed bytes, not the worst-case buffer.
	return Blob{data: bytes.Clone(z), n: len(b), z: true}
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
func (b Blob) Len() int { return b.n }

// Size is the memory the blob's bytes take.
func (b Blob) Size() int { return len(b.data) }

// AppendTo appends the uncompressed bytes to dst.
func (b Blob) AppendTo(dst []byte) []byte {
	if b.sp != nil {
		return b.sp.read(dst, b.off, b.n)
	}
	if !b.z {
		return append(dst, b.data...)
	}
	dst = slices.Grow(dst, b.n)
	out, err := s2.Decode(dst[len(dst):len(dst)+b.n], b.data)
	if err != nil || len(out) != b.n {
		// Only Pack makes compressed blobs, from bytes it compressed itself.
		panic("blob: corrupt data")
	}
	return dst[:len(dst)+b.n]
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
	if b.sp == nil && o.sp == nil && b.z == o.z {
		// Compression is deterministic: the same bytes compress the same.
		return bytes.Equal(b.data, o.data)
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
	data := b.data
	if b.sp != nil {
		// A spooled blob has its bytes on disk only.
		data = b.Bytes()
	}
	h := maphash.Bytes(sumSeed, data)
	h ^= uint64(b.n) * 0x9e3779b97f4a7c15
	if b.z {
		h = ^h
	}
	return h
}
