package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/render"
)

// testSite is a small site: one briefing that mentions two entities, a
// second briefing, a topic, a theme stylesheet of the site's own.
var testSite = map[string]string{
	"dossier.toml":                       "title = \"Serve Watch\"\n",
	"content/entities/kim-jong-un.md":    "---\nname: Kim Jong Un\ntype: person\naliases: [Kim]\n---\nA leader.\n",
	"content/entities/vladimir-putin.md": "---\nname: Vladimir Putin\ntype: person\n---\nA president.\n",
	"content/topics/diplomacy.md":        "---\ntitle: Diplomacy\n---\nTalks.\n",
	"content/briefings/2023-09-13-visit.md": "---\ntitle: The Visit\ndate: 2023-09-13\ntopics: [Diplomacy]\n---\n" +
		"Kim Jong Un met Vladimir Putin in the east.\n\n## Diplomacy Today\n\nThe weather was fine.\n",
	"content/briefings/2023-10-01-later.md": "---\ntitle: Later Talks\ndate: 2023-10-01\n---\nKim spoke again.\n",
	"themes/default/static/style.css":       "body { background-color: rgb(255, 255, 255); }\n",
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		write(t, dir, name, text)
	}
	return dir
}

// running is a server serving a site on a free loopback port.
type running struct {
	*Server
	t      *testing.T
	dir    string
	url    string
	out    *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start serves dir on addr ("127.0.0.1:0" for any free port) and waits
// for the first build to end.
func start(t *testing.T, dir, addr string) *running {
	t.Helper()
	out := &syncBuffer{}
	s := New(Options{Source: dir, Stdout: out, Stderr: out, Watch: WatchOptions{Delay: 30 * time.Millisecond}})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Server: s, t: t, dir: dir, url: "http://" + ln.Addr().String(), out: out, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- s.Serve(ctx, ln) }()
	t.Cleanup(r.stop)
	r.waitFor("the first build", func(st *state) bool { return st.build > 0 || st.errors != nil })
	return r
}

// stop stops the server and waits for Serve to return.
func (r *running) stop() {
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			r.t.Errorf("Serve: %v", err)
		}
		r.done <- nil // later calls return at once
	case <-time.After(waitLimit):
		r.t.Fatal("Serve did not return after its context was cancelled")
	}
}

