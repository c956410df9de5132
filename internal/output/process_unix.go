//go:build unix

package output

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// alive reports whether a process with this id is running.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// chownLike gives p the owner and group of the file st describes, where
// the user may; a build run with sudo then does not leave a destination
// that its owner can no longer write.
func chownLike(p string, st fs.FileInfo) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		_ = os.Lchown(p, int(s.Uid), int(s.Gid))
	}
}
