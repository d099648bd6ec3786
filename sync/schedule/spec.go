// Package schedule decides when syncs run by themselves: it parses the schedule a user types
// ("every 15m", "daily 06:30", a cron expression) in an IANA time zone, and runs a Scheduler loop
// that calls a job for each entry when it is due, with catch-up, pause, manual runs and a limit
// on how many stores sync at once.
//
// Daylight saving time follows github.com/robfig/cron/v3, which also evaluates "daily" schedules
// (a daily spec is the cron expression "M H * * *"): a wall-clock time that does not exist on a
// spring-forward day (02:30 in Europe/Berlin on the last Sunday of March) is skipped that day, and a
// time that happens twice on a fall-back day (02:30 on the last Sunday of October) runs twice, once
// in summer time and once in standard time. Intervals ("every 2h") are elapsed time and ignore
// the zone entirely.
package schedule

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	// Embedded zone data, so zones resolve on machines without a zoneinfo database (Windows).
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
)

// ErrInvalidSpec is wrapped by every error Parse returns.
var ErrInvalidSpec = errors.New("invalid schedule")

// Kind says which form a Spec has.
type Kind int

// The three forms of a schedule.
const (
	KindInterval Kind = iota + 1 // every N minutes or hours
	KindDaily                    // once a day at a wall-clock time
	KindCron                     // a 5-field cron expression or a descriptor such as @hourly
)

// Interval bounds: shorter than a minute hammers the store, longer than 31 days is not a schedule.
const (
	MinInterval = time.Minute
	MaxInterval = 31 * 24 * time.Hour
)

// Spec is a parsed schedule. The zero Spec never fires. Specs are immutable values and safe for
// concurrent use.
type Spec struct {
	kind   Kind
	every  time.Duration
	hour   int
	minute int
	expr   string // the cron expression as typed (without a TZ= prefix)
	loc    *time.Location
	sched  cron.Schedule // daily and cron
}

// Parse reads a schedule as a user types it, in the IANA zone (for example "Europe/Berlin").
// An empty zone or "Local" means the machine's zone. Accepted forms:
//
//	every 15m | every 2h | every 1h30m | every 15 minutes | every hour | @every 30m
//	daily 06:30 | daily at 6:30 | daily at 6pm | every day at 6 | each day at 18:15 | hourly
//	cron 0 */2 * * * | 0 */2 * * * | @hourly | @daily | @weekly | @monthly | @yearly
//
// A cron expression may start with CRON_TZ=Zone (as crontab lines do) instead of passing zone.
func Parse(text, zone string) (Spec, error) {
	t := strings.Join(strings.Fields(text), " ")
	if t == "" {
		return Spec{}, invalid(text, "it is empty; try \"every 15m\", \"daily 06:30\" or a cron expression")
	}
	lower := strings.ToLower(t)
	var (
		s   Spec
		err error
	)
	if m := dayPhrase.FindStringSubmatch(lower); m != nil { // "every day at 6", "each day at 6:30pm"
		lower, t = "daily "+m[1], "daily "+m[1]
	}
	if lower == "hourly" || lower == "every hour" {
		lower, t = "every 1h", "every 1h"
	}
	switch {
	case strings.HasPrefix(lower, "every "), strings.HasPrefix(lower, "@every "):
		s, err = parseInterval(text, t[strings.Index(t, " ")+1:])
	case strings.HasPrefix(lower, "daily "):
		s, err = parseDaily(text, t[len("daily "):])
	case strings.HasPrefix(lower, "cron "):
		s, zone, err = parseCron(text, strings.TrimSpace(t[len("cron "):]), zone)
	case lower[0] >= 'a' && lower[0] <= 'z' && !strings.HasPrefix(lower, "cron_tz=") && !strings.HasPrefix(lower, "tz="):
		err = invalid(text, "Shelfsync does not understand it; "+AcceptedForms)
	default:
		s, zone, err = parseCron(text, t, zone)
	}
	if err != nil {
		return Spec{}, err
	}
	loc, err := loadZone(zone)
	if err != nil {
		return Spec{}, err
	}
	s.loc = loc
	switch s.kind {
	case KindDaily:
		s.sched = mustCron(fmt.Sprintf("%d %d * * *", s.minute, s.hour), loc)
	case KindCron:
		sched, err := cron.ParseStandard(s.expr)
		if err != nil {
			return Spec{}, invalid(text, cronReason(err))
		}
		ss, ok := sched.(*cron.SpecSchedule)
		if !ok { // @every was turned into an interval above; nothing else parses to another type
			return Spec{}, invalid(text, "unsupported cron form")
		}
		cp := *ss
		cp.Location = loc
		s.sched = &cp
		if s.Next(time.Now()).IsZero() {
			return Spec{}, invalid(text, "it never runs (no such date)")
		}
	}
	return s, nil
}

