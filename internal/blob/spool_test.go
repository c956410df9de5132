package blob

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestSpool(t *testing.T) {
	dir := t.TempDir()
	sp, err := NewSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	parts := [][]byte{
		[]byte(strings.Repeat("<p>section one</p>", 20)),
		nil,
		[]byte("<p>short</p>"), // under raw: kept in memory
		[]byte(strings.Repeat("<li>footnote</li>", 50)),
	}
	blobs := sp.Put(parts...)
	more := sp.Put([]byte(strings.Repeat("x", 5000)))
	if err := sp.Seal(); err != nil {
		t.Fatal(err)
	}
	if got, want := sp.Size(), int64(len(parts[0])+len(parts[3])+5000); got != want {
		t.Errorf("spool holds %d bytes, want %d", got, want)
	}
	// Read from several goroutines at once, as page rendering does.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, b := range blobs {
				if got := b.AppendTo([]byte("pre")); !bytes.Equal(got, append([]byte("pre"), parts[i]...)) {
					t.Errorf("part %d: read back %q", i, got)
				}
				if b.Len() != len(parts[i]) {
					t.Errorf("part %d: Len %d, want %d", i, b.Len(), len(parts[i]))
				}
			}
		})
	}
	wg.Wait()
	if got := more[0].Bytes(); string(got) != strings.Repeat("x", 5000) {
		t.Error("second Put read back wrong")
	}
	if !blobs[0].Equal(Pack(parts[0])) || blobs[0].Equal(blobs[3]) {
		t.Error("Equal across a spooled and a packed blob is wrong")
	}
	if err := sp.Close(); err != nil {
		t.Fatal(err)
	}
	// Nothing is left in the folder, whether the file went at creation or
	// at Close.
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
}

func TestNilSpoolPacks(t *testing.T) {
	var sp *Spool
	in := []byte(strings.Repeat("<p>in memory</p>", 30))
	b := sp.Put(in)[0]
	if b.kind != s2z {
		t.Errorf("a nil spool should pack in memory, compressed")
	}
	if !bytes.Equal(b.Bytes(), in) {
		t.Error("read back wrong")
	}
	if err := sp.Seal(); err != nil {
		t.Error(err)
	}
}
