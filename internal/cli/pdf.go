package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/pdf"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/site"
)

// pdfCommand holds the flags of `dossier pdf`.
type pdfCommand struct {
	source, output, chrome string
	book                   bool
	topic, from, to        string

	stdout, stderr io.Writer
	fromDay, toDay time.Time
}

func newPDF(stdout, stderr io.Writer) *cobra.Command {
	c := &pdfCommand{stdout: stdout, stderr: stderr}
	cmd := &cobra.Command{
		Use:   "pdf [SLUG...]",
		Short: "Print briefings, or a briefing book, to PDF",
		Long: "Pdf prints briefings to PDF with headless Chromium: one <slug>.pdf per briefing named\n" +
			"(every briefing when none is named), or with --book one PDF of them all: a cover, the\n" +
			"contents with page numbers, then the briefings oldest first. --topic, --from and --to\n" +
			"choose the briefings; --book --topic T without dates prints the topic's sections.\n\n" +
			"Chromium is found with --chrome, else $DOSSIER_CHROME, else chromium-headless-shell,\n" +
			"chromium or google-chrome on PATH.",
		PreRunE: func(cmd *cobra.Command, args []string) error {
			// Bad dates are wrong usage (exit 2), found before anything runs.
			var err error
			if c.fromDay, err = parseDay("--from", c.from); err != nil {
				return err
			}
			if c.toDay, err = parseDay("--to", c.to); err != nil {
				return err
			}
			if !c.fromDay.IsZero() && !c.toDay.IsZero() && c.toDay.Before(c.fromDay) {
				return fmt.Errorf("--to %s is before --from %s", c.to, c.from)
			}
			return nil
		},
		RunE: run(func(cmd *cobra.Command, args []string) error {
			return c.run(cmd.Context(), args)
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&c.source, "source", "s", ".", "site folder (holds dossier.toml and content/)")
	f.StringVarP(&c.output, "output", "o", "", "folder the PDFs are written to (default <source>/pdf)")
	f.BoolVar(&c.book, "book", false, "print one briefing book instead of one PDF per briefing")
	f.StringVar(&c.topic, "topic", "", "only briefings of this topic (title, alias or slug)")
	f.StringVar(&c.from, "from", "", "only briefings dated on or after this day (YYYY-MM-DD)")
	f.StringVar(&c.to, "to", "", "only briefings dated on or before this day (YYYY-MM-DD)")
	f.StringVar(&c.chrome, "chrome", "", "Chromium or Chrome binary to print with")
	return cmd
}

func parseDay(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: want a day as YYYY-MM-DD", flag, s)
	}
	return t, nil
}

func (c *pdfCommand) run(ctx context.Context, slugs []string) error {
	start := time.Now()
	browser, err := pdf.FindBrowser(c.chrome)
	if err != nil {
		return err
	}
	fsys := os.DirFS(c.source)
	m, err := build.Load(ctx, fsys, false)
	if err != nil {
		return err
	}
	for _, w := range m.Warnings {
		fmt.Fprintln(c.stderr, w.Error())
	}
	sel := render.Selection{Slugs: slugs, From: c.fromDay, To: c.toDay}
	if c.topic != "" {
		if sel.Topic, err = render.FindTopic(m.Site, c.topic); err != nil {
			return err
		}
	}
	briefings, err := sel.Briefings(m.Site)
	if err != nil {
		return err
	}
	if len(briefings) == 0 {
		return errors.New("no briefing matches --topic, --from and --to: nothing to print")
	}

	// The whole site is rendered, not only the pages to print, so that
	// every link and asset a page names exists: a file that fails to load
	// is an error.
	ropts := render.Options{BaseURL: m.Config.BaseURL}
	mem := build.NewMemory()
	if _, err := build.Render(ctx, fsys, m.Site, ropts, mem); err != nil {
		return err
	}
	srv, err := pdf.Serve(mem)
	if err != nil {
		return err
	}
	defer srv.Close()
	popts := pdf.Options{Browser: browser, Tabs: min(runtime.NumCPU(), len(briefings))}
	if c.book {
		// One long document: one tab, and time in proportion.
		popts.Tabs, popts.Timeout = 1, max(2*time.Minute, time.Duration(len(briefings))*3*time.Second)
	}
	pr, err := pdf.Start(ctx, popts)
	if err != nil {
		return err
	}
	defer pr.Close()

	out := c.output
	if out == "" {
		out = filepath.Join(c.source, "pdf")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	s := session{fsys: fsys, site: m.Site, ropts: ropts, mem: mem, server: srv, printer: pr, out: out,
		progress: newProgress(c.stderr)}
	if c.book {
		spec := render.BookSpec{Briefings: briefings, Selection: sel, Edition: editionDate(),
			Sections: sel.Topic != nil && sel.From.IsZero() && sel.To.IsZero() && len(slugs) == 0}
		file, chapters, pages, err := s.book(ctx, spec, bookName(sel))
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "printed %s (%s, %s) in %s\n", file, plural(chapters, "briefing", "briefings"),
			plural(pages, "page", "pages"), time.Since(start).Round(time.Millisecond))
		return nil
	}
	pages, err := s.briefings(ctx, briefings)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "printed %s (%s) into %s in %s\n", plural(len(briefings), "PDF", "PDFs"),
		plural(pages, "page", "pages"), out, time.Since(start).Round(time.Millisecond))
	return nil
}

