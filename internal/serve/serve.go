// Package serve is the preview server of `dossier serve`. It builds the
// site into memory with a build.Session, serves it from there, watches the
// site's folders (fsnotify) and rebuilds what a change touches, and keeps
// open pages current over Server-Sent Events: a page reloads when it
// changed, swaps its stylesheet when only CSS changed, goes to its list
// page when its URL is gone, and shows build errors as an overlay while
// the last good site stays served.
package serve

import (
	"bytes"
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/diag"
)

// Options configure a Server.
type Options struct {
	Source string // the site folder
	Bind   string // address to listen on (default 127.0.0.1)
	Port   int    // port to listen on; 0 picks a free one
	Drafts bool   // include drafts
	// Stdout receives the address and a line per build; Stderr warnings
	// and build errors.
	Stdout, Stderr io.Writer
	// Watch configures the watcher (tests set a clock).
	Watch WatchOptions
}

// Server previews one site. Its zero value is not usable; call New.
type Server struct {
	opts  Options
	id    string // changes with every start, so pages of an old server reload
	sess  *build.Session
	hub   *hub
	state atomic.Pointer[state]
	// warnings are the warnings of the last build, as printed.
	warnings string
}

// state is what the server serves. It is replaced whole after each build.
type state struct {
	files  map[string][]byte // nil until the first good build
	build  int               // good builds so far
	errors []string          // errors of the last build, when it failed
}

// New prepares a server for the site in opts.Source.
func New(opts Options) *Server {
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	s := &Server{opts: opts, id: hex.EncodeToString(id[:]), hub: newHub()}
	s.state.Store(&state{})
	return s
}

// Listen opens the server's address, warning when it is not a loopback
// address.
func (s *Server) Listen() (net.Listener, error) {
	addr := net.JoinHostPort(s.opts.Bind, strconv.Itoa(s.opts.Port))
	if !loopback(s.opts.Bind) {
		fmt.Fprintf(s.opts.Stderr, "warning: --bind %s is not a loopback address: other machines can reach this preview%s\n",
			s.opts.Bind, map[bool]string{true: ", drafts included", false: ""}[s.opts.Drafts])
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// displayAddr is the address to show and link to: an unspecified address
// (0.0.0.0, ::) is reached as localhost.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Run listens and serves until ctx is done.
func (s *Server) Run(ctx context.Context) error {
	ln, err := s.Listen()
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// shutdownGrace bounds how long stopping may take.
const shutdownGrace = time.Second

// Serve serves on ln until ctx is done, then stops within a second: open
// event streams are ended, the watcher is closed and a build in progress
// is cancelled.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	wopts := s.opts.Watch
	if wopts.Warn == nil {
		wopts.Warn = func(err error) { fmt.Fprintf(s.opts.Stderr, "warning: %v\n", err) }
	}
	w, err := Watch(s.opts.Source, wopts)
	if err != nil {
		ln.Close()
		return err
	}
	defer w.Close()

	// Absolute URLs (the feed, canonical links, the 404 page's links when
	// baseURL is set) point at the preview, so that following them stays
	// in it.
	url := "http://" + displayAddr(ln.Addr()) + "/"
	s.sess = build.NewSession(os.DirFS(s.opts.Source), build.SessionOptions{Drafts: s.opts.Drafts, Live: true, BaseURL: &url})

	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: log.New(io.Discard, "", 0)}
	srv.RegisterOnShutdown(s.hub.close)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(s.opts.Stdout, "Serving %s at %s (Ctrl-C to stop)\n", s.opts.Source, url)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	built := make(chan struct{})
	go func() {
		defer close(built)
		s.loop(ctx, w)
	}()

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
		cancel()
	}
	sctx, stop := context.WithTimeout(context.Background(), shutdownGrace)
	defer stop()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if serveErr == nil {
		<-served
	}
	// A build notices the cancellation between its steps.
	select {
	case <-built:
	case <-sctx.Done():
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", serveErr)
	}
	return nil
}

// loop builds the site, then rebuilds it after each batch of changes.
func (s *Server) loop(ctx context.Context, w *Watcher) {
	s.rebuild(ctx, build.Changes{All: true}, nil)
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.Ready():
			b := w.Take()
			if b.Empty() {
				continue
			}
			s.rebuild(ctx, build.Changes{Paths: b.Paths, All: b.All}, b.Paths)
		}
	}
}

