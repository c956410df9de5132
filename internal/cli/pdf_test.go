package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/corpus"
	"github.com/dossier-dev/dossier/internal/pdf"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/site"
)

// exampleSite is the worked example at the root of the repository.
const exampleSite = "../.."

// needPrintTools skips a test that needs Chromium and poppler-utils when
// they are missing on a developer's machine, and fails it in CI, so that a
// missing browser can never pass silently.
func needPrintTools(t testing.TB) {
	t.Helper()
	_, err := pdf.FindBrowser("")
	for _, tool := range []string{"pdftotext", "pdfinfo", "pdftohtml"} {
		if err == nil {
			_, err = exec.LookPath(tool)
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must have Chromium and poppler-utils: %v", err)
		}
		t.Skipf("needs Chromium and poppler-utils: %v", err)
	}
}

// dossier runs the command line and fails the test unless it exits 0.
func dossier(t testing.TB, args ...string) (stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	if code := Main(args, &o, &e); code != 0 {
		t.Fatalf("dossier %s: exit %d\n%s%s", strings.Join(args, " "), code, o.String(), e.String())
	}
	return o.String(), e.String()
}

func loadSite(t *testing.T, dir string) *site.Site {
	t.Helper()
	m, err := build.Load(context.Background(), os.DirFS(dir), false)
	if err != nil {
		t.Fatal(err)
	}
	return m.Site
}