// MustParse is Parse for constants in tests and defaults; it panics on an error.
func MustParse(text, zone string) Spec {
	s, err := Parse(text, zone)
	if err != nil {
		panic(err)
	}
	return s
}

// AcceptedForms lists the ways to write a schedule, for error messages.
const AcceptedForms = `write it as "every 15m", "every 2h", "daily 06:30" (or "every day at 6:30pm"), ` +
	`or a cron expression such as "0 6 * * 1-5"`

func invalid(text, reason string) error {
	return fmt.Errorf("%w %q: %s", ErrInvalidSpec, strings.TrimSpace(text), reason)
}

func loadZone(zone string) (*time.Location, error) {
	if zone == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("%w: unknown time zone %q (use an IANA name such as \"Europe/Berlin\" or \"UTC\")",
			ErrInvalidSpec, zone)
	}
	return loc, nil
}

var unitWords = map[string]time.Duration{
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
}

func parseInterval(text, arg string) (Spec, error) {
	arg = strings.ToLower(strings.TrimSpace(arg))
	var d time.Duration
	switch f := strings.Fields(arg); {
	case len(f) == 1 && unitWords[f[0]] != 0: // "every hour", "every minute"
		d = unitWords[f[0]]
	case len(f) == 2 && unitWords[f[1]] != 0: // "every 15 minutes"
		n, err := strconv.Atoi(f[0])
		if err != nil {
			return Spec{}, invalid(text, fmt.Sprintf("%q is not a whole number", f[0]))
		}
		d = time.Duration(n) * unitWords[f[1]]
	case len(f) == 1:
		var err error
		if d, err = time.ParseDuration(f[0]); err != nil {
			return Spec{}, invalid(text, "write the interval like 15m, 2h or 1h30m")
		}
	default:
		return Spec{}, invalid(text, "write the interval like 15m, 2h or 1h30m")
	}
	switch {
	case d < MinInterval:
		return Spec{}, invalid(text, "the interval must be at least 1 minute")
	case d > MaxInterval:
		return Spec{}, invalid(text, "the interval must be at most 31 days; use daily or cron instead")
	case d%time.Minute != 0:
		return Spec{}, invalid(text, "the interval must be a whole number of minutes")
	}
	return Spec{kind: KindInterval, every: d}, nil
}

func parseDaily(text, arg string) (Spec, error) {
	arg = strings.TrimSpace(arg)
	if a, ok := strings.CutPrefix(strings.ToLower(arg), "at "); ok {
		arg = strings.TrimSpace(a)
	}
	h, m, ok := parseClock(arg)
	switch {
	case !ok:
		return Spec{}, invalid(text, "write the time as HH:MM in 24-hour form, for example 06:30")
	case h < 0 || h > 23:
		return Spec{}, invalid(text, "the hour must be 00 to 23")
	case m < 0 || m > 59:
		return Spec{}, invalid(text, "the minute must be 00 to 59")
	}
	return Spec{kind: KindDaily, hour: h, minute: m}, nil
}

// parseCron separates a CRON_TZ=/TZ= prefix from the expression and returns the zone to use.
func parseCron(text, expr, zone string) (Spec, string, error) {
	if strings.HasPrefix(expr, "CRON_TZ=") || strings.HasPrefix(expr, "TZ=") {
		pre, rest, _ := strings.Cut(expr, " ")
		_, z, _ := strings.Cut(pre, "=")
		if zone != "" && zone != z {
			return Spec{}, "", invalid(text, fmt.Sprintf("it names zone %q but the schedule's zone is %q", z, zone))
		}
		zone, expr = z, strings.TrimSpace(rest)
	}
	if e, ok := strings.CutPrefix(expr, "@every "); ok {
		s, err := parseInterval(text, e)
		return s, zone, err
	}
	if !strings.HasPrefix(expr, "@") && len(strings.Fields(expr)) != 5 {
		return Spec{}, "", invalid(text, fmt.Sprintf(
			"a cron expression has 5 fields (minute hour day-of-month month day-of-week), this has %d",
			len(strings.Fields(expr))))
	}
	return Spec{kind: KindCron, expr: expr}, zone, nil
}

func cronReason(err error) string {
	return "not a valid cron expression: " + strings.TrimPrefix(err.Error(), "cron: ")
}

func mustCron(expr string, loc *time.Location) cron.Schedule {
	s, err := cron.ParseStandard(expr)
	if err != nil {
		panic(err) // built from validated numbers
	}
	ss := s.(*cron.SpecSchedule)
	ss.Location = loc
	return ss
}

