// Command dossier builds cross-linked briefing sites from Markdown.
package main

import (
	"os"
	"runtime/debug"

	"github.com/dossier-dev/dossier/internal/cli"
)

// memoryLimit is the memory past which the garbage collector works
// harder rather than let the heap grow to twice what is live: a build of
// 100,000 briefings holds about 1.1 GB of model and pages in flight and
// must stay under 2 GiB. 1.75 GiB leaves the collector room to work in
// (at 1.5 GiB it ran almost without pause, and the build took a third
// longer) and a quarter of a gigabyte below 2 GiB. It is soft (Go never
// stops the program for it) and GOMEMLIMIT, when set, replaces it.
const memoryLimit = 1792 << 20

func main() {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
