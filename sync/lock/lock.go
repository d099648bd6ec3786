// Package lock keeps two runs of the same store from overlapping, within one process and across
// processes (the window's scheduler beside a `shelfsync` started by cron on the same machine).
//
// Each store has a lock file in a lock directory. The lock is an OS file lock (flock on Unix,
// LockFileEx on Windows), which the kernel drops when the holding process dies, so a crashed or
// killed run never leaves a stale lock behind. The file also carries advisory information about
// the holder (pid, host, start time, purpose) so a busy error can say who holds it. Lock files are
// never deleted: removing one while another process waits on it would let two holders in.
// File locks on network file systems are unreliable; keep the lock directory on a local disk.
package lock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrBusy is matched (errors.Is) by the *BusyError returned when another run holds the lock.
var ErrBusy = errors.New("store is busy")

// ErrUnlocked is returned by Unlock on a lock that was already released.
var ErrUnlocked = errors.New("lock already released")

// Holder describes who holds a lock. It is read from the lock file and is advisory only.
type Holder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
	Purpose string    `json:"purpose,omitempty"`
}

// String describes the holder for a busy message.
func (h Holder) String() string {
	if h.PID == 0 {
		return "another process"
	}
	s := fmt.Sprintf("pid %d on %s since %s", h.PID, h.Host, h.Started.Local().Format("2006-01-02 15:04:05"))
	if h.Purpose != "" {
		s += fmt.Sprintf(" (%s)", h.Purpose)
	}
	return s
}

// BusyError says that a store's lock is held, and by whom if known.
type BusyError struct {
	StoreID   string
	Holder    Holder // zero if unknown
	InProcess bool   // held by this very process
}

func (e *BusyError) Error() string {
	who := e.Holder.String()
	if e.InProcess {
		who = "this app: " + who
	}
	return fmt.Sprintf("store %s is already syncing (lock held by %s)", e.StoreID, who)
}

// Is makes errors.Is(err, ErrBusy) true.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Lock is a held store lock. Release it with Unlock.
type Lock struct {
	storeID string
	path    string
	key     string
	holder  Holder

	mu    sync.Mutex
	f     *os.File // nil once released
	alive *os.File // the held "<id>.alive" lock (see Running); nil if it could not be had
}

// StoreID returns the locked store's ID.
func (l *Lock) StoreID() string { return l.storeID }

// Path returns the lock file's path.
func (l *Lock) Path() string { return l.path }

// Holder returns what this lock wrote about itself.
func (l *Lock) Holder() Holder { return l.holder }

// held is this process's table of locks it holds. The OS lock table it mirrors is process-wide,
// so this guard is too: two goroutines (or two Schedulers) in one process exclude each other
// without relying on per-platform details of how file locks treat a second open of the same file.
var held = struct {
	sync.Mutex
	m map[string]*Lock
}{m: map[string]*Lock{}}

// TryLock takes the lock for storeID in dir (created with mode 0700 if missing) without waiting.
// purpose is shown to whoever finds the store busy, for example "scheduled run" or "shelfsync sync".
// If the lock is held, the error is a *BusyError (errors.Is(err, ErrBusy)).
func TryLock(dir, storeID, purpose string) (*Lock, error) {
	if err := checkStoreID(storeID); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("lock: create lock directory: %w", err)
	}
	path := filepath.Join(dir, storeID+".lock")
	key, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}

	held.Lock()
	defer held.Unlock()
	if l, ok := held.m[key]; ok {
		return nil, &BusyError{StoreID: storeID, Holder: l.holder, InProcess: true}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: open lock file: %w", err)
	}
	busy, err := lockFile(f)
	if err != nil || busy {
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("lock: lock %s: %w", path, err)
		}
		h, _ := ReadHolder(dir, storeID)
		return nil, &BusyError{StoreID: storeID, Holder: h}
	}
	host, _ := os.Hostname()
	l := &Lock{storeID: storeID, path: path, key: key, f: f,
		holder: Holder{PID: os.Getpid(), Host: host, Started: time.Now().UTC().Truncate(time.Second), Purpose: purpose}}
	// Best effort: the lock is already ours, the text only explains it to others.
	if b, err := json.Marshal(l.holder); err == nil {
		_ = f.Truncate(0)
		_, _ = f.WriteAt(append(b, '\n'), 0)
	}
	l.alive = holdAlive(dir, storeID)
	held.m[key] = l
	return l, nil
}