// pageCount is the page count pdfinfo reads.
func pageCount(t *testing.T, file string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", file, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count in\n%s", file, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pageText is the text of one page (0: the whole document), in reading order.
func pageText(t *testing.T, file string, page int, layout bool) string {
	t.Helper()
	args := []string{"-enc", "UTF-8"}
	if page > 0 {
		args = append(args, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	}
	if layout {
		args = append(args, "-layout")
	}
	out, err := exec.Command("pdftotext", append(args, file, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", file, err)
	}
	return string(out)
}

// pageSizes are the sizes pdfinfo reads, one per page, in points.
func pageSizes(t *testing.T, file string, pages int) []string {
	t.Helper()
	out, err := exec.Command("pdfinfo", "-f", "1", "-l", strconv.Itoa(pages), file).Output()
	if err != nil {
		t.Fatal(err)
	}
	var sizes []string
	for _, m := range regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`).FindAllSubmatch(out, -1) {
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		sizes = append(sizes, fmt.Sprintf("%.0f×%.0f", w, h))
	}
	return sizes
}

// outline is the PDF's bookmarks, one "depth page title" line each, as
// poppler's pdftohtml reads them.
func outline(t *testing.T, file string) []string {
	t.Helper()
	out, err := exec.Command("pdftohtml", "-xml", "-i", "-stdout", "-q", file).Output()
	if err != nil {
		t.Fatalf("pdftohtml %s: %v", file, err)
	}
	var lines []string
	depth := 0
	for _, tok := range regexp.MustCompile(`<outline>|</outline>|<item page="(\d+)">([^<]*)</item>`).FindAllSubmatch(out, -1) {
		switch string(tok[0]) {
		case "<outline>":
			depth++
		case "</outline>":
			depth--
		default:
			lines = append(lines, fmt.Sprintf("%d %s %s", depth, tok[1], strings.TrimSpace(html(string(tok[2])))))
		}
	}
	return lines
}

func html(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'").Replace(s)
}

// words collapses runs of white space, so that text a line break split
// still matches.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// navigation is the screen chrome of every page, none of which may print:
// whole lines for single words (a briefing may use the word in a sentence),
// anywhere for phrases.
var (
	navLines   = []string{"Briefings", "Topics", "Entities", "Timeline", "About", "Search"}
	navPhrases = []string{"Skip to content", "Search the briefings", "Atom feed", "Built with Dossier",
		"Related briefings", "View in briefing", "All briefings →", "In common:"}
)

func TestPDFExampleBriefings(t *testing.T) {
	needPrintTools(t)
	out := t.TempDir()
	stdout, _ := dossier(t, "pdf", "-s", exampleSite, "-o", out)
	s := loadSite(t, exampleSite)
	if want := fmt.Sprintf("printed %d PDFs", len(s.Briefings)); !strings.HasPrefix(stdout, want) {
		t.Errorf("stdout = %q, want it to start %q", stdout, want)
	}
	for _, b := range s.Briefings {
		t.Run(b.Slug, func(t *testing.T) {
			file := filepath.Join(out, b.Slug+".pdf")
			n := pageCount(t, file)
			marking := strings.ToUpper(b.Classification)
			if marking == "" {
				t.Fatal("the example's briefings all carry a marking; this test expects one")
			}
			total := 0
			for p := 1; p <= n; p++ {
				text := pageText(t, file, p, false)
				if c := strings.Count(text, marking); c != 2 {
					t.Errorf("page %d: banner %q %d times, want 2 (top and bottom)", p, marking, c)
				}
				total += strings.Count(text, marking)
				if want := fmt.Sprintf("Page %d of %d", p, n); !strings.Contains(text, want) {
					t.Errorf("page %d: no %q", p, want)
				}
			}
			if total != 2*n {
				t.Errorf("banner %d times in %d pages, want %d", total, n, 2*n)
			}

			all := pageText(t, file, 0, false)
			if !strings.Contains(words(all), b.Title) {
				t.Errorf("title %q not in the text", b.Title)
			}
			flat := strings.Join(strings.Fields(all), "")
			for _, src := range b.Sources {
				if src.URL != "" && !strings.Contains(flat, src.URL) {
					t.Errorf("source URL %s not printed", src.URL)
				}
			}
			for _, line := range strings.Split(all, "\n") {
				if slices.Contains(navLines, strings.TrimSpace(line)) {
					t.Errorf("navigation printed: %q", line)
				}
			}
			for _, nav := range navPhrases {
				if strings.Contains(words(all), nav) {
					t.Errorf("navigation printed: %q", nav)
				}
			}

			info, err := exec.Command("pdfinfo", file).Output()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(info), "Title:") || !strings.Contains(string(info), b.Title) {
				t.Errorf("PDF metadata has no title %q:\n%s", b.Title, info)
			}
		})
	}
}

// contentsPage finds the page number the contents give for a line title.
func contentsPage(t *testing.T, contents, title string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(title) + `\s+(\d+)\s*$`).FindStringSubmatch(contents)
	if m == nil {
		t.Fatalf("the contents have no line for %q:\n%s", title, contents)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestPDFBookOfTheExample(t *testing.T) {
	needPrintTools(t)
	out := t.TempDir()
	stdout, _ := dossier(t, "pdf", "--book", "-s", exampleSite, "-o", out)
	file := filepath.Join(out, "book.pdf")
	if !strings.HasPrefix(stdout, "printed "+file) {
		t.Errorf("stdout = %q, want it to name %s", stdout, file)
	}
	s := loadSite(t, exampleSite)
	bs, err := render.Selection{}.Briefings(s)
	if err != nil {
		t.Fatal(err)
	}
	n := pageCount(t, file)
	cover := words(pageText(t, file, 1, false))
	var marks []string
	for _, b := range bs {
		marks = append(marks, b.Classification)
	}
	for _, want := range []string{s.Config.Title, "BRIEFING BOOK", "Edition", fmt.Sprintf("%d briefings", len(bs)),
		strings.ToUpper(render.HighestMarking(marks))} {
		if !strings.Contains(cover, want) {
			t.Errorf("cover has no %q: %s", want, cover)
		}
	}

	contents := pageText(t, file, 2, true)
	if !strings.Contains(contents, "Contents") {
		t.Fatalf("page 2 is not the contents:\n%s", contents)
	}
	prev := 2
	var starts []int
	for i, b := range bs {
		p := contentsPage(t, contents, b.Title)
		starts = append(starts, p)
		if p <= prev || p > n {
			t.Errorf("%s starts on page %d, after page %d and within %d pages?", b.Slug, p, prev, n)
			continue
		}
		prev = p
		// The page the contents give is where the briefing starts: its
		// header is there, and the page before belongs to something else.
		text := words(pageText(t, file, p, false))
		head := fmt.Sprintf("BRIEFING %d OF %d", i+1, len(bs))
		if !strings.Contains(text, head) || !strings.Contains(text, b.Title) {
			t.Errorf("page %d, where the contents say %q starts, has no %q and title: %s", p, b.Title, head, text)
		}
		if before := words(pageText(t, file, p-1, false)); strings.Contains(before, head) {
			t.Errorf("page %d, before %q's start, has its header already", p-1, b.Title)
		}
		// Its pages carry its own marking, top and bottom.
		if c := strings.Count(text, strings.ToUpper(b.Classification)); c != 2 {
			t.Errorf("page %d: marking %q %d times, want 2", p, b.Classification, c)
		}
	}
	for p := 1; p <= n; p++ {
		if want := fmt.Sprintf("Page %d of %d", p, n); !strings.Contains(pageText(t, file, p, false), want) {
			t.Errorf("page %d: no %q", p, want)
		}
	}

	// Bookmarks: the contents, then every briefing with its sections.
	var want []string
	want = append(want, "1 2 Contents")
	for i, b := range bs {
		want = append(want, fmt.Sprintf("1 %d %s", starts[i], b.Title))
		for _, sec := range b.Sections[1:] {
			want = append(want, "2 "+sec.Title)
		}
	}
	got := outline(t, file)
	var gotFlat []string
	for _, line := range got {
		f := strings.SplitN(line, " ", 3)
		if f[0] == "2" {
			gotFlat = append(gotFlat, "2 "+f[2]) // a section's page is not checked
		} else {
			gotFlat = append(gotFlat, line)
		}
	}
	if !slices.Equal(gotFlat, want) {
		t.Errorf("bookmarks:\n%s\nwant:\n%s", strings.Join(gotFlat, "\n"), strings.Join(want, "\n"))
	}
}

func TestPDFBookOfATopicsSections(t *testing.T) {
	needPrintTools(t)
	out := t.TempDir()
	dossier(t, "pdf", "--book", "--topic", "sanctions", "-s", exampleSite, "-o", out)
	file := filepath.Join(out, "book-sanctions.pdf")
	s := loadSite(t, exampleSite)
	topic, err := render.FindTopic(s, "Sanctions")
	if err != nil {
		t.Fatal(err)
	}
	cover := words(pageText(t, file, 1, false))
	if !strings.Contains(cover, "Every section on Sanctions") {
		t.Errorf("cover does not say what the book holds: %s", cover)
	}
	contents := pageText(t, file, 2, true)
	for _, sec := range topic.Sections {
		p := contentsPage(t, contents, sec.Title)
		if text := words(pageText(t, file, p, false)); !strings.Contains(text, sec.Title) {
			t.Errorf("section %q is not on page %d, as the contents say", sec.Title, p)
		}
	}
	// Only the topic's sections are printed.
	all := words(pageText(t, file, 0, false))
	for _, b := range s.Briefings {
		for _, sec := range b.Sections[1:] {
			if !slices.Contains(sec.Topics, topic) && strings.Contains(all, sec.Title) && !strings.Contains(sec.Title, "Sanctions") {
				t.Errorf("section %q of %s is not about Sanctions but was printed", sec.Title, b.Slug)
			}
		}
	}
}

func TestPDFSelectsByTopicAndDate(t *testing.T) {
	needPrintTools(t)
	out := t.TempDir()
	dossier(t, "pdf", "-s", exampleSite, "-o", out, "--topic", "Sanctions", "--from", "2024-01-01")
	s := loadSite(t, exampleSite)
	topic, _ := render.FindTopic(s, "Sanctions")
	var want []string
	for _, b := range s.Briefings {
		if slices.Contains(b.Topics, topic) && !b.Date.Before(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
			want = append(want, b.Slug+".pdf")
		}
	}
	slices.Sort(want)
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("printed %v, want %v", got, want)
	}
}

// writeSite writes a small site: one briefing per body, and dossier.toml.
func writeSite(t *testing.T, toml string, bodies ...string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"dossier.toml": toml}
	for i, body := range bodies {
		files[fmt.Sprintf("content/briefings/2024-01-%02d-b%d/index.md", i+1, i+1)] = fmt.Sprintf(
			"---\ntitle: Briefing %d\ndate: 2024-01-%02d\nsources:\n  - title: A source\n    url: https://example.org/%d\n---\n%s\n",
			i+1, i+1, i+1, body)
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestPDFPaper(t *testing.T) {
	needPrintTools(t)
	long := strings.Repeat("A paragraph of a briefing that goes on long enough to fill pages. ", 120)
	for _, tc := range []struct{ toml, want string }{
		{`classification = "SECRET"`, "595×842"}, // A4 is the default
		{"classification = \"SECRET\"\n[print]\npaper = \"Letter\"", "612×792"},
	} {
		dir := writeSite(t, tc.toml, "## One\n\n"+long, "## Two\n\n"+long)
		out := t.TempDir()
		dossier(t, "pdf", "-s", dir, "-o", out)
		dossier(t, "pdf", "--book", "-s", dir, "-o", out)
		for _, name := range []string{"b1.pdf", "b2.pdf", "book.pdf"} {
			file := filepath.Join(out, name)
			n := pageCount(t, file)
			if n < 2 {
				t.Errorf("%s: %d page, want several", name, n)
			}
			for i, size := range pageSizes(t, file, n) {
				if size != tc.want {
					t.Errorf("%s (%s) page %d: %s pt, want %s", name, tc.toml, i+1, size, tc.want)
				}
			}
		}
	}
}

func TestPDFFailsWhenAFileFailsToLoad(t *testing.T) {
	needPrintTools(t)
	dir := writeSite(t, "", "Fine.", "A map: ![map](map.png)")
	out := t.TempDir()
	var o, e bytes.Buffer
	if code := Main([]string{"pdf", "-s", dir, "-o", out}, &o, &e); code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, o.String(), e.String())
	}
	if !strings.Contains(e.String(), "briefing b2") || !strings.Contains(e.String(), "map.png: 404") {
		t.Errorf("stderr does not name the briefing and the missing file:\n%s", e.String())
	}
	// The briefing that printed is there; the broken one left no file.
	if _, err := os.Stat(filepath.Join(out, "b1.pdf")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(out, "b2.pdf")); !os.IsNotExist(err) {
		t.Errorf("b2.pdf: %v, want no file", err)
	}
}

// BenchmarkPDF reports seconds per PDF for whole runs of `dossier pdf`
// (loading the site, starting Chromium, printing, writing): one PDF per
// briefing for a 100-briefing site, and a book of the same 100 briefings,
// which is printed twice to fill in its contents' page numbers.
func BenchmarkPDF(b *testing.B) {
	needPrintTools(b)
	dir := filepath.Join(b.TempDir(), "site")
	if err := corpus.Write(dir, corpus.Options{Briefings: 100, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	b.Run("briefings", func(b *testing.B) {
		out := b.TempDir()
		for b.Loop() {
			dossier(b, "pdf", "-s", dir, "-o", out)
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N*100), "s/pdf")
	})
	b.Run("book-100", func(b *testing.B) {
		out := b.TempDir()
		for b.Loop() {
			dossier(b, "pdf", "--book", "-s", dir, "-o", out)
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/pdf")
	})
}

func TestPrintProgressOnlyOnATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf) // a buffer is not a terminal
	p.start(3)
	p.step("a")
	p.status("working")
	p.end()
	if buf.Len() != 0 {
		t.Errorf("not a terminal, but wrote %q", buf.String())
	}

	p = &progress{w: &buf} // as newProgress makes it for a terminal
	p.start(2)
	p.step("a")
	p.step("b")
	p.end()
	if want := "\rprinting 2 documents\x1b[K\rprinted 1 of 2: a\x1b[K\rprinted 2 of 2: b\x1b[K\r\x1b[K"; buf.String() != want {
		t.Errorf("wrote %q, want %q", buf.String(), want)
	}
	buf.Reset()
	p.start(1) // one document: no count
	p.step("a")
	p.end()
	if want := "\r\x1b[K"; buf.String() != want {
		t.Errorf("one document: wrote %q, want %q", buf.String(), want)
	}
}
