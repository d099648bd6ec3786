// Package notify tells people how a sync went: a Notifier interface with the event it carries,
// a webhook implementation (JSON POST with retries and an optional HMAC signature) and a
// notifier that fans out to several. Desktop notifications implement Notifier in app/.
package notify

import (
	"context"
	"errors"
	"sync"
	"time"
)

// RunState is the outcome of a run as reported to people.
type RunState string

// Run states. A receiver should treat unknown states as "something to look at".
const (
	StateSucceeded RunState = "succeeded" // everything applied
	StatePartial   RunState = "partial"   // finished with some item errors or conflicts
	StateFailed    RunState = "failed"    // the run stopped (token revoked, source unreadable, ...)
	StateCancelled RunState = "cancelled"
)

// Counts are the per-item outcomes of a run.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Errors    int `json:"errors"`
	Conflicts int `json:"conflicts"`
}

// Event is one finished (or failed) run. Its JSON form is the webhook body. It must never carry a
// secret: Message is shown to whoever reads the chat channel.
type Event struct {
	Store     string   `json:"store"`    // the store's display name
	StoreID   string   `json:"store_id"` // Shelfsync's store UUID
	Run       string   `json:"run"`      // run ID
	State     RunState `json:"state"`
	Counts    Counts   `json:"counts"`
	Message   string   `json:"message"`              // one line for people
	ReportURL string   `json:"report_url,omitempty"` // where the full report is, if it is on the web
	// Report is the report's file name in Shelfsync's reports folder (open
	// it from History). Never a local path: that names the computer's user,
	// and the payload goes to a third-party chat service.
	Report string    `json:"report,omitempty"`
	At     time.Time `json:"at"` // when the run ended
}

// Notifier delivers an Event somewhere. Notify returns when the event was delivered or given up on.
type Notifier interface {
	Notify(ctx context.Context, ev Event) error
}

// Compile-time checks that the implementations satisfy Notifier.
var (
	_ Notifier = (*Webhook)(nil)
	_ Notifier = Multi(nil)
	_ Notifier = Func(nil)
)

// Func adapts a function to Notifier.
type Func func(ctx context.Context, ev Event) error

// Notify calls f.
func (f Func) Notify(ctx context.Context, ev Event) error { return f(ctx, ev) }

// Multi notifies several Notifiers at once, so a slow webhook does not delay a desktop notice.
// Its error joins the errors of those that failed. Nil entries are skipped.
type Multi []Notifier

// Notify sends ev to every notifier concurrently and waits for all of them.
func (m Multi) Notify(ctx context.Context, ev Event) error {
	errs := make([]error, len(m))
	var wg sync.WaitGroup
	for i, n := range m {
		if n == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = n.Notify(ctx, ev)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