func (r *running) waitFor(what string, ok func(*state) bool) {
	r.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !ok(r.state.Load()) {
		if time.Now().After(deadline) {
			r.t.Fatalf("waited in vain for %s; server said:\n%s", what, r.out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (r *running) get(path string) (*http.Response, string) {
	r.t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(r.url + path)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatal(err)
	}
	return resp, string(body)
}

// raw sends a request line as written, without the client's cleaning.
func (r *running) raw(target string) string {
	r.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(r.url, "http://"))
	if err != nil {
		r.t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", target)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return fmt.Sprintf("%d %s", resp.StatusCode, body)
}

const scriptTag = `<script src="/_dossier/live.js"`

// errorLine is how an error about the test briefing reads.
var errorLine = regexp.MustCompile(`^content/briefings/2023-09-13-visit\.md:\d+:\d+: \S`)

func TestServeFromMemory(t *testing.T) {
	dir := writeSite(t, testSite)
	r := start(t, dir, "127.0.0.1:0")
	if !strings.Contains(r.out.String(), "Serving "+dir+" at http://127.0.0.1:") {
		t.Errorf("no address printed:\n%s", r.out.String())
	}

	for _, tc := range []struct {
		path, ctype string
		status      int
		has         string
		script      bool
	}{
		{"/", "text/html; charset=utf-8", 200, "Serve Watch", true},
		{"/briefings/visit/", "text/html; charset=utf-8", 200, "The weather was fine.", true},
		{"/briefings/visit/index.html", "text/html; charset=utf-8", 200, "The weather was fine.", true},
		{"/assets/style.css", "text/css; charset=utf-8", 200, "rgb(255, 255, 255)", false},
		{"/assets/syntax.css", "text/css; charset=utf-8", 200, "", false},
		{"/feed.xml", "application/xml; charset=utf-8", 200, "The Visit", false},
		{"/_dossier/live.js", "text/javascript; charset=utf-8", 200, "EventSource", false},
		{"/no/such/page/", "text/html; charset=utf-8", 404, "Page not found", true},
		// Source files are not part of the built site.
		{"/dossier.toml", "text/html; charset=utf-8", 404, "Page not found", true},
		{"/content/briefings/2023-09-13-visit.md", "text/html; charset=utf-8", 404, "Page not found", true},
	} {
		resp, body := r.get(tc.path)
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.ctype {
			t.Errorf("%s: %d %q, want %d %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status, tc.ctype)
		}
		if !strings.Contains(body, tc.has) {
			t.Errorf("%s: body lacks %q", tc.path, tc.has)
		}
		if n := strings.Count(body, scriptTag); n != map[bool]int{true: 1, false: 0}[tc.script] {
			t.Errorf("%s: live-reload script %d times", tc.path, n)
		}
		if tc.script && !strings.Contains(body, "></script>\n</body>") {
			t.Errorf("%s: script not right before </body>", tc.path)
		}
	}

	resp, _ := r.get("/briefings/visit")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/briefings/visit/" {
		t.Errorf("folder without slash: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, target := range []string{"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fdossier.toml", "/assets/../../dossier.toml"} {
		if got := r.raw(target); !strings.HasPrefix(got, "404 ") || strings.Contains(got, "root:") || strings.Contains(got, `title = "Serve Watch"`) {
			t.Errorf("%s: %.60q", target, got)
		}
	}
	post, err := http.Post(r.url+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	if post.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", post.StatusCode)
	}
	// The built site is never written to disk, and built pages never
	// carry the script.
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("serve wrote public/: %v", err)
	}
	for name, data := range r.state.Load().files {
		if strings.Contains(string(data), scriptTag) {
			t.Errorf("built file %s holds the live-reload script", name)
		}
	}
}

// stream reads the server's event stream.
type stream struct {
	t      *testing.T
	body   io.Closer
	events chan sse
}

type sse struct {
	name string
	data map[string]any
}

func (r *running) stream() *stream {
	r.t.Helper()
	resp, err := http.Get(r.url + eventsPath)
	if err != nil {
		r.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		r.t.Fatalf("event stream content type %q", ct)
	}
	s := &stream{t: r.t, body: resp.Body, events: make(chan sse, 100)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.data)
			case line == "" && ev.name != "":
				s.events <- ev
				ev = sse{}
			}
		}
	}()
	r.t.Cleanup(func() { resp.Body.Close() })
	return s
}

// next returns the next event, skipping none.
func (s *stream) next() sse {
	s.t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			s.t.Fatal("the event stream ended")
		}
		return ev
	case <-time.After(waitLimit):
		s.t.Fatal("no event")
	}
	return sse{}
}

// memSink keeps built files in memory.
type memSink struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memSink) WriteFile(rel string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[rel] = bytes.Clone(data)
	return nil
}

// sameAsBuild fetches every file of a fresh full build of the site from
// the server and compares: the server must serve exactly what a build
// writes, with the live-reload script added to HTML pages.
func (r *running) sameAsBuild() {
	r.t.Helper()
	ctx := context.Background()
	fsys := os.DirFS(r.dir)
	m, err := build.Load(ctx, fsys, false)
	if err != nil {
		r.t.Fatal(err)
	}
	sink := &memSink{files: map[string][]byte{}}
	if _, err := build.Render(ctx, fsys, m.Site, render.Options{BaseURL: r.url + "/", Live: true, Offline: m.Config.Offline}, sink); err != nil {
		r.t.Fatal(err)
	}
	want := sink.files
	script := regexp.MustCompile(`<script src="/_dossier/live.js"[^>]*></script>\n`)
	for name, data := range want {
		path := "/" + strings.TrimSuffix(name, "index.html")
		resp, body := r.get(path)
		if name == "404.html" {
			continue // served for missing paths
		}
		if resp.StatusCode != http.StatusOK {
			r.t.Errorf("%s: %d", path, resp.StatusCode)
			continue
		}
		if strings.HasSuffix(name, ".html") {
			body = script.ReplaceAllString(body, "")
		}
		if body != string(data) {
			r.t.Errorf("%s: served bytes differ from a full build", path)
		}
	}
	if got := len(r.state.Load().files); got != len(want) {
		r.t.Errorf("serving %d files, a full build has %d", got, len(want))
	}
}

