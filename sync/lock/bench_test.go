package lock

import "testing"

// BenchmarkTryLockUnlock is the overhead a run pays for its cross-process lock.
func BenchmarkTryLockUnlock(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		l, err := TryLock(dir, storeID, "bench")
		if err != nil {
			b.Fatal(err)
		}
		l.Unlock()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/lock+unlock")
}
