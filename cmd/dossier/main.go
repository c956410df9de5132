// Command dossier builds cross-linked briefing sites from Markdown.
package main

import (
	"os"
	"runtime/debug"

	"github.com/dossier-dev/dossier/internal/cli"
)

// memoryLimit is the heap size past which the garbage collector works
// harder rather than let the heap grow to twice what is live: a build of
// 100,000 briefings holds about a gigabyte of model and must stay under
// 2 GiB. It is soft (Go never stops the program for it) and GOMEMLIMIT,
// when set, replaces it.
const memoryLimit = 1536 << 20

func main() {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
