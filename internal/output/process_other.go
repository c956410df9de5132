//go:build !unix

package output

import (
	"io/fs"
	"os"
)

// alive reports whether a process with this id is running.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}

// chownLike does nothing where files have no Unix owner.
func chownLike(string, fs.FileInfo) {}
