// Command dossier-corpus writes a deterministic synthetic briefing site for
// benchmarks (see internal/corpus):
//
//	go run ./cmd/dossier-corpus -n 10000 -seed 1 DIR
//
// DIR must be empty or absent. The same flags always give the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/dossier-dev/dossier/internal/corpus"
)

func main() {
	var opts corpus.Options
	flag.IntVar(&opts.Briefings, "n", 10000, "number of briefings")
	flag.IntVar(&opts.Entities, "entities", 0, "number of entity profiles (default 15% of -n)")
	flag.IntVar(&opts.Topics, "topics", 0, "number of topics (default 80 × √(n/10,000))")
	flag.Int64Var(&opts.Seed, "seed", 1, "random seed")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: dossier-corpus [-n N] [-seed S] [-entities N] [-topics N] DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	start := time.Now()
	opts = opts.WithDefaults()
	if err := corpus.Write(flag.Arg(0), opts); err != nil {
		fmt.Fprintln(os.Stderr, "dossier-corpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d briefings, %d entities, %d topics (seed %d) into %s in %s\n",
		opts.Briefings, opts.Entities, opts.Topics, opts.Seed, flag.Arg(0), time.Since(start).Round(time.Millisecond))
}
