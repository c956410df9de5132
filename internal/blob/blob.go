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

// Len is the length of the uncompressed bytes.
func (b Blob) Len() int { return b.n }

// Size is the memory the blob's bytes take.
func (b Blob) Size() int { return len(b.data) }

// AppendTo appends the uncompressed bytes to dst.
func (b Blob) AppendTo(dst []byte) []byte {
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
	if b.z == o.z {
		// Compression is deterministic: the same bytes compress the same.
		return bytes.Equal(b.data, o.data)
	}
	return bytes.Equal(b.Bytes(), o.Bytes())
}
