// Command dossier builds cross-linked briefing sites from Markdown.
package main

import (
	"os"

	"github.com/dossier-dev/dossier/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