func strs(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func TestServeEvents(t *testing.T) {
	dir := writeSite(t, testSite)
	r := start(t, dir, "127.0.0.1:0")
	s := r.stream()
	hello := s.next()
	if hello.name != "hello" || hello.data["server"] != r.id || hello.data["build"] != float64(1) {
		t.Fatalf("hello: %+v", hello)
	}

	visit := "content/briefings/2023-09-13-visit.md"
	write(t, dir, visit, strings.Replace(testSite[visit], "fine", "grey", 1))
	ev := s.next()
	if ev.name != "build" || !slices.Contains(strs(ev.data["pages"]), "/briefings/visit/") || ev.data["all"] != false {
		t.Errorf("after an edit: %+v", ev)
	}
	if _, body := r.get("/briefings/visit/"); !strings.Contains(body, "The weather was grey.") {
		t.Error("the page does not show the edit")
	}
	r.sameAsBuild()

	write(t, dir, "themes/default/static/style.css", "body { background-color: rgb(1, 2, 3); }\n")
	ev = s.next()
	if ev.name != "build" || !slices.Equal(strs(ev.data["css"]), []string{"/assets/style.css"}) || len(strs(ev.data["pages"])) != 0 {
		t.Errorf("after a CSS edit: %+v", ev)
	}

	write(t, dir, visit, strings.Replace(testSite[visit], "title: The Visit", "title: [The Visit", 1))
	ev = s.next()
	errs := strs(ev.data["errors"])
	if ev.name != "errors" || len(errs) != 1 || !errorLine.MatchString(errs[0]) {
		t.Errorf("after breaking the front matter: %+v", ev)
	}
	if _, body := r.get("/briefings/visit/"); !strings.Contains(body, "The weather was grey.") {
		t.Error("the last good site is not served after a failed build")
	}
	// A page that connects now learns of the errors at once.
	if hello := r.stream().next(); !slices.Equal(strs(hello.data["errors"]), errs) {
		t.Errorf("hello during errors: %+v", hello)
	}

	write(t, dir, visit, strings.Replace(testSite[visit], "fine", "grey", 1))
	if ev = s.next(); ev.name != "build" || len(strs(ev.data["pages"])) != 0 {
		t.Errorf("after the fix (same site as before): %+v", ev)
	}

	if err := os.Remove(filepath.Join(dir, visit)); err != nil {
		t.Fatal(err)
	}
	ev = s.next()
	gone, _ := ev.data["gone"].(map[string]any)
	if ev.name != "build" || gone["/briefings/visit/"] != "/briefings/" {
		t.Errorf("after deleting a briefing: %+v", ev)
	}
	if resp, _ := r.get("/briefings/visit/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted page: %d", resp.StatusCode)
	}
	r.sameAsBuild()
	for _, want := range []string{"built ", "rebuilt ", errs[0], "serving the last good version"} {
		if !strings.Contains(r.out.String(), want) {
			t.Errorf("terminal output lacks %q:\n%s", want, r.out.String())
		}
	}
}

// TestServeFirstBuildFails serves a waiting page until the site builds.
func TestServeFirstBuildFails(t *testing.T) {
	files := maps(testSite)
	visit := "content/briefings/2023-09-13-visit.md"
	files[visit] = strings.Replace(files[visit], "date: 2023-09-13", "date: someday", 1)
	dir := writeSite(t, files)
	r := start(t, dir, "127.0.0.1:0")
	resp, body := r.get("/briefings/visit/")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, scriptTag) {
		t.Errorf("before the first good build: %d\n%s", resp.StatusCode, body)
	}
	s := r.stream()
	if hello := s.next(); len(strs(hello.data["errors"])) == 0 {
		t.Errorf("hello: %+v", hello)
	}
	write(t, dir, visit, testSite[visit])
	if ev := s.next(); ev.name != "build" || ev.data["all"] != true {
		t.Errorf("first good build: %+v", ev)
	}
	if resp, _ := r.get("/briefings/visit/"); resp.StatusCode != http.StatusOK {
		t.Errorf("after the fix: %d", resp.StatusCode)
	}
}