// session is what printing needs: the loaded site, its pages in memory, the
// server that serves them and the browser that prints them.
type session struct {
	fsys     fs.FS
	site     *site.Site
	ropts    render.Options
	mem      *build.Memory
	server   *pdf.Server
	printer  *pdf.Printer
	out      string
	progress *progress
}

// briefings prints one PDF per briefing, in parallel. A briefing that fails
// leaves no file; the others are still printed, and every failure is
// reported. It returns the number of pages printed.
func (s *session) briefings(ctx context.Context, bs []*site.Briefing) (int, error) {
	var mu sync.Mutex
	var errs []error
	pages := 0
	var g errgroup.Group
	s.progress.start(len(bs))
	for _, b := range bs {
		g.Go(func() error {
			doc, err := s.printer.Print(ctx, s.server.URL+"/"+render.PathOf(b))
			if err == nil {
				err = writeFile(filepath.Join(s.out, b.Slug+".pdf"), doc.PDF)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("briefing %s: %w", b.Slug, err))
				return nil
			}
			pages += doc.Pages
			s.progress.step(b.Slug)
			return nil
		})
	}
	_ = g.Wait()
	s.progress.end()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return pages, errors.Join(errs...)
}

// book prints a briefing book and returns its file, number of chapters and
// number of pages. Chromium cannot put page numbers into a
// contents page (target-counter() does not work), so the book is printed,
// the page of each contents entry is read from the PDF's named
// destinations, and the book is printed again with the numbers filled in;
// the column they go in has a fixed width, so they move nothing. A third
// print is made only if the numbers did move.
func (s *session) book(ctx context.Context, spec render.BookSpec, name string) (file string, chapters, pages int, err error) {
	const maxPrints = 3
	s.progress.start(0)
	defer s.progress.end()
	for n := 1; ; n++ {
		s.progress.status(fmt.Sprintf("printing the book of %s (print %d)", plural(len(spec.Briefings), "briefing", "briefings"), n))
		view, err := build.RenderBook(s.fsys, s.site, s.ropts, spec, s.mem)
		if err != nil {
			return "", 0, 0, err
		}
		if len(view.Chapters) == 0 {
			// Only a book of a topic's sections can come out empty.
			return "", 0, 0, errors.New("no section of the selected briefings belongs to the topic: the book would be empty")
		}
		// The first print only finds the page numbers: a draft will do.
		print := s.printer.Print
		if spec.Pages == nil {
			print = s.printer.Draft
		}
		doc, err := print(ctx, s.server.URL+"/"+render.BookPath)
		if err != nil {
			return "", 0, 0, fmt.Errorf("book: %w", err)
		}
		dests, err := pdf.Destinations(doc.PDF)
		if err != nil {
			return "", 0, 0, fmt.Errorf("book: %w", err)
		}
		found := map[string]int{}
		for _, id := range view.Anchors() {
			p, ok := dests[id]
			if !ok {
				return "", 0, 0, fmt.Errorf("book: the printed book has no destination %q, so its contents cannot give that page", id)
			}
			found[id] = p
		}
		if spec.Pages != nil && maps.Equal(found, spec.Pages) {
			file = filepath.Join(s.out, name+".pdf")
			return file, len(view.Chapters), doc.Pages, writeFile(file, doc.PDF)
		}
		if n == maxPrints {
			return "", 0, 0, fmt.Errorf("book: the contents' page numbers still moved after %d prints", n)
		}
		spec.Pages = found
	}
}

// bookName names a book's file after its selection: book.pdf,
// book-sanctions.pdf, book-sanctions-from-2024-01-01.pdf.
func bookName(sel render.Selection) string {
	name := "book"
	if sel.Topic != nil {
		name += "-" + sel.Topic.Slug
	}
	if !sel.From.IsZero() {
		name += "-from-" + sel.From.Format(time.DateOnly)
	}
	if !sel.To.IsZero() {
		name += "-to-" + sel.To.Format(time.DateOnly)
	}
	return name
}

// editionDate is the day printed on a book's cover: today, or the day of
// SOURCE_DATE_EPOCH when it is set, for reproducible books.
func editionDate() time.Time {
	now := time.Now()
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
			now = time.Unix(sec, 0).UTC()
		}
	}
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// writeFile writes data to path through a temporary file in the same
// folder, so that a PDF on disk is always complete.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// progress shows one line of progress on a terminal, rewritten in place,
// and nothing when the output is not a terminal (a log, a pipe, a test).
type progress struct {
	w           io.Writer // nil when quiet
	done, total int
}

func newProgress(w io.Writer) *progress {
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return &progress{w: w}
		}
	}
	return &progress{}
}

// start begins counting total documents; 0 means one document, shown with
// status lines only.
func (p *progress) start(total int) {
	p.done, p.total = 0, total
	if total > 1 {
		p.status(fmt.Sprintf("printing %d documents", total))
	}
}

// step counts one document done; the caller serializes calls.
func (p *progress) step(name string) {
	p.done++
	if p.total > 1 {
		p.status(fmt.Sprintf("printed %d of %d: %s", p.done, p.total, name))
	}
}

func (p *progress) status(line string) {
	if p.w != nil {
		fmt.Fprintf(p.w, "\r%s\x1b[K", line)
	}
}

// end clears the line.
func (p *progress) end() {
	if p.w != nil {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
