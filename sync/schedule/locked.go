package schedule

import (
	"context"

	"github.com/shelfsync/shelfsync/sync/lock"
)

// Locked wraps job so that every run holds its store's cross-process lock (package lock) in dir,
// with the entry ID as the store ID, so the window's scheduler and a `shelfsync` started by cron
// never sync the same store at once. A store busy elsewhere fails the run at once with a
// *lock.BusyError (errors.Is(err, lock.ErrBusy)) that says who holds it; the entry is not retried
// before its next slot, because the other run is doing the same work.
func Locked(dir, purpose string, job Job) Job {
	return func(ctx context.Context, entryID string) error {
		l, err := lock.TryLock(dir, entryID, purpose)
		if err != nil {
			return err
		}
		defer l.Unlock()
		return job(ctx, entryID)
	}
}
