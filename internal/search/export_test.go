package search

// BenchWorker indexes documents one at a time as a build's workers do, for
// the benchmarks of package search_test.
type BenchWorker struct {
	w   *worker
	buf []uint64
}

// NewBenchWorker returns a worker of a new Indexer.
func NewBenchWorker() *BenchWorker {
	return &BenchWorker{w: NewIndexer(Options{}).newWorker()}
}

// Index tokenises d, counts its terms and encodes its record, and returns
// how many terms it has.
func (b *BenchWorker) Index(d *Doc) int {
	r := b.w.index(d, b.buf)
	b.buf = r.entries[:0]
	return len(r.entries)
}