// rebuild runs one build and tells the terminal and the open pages.
func (s *Server) rebuild(ctx context.Context, ch build.Changes, paths []string) {
	upd, err := s.sess.Rebuild(ctx, ch)
	if ctx.Err() != nil {
		return
	}
	old := s.state.Load()
	if err != nil {
		lines := errorLines(err)
		for _, l := range lines {
			fmt.Fprintln(s.opts.Stderr, l)
		}
		what := "the site does not build"
		if old.files != nil {
			what += "; serving the last good version"
		}
		fmt.Fprintf(s.opts.Stderr, "dossier: %s (%s)\n", what, plural(len(lines), "error", "errors"))
		s.state.Store(&state{files: old.files, build: old.build, errors: lines})
		s.hub.publish(event("errors", map[string]any{"errors": lines}))
		return
	}
	// Warnings are shown when they change, not again with every build.
	if warnings := upd.Warnings.Error(); warnings != s.warnings {
		s.warnings = warnings
		for _, w := range upd.Warnings {
			fmt.Fprintln(s.opts.Stderr, w.Error())
		}
	}
	n := old.build + 1
	s.state.Store(&state{files: upd.Files, build: n})
	if old.files == nil {
		fmt.Fprintf(s.opts.Stdout, "built %d pages in %s\n", upd.Pages, upd.Elapsed.Round(time.Millisecond))
	} else {
		fmt.Fprintf(s.opts.Stdout, "rebuilt %s, %s changed in %s%s\n", plural(len(upd.Rendered), "page", "pages"),
			plural(len(upd.Changed)+len(upd.Removed), "file", "files"), upd.Elapsed.Round(time.Millisecond), cause(paths))
	}
	s.hub.publish(buildEvent(n, upd, old.files == nil))
}

// cause names what changed, for the terminal.
func cause(paths []string) string {
	switch len(paths) {
	case 0:
		return ""
	case 1:
		return ": " + paths[0]
	}
	return fmt.Sprintf(": %s and %d more", paths[0], len(paths)-1)
}

// errorLines returns one path:line:col: message line per error.
func errorLines(err error) []string {
	var list diag.List
	var one diag.Diagnostic
	switch {
	case errors.As(err, &list):
		var out []string
		for _, d := range list.Errors() {
			out = append(out, d.Error())
		}
		if len(out) > 0 {
			return out
		}
	case errors.As(err, &one):
		return []string{one.Error()}
	}
	return strings.Split(err.Error(), "\n")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

//go:embed live.js
var liveJS []byte

// Paths the server answers itself. The underscore keeps them apart from
// any page a site can have.
const (
	livePath   = "/_dossier/live.js"
	eventsPath = "/_dossier/events"
)

// ServeHTTP serves the built site from memory, the live-reload script and
// the event stream. Nothing is ever read from disk: a path that is not in
// the built site is answered with the site's 404 page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case eventsPath:
		s.events(w, r)
		return
	case livePath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		http.ServeContent(w, r, "live.js", time.Time{}, bytes.NewReader(liveJS))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	st := s.state.Load()
	if st.files == nil {
		s.noSite(w, st)
		return
	}
	clean := path.Clean("/" + r.URL.Path) // no .. survives this
	rel := strings.TrimPrefix(clean, "/")
	if rel != "" && strings.HasSuffix(r.URL.Path, "/") {
		rel += "/"
	}
	name := rel
	if rel == "" || strings.HasSuffix(rel, "/") {
		name = rel + "index.html"
	}
	data, ok := st.files[name]
	if !ok && !strings.HasSuffix(name, "index.html") {
		if _, dir := st.files[rel+"/index.html"]; dir {
			// A folder named without its slash: relative links on the
			// page only work from the folder's own URL.
			u := *r.URL
			u.Path = clean + "/"
			http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
			return
		}
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusNotFound
		if data, ok = st.files["404.html"]; !ok {
			http.NotFound(w, r)
			return
		}
		name = "404.html"
	}
	s.write(w, r, name, data, st, status)
}

// write sends one file, adding the live-reload script to HTML.
func (s *Server) write(w http.ResponseWriter, r *http.Request, name string, data []byte, st *state, status int) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	ctype := contentType(name)
	h.Set("Content-Type", ctype)
	if strings.HasPrefix(ctype, "text/html") {
		data = inject(data, s.script(st.build, status == http.StatusNotFound))
	}
	if status == http.StatusOK {
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// noSite answers every page before the first good build.
func (s *Server) noSite(w http.ResponseWriter, st *state) {
	msg := "The site is being built; this page reloads when it is ready."
	if st.errors != nil {
		msg = "The site does not build yet. Fix the errors shown above; this page reloads when it builds."
	}
	page := []byte("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Dossier preview</title></head>\n<body><main><h1>Dossier preview</h1><p>" +
		msg + "</p></main></body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write(inject(page, s.script(st.build, false)))
}

// script is the tag that loads the live-reload client. It carries the
// server's id and the build the page belongs to, so that the client can
// tell whether it missed something.
func (s *Server) script(build int, missing bool) []byte {
	m := ""
	if missing {
		m = ` data-missing="1"`
	}
	return []byte(fmt.Sprintf(`<script src="%s" data-server="%s" data-build="%d"%s></script>`, livePath, s.id, build, m))
}

// inject puts the script before the page's last </body>, or at its end.
func inject(page, script []byte) []byte {
	at := bytes.LastIndex(bytes.ToLower(page), []byte("</body>"))
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+len(script)+1)
	out = append(out, page[:at]...)
	out = append(out, script...)
	out = append(out, '\n')
	return append(out, page[at:]...)
}

// contentTypes are the types of the files a site has, fixed here so that
// they do not depend on the machine's mime.types.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".xml":   "application/xml; charset=utf-8",
	".txt":   "text/plain; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/x-icon",
	".pdf":   "application/pdf",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".ttf":   "font/ttf",
	".otf":   "font/otf",
	".wasm":  "application/wasm",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	if path.Base(name) == "CNAME" {
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}
