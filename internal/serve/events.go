package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dossier-dev/dossier/internal/build"
)

// hub fans server events out to the open pages. Each page holds one
// Server-Sent Events stream; a page that cannot keep up is dropped, and
// its EventSource reconnects and catches up through the hello event.
type hub struct {
	mu     sync.Mutex
	subs   map[chan []byte]bool
	closed bool
	done   chan struct{} // closed when the server shuts down
}

func newHub() *hub { return &hub{subs: map[chan []byte]bool{}, done: make(chan struct{})} }

// subscribe returns a channel of events, or false after close.
func (h *hub) subscribe() (chan []byte, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, false
	}
	ch := make(chan []byte, 16)
	h.subs[ch] = true
	return ch, true
}

func (h *hub) unsubscribe(ch chan []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[ch] {
		delete(h.subs, ch)
		close(ch)
	}
}

// publish sends an event to every stream without ever waiting for one.
func (h *hub) publish(event []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- event:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// close ends every stream; http.Server.Shutdown calls it, since it would
// otherwise wait for the streams, which never end by themselves.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// event formats one Server-Sent Event with a JSON payload.
func event(name string, data any) []byte {
	b, err := json.Marshal(data)
	if err != nil {
		panic(err) // only maps, slices, strings and numbers are sent
	}
	return []byte("event: " + name + "\ndata: " + string(b) + "\n\n")
}

// pingEvery keeps idle streams open through proxies and lets a server
// notice pages that went away.
const pingEvery = 20 * time.Second

// events serves the stream of one page.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	ch, ok := s.hub.subscribe()
	if !ok {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(ch)
	rc := http.NewResponseController(w)
	// A server-wide write timeout would cut the stream.
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	st := s.state.Load()
	hello := map[string]any{"server": s.id, "build": st.build, "errors": st.errors}
	// retry: reconnect quickly after a restart of the server.
	if _, err := fmt.Fprintf(w, "retry: 500\n\n%s", event("hello", hello)); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		var msg []byte
		select {
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		case <-ping.C:
			msg = []byte(": ping\n\n")
		case m, ok := <-ch:
			if !ok {
				return // dropped: the page reconnects
			}
			msg = m
		}
		if _, err := w.Write(msg); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// maxListedPages is how many changed pages a build event names before it
// just says "all".
const maxListedPages = 500

// buildEvent tells open pages what a successful build changed: the pages
// to reload, the stylesheets to swap, where pages whose URL is gone
// should go.
func buildEvent(n int, upd *build.Update, first bool) []byte {
	m := map[string]any{"build": n}
	pages := map[string]bool{}
	var css []string
	all := first
	gone := map[string]string{}
	owner := func(f string) {
		switch {
		case f == "404.html":
			m["missing"] = true
		case f == "index.html" || strings.HasSuffix(f, "/index.html"):
			pages["/"+strings.TrimSuffix(f, "index.html")] = true
		case strings.HasSuffix(f, ".html"):
			pages["/"+f] = true
		case strings.HasSuffix(f, ".xml"):
			// The feed and the sitemap: no page shows them.
		default:
			// A file under a page's folder (a bundle's image, the search
			// index) belongs to that page; anything else (scripts,
			// fonts, images of static/) may be used by any page.
			for dir := path.Dir(f); ; dir = path.Dir(dir) {
				if dir == "." {
					all = true
					break
				}
				if _, ok := upd.Files[dir+"/index.html"]; ok {
					pages["/"+dir+"/"] = true
					break
				}
			}
		}
	}
	for _, f := range upd.Changed {
		if strings.HasSuffix(f, ".css") {
			css = append(css, "/"+f)
			continue
		}
		owner(f)
	}
	for _, f := range upd.Removed {
		if f == "index.html" || strings.HasSuffix(f, "/index.html") {
			url := "/" + strings.TrimSuffix(f, "index.html")
			gone[url] = listPage(url, upd.Files)
			continue
		}
		owner(f)
	}
	list := make([]string, 0, len(pages))
	for p := range pages {
		list = append(list, p)
	}
	slices.Sort(list)
	if len(list) > maxListedPages {
		all, list = true, nil
	}
	m["pages"], m["css"], m["gone"], m["all"] = list, css, gone, all
	return event("build", m)
}

// listPage returns where a page whose URL is gone should go: the nearest
// folder above it that is a page ("/briefings/" for a deleted briefing,
// "/entities/x/" for a page 2 that no longer exists).
func listPage(url string, files map[string][]byte) string {
	p := strings.TrimSuffix(url, "/")
	for p != "" {
		p = p[:strings.LastIndexByte(p, '/')]
		if _, ok := files[strings.TrimPrefix(p+"/index.html", "/")]; ok {
			return p + "/"
		}
	}
	return "/"
}
