//go:build !unix

package source

func cpuTime() float64 { return 0 }
