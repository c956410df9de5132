package cli

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"github.com/dossier-dev/dossier/internal/build"
)

func newBuild(stdout, stderr io.Writer) *cobra.Command {
	var opts build.Options
	var baseURL string
	var cpuProfile, memProfile string
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
			if cpuProfile != "" {
				stop, err := startCPUProfile(cpuProfile)
				if err != nil {
					return err
				}
				defer stop()
			}
			res, err := build.Build(cmd.Context(), opts)
			if err != nil {
				return err
			}
			if memProfile != "" {
				// Written while the build's result is still live, so that
				// the in-use view shows what a build holds at its end; the
				// alloc views show everything it allocated.
				if err := writeMemProfile(memProfile); err != nil {
					return err
				}
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
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the build to `file` (read it with go tool pprof)")
	f.StringVar(&memProfile, "memprofile", "", "write a memory profile taken at the end of the build to `file`")
	return cmd
}

// startCPUProfile starts profiling into path and returns the function that
// stops it and closes the file.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeMemProfile writes the heap profile into path after a collection, so
// that its in-use figures are up to date.
func writeMemProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create memory profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("write memory profile: %w", err)
	}
	return f.Close()
}
