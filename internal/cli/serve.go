package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/dossier-dev/dossier/internal/serve"
)

func newServe(stdout, stderr io.Writer) *cobra.Command {
	var opts serve.Options
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Preview the site with live reload",
		Long: "Serve builds the site into memory (never into public/), serves it at\n" +
			"http://127.0.0.1:1313/ and rebuilds what a change touches whenever a file under\n" +
			"content/, templates/, themes/ or static/, or dossier.toml, changes. Open pages\n" +
			"reload by themselves; a failed rebuild shows its errors on every open page and\n" +
			"keeps serving the last good site. Stop it with Ctrl-C.",
		Args: cobra.NoArgs,
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if opts.Port < 0 || opts.Port > 65535 {
				return fmt.Errorf("--port %d: want a port from 1 to 65535 (or 0 for any free one)", opts.Port)
			}
			if opts.Bind == "" {
				return fmt.Errorf("--bind: want an address such as 127.0.0.1")
			}
			return nil
		},
		RunE: run(func(cmd *cobra.Command, args []string) error {
			if st, err := os.Stat(opts.Source); err != nil || !st.IsDir() {
				return fmt.Errorf("serve %s: not a site folder", opts.Source)
			}
			opts.Stdout, opts.Stderr = stdout, stderr
			return serve.New(opts).Run(cmd.Context())
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Source, "source", "s", ".", "site folder (holds dossier.toml and content/)")
	f.StringVar(&opts.Bind, "bind", "127.0.0.1", "address to listen on (other than loopback, other machines can see the preview)")
	f.IntVar(&opts.Port, "port", 1313, "port to listen on (0 picks a free one)")
	f.BoolVar(&opts.Drafts, "drafts", false, "include briefings and pages marked draft")
	return cmd
}
