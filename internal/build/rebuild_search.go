package build

import (
	"bytes"
	"context"

	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/search"
	"github.com/dossier-dev/dossier/internal/site"
)

// The search index (search/ beside the search page) is written by one
// goroutine of renderSome. A build streams it: each file goes to the sink
// as soon as it is ready. A Session keeps a search.Indexer instead, which
// indexes again only the documents that changed and encodes again only the
// files they change; the other files carry over from the Indexer, which
// keeps the bytes of every file of the index.

// searchSink is the sink of a rebuild: a Memory for every file but the
// search index, which its Indexer brings up to date.
type searchSink struct {
	*Memory
	ix    *search.Indexer
	sums  func(path string) (uint64, bool) // digests of this build's conversions
	index []search.File                    // every file of the search index, after renderSome
}

// newSink returns the sink of a rebuild, with the session's Indexer.
func (ss *Session) newSink() *searchSink {
	if ss.search == nil {
		ss.search = search.NewIndexer(search.Options{})
	}
	return &searchSink{Memory: NewMemory(), ix: ss.search, sums: ss.conversionSum}
}

// conversionSum is the digest of the remembered conversion of the
// document at path (see convCache), which stands for its converted content
// in the key of its search document.
func (ss *Session) conversionSum(path string) (uint64, bool) {
	if e := ss.conv.docs[path]; e != nil {
		return e.sum, true
	}
	return 0, false
}

// writeSearch writes the search index of s to sink, or brings the
// Indexer of a rebuild's sink up to date.
func writeSearch(ctx context.Context, s *site.Site, sink Sink) error {
	if ss, ok := sink.(*searchSink); ok {
		files, err := render.UpdateSearchIndex(ctx, s, ss.ix, ss.sums, nil)
		ss.index = files
		return err
	}
	return render.WriteSearchIndex(ctx, s, func(name string, data []byte) error {
		return sink.WriteFile("search/"+name, data)
	})
}

// addSearch puts the files of the search index into a rebuild's output and
// lists those that are new or changed since old. The Indexer hands out the
// same slice for a file whose bytes it did not change, so most files are
// told unchanged without comparing their bytes.
func (ss *Session) addSearch(sink *searchSink, out, old map[string][]byte, u *Update) {
	for _, f := range sink.index {
		name := "search/" + f.Name
		out[name] = f.Data
		if o, ok := old[name]; !ok || !sameSlice(o, f.Data) && !bytes.Equal(o, f.Data) {
			u.Changed = append(u.Changed, name)
		}
	}
}

// sameSlice reports whether a and b are the same bytes in memory.
func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
