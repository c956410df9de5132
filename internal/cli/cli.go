// Package cli is Dossier's command line: the cobra commands, their flags,
// the messages they print and the exit status they end with (0 success,
// 1 content or build error, 2 wrong usage).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/dossier-dev/dossier/internal/diag"
)

// Version is the program's version; release builds set it with
// -ldflags "-X github.com/dossier-dev/dossier/internal/cli.Version=v1.2.3".
var Version = ""

// Exit statuses.
const (
	ExitOK      = 0
	ExitFailure = 1 // content or build error
	ExitUsage   = 2 // wrong usage
)

// runError marks an error that happened while a command ran, as opposed to
// a usage error that cobra found while parsing the command line.
type runError struct{ err error }

func (e runError) Error() string { return e.err.Error() }
func (e runError) Unwrap() error { return e.err }

// Main runs the command line in args and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var re runError
	if !errors.As(err, &re) {
		fmt.Fprintf(stderr, "dossier: %v\nRun 'dossier --help' for usage.\n", err)
		return ExitUsage
	}
	report(stderr, re.err)
	return ExitFailure
}

// report prints an error: a list of diagnostics one per line, anything else
// on one line.
func report(w io.Writer, err error) {
	var list diag.List
	var one diag.Diagnostic
	switch {
	case errors.As(err, &list):
		fmt.Fprintln(w, list.Error())
		fmt.Fprintf(w, "dossier: %s\n", plural(len(list), "error", "errors"))
	case errors.As(err, &one):
		fmt.Fprintln(w, one.Error())
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(w, "dossier: interrupted")
	default:
		fmt.Fprintf(w, "dossier: %v\n", err)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "dossier",
		Short: "Build cross-linked briefing sites from Markdown",
		Long: "Dossier turns briefings written in Markdown into a fast, self-contained static site\n" +
			"that cross-links the people, organizations, places and topics they mention.",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.CompletionOptions.HiddenDefaultCmd = true
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%s: %w", c.CommandPath(), err)
	})
	root.AddCommand(newBuild(stdout, stderr), newServe(stdout, stderr), newPDF(stdout, stderr), newCheck(stdout, stderr), newNew(stdout), newVersion(stdout))
	return root
}

// run wraps a command's body so that its errors exit 1, not 2.
func run(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := f(cmd, args); err != nil {
			return runError{err}
		}
		return nil
	}
}

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: run(func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(stdout, "dossier %s %s/%s %s\n", version(), runtime.GOOS, runtime.GOARCH, runtime.Version())
			return nil
		}),
	}
}

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
