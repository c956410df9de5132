package search_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/browsertest"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/search"
)

// The browser tests open the search page of the worked example (the
// repository's own content/) in headless Chromium, from disk and over
// HTTP. They skip when Chromium is missing, except in CI (CI=true), where a
// missing browser must not pass silently.

// browser starts Chromium and returns a tab's context, with a deadline
// for the whole test.
func browser(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(browsertest.Tab(t, 1280, 900), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// example builds the worked example into a new folder.
func example(t *testing.T, offline bool) (dir string, ix *search.Index) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "public")
	_, err := build.Build(context.Background(), build.Options{Source: "../..", Dest: dir, Offline: offline})
	if err != nil {
		t.Fatalf("build the example: %v", err)
	}
	// The Go reference index of the same content, loaded again: the
	// build's own site keeps its HTML in a spool it has closed.
	m, err := build.Load(context.Background(), os.DirFS("../.."), false)
	if err != nil {
		t.Fatal(err)
	}
	ix, err = render.SearchIndex(context.Background(), m.Site)
	if err != nil {
		t.Fatal(err)
	}
	return dir, ix
}

// kozlovBriefings are the pages of the example's briefings that mention
// Alexander Kozlov, as the built entity page lists them.
func kozlovBriefings(t *testing.T, dir string) []string {
	t.Helper()
	res, err := build.Load(context.Background(), os.DirFS("../.."), false)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range res.Site.Entities {
		if e.Slug == "alexander-kozlov" {
			for _, a := range e.Appearances {
				out = append(out, render.PathOf(a.Briefing))
			}
		}
	}
	slices.Sort(out)
	if len(out) < 2 {
		t.Fatalf("the example has %d briefings that mention Kozlov; the test wants at least 2", len(out))
	}
	return out
}

type shown struct {
	Status  string   `json:"status"`
	URL     string   `json:"url"`
	Results []result `json:"results"`
	Loaded  []string `json:"loaded"`
}

type result struct {
	Kind    string   `json:"kind"`
	Title   string   `json:"title"`
	Href    string   `json:"href"`
	Snippet string   `json:"snippet"`
	Marks   []string `json:"marks"`
}

// readResults waits for the results of the current query and reads them.
const readResults = `(() => {
  const list = document.getElementById("_search-results");
  return {
    status: document.getElementById("_search-status").textContent,
    url: location.href,
    results: Array.from(list.querySelectorAll(".search-result")).map(li => ({
      kind: li.querySelector(".search-result-kind").textContent,
      title: li.querySelector(".search-result-title").textContent,
      href: li.querySelector(".search-result-title a").href,
      snippet: (li.querySelector(".search-snippet") || {}).textContent || "",
      marks: Array.from(li.querySelectorAll(".search-snippet mark")).map(m => m.textContent),
    })),
    loaded: performance.getEntriesByType("resource").map(e => e.name),
  };
})()`

func query(t *testing.T, ctx context.Context, pageURL, wantStatus string) shown {
	t.Helper()
	var s shown
	err := chromedp.Do(ctx,
		chromedp.Navigate(pageURL),
		chromedp.Poll[chromedp.Void](`document.getElementById("_search-status").textContent.includes(`+jsString(wantStatus)+`)`,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			var err error
			s, err = chromedp.Evaluate[shown](readResults)(ctx, tg)
			return err
		}),
	)
	if err != nil {
		t.Fatalf("open %s: %v", pageURL, err)
	}
	return s
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// checkKozlov holds the results of ?q=Kozlov to the acceptance test: every
// briefing that mentions Alexander Kozlov is found, with "Kozlov" marked in
// its snippet, in the order the Go side ranks them.
func checkKozlov(t *testing.T, s shown, base string, ix *search.Index, briefings []string, offline bool) {
	t.Helper()
	var found []string
	for _, r := range s.Results {
		if r.Kind != "Briefing" {
			continue
		}
		rel := strings.TrimPrefix(r.Href, base)
		if offline {
			rel = strings.TrimSuffix(rel, "index.html")
		}
		found = append(found, rel)
		if !slices.ContainsFunc(r.Marks, func(m string) bool { return strings.EqualFold(m, "Kozlov") }) {
			t.Errorf("%s: snippet %q has no highlighted Kozlov (marks %q)", r.Title, r.Snippet, r.Marks)
		}
	}
	slices.Sort(found)
	if !slices.Equal(found, briefings) {
		t.Errorf("briefings found for Kozlov = %v, want %v\nstatus: %s", found, briefings, s.Status)
	}
	// The browser ranks as the Go reference does.
	want := ix.Search("Kozlov", "")
	if len(s.Results) != min(len(want.Results), search.ResultsPage) {
		t.Errorf("%d results shown, Go finds %d", len(s.Results), len(want.Results))
	}
	if !strings.Contains(s.Status, " results for “Kozlov”") {
		t.Errorf("status = %q", s.Status)
	}
	for _, f := range s.Loaded {
		if !strings.HasPrefix(f, base) {
			t.Errorf("the search page loaded %s, outside the site", f)
		}
	}
}

