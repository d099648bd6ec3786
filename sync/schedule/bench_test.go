package schedule

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func BenchmarkSpecNext(b *testing.B) {
	for _, text := range []string{"every 15m", "daily 06:30", "0 */2 * * 1-5"} {
		b.Run(text, func(b *testing.B) {
			s := MustParse(text, "Europe/Berlin")
			at := t0
			for b.Loop() {
				at = s.Next(at)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/next")
		})
	}
}

// BenchmarkDue measures one `run-due` decision over an agency-sized set of schedules.
func BenchmarkDue(b *testing.B) {
	const entries = 1000
	s, err := New(Options{Job: func(context.Context, string) error { return nil }, Clock: NewFakeClock(t0)})
	if err != nil {
		b.Fatal(err)
	}
	specs := []string{"every 15m", "daily 06:30", "0 */2 * * *", "every 1h"}
	for i := range entries {
		s.Set(Entry{ID: fmt.Sprintf("store-%04d", i), Spec: MustParse(specs[i%len(specs)], "Europe/Berlin"),
			Enabled: true, Since: setLongAgo, LastRun: t0.Add(-time.Duration(i) * time.Minute)})
	}
	due := 0
	for b.Loop() {
		due = len(s.Due(t0))
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/due-scan")
	b.ReportMetric(float64(due), "due")
}
