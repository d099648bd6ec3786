package schedule

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseForms(t *testing.T) {
	tests := []struct {
		text, zone string
		kind       Kind
		canon      string
		str        string
	}{
		{"every 15m", "UTC", KindInterval, "every 15m", "Every 15 minutes"},
		{"Every  2h", "", KindInterval, "every 2h", "Every 2 hours"},
		{"every 1h30m", "UTC", KindInterval, "every 1h30m", "Every 1 hour 30 minutes"},
		{"every 15 minutes", "UTC", KindInterval, "every 15m", "Every 15 minutes"},
		{"every hour", "UTC", KindInterval, "every 1h", "Every hour"},
		{"every minute", "UTC", KindInterval, "every 1m", "Every minute"},
		{"@every 30m", "UTC", KindInterval, "every 30m", "Every 30 minutes"},
		{"daily 06:30", "Europe/Berlin", KindDaily, "daily 06:30", "Daily at 06:30 (Europe/Berlin)"},
		{"daily at 6:05", "UTC", KindDaily, "daily 06:05", "Daily at 06:05 (UTC)"},
		{"daily 23:59", "", KindDaily, "daily 23:59", "Daily at 23:59 (local time)"},
		{"0 */2 * * *", "UTC", KindCron, "cron 0 */2 * * *", "Cron: 0 */2 * * * (UTC)"},
		{"cron 15 6 * * 1-5", "America/New_York", KindCron, "cron 15 6 * * 1-5", "Cron: 15 6 * * 1-5 (America/New_York)"},
		{"@hourly", "UTC", KindCron, "cron @hourly", "Cron: @hourly (UTC)"},
		{"CRON_TZ=Asia/Tokyo 0 9 * * *", "", KindCron, "cron 0 9 * * *", "Cron: 0 9 * * * (Asia/Tokyo)"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s, err := Parse(tt.text, tt.zone)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if s.Kind() != tt.kind || s.Text() != tt.canon || s.String() != tt.str {
				t.Errorf("got kind %d text %q string %q; want %d %q %q", s.Kind(), s.Text(), s.String(), tt.kind, tt.canon, tt.str)
			}
			// The canonical text and zone round-trip (what the database stores).
			back, err := Parse(s.Text(), s.Zone())
			if err != nil || back.String() != s.String() || back.Zone() != s.Zone() {
				t.Errorf("round trip of %q/%q: %v %v", s.Text(), s.Zone(), back, err)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ text, zone, want string }{
		{"", "UTC", "it is empty"},
		{"every 0m", "UTC", "at least 1 minute"},
		{"every 30s", "UTC", "at least 1 minute"},
		{"every 90s", "UTC", "whole number of minutes"},
		{"every 800h", "UTC", "at most 31 days"},
		{"every soon", "UTC", "like 15m"},
		{"every x minutes", "UTC", "not a whole number"},
		{"daily 25:00", "UTC", "hour must be 00 to 23"},
		{"daily 06:60", "UTC", "minute must be 00 to 59"},
		{"daily 6h", "UTC", "HH:MM"},
		{"61 * * * *", "UTC", "not a valid cron expression"},
		{"* * *", "UTC", "5 fields"},
		{"0 0 30 2 *", "UTC", "never runs"},
		{"@fortnightly", "UTC", "not a valid cron expression"},
		{"daily 06:30", "Europe/Berln", `unknown time zone "Europe/Berln"`},
		{"CRON_TZ=Asia/Tokyo 0 9 * * *", "UTC", "names zone"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			_, err := Parse(tt.text, tt.zone)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalidSpec) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q; want it to contain %q and wrap ErrInvalidSpec", err, tt.want)
			}
		})
	}
}

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestNext(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name, text, zone string
		after            time.Time
		want             []time.Time // successive Next calls
	}{
		{"interval", "every 15m", "UTC", utc("2026-01-01T10:07:00Z"),
			[]time.Time{utc("2026-01-01T10:22:00Z"), utc("2026-01-01T10:37:00Z")}},
		// Intervals are elapsed time: 2h across spring-forward is 2 real hours.
		{"interval across DST", "every 2h", "Europe/Berlin", utc("2026-03-29T00:30:00Z"),
			[]time.Time{utc("2026-03-29T02:30:00Z")}},
		{"daily in zone", "daily 06:30", "Europe/Berlin", utc("2026-01-10T12:00:00Z"),
			[]time.Time{utc("2026-01-11T05:30:00Z"), utc("2026-01-12T05:30:00Z")}},
		{"daily in summer", "daily 06:30", "Europe/Berlin", utc("2026-07-10T12:00:00Z"),
			[]time.Time{utc("2026-07-11T04:30:00Z")}},
		{"cron every 2h", "0 */2 * * *", "UTC", utc("2026-01-01T09:15:00Z"),
			[]time.Time{utc("2026-01-01T10:00:00Z"), utc("2026-01-01T12:00:00Z")}},
		{"cron weekdays in New York", "15 6 * * 1-5", "America/New_York", utc("2026-01-09T12:00:00Z"), // a Friday
			[]time.Time{utc("2026-01-12T11:15:00Z")}},
		// Spring forward (Sunday 29 March 2026, 02:00 CET -> 03:00 CEST): 02:30 does not exist that
		// day, so as in robfig/cron the daily run is skipped and the next is Monday 02:30 CEST.
		{"daily 02:30 spring-forward", "daily 02:30", "Europe/Berlin", time.Date(2026, 3, 29, 0, 0, 0, 0, berlin),
			[]time.Time{time.Date(2026, 3, 30, 2, 30, 0, 0, berlin)}},
		// Fall back (Sunday 25 October 2026, 03:00 CEST -> 02:00 CET): 02:30 happens twice and, as in
		// robfig/cron, the job runs at both: 00:30 UTC (CEST) and 01:30 UTC (CET).
		{"cron 02:30 fall-back", "30 2 * * *", "Europe/Berlin", time.Date(2026, 10, 25, 0, 0, 0, 0, berlin),
			[]time.Time{utc("2026-10-25T00:30:00Z"), utc("2026-10-25T01:30:00Z"), utc("2026-10-26T01:30:00Z")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustParse(tt.text, tt.zone)
			at := tt.after
			for i, want := range tt.want {
				at = s.Next(at)
				if !at.Equal(want) {
					t.Fatalf("Next #%d = %s; want %s", i+1, at.UTC(), want.UTC())
				}
			}
		})
	}
}

