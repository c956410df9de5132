package pdf

import (
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"time"
)

// Server serves a folder of files over HTTP on 127.0.0.1, at a port the
// system picks, for the browser to print from. Pages are printed over
// http://, not file://: browsers block fetch() on file:// URLs and file
// paths would need percent-encoding.
type Server struct {
	// URL is the server's root, without a trailing slash:
	// "http://127.0.0.1:40123".
	URL string
	srv *http.Server
}

// Serve starts serving fsys. Every response forbids caching, so that a
// file replaced in fsys (a book printed a second time with its page
// numbers) is fetched again.
func Serve(fsys fs.FS) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("serve pages to print: %w", err)
	}
	files := http.FileServerFS(fsys)
	s := &Server{
		URL: "http://" + ln.Addr().String(),
		srv: &http.Server{
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cache-Control", "no-store")
				if r.URL.Path == "/favicon.ico" {
					// The browser asks for it by itself, not the page: a
					// site without one is not a page that failed to load.
					if _, err := fs.Stat(fsys, "favicon.ico"); err != nil {
						w.WriteHeader(http.StatusNoContent)
						return
					}
				}
				files.ServeHTTP(w, r)
			}),
			ReadHeaderTimeout: 10 * time.Second,
		},
	}
	// Serve returns when Close is called; should the listener fail before,
	// every print that follows fails to load its page and says so.
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }
