package slab

import (
	"testing"
	"unsafe"
)

func TestMake(t *testing.T) {
	var s Of[int64]
	a, b := s.Make(3), s.Make(2)
	if len(a) != 3 || cap(a) != 3 || len(b) != 2 || cap(b) != 2 {
		t.Fatalf("len/cap: a %d/%d, b %d/%d", len(a), cap(a), len(b), cap(b))
	}
	if unsafe.Pointer(&b[0]) != unsafe.Add(unsafe.Pointer(&a[2]), 8) {
		t.Error("b does not follow a in the same block")
	}
	a = append(a, 7) // past capacity: must not write over b
	if b[0] != 0 {
		t.Errorf("appending to a changed b: %v", b)
	}
	if s.Make(0) != nil {
		t.Error("Make(0) is not nil")
	}
	big := s.Make(blockBytes) // more than an eighth of a block
	if len(big) != blockBytes {
		t.Errorf("Make(%d) has len %d", blockBytes, len(big))
	}
	var none *Of[int64]
	if got := none.Make(4); len(got) != 4 || cap(got) != 4 {
		t.Errorf("nil Of: len/cap %d/%d", len(got), cap(got))
	}
	src := []int64{1, 2}
	if got := s.Clone(src); len(got) != 2 || got[0] != 1 || got[1] != 2 || &got[0] == &src[0] {
		t.Errorf("Clone = %v, or not a copy", got)
	}
	if got := none.Clone(src); &got[0] != &src[0] {
		t.Error("nil Of does not return its argument")
	}
}

func TestMakeFillsBlocks(t *testing.T) {
	var s Of[int64]
	per := blockBytes / 8
	seen := map[*int64]bool{}
	for range 3 * per / 4 {
		v := s.Make(4)
		for i := range v {
			if seen[&v[i]] {
				t.Fatal("a value was handed out twice")
			}
			seen[&v[i]] = true
		}
	}
}

func TestStrings(t *testing.T) {
	var s Strings
	src := []byte("Kozlov")
	a := s.Clone(string(src))
	b := s.Clone("grain")
	src[0] = 'X'
	if a != "Kozlov" || b != "grain" {
		t.Fatalf("Clone = %q, %q", a, b)
	}
	if unsafe.StringData(b) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(a)), len(a))) {
		t.Error("b does not follow a in the same block")
	}
	if s.Clone("") != "" {
		t.Error("Clone(\"\") is not empty")
	}
	long := string(make([]byte, blockBytes))
	if got := s.Clone(long); got != long || unsafe.StringData(got) == unsafe.StringData(long) {
		t.Error("a long string is not copied")
	}
	var none *Strings
	v := "Pyongyang"
	if got := none.Clone(v); unsafe.StringData(got) != unsafe.StringData(v) || len(got) != len(v) {
		t.Error("nil Strings does not return its argument")
	}
}

func TestCloneStrings(t *testing.T) {
	in := []string{"Military Cooperation", "", "Sanctions"}
	var ls Of[string]
	var ss Strings
	out := CloneStrings(&ls, &ss, in)
	if len(out) != len(in) || &out[0] == &in[0] {
		t.Fatalf("CloneStrings = %q, not a copy", out)
	}
	for i := range in {
		if out[i] != in[i] || in[i] != "" && unsafe.StringData(out[i]) == unsafe.StringData(in[i]) {
			t.Errorf("item %d: %q is not a copy of %q", i, out[i], in[i])
		}
	}
	if got := CloneStrings(nil, &ss, in); &got[0] != &in[0] {
		t.Error("a nil Of copied the list")
	}
	if got := CloneStrings(&ls, &ss, nil); got != nil {
		t.Errorf("CloneStrings(nil) = %q", got)
	}
}