// aliveWait bounds how long TryLock waits for the alive lock: Running holds
// it only for the moment of a test.
const aliveWait = time.Second

// holdAlive takes the exclusive lock on "<id>.alive", which a holder keeps
// beside the store lock so that Running can tell whether the store is in
// use without ever taking the store lock itself: a liveness check that took
// it, however briefly, would make a run starting at that moment fail with
// ErrBusy (and a scheduled slot be lost).
func holdAlive(dir, storeID string) *os.File {
	f, err := os.OpenFile(filepath.Join(dir, storeID+".alive"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil
	}
	for deadline := time.Now().Add(aliveWait); ; {
		busy, err := lockFile(f)
		if err == nil && !busy {
			return f
		}
		if err != nil || time.Now().After(deadline) {
			f.Close()
			return nil
		}
		time.Sleep(time.Millisecond)
	}
}

// Running reports whether the lock for storeID is held by a live holder, in
// this process or another, without taking it: it tests the holder's alive
// lock for a moment instead.
func Running(dir, storeID string) (bool, error) {
	if err := checkStoreID(storeID); err != nil {
		return false, err
	}
	f, err := os.OpenFile(filepath.Join(dir, storeID+".alive"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return false, fmt.Errorf("lock: open alive file: %w", err)
	}
	defer f.Close()
	busy, err := lockFile(f)
	if err != nil || busy {
		return busy, err
	}
	return false, unlockFile(f)
}

// Acquire waits until it holds the lock for storeID or ctx ends, trying every poll interval
// (250 ms if poll <= 0). When ctx ends it returns the last *BusyError joined with ctx's error.
func Acquire(ctx context.Context, dir, storeID, purpose string, poll time.Duration) (*Lock, error) {
	if poll <= 0 {
		poll = 250 * time.Millisecond
	}
	for {
		l, err := TryLock(dir, storeID, purpose)
		if !errors.Is(err, ErrBusy) {
			return l, err
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
}

// Unlock releases the lock. The file stays (see the package comment); its holder text is cleared.
func (l *Lock) Unlock() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return ErrUnlocked
	}
	held.Lock()
	defer held.Unlock()
	if l.alive != nil {
		_ = unlockFile(l.alive)
		l.alive.Close()
		l.alive = nil
	}
	_ = l.f.Truncate(0)
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	delete(held.m, l.key)
	if err != nil {
		return fmt.Errorf("lock: unlock %s: %w", l.path, err)
	}
	return nil
}

// ReadHolder reads the advisory holder information of storeID's lock file. It says who last
// took the lock; only TryLock tells whether the lock is held now.
func ReadHolder(dir, storeID string) (Holder, error) {
	if err := checkStoreID(storeID); err != nil {
		return Holder{}, err
	}
	b, err := os.ReadFile(filepath.Join(dir, storeID+".lock"))
	if err != nil {
		return Holder{}, err
	}
	var h Holder
	if len(strings.TrimSpace(string(b))) == 0 {
		return Holder{}, nil
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return Holder{}, fmt.Errorf("lock: unreadable holder information: %w", err)
	}
	return h, nil
}

// checkStoreID allows IDs that are safe as file names everywhere (UUIDs and similar).
func checkStoreID(id string) error {
	if id == "" || len(id) > 128 || id[0] == '.' {
		return fmt.Errorf("lock: invalid store ID %q", id)
	}
	if strings.IndexFunc(id, badIDRune) >= 0 {
		return fmt.Errorf("lock: invalid store ID %q: use letters, digits, '-', '_' and '.'", id)
	}
	base := strings.ToUpper(id)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	if reservedWindowsName(base) {
		return fmt.Errorf("lock: invalid store ID %q: a reserved file name on Windows", id)
	}
	return nil
}

func badIDRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
}

func reservedWindowsName(base string) bool {
	switch base {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) &&
		base[3] >= '0' && base[3] <= '9'
}
