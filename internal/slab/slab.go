// Package slab hands out the small values that live as long as a build
// from large blocks, one set of blocks per worker.
//
// A build converts its documents on every core. Each conversion makes
// thousands of short-lived objects (syntax trees, token lists) and a few
// dozen that the model keeps until the pages are written (sections,
// mentions, their strings). Allocated one by one, the kept objects end up
// scattered over spans otherwise full of garbage, and every such span
// stays in use: after converting 10,000 briefings the heap held 160 MB of
// spans for 99 MB of live objects. Taken from blocks of their own, the
// kept values fill their spans, and the garbage's spans are freed whole.
//
// The nil *Of and *Strings use no blocks: Make allocates with make, and
// Clone returns its argument itself, shared rather than copied. They are
// for work whose values outlive the build's other values unevenly (a
// preview server's rebuilds replace a few documents at a time and keep
// each conversion's result anyway), where a block held by one surviving
// value would be waste.
package slab

import (
	"strings"
	"unsafe"
)

// blockBytes is the size of a block. A request larger than an eighth of a
// block gets its own allocation, so that no block is mostly left empty.
const blockBytes = 32 << 10

// Of allocates slices of T from blocks. The zero Of is ready; it is not
// safe for concurrent use: give each worker its own.
type Of[T any] struct {
	free []T
}

// Make returns a slice of n zero values of T, of capacity n; nil for n 0.
func (s *Of[T]) Make(n int) []T {
	if n <= 0 {
		return nil
	}
	if s == nil {
		return make([]T, n)
	}
	var zero T
	per := max(blockBytes/max(int(unsafe.Sizeof(zero)), 1), 1)
	if n > per/8 {
		return make([]T, n)
	}
	if len(s.free) < n {
		s.free = make([]T, per)
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}

// Clone returns a copy of v from s's blocks; the nil *Of returns v.
func (s *Of[T]) Clone(v []T) []T {
	if s == nil {
		return v
	}
	out := s.Make(len(v))
	copy(out, v)
	return out
}

// CloneStrings returns a copy of the list v from ls's blocks with each of
// its strings copied into ss's; v itself when ls is nil or v is empty.
func CloneStrings(ls *Of[string], ss *Strings, v []string) []string {
	if ls == nil || len(v) == 0 {
		return v
	}
	out := ls.Make(len(v))
	for i, x := range v {
		out[i] = ss.Clone(x)
	}
	return out
}

// Strings copies strings into blocks of bytes. The zero Strings is ready;
// it is not safe for concurrent use.
type Strings struct {
	free []byte
}

// Clone returns a copy of v that does not share memory with v; the nil
// *Strings returns v.
func (s *Strings) Clone(v string) string {
	if s == nil {
		return v
	}
	if v == "" {
		return ""
	}
	if len(v) > blockBytes/8 {
		return strings.Clone(v)
	}
	if len(s.free) < len(v) {
		s.free = make([]byte, blockBytes)
	}
	n := copy(s.free, v)
	out := unsafe.String(unsafe.SliceData(s.free), n)
	s.free = s.free[n:]
	return out
}
