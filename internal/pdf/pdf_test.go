package pdf

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// needBrowser returns the browser to print with. Without one (or without
// poppler's pdfinfo, which checks what the browser wrote) the test skips on
// a developer's machine and fails in CI, so that a missing browser can
// never pass silently.
func needBrowser(t testing.TB) string {
	t.Helper()
	browser, err := FindBrowser("")
	if err == nil {
		_, err = exec.LookPath("pdfinfo")
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must have Chromium and poppler-utils: %v", err)
		}
		t.Skipf("needs Chromium and poppler-utils: %v", err)
	}
	return browser
}

func TestFindBrowser(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "chromium")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "google-chrome")
	if err := os.WriteFile(other, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}

	t.Setenv("PATH", dir)
	t.Setenv(EnvBrowser, "")
	if got, err := FindBrowser(""); err != nil || got != fake {
		t.Errorf("on PATH: got %q, %v; want %q (chromium before google-chrome)", got, err, fake)
	}
	t.Setenv(EnvBrowser, other)
	if got, err := FindBrowser(""); err != nil || got != other {
		t.Errorf("DOSSIER_CHROME: got %q, %v; want %q", got, err, other)
	}
	if got, err := FindBrowser(fake); err != nil || got != fake {
		t.Errorf("--chrome over DOSSIER_CHROME: got %q, %v; want %q", got, err, fake)
	}
	if _, err := FindBrowser(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "--chrome") {
		t.Errorf("missing --chrome: got %v, want an error naming --chrome", err)
	}

	t.Setenv(EnvBrowser, "")
	t.Setenv("PATH", "")
	_, err := FindBrowser("")
	if !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Errorf("nothing found: got %v, want ErrNoBrowser with the install command", err)
	}
}

func TestInspectRejectsWhatIsNotAPDF(t *testing.T) {
	for _, data := range []string{"", "<html>", "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"} {
		if n, err := PageCount([]byte(data)); err == nil {
			t.Errorf("PageCount(%q) = %d, want an error", data, n)
		}
		if _, err := Destinations([]byte(data)); err == nil {
			t.Errorf("Destinations(%q): want an error", data)
		}
	}
}

// testSite has a document of three pages with links to ids on the second
// and third, and pages that fail to load in different ways.
var testSite = fstest.MapFS{
	"doc/index.html": {Data: []byte(`<!doctype html><html><head><meta charset="utf-8">
<title>Three pages</title><link rel="stylesheet" href="../style.css"></head><body>
<p><a href="#second">second</a> <a href="#third-ü">third</a> <a href="../other/">elsewhere</a></p>
<h1 id="second" class="new">Second</h1>
<h1 id="third-ü" class="new">Third</h1>
</body></html>`)},
	"style.css":               {Data: []byte(`@page { size: A5; margin: 1cm } .new { break-before: page }`)},
	"other/index.html":        {Data: []byte(`<!doctype html><title>Other</title>`)},
	"broken-css/index.html":   {Data: []byte(`<!doctype html><title>x</title><link rel="stylesheet" href="missing.css"><p>text`)},
	"broken-img/index.html":   {Data: []byte(`<!doctype html><title>x</title><p><img src="missing.png" alt="">`)},
	"external-img/index.html": {Data: []byte(`<!doctype html><title>x</title><p><img src="http://192.0.2.1:9/x.png" alt="">`)},
}

func TestPrint(t *testing.T) {
	browser := needBrowser(t)
	srv, err := Serve(testSite)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	p, err := Start(ctx, Options{Browser: browser, Tabs: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	doc, err := p.Print(ctx, srv.URL+"/doc/")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, doc.PDF, 0o644); err != nil {
		t.Fatal(err)
	}
	info := pdfinfo(t, file)
	if want := "3"; doc.Pages != 3 || info["Pages"] != want {
		t.Errorf("pages: Print says %d, pdfinfo says %s; want 3", doc.Pages, info["Pages"])
	}
	if info["Title"] != "Three pages" {
		t.Errorf("PDF title = %q, want the page's <title>", info["Title"])
	}
	// CSS page size wins (A5 is 420 × 595 pt), not the browser's Letter.
	if !strings.HasPrefix(info["Page size"], "419.") && !strings.HasPrefix(info["Page size"], "420") {
		t.Errorf("page size = %q, want A5 from @page", info["Page size"])
	}

	dests, err := Destinations(doc.PDF)
	if err != nil {
		t.Fatal(err)
	}
	if dests["second"] != 2 || dests["third-ü"] != 3 {
		t.Errorf("destinations = %v, want second on 2 and third-ü on 3", dests)
	}
	// The same, as poppler reads them.
	out, err := exec.Command("pdfinfo", "-dests", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)^\s*(\d+) .*"([^"]+)"$`).FindAllStringSubmatch(string(out), -1) {
		page, _ := strconv.Atoi(m[1])
		name, err := url.PathUnescape(m[2])
		if err != nil {
			t.Fatal(err)
		}
		if dests[name] != page {
			t.Errorf("destination %q: poppler says page %d, Destinations says %d", name, page, dests[name])
		}
	}

	// Several documents at once share the tabs.
	errs := make(chan error, 4)
	for range 4 {
		go func() { _, err := p.Print(ctx, srv.URL+"/other/"); errs <- err }()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestPrintFailsWhenAnythingFailsToLoad(t *testing.T) {
	browser := needBrowser(t)
	srv, err := Serve(testSite)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	p, err := Start(ctx, Options{Browser: browser, Tabs: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// Whether Chromium reports a missing style sheet or image by its 404 or
	// by the "net::ERR_ABORTED" of the request it then cancels depends on
	// the order of its events; either way the file must be named.
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/missing/", []string{"404"}},
		{"/broken-css/", []string{"missing.css: 404", "missing.css: net::ERR_ABORTED"}},
		{"/broken-img/", []string{"missing.png: 404", "missing.png: net::ERR_ABORTED"}},
		{"/external-img/", []string{"192.0.2.1"}},
	} {
		doc, err := p.Print(ctx, srv.URL+tc.path)
		if err == nil || !slices.ContainsFunc(tc.want, func(w string) bool { return strings.Contains(err.Error(), w) }) {
			t.Errorf("%s: got %v (%v), want an error with one of %q", tc.path, err, doc != nil, tc.want)
		}
	}
	// The browser's own request for /favicon.ico is not the page's.
	if _, err := p.Print(ctx, srv.URL+"/other/"); err != nil {
		t.Errorf("no favicon: %v", err)
	}
	resp, err := http.Get(srv.URL + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("GET /favicon.ico: %s, want 204", resp.Status)
	}
	// The tab still works afterwards.
	if _, err := p.Print(ctx, srv.URL+"/other/"); err != nil {
		t.Errorf("after failures: %v", err)
	}
}

func pdfinfo(t *testing.T, file string) map[string]string {
	t.Helper()
	out, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", file, err)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}
