package serve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/browsertest"

	"github.com/chromedp/chromedp"
)

// browser opens a headless Chromium tab (see internal/browsertest).
func browser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Tab(t, 1280, 900)
}

// run runs browser actions, failing the test after waitLimit.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, waitLimit)
	defer cancel()
	if err := chromedp.Do(tctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// until waits for a JavaScript condition to hold in the page. It asks
// again and again rather than with chromedp.Poll, which fails when the
// page reloads while it waits, as these pages do.
func until(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	var last error
	for time.Now().Before(deadline) {
		tctx, cancel := context.WithTimeout(ctx, time.Second)
		ok, err := chromedp.Run(tctx, chromedp.Evaluate[bool]("Boolean("+js+")"))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("waited in vain until %s (last error: %v)", what, last)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, waitLimit)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// connected is true once the page's live-reload client has its stream.
const connected = `document.querySelector('script[data-server]')?.dataset.connected === "1"`

// TestBrowserLiveReload drives a real headless Chromium through what the
// issue asks: an edited briefing shows its new text without a manual
// reload; a theme CSS change restyles the page without reloading it; a
// broken front matter shows an overlay naming the file and line, which
// goes when the file is fixed; a deleted briefing sends its page to the
// briefings list; a restarted server makes the page reload.
func TestServeBrowserLiveReload(t *testing.T) {
	ctx := browser(t)
	dir := writeSite(t, testSite)
	r := start(t, dir, "127.0.0.1:0")
	visit := "content/briefings/2023-09-13-visit.md"

	run(t, ctx, "open the briefing", chromedp.Navigate(r.url+"/briefings/visit/"))
	until(t, ctx, "the live-reload client connects", connected)
	if text := eval[string](t, ctx, `document.body.innerText`); !strings.Contains(text, "The weather was fine.") {
		t.Fatalf("page text:\n%s", text)
	}

	// 1. The Markdown changes on disk; the new text appears.
	write(t, dir, visit, strings.Replace(testSite[visit], "was fine", "was splendid", 1))
	until(t, ctx, "the new text appears", `document.body.innerText.includes("The weather was splendid.")`)
	until(t, ctx, "the reloaded page connects", connected)

	// 2. The theme CSS changes; the style changes, the page stays.
	eval[bool](t, ctx, `window.__kept = true`)
	if bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(255, 255, 255)" {
		t.Fatalf("background before: %s", bg)
	}
	write(t, dir, "themes/default/static/style.css", "body { background-color: rgb(1, 2, 3); }\n")
	until(t, ctx, "the new style applies", `getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)"`)
	if !eval[bool](t, ctx, `window.__kept === true`) {
		t.Error("the page reloaded for a CSS change")
	}

	// 3. Broken front matter: an overlay names the file and the line.
	write(t, dir, visit, strings.Replace(testSite[visit], "title: The Visit", "title: [The Visit", 1))
	until(t, ctx, "the error overlay appears", `document.getElementById("_dossier-errors") !== null`)
	overlay := eval[string](t, ctx, `document.getElementById("_dossier-errors").innerText`)
	if !errorLine.MatchString(overlay[strings.Index(overlay, "content/"):]) {
		t.Errorf("overlay does not name the file and line:\n%s", overlay)
	}
	if !eval[bool](t, ctx, `window.__kept === true`) {
		t.Error("the page reloaded for a failed build")
	}

	// 4. Fixed: the overlay goes.
	write(t, dir, visit, strings.Replace(testSite[visit], "was fine", "was splendid", 1))
	until(t, ctx, "the overlay goes", `document.getElementById("_dossier-errors") === null`)

	// 5. The briefing is deleted: its page goes to the briefings list.
	if err := os.Remove(filepath.Join(dir, visit)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the page goes to its list", `location.pathname === "/briefings/" && document.body.innerText.includes("Later Talks")`)
	until(t, ctx, "the list page connects", connected)

	// 6. The server restarts on the same address: the page reloads.
	eval[bool](t, ctx, `window.__old = true`)
	oldID := r.id
	r.stop()
	r2 := start(t, dir, strings.TrimPrefix(r.url, "http://"))
	until(t, ctx, "the page reloads from the new server",
		`window.__old === undefined && document.querySelector('script[data-server]')?.dataset.server === "`+r2.id+`"`)
	if r2.id == oldID {
		t.Error("the restarted server has the old id")
	}
}