// Kind reports the form of the schedule; 0 for the zero Spec.
func (s Spec) Kind() Kind { return s.kind }

// IsZero reports whether s is the zero Spec (never fires).
func (s Spec) IsZero() bool { return s.kind == 0 }

// Interval returns the interval of a KindInterval spec, else 0.
func (s Spec) Interval() time.Duration { return s.every }

// Location returns the schedule's time zone (time.Local when none was given).
func (s Spec) Location() *time.Location {
	if s.loc == nil {
		return time.Local
	}
	return s.loc
}

// Zone returns the zone name to store beside Text: an IANA name, "UTC" or "Local".
func (s Spec) Zone() string { return s.Location().String() }

// Text returns the canonical text of the schedule; Parse(s.Text(), s.Zone()) gives back an equal Spec.
func (s Spec) Text() string {
	switch s.kind {
	case KindInterval:
		return "every " + shortDuration(s.every)
	case KindDaily:
		return fmt.Sprintf("daily %02d:%02d", s.hour, s.minute)
	case KindCron:
		return "cron " + s.expr
	}
	return ""
}

// String describes the schedule for people: "Every 15 minutes", "Daily at 06:30 (Europe/Berlin)",
// "Cron: 0 */2 * * * (UTC)".
func (s Spec) String() string {
	switch s.kind {
	case KindInterval:
		return "Every " + longDuration(s.every)
	case KindDaily:
		return fmt.Sprintf("Daily at %02d:%02d (%s)", s.hour, s.minute, s.zoneLabel())
	case KindCron:
		return fmt.Sprintf("Cron: %s (%s)", s.expr, s.zoneLabel())
	}
	return "Never"
}

func (s Spec) zoneLabel() string {
	if s.Location() == time.Local {
		return "local time"
	}
	return s.Zone()
}

// Next returns the first time strictly after `after` at which the schedule fires, in after's
// location, or the zero time if it never fires. For an interval it is simply after + interval; the
// Scheduler keeps an interval's runs on a grid anchored at the entry's last run.
func (s Spec) Next(after time.Time) time.Time {
	switch s.kind {
	case KindInterval:
		return after.Add(s.every)
	case KindDaily, KindCron:
		return s.sched.Next(after)
	}
	return time.Time{}
}

// slotAfter is the first slot strictly after from, for an entry whose last run (or creation) was
// anchor. Intervals stay on anchor + k×interval so that skipping missed slots keeps the rhythm.
func (s Spec) slotAfter(anchor, from time.Time) time.Time {
	if s.kind != KindInterval || from.Before(anchor) {
		if s.kind == KindInterval {
			return anchor.Add(s.every)
		}
		return s.Next(from)
	}
	k := from.Sub(anchor)/s.every + 1
	return anchor.Add(k * s.every)
}

func shortDuration(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case m == 0:
		return fmt.Sprintf("%dh", h)
	case h == 0:
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}

func longDuration(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0 && m == 1:
		return "minute"
	case h == 1 && m == 0:
		return "hour"
	case h == 0:
		return plural(m, "minute")
	case m == 0:
		return plural(h, "hour")
	}
	return plural(h, "hour") + " " + plural(m, "minute")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// dayPhrase is "every day at TIME" and its everyday variants.
var dayPhrase = regexp.MustCompile(`^(?:every|each) ?day(?: at)? (.+)$`)

// parseClock reads a time of day as people write it: "06:30", "6:30",
// "6", "6.30", "6am", "6:30 pm", "noon", "midnight". Hours out of range are
// returned as they are, for the caller to name.
func parseClock(s string) (h, m int, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "noon":
		return 12, 0, true
	case "midnight":
		return 0, 0, true
	}
	s = strings.ReplaceAll(s, ".", ":")
	s = strings.NewReplacer("a:m:", "am", "p:m:", "pm").Replace(s)
	half := ""
	for _, suf := range []string{"am", "pm"} {
		if r, found := strings.CutSuffix(s, suf); found {
			half, s = suf, strings.TrimSpace(r)
		}
	}
	hs, ms, hasMin := strings.Cut(s, ":")
	if !hasMin {
		ms = "00"
	}
	var herr, merr error
	h, herr = strconv.Atoi(hs)
	m, merr = strconv.Atoi(ms)
	if herr != nil || merr != nil || len(ms) != 2 || len(hs) == 0 || len(hs) > 2 {
		return 0, 0, false
	}
	if half != "" {
		if h < 1 || h > 12 {
			return 0, 0, false // "13pm" is no time
		}
		h %= 12
		if half == "pm" {
			h += 12
		}
	}
	return h, m, true
}
