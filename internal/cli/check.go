package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/diag"
)

func newCheck(stdout, stderr io.Writer) *cobra.Command {
	var src, format string
	var strict, drafts bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Report every error and warning of the site without writing anything",
		Long: "Check reads, converts and renders the site as build does, writes nothing, and reports\n" +
			"every build error and every warning: stub entities and topics, ambiguous names,\n" +
			"entities listed but never mentioned, briefings without sources, topics without\n" +
			"sections, profiles nothing mentions, dates in the future and duplicate titles.\n" +
			"It exits 1 on errors, and on warnings too with --strict.",
		Args: cobra.NoArgs,
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("--format %q: want text or json", format)
			}
			return nil
		},
		RunE: run(func(cmd *cobra.Command, args []string) error {
			if info, err := os.Stat(src); err != nil || !info.IsDir() {
				return fmt.Errorf("check %s: no site folder there; pass the folder that holds dossier.toml and content/ with -s", src)
			}
			res, err := build.Check(cmd.Context(), os.DirFS(src), build.CheckOptions{Drafts: drafts, Now: time.Now()})
			if res == nil {
				return err
			}
			errs, warns := len(res.Diags.Errors()), len(res.Diags.Warnings())
			if format == "json" {
				if err := writeJSON(stdout, res, errs, warns); err != nil {
					return err
				}
			} else {
				for _, d := range res.Diags {
					fmt.Fprintln(stdout, d.Error())
				}
			}
			if err != nil {
				return err
			}
			counts := fmt.Sprintf("%s, %s", plural(errs, "error", "errors"), plural(warns, "warning", "warnings"))
			switch {
			case errs > 0:
				return errors.New(counts)
			case warns > 0 && strict:
				return errors.New(counts + " (--strict fails on warnings)")
			}
			if format == "text" {
				fmt.Fprintf(stdout, "checked %s, %s, %s and %s: %s\n", plural(res.Briefings, "briefing", "briefings"),
					plural(res.Entities, "entity", "entities"), plural(res.Topics, "topic", "topics"), plural(res.Pages, "page", "pages"), counts)
			}
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&src, "source", "s", ".", "site folder (holds dossier.toml and content/)")
	f.BoolVar(&strict, "strict", false, "exit 1 on warnings too")
	f.StringVar(&format, "format", "text", "output format: text (path:line:col: message lines) or json")
	f.BoolVar(&drafts, "drafts", false, "include briefings and pages marked draft")
	return cmd
}

// jsonDiagnostic is one diagnostic in check --format json.
type jsonDiagnostic struct {
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// writeJSON writes the result of a check as one JSON object.
func writeJSON(w io.Writer, res *build.CheckResult, errs, warns int) error {
	out := struct {
		Errors      int              `json:"errors"`
		Warnings    int              `json:"warnings"`
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
	}{Errors: errs, Warnings: warns, Diagnostics: []jsonDiagnostic{}}
	for _, d := range res.Diags {
		sev := "error"
		if d.Severity == diag.Warning {
			sev = "warning"
		}
		out.Diagnostics = append(out.Diagnostics, jsonDiagnostic{d.Path, max(d.Line, 1), max(d.Col, 1), sev, d.Msg})
	}
	// The encoder writes <, > and & as \u003c and so on: messages quote
	// titles, and a report shown in a web page must not carry markup.
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
