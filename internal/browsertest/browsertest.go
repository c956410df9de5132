// Package browsertest starts headless Chromium for the tests that need a
// real browser (search, graph labels, live reload). It is imported only by
// tests. A missing browser skips the test on a developer's machine and fails
// it in CI (CI=true), so that a browser test can never pass silently.
package browsertest

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dossier-dev/dossier/internal/pdf"
)

// Path returns the browser the tests use, found as `dossier pdf` finds it
// (DOSSIER_CHROME, then chromium-headless-shell, chromium, google-chrome).
func Path(t testing.TB) string {
	t.Helper()
	path, err := pdf.FindBrowser("")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true requires Chromium (apt-get install -y chromium): %v", err)
		}
		t.Skipf("needs Chromium: %v", err)
	}
	return path
}

// Tab starts a fresh headless Chromium with a window of the given size and
// returns the context of its first tab. The browser starts on a context
// without a deadline (NOTES.md): callers put timeouts around their actions.
// The browser is closed when the test ends.
func Tab(t testing.TB, width, height int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path(t)),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// These machines have no network: keep Chromium from trying.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}