func TestZeroSpecNeverFires(t *testing.T) {
	var s Spec
	if !s.IsZero() || !s.Next(time.Now()).IsZero() || s.String() != "Never" {
		t.Errorf("zero spec: IsZero %v Next %v String %q", s.IsZero(), s.Next(time.Now()), s.String())
	}
}

func TestSlotAfterKeepsIntervalGrid(t *testing.T) {
	s := MustParse("every 1h", "UTC")
	anchor := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		from, want time.Time
	}{
		{anchor, anchor.Add(time.Hour)},
		{anchor.Add(-time.Minute), anchor.Add(time.Hour)},
		{anchor.Add(5*time.Hour + 30*time.Minute), anchor.Add(6 * time.Hour)},
		{anchor.Add(6 * time.Hour), anchor.Add(7 * time.Hour)},
	} {
		if got := s.slotAfter(anchor, tt.from); !got.Equal(tt.want) {
			t.Errorf("slotAfter(%s) = %s; want %s", tt.from, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"every 15m", "daily 06:30", "0 */2 * * *", "@hourly", "CRON_TZ=UTC 1 2 3 4 5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse(text, "UTC")
		if err != nil {
			return
		}
		back, err := Parse(s.Text(), s.Zone())
		if err != nil || back.Text() != s.Text() {
			t.Fatalf("%q parsed to %q which does not round-trip: %v", text, s.Text(), err)
		}
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if n := s.Next(now); !n.After(now) {
			t.Fatalf("%q: Next(%s) = %s, not after", text, now, n)
		}
	})
}

// TestParsePhrases: everyday phrasings work; anything else names the
// accepted forms.
func TestParsePhrases(t *testing.T) {
	for in, want := range map[string]string{
		"every day at 6":      "daily 06:00",
		"Every day at 6:30pm": "daily 18:30",
		"each day at 18:15":   "daily 18:15",
		"daily at 6am":        "daily 06:00",
		"daily at 12am":       "daily 00:00",
		"daily at noon":       "daily 12:00",
		"everyday at 7.45":    "daily 07:45",
		"hourly":              "every 1h",
		"every 2 hours":       "every 2h",
		"daily 06:30":         "daily 06:30",
	} {
		s, err := Parse(in, "UTC")
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := s.Text(); got != want {
			t.Errorf("%q = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"tomorrow morning", "every day at 25", "daily at 13pm"} {
		_, err := Parse(in, "UTC")
		if err == nil {
			t.Errorf("%q parsed", in)
		}
	}
	_, err := Parse("twice a week", "UTC")
	if err == nil || !strings.Contains(err.Error(), "daily 06:30") || !strings.Contains(err.Error(), "every 2h") {
		t.Fatalf("error %v does not show the accepted forms", err)
	}
}
