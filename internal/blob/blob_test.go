package blob

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"
)

func TestPack(t *testing.T) {
	html := strings.Repeat(`<p>Kim Jong Un met <a href="/entities/vladimir-putin/">Vladimir Putin</a> at Vostochny.</p>`+"\n", 40)
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{1}).Read(random)
	for _, tc := range []struct {
		name       string
		in         []byte
		compressed bool
	}{
		{"empty", nil, false},
		{"short", []byte("<p>x</p>"), false},
		{"html", []byte(html), true},
		{"incompressible", random, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := Pack(tc.in)
			if b.Len() != len(tc.in) {
				t.Errorf("Len = %d, want %d", b.Len(), len(tc.in))
			}
			if got := b.Bytes(); !bytes.Equal(got, tc.in) {
				t.Errorf("Bytes differ from the input")
			}
			if got := b.AppendTo([]byte("pre:")); !bytes.Equal(got, append([]byte("pre:"), tc.in...)) {
				t.Errorf("AppendTo differs")
			}
			if (b.kind == s2z) != tc.compressed {
				t.Errorf("compressed = %v, want %v", b.kind == s2z, tc.compressed)
			}
			if tc.compressed && b.Size()*2 > b.Len() {
				t.Errorf("compressed to %d of %d bytes", b.Size(), b.Len())
			}
			if !b.Equal(Pack(tc.in)) {
				t.Errorf("not Equal to a second Pack of the same bytes")
			}
		})
	}
	// Pack copies: changing the input afterwards changes nothing.
	in := []byte(html)
	b := Pack(in)
	in[0] = 'X'
	if got := b.Bytes(); got[0] != '<' {
		t.Error("the blob shares the caller's bytes")
	}
	if Pack([]byte("a")).Equal(Pack([]byte("b"))) {
		t.Error("different bytes are Equal")
	}
}

// TestBlobSize: a site keeps a Blob for every section it converts, so
// that one stays three words.
func TestBlobSize(t *testing.T) {
	if got, want := unsafe.Sizeof(Blob{}), 3*unsafe.Sizeof(uintptr(0)); got != want {
		t.Errorf("a Blob is %d bytes, want %d", got, want)
	}
}