func maps(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestServeStops cancels a server with open event streams: Serve returns,
// the streams end, and no goroutine is left behind.
func TestServeStops(t *testing.T) {
	before := runtime.NumGoroutine()
	dir := writeSite(t, testSite)
	r := start(t, dir, "127.0.0.1:0")
	streams := []*stream{r.stream(), r.stream(), r.stream()}
	for _, s := range streams {
		s.next() // hello: connected
	}
	r.stop()
	for _, s := range streams {
		select {
		case _, ok := <-s.events:
			for ok {
				_, ok = <-s.events
			}
		case <-time.After(waitLimit):
			t.Fatal("an event stream stayed open")
		}
		s.body.Close()
	}
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(waitLimit)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := net.Dial("tcp", strings.TrimPrefix(r.url, "http://")); err == nil {
		t.Error("the port still accepts connections")
	}
}

func TestServeWarnsAboutNonLoopback(t *testing.T) {
	for _, tc := range []struct {
		bind string
		warn bool
	}{{"127.0.0.1", false}, {"::1", false}, {"localhost", false}, {"0.0.0.0", true}} {
		var out strings.Builder
		s := New(Options{Source: t.TempDir(), Bind: tc.bind, Port: 0, Stderr: &out})
		ln, err := s.Listen()
		if err != nil {
			t.Logf("%s: %v", tc.bind, err) // no IPv6 here
			continue
		}
		ln.Close()
		if got := strings.Contains(out.String(), "warning: --bind "+tc.bind+" is not a loopback address"); got != tc.warn {
			t.Errorf("%s: warned %v: %q", tc.bind, got, out.String())
		}
	}
}

func TestServeBuildEvent(t *testing.T) {
	files := map[string][]byte{"index.html": nil, "briefings/index.html": nil, "briefings/b/index.html": nil,
		"briefings/b/map.svg": nil, "entities/e/index.html": nil, "search/index.html": nil, "search/i-1.js": nil}
	for _, tc := range []struct {
		name string
		upd  build.Update
		want string
	}{
		{"pages", build.Update{Changed: []string{"briefings/b/index.html", "index.html", "feed.xml", "sitemap.xml"}},
			`{"all":false,"build":2,"css":null,"gone":{},"pages":["/","/briefings/b/"]}`},
		{"css only", build.Update{Changed: []string{"assets/style.css"}},
			`{"all":false,"build":2,"css":["/assets/style.css"],"gone":{},"pages":[]}`},
		{"files of a page's folder", build.Update{Changed: []string{"briefings/b/map.svg", "search/d/i-1.js"}},
			`{"all":false,"build":2,"css":null,"gone":{},"pages":["/briefings/b/","/search/"]}`},
		{"a file any page may use", build.Update{Changed: []string{"assets/search.js"}},
			`{"all":true,"build":2,"css":null,"gone":{},"pages":[]}`},
		{"gone pages go to their list", build.Update{Removed: []string{"briefings/x/index.html", "entities/e/page/2/index.html", "about/index.html"}},
			`{"all":false,"build":2,"css":null,"gone":{"/about/":"/","/briefings/x/":"/briefings/","/entities/e/page/2/":"/entities/e/"},"pages":[]}`},
		{"the 404 page", build.Update{Changed: []string{"404.html"}},
			`{"all":false,"build":2,"css":null,"gone":{},"missing":true,"pages":[]}`},
	} {
		tc.upd.Files = files
		got := string(buildEvent(2, &tc.upd, false))
		want := "event: build\ndata: " + tc.want + "\n\n"
		if got != want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, want)
		}
	}
}

func TestServeInject(t *testing.T) {
	for _, tc := range []struct{ page, want string }{
		{"<p>a</p></body></html>", "<p>a</p>S\n</body></html>"},
		{"<p>a</body></p></BODY>", "<p>a</body></p>S\n</BODY>"},
		{"<p>no body end", "<p>no body endS\n"},
	} {
		if got := string(inject([]byte(tc.page), []byte("S"))); got != tc.want {
			t.Errorf("inject(%q) = %q, want %q", tc.page, got, tc.want)
		}
	}
}
