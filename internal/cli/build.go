package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/dossier-dev/dossier/internal/build"
)

func newBuild(stdout, stderr io.Writer) *cobra.Command {
	var opts build.Options
	var baseURL string
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the site into public/",
		Long: "Build reads dossier.toml and content/ in the site folder and writes the site into\n" +
			"public/ (or --destination). A failed build leaves the previous output untouched.",
		Args: cobra.NoArgs,
		PreRunE: func(cmd *cobra.Command, args []string) error {
			// A malformed --base-url is wrong usage (exit 2), found before
			// anything is read or written.
			if cmd.Flags().Changed("base-url") {
				if _, err := build.NormalizeBaseURL(baseURL); err != nil {
					return err
				}
				opts.BaseURL = &baseURL
			}
			return nil
		},
		RunE: run(func(cmd *cobra.Command, args []string) error {
			res, err := build.Build(cmd.Context(), opts)
			if err != nil {
				return err
			}
			for _, w := range res.Warnings {
				fmt.Fprintln(stderr, w.Error())
			}
			fmt.Fprintln(stdout, res.Summary())
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Source, "source", "s", ".", "site folder (holds dossier.toml and content/)")
	f.StringVarP(&opts.Dest, "destination", "d", "", "output folder (default <source>/public)")
	f.BoolVar(&opts.Drafts, "drafts", false, "include briefings and pages marked draft")
	f.StringVar(&baseURL, "base-url", "", "absolute URL the site will be served from (overrides baseURL)")
	f.BoolVar(&opts.Offline, "offline", false, "make links name index.html so the site can be browsed from disk")
	return cmd
}
