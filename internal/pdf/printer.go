// Package pdf prints web pages to PDF with headless Chromium, driven by
// chromedp, and reads back from the files what a caller needs (page count,
// named destinations). It serves the pages itself, over HTTP on 127.0.0.1,
// and knows nothing about briefings.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Options configure a Printer.
type Options struct {
	// Browser is the path of a Chromium or Chrome binary (see FindBrowser).
	Browser string
	// Tabs is how many documents print at once, each in a reused tab;
	// 0 means one per CPU.
	Tabs int
	// Timeout limits the loading and printing of one document; 0 means
	// two minutes.
	Timeout time.Duration
}

// Printer prints web pages to PDF with one headless browser and a pool of
// tabs that are reused from one document to the next: opening a tab costs
// more than loading a page into one.
type Printer struct {
	timeout time.Duration
	tabs    chan *tab
	cancel  context.CancelFunc
}

// Document is a printed web page.
type Document struct {
	PDF   []byte
	Pages int
}

// tab is one browser tab and what it saw while loading the current page.
type tab struct {
	ctx context.Context

	mu     sync.Mutex
	urls   map[network.RequestID]string // nil between documents
	failed map[network.RequestID]string // why a request failed
}

// Start launches the browser and opens its tabs. The browser runs until
// Close, whatever happens to ctx afterwards; ctx only bounds the start.
func Start(ctx context.Context, opts Options) (*Printer, error) {
	if opts.Browser == "" {
		return nil, errors.New("start browser: no browser path given")
	}
	n := opts.Tabs
	if n <= 0 {
		n = runtime.NumCPU()
	}
	p := &Printer{timeout: opts.Timeout, tabs: make(chan *tab, n)}
	if p.timeout <= 0 {
		p.timeout = 2 * time.Minute
	}
	// The browser lives as long as the context of its first action, so it
	// gets a context of its own that only Close ends.
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(opts.Browser),
		// These machines may have no network: nothing may phone home.
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		// Unhinted glyph widths are the same on every machine, and so are
		// the page breaks they decide.
		chromedp.Flag("font-render-hinting", "none"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.WithoutCancel(ctx), flags...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	p.cancel = func() { cancelBrowser(); cancelAlloc() }

	started := make(chan error, 1)
	go func() { started <- chromedp.Do(bctx) }()
	select {
	case err := <-started:
		if err != nil {
			p.cancel()
			return nil, fmt.Errorf("start browser %s: %w", opts.Browser, err)
		}
	case <-ctx.Done():
		p.cancel()
		return nil, ctx.Err()
	}
	for i := range n {
		tctx := bctx
		if i > 0 {
			tctx, _ = chromedp.NewContext(bctx) // ended with the browser
			if err := chromedp.Do(tctx); err != nil {
				p.cancel()
				return nil, fmt.Errorf("open browser tab: %w", err)
			}
		}
		t := &tab{ctx: tctx}
		if err := chromedp.Listen(tctx, t.observe); err != nil {
			p.cancel()
			return nil, fmt.Errorf("watch browser tab: %w", err)
		}
		p.tabs <- t
	}
	return p, nil
}

// Close ends the browser and removes its profile folder.
func (p *Printer) Close() error {
	p.cancel()
	return nil
}

// observe records the requests of the page that fail: a response outside
// 2xx, or a request that got none (refused, blocked, cancelled: Chromium
// cancels a style sheet served as text/plain). It runs on the tab's event
// loop, so it only takes notes.
func (t *tab) observe(ev any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.urls == nil {
		return // between documents
	}
	// The first reason noted stays, except that an HTTP status replaces a
	// network error: Chromium may report a style sheet it refused for its
	// 404 as "net::ERR_ABORTED" before it reports the 404.
	fail := func(id network.RequestID, why string, status bool) {
		if old, ok := t.failed[id]; !ok || status && strings.HasPrefix(old, "net::") {
			t.failed[id] = why
		}
	}
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		t.urls[ev.RequestID] = ev.Request.URL
	case *network.EventResponseReceived:
		if s := ev.Response.Status; s < 200 || s > 299 {
			fail(ev.RequestID, strings.TrimSpace(fmt.Sprintf("%d %s", s, ev.Response.StatusText)), true)
		}
	case *network.EventResponseReceivedExtraInfo:
		// Sent also for the responses Chromium throws away unread; a
		// redirect (3xx) is followed, not a failure.
		if ev.StatusCode >= 400 {
			fail(ev.RequestID, strconv.FormatInt(ev.StatusCode, 10), true)
		}
	case *network.EventLoadingFailed:
		why := ev.ErrorText
		if ev.BlockedReason != "" {
			why += " (blocked: " + string(ev.BlockedReason) + ")"
		}
		fail(ev.RequestID, why, false)
	}
}

