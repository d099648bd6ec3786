//go:build windows

package lock

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockOffsetHigh places the locked byte at 4 GiB, far past the holder text: Windows byte-range
// locks are mandatory, and locking byte 0 would stop other processes from reading who holds it.
const lockOffsetHigh = 1

// lockFile takes an exclusive LockFileEx lock on f without blocking. The lock belongs to the file
// handle, and Windows drops it when the handle is closed or the process dies.
func lockFile(f *os.File) (busy bool, err error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return false, err
	}
	var lerr error
	if err := rc.Control(func(fd uintptr) {
		ol := &windows.Overlapped{OffsetHigh: lockOffsetHigh}
		lerr = windows.LockFileEx(windows.Handle(fd),
			windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	}); err != nil {
		return false, err
	}
	if errors.Is(lerr, windows.ERROR_LOCK_VIOLATION) || errors.Is(lerr, windows.ERROR_IO_PENDING) {
		return true, nil
	}
	return false, lerr
}

func unlockFile(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var uerr error
	if err := rc.Control(func(fd uintptr) {
		ol := &windows.Overlapped{OffsetHigh: lockOffsetHigh}
		uerr = windows.UnlockFileEx(windows.Handle(fd), 0, 1, 0, ol)
	}); err != nil {
		return err
	}
	return uerr
}
