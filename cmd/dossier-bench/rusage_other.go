//go:build !unix

package main

import (
	"os"
	"time"
)

// usage returns the CPU time of a finished child process; peak memory is
// not available here.
func usage(ps *os.ProcessState) (cpu time.Duration, rss int64) {
	return ps.UserTime() + ps.SystemTime(), 0
}