// watch starts recording failures for a new document; done stops and
// returns them, as "URL: reason", sorted.
func (t *tab) watch() {
	t.mu.Lock()
	t.urls, t.failed = map[network.RequestID]string{}, map[network.RequestID]string{}
	t.mu.Unlock()
}

func (t *tab) done() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for id, why := range t.failed {
		// A request this document did not make is a late note about the
		// previous one, which already got its own.
		if u, ok := t.urls[id]; ok {
			out = append(out, u+": "+why)
		}
	}
	slices.Sort(out)
	t.urls, t.failed = nil, nil
	return out
}

// Print loads url in a free tab and prints it, with an outline (bookmarks
// from the headings) and as a tagged PDF. A document or any of its
// subresources that fails to load is an error, never a blank or partial
// PDF. Print may be called from several goroutines: each call waits for a
// tab.
func (p *Printer) Print(ctx context.Context, url string) (*Document, error) {
	return p.print(ctx, url, true)
}

// Draft is Print without the outline and the tagged structure, which cost
// time on long documents: for a print that is only read (for its named
// destinations or its page count) and thrown away. Its pages are the same.
func (p *Printer) Draft(ctx context.Context, url string) (*Document, error) {
	return p.print(ctx, url, false)
}

func (p *Printer) print(ctx context.Context, url string, final bool) (*Document, error) {
	var t *tab
	select {
	case t = <-p.tabs:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { p.tabs <- t }()

	// The tab's context has no deadline (a deadline there would end the
	// tab); this document's limit and the caller's cancellation go on a
	// child.
	dctx, cancel := context.WithTimeout(t.ctx, p.timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()

	doc, err := t.print(dctx, url, final)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("print %s: gave up after %s", url, p.timeout)
		}
		return nil, fmt.Errorf("print %s: %w", url, err)
	}
	return doc, nil
}

func (t *tab) print(ctx context.Context, url string, final bool) (*Document, error) {
	t.watch()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	failures := t.done()
	if err != nil {
		return nil, err
	}
	if resp == nil || resp.Status < 200 || resp.Status > 299 {
		status := "no response"
		if resp != nil {
			status = fmt.Sprintf("%d %s", resp.Status, resp.StatusText)
		}
		return nil, fmt.Errorf("load page: %s", status)
	}
	if len(failures) > 0 {
		return nil, fmt.Errorf("load page: %d of its files failed to load:\n  %s", len(failures), strings.Join(failures, "\n  "))
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](prepareScript, chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("prepare page: %w", err)
	}
	data, err := chromedp.Run(ctx, chromedp.PrintToPDF(
		// Without it Chromium prints on Letter, scaled, whatever @page says.
		chromedp.PDFPreferCSSPageSize(),
		// Without it banners and highlighted code lose their backgrounds.
		chromedp.PDFPrintBackground(),
		chromedp.PDFStream(),
		func(p *page.PrintToPDFParams) {
			p.GenerateDocumentOutline, p.GenerateTaggedPDF = &final, &final
		},
	))
	if err != nil {
		return nil, err
	}
	n, err := PageCount(data)
	if err != nil {
		return nil, err
	}
	return &Document{PDF: data, Pages: n}, nil
}

// prepareScript runs before printing. It waits for fonts, so that page
// breaks fall where the final glyphs put them, and removes the targets of
// links into the local server other than links inside the document: in a
// PDF file they would lead to a server that no longer runs.
const prepareScript = `(async () => {
  await document.fonts.ready;
  const here = location.origin + location.pathname;
  for (const a of document.querySelectorAll("a[href]")) {
    if (a.origin !== location.origin) continue;
    if (a.origin + a.pathname === here && a.hash) continue;
    a.removeAttribute("href");
  }
})()`