func TestSearchFromDisk(t *testing.T) {
	dir, ix := example(t, true)
	briefings := kozlovBriefings(t, dir)
	ctx := browser(t)
	base := (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/"}).String()

	s := query(t, ctx, base+"search/index.html?q=Kozlov", "Kozlov")
	checkKozlov(t, s, base, ix, briefings, true)
	if len(s.Results) == 0 || s.Results[0].Title != "Alexander Kozlov" {
		t.Errorf("the entity named Kozlov is not the first result: %+v", s.Results)
	}
	for _, r := range s.Results {
		if !strings.HasSuffix(r.Href, "/index.html") {
			t.Errorf("offline result link %s does not name index.html", r.Href)
		}
	}

	// The header box of any page leads to the search page with ?q=.
	var status string
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"entities/index.html"),
		chromedp.SetValue(chromedp.CSS("#_site-q"), "Kozhemyako"),
		// Submit after the evaluation has returned: the navigation ends
		// the page it runs in.
		chromedp.Evaluate[chromedp.Void](`setTimeout(() => document.querySelector(".site-search").requestSubmit(), 0)`),
		chromedp.WaitVisible(chromedp.CSS("#_search-results .search-result")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
			status, err = chromedp.Text(chromedp.CSS("#_search-status"))(ctx, tg)
			return err
		}),
	)
	if err != nil {
		t.Fatalf("search from the header box: %v", err)
	}
	if !strings.Contains(status, "for “Kozhemyako”") {
		t.Errorf("status after the header search = %q", status)
	}

	// Typing keeps the address in step, from disk too.
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById("_q").value = ""`),
		chromedp.SendKeys(chromedp.CSS("#_q"), "pyong"),
		chromedp.Poll[chromedp.Void](`document.getElementById("_search-status").textContent.includes("“pyong”")`,
			chromedp.WithPollingTimeout(20*time.Second)),
	)
	if err != nil {
		t.Fatal(err)
	}
	search, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
	if err != nil {
		t.Fatal(err)
	}
	if search != "?q=pyong" {
		t.Errorf("after typing, the address has %q, want ?q=pyong", search)
	}
}

func TestSearchOverHTTP(t *testing.T) {
	dir, ix := example(t, false)
	briefings := kozlovBriefings(t, dir)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir))) // listens on 127.0.0.1
	defer srv.Close()
	ctx := browser(t)
	base := srv.URL + "/"

	s := query(t, ctx, base+"search/?q=Kozlov", "Kozlov")
	checkKozlov(t, s, base, ix, briefings, false)

	// Typing: a word being typed matches as a prefix, the address follows
	// the query, a kind filter narrows the list, and the arrow key moves
	// from the box to the first result.
	var got struct {
		URL     string   `json:"url"`
		Kinds   []string `json:"kinds"`
		Focused string   `json:"focused"`
		Live    string   `json:"live"`
	}
	err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById("_q").value = ""`),
		chromedp.SendKeys(chromedp.CSS("#_q"), "kozh"),
		chromedp.Poll[chromedp.Void](`document.getElementById("_search-status").textContent.includes("“kozh”")`,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Click(chromedp.CSS(`input[name="kind"][value="entity"]`)),
		chromedp.Poll[chromedp.Void](`location.search.includes("kind=entity")`, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Focus(chromedp.CSS("#_q")),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			v, err := chromedp.Evaluate[struct {
				URL     string   `json:"url"`
				Kinds   []string `json:"kinds"`
				Focused string   `json:"focused"`
				Live    string   `json:"live"`
			}](`({url: location.search,
			    kinds: Array.from(document.querySelectorAll(".search-result-kind")).map(k => k.textContent),
			    focused: document.activeElement.closest(".search-result") ? document.activeElement.textContent : "",
			    live: document.getElementById("_search-status").getAttribute("aria-live")})`)(ctx, tg)
			got = v
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL != "?q=kozh&kind=entity" {
		t.Errorf("address = %q, want ?q=kozh&kind=entity", got.URL)
	}
	if len(got.Kinds) == 0 || slices.ContainsFunc(got.Kinds, func(k string) bool { return k != "Entity" }) {
		t.Errorf("kinds shown with the entity filter: %v", got.Kinds)
	}
	if got.Focused != "Oleg Kozhemyako" {
		t.Errorf("after ArrowDown the focus is on %q, want the first result", got.Focused)
	}
	if got.Live != "polite" {
		t.Errorf("the result count is not announced (aria-live %q)", got.Live)
	}
}

// TestSearchPageWithoutJavaScript: the page says that search needs
// JavaScript and links to the lists, and hides the form it cannot serve.
func TestSearchPageWithoutJavaScript(t *testing.T) {
	dir, _ := example(t, false)
	raw, err := os.ReadFile(filepath.Join(dir, "search", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(raw)
	i, j := strings.Index(page, "<noscript>"), strings.Index(page, "</noscript>")
	if i < 0 || j < i {
		t.Fatal("the search page has no <noscript> message")
	}
	ns := page[i:j]
	for _, want := range []string{"Search needs JavaScript", `href="../briefings/"`, `href="../topics/"`, `href="../entities/"`} {
		if !strings.Contains(ns, want) {
			t.Errorf("the <noscript> message lacks %s", want)
		}
	}
	if !strings.Contains(page, `<form class="search-form" role="search"`) || !strings.Contains(page, "hidden>") {
		t.Error("the search form is not hidden until the script shows it")
	}
}
