//go:build !unix && !windows

package lock

import (
	"errors"
	"os"
)

// Platforms without file locks (js, wasip1, plan9) get only the in-process guard.
func lockFile(*os.File) (bool, error) { return false, errors.ErrUnsupported }

func unlockFile(*os.File) error { return nil }
