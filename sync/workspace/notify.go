package workspace

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/lock"
	"github.com/shelfsync/shelfsync/sync/notify"
	"github.com/shelfsync/shelfsync/sync/state"
)

// Alerts are the alert settings of one store.
type Alerts struct {
	// WebhookURL is where each run's outcome is posted as JSON: https, or
	// http to a loopback host. "" keeps the URL already saved (ClearAlerts
	// removes it). It is kept in the system keychain, never in the
	// database, because chat services embed a secret in it.
	WebhookURL string
	// NotifyOnSuccess tells about successful runs too; failed and held runs
	// are always told. The window's desktop notifications follow it as well.
	NotifyOnSuccess bool
}

// AlertsView is what may be shown of a store's alert settings.
type AlertsView struct {
	HasWebhook      bool
	WebhookHost     string // scheme and host only: "https://hooks.slack.com/…"
	NotifyOnSuccess bool
	// LastError is why the last alert could not be delivered, URL
	// redacted; "" when it went through (or none was sent yet).
	LastError string
}

// StateHeld is the webhook state of a scheduled run that tripped a guard:
// nothing was written and the plan waits for a person to review it.
const StateHeld notify.RunState = "held"

// How long a run waits for its alert: a few quick attempts, bounded in all,
// so a dead chat service delays a run's result by seconds, not minutes.
const (
	alertTotal    = 20 * time.Second
	alertAttempt  = 5 * time.Second
	alertAttempts = 3
	alertBackoff  = 500 * time.Millisecond
)

// Setting keys; state.SetSetting refuses keys that look secret ("webhook"),
// and none of these is.
func onSuccessKey(storeID string) string { return "alerts.on_success:" + storeID }
func lastErrorKey(storeID string) string { return "alerts.last_error:" + storeID }

// SetAlerts saves a store's alert settings: the webhook URL (checked, then
// kept in the keychain) and whether successful runs are told too.
func (w *Workspace) SetAlerts(ctx context.Context, storeID string, a Alerts) error {
	if _, err := w.db.GetStore(ctx, storeID); err != nil {
		return err
	}
	if u := strings.TrimSpace(a.WebhookURL); u != "" {
		if err := notify.ValidateURL(u); err != nil {
			return err
		}
		if err := w.secrets.Set(ctx, storeID, oauth.SecretWebhook, u); err != nil {
			return fmt.Errorf("save the webhook URL in the keychain: %w", err)
		}
		_ = w.db.DeleteSetting(ctx, lastErrorKey(storeID)) // a new URL starts afresh
	}
	return w.db.SetSetting(ctx, onSuccessKey(storeID), strconv.FormatBool(a.NotifyOnSuccess))
}

// ClearAlerts removes a store's webhook URL from the keychain and its alert
// settings.
func (w *Workspace) ClearAlerts(ctx context.Context, storeID string) error {
	if err := w.secrets.Delete(ctx, storeID, oauth.SecretWebhook); err != nil && !errors.Is(err, oauth.ErrNotFound) {
		return fmt.Errorf("remove the webhook URL from the keychain: %w", err)
	}
	return errors.Join(w.db.DeleteSetting(ctx, onSuccessKey(storeID)), w.db.DeleteSetting(ctx, lastErrorKey(storeID)))
}

// Alerts returns a store's alert settings as they may be shown.
func (w *Workspace) Alerts(ctx context.Context, storeID string) (AlertsView, error) {
	if _, err := w.db.GetStore(ctx, storeID); err != nil {
		return AlertsView{}, err
	}
	var v AlertsView
	u, err := w.webhookURL(ctx, storeID)
	if err != nil {
		return v, err
	}
	if u != "" {
		v.HasWebhook, v.WebhookHost = true, notify.RedactURL(u)
	}
	v.NotifyOnSuccess = w.notifyOnSuccess(ctx, storeID)
	v.LastError, _ = w.db.SettingOr(ctx, lastErrorKey(storeID), "")
	return v, nil
}

// TestAlert posts a test event to the store's webhook now, whatever the
// settings say about successful runs.
func (w *Workspace) TestAlert(ctx context.Context, storeID string) error {
	rec, err := w.db.GetStore(ctx, storeID)
	if err != nil {
		return err
	}
	u, err := w.webhookURL(ctx, storeID)
	if err != nil {
		return err
	}
	if u == "" {
		return fmt.Errorf("%s has no webhook URL: set one first", rec.Name)
	}
	return w.post(ctx, storeID, u, notify.Event{Store: rec.Name, StoreID: rec.ID, Run: "test",
		State: notify.StateSucceeded, Message: "Test alert from Shelfsync: alerts for " + rec.Name + " arrive here.", At: w.now()})
}

func (w *Workspace) webhookURL(ctx context.Context, storeID string) (string, error) {
	u, err := w.secrets.Get(ctx, storeID, oauth.SecretWebhook)
	if errors.Is(err, oauth.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the webhook URL from the keychain: %w", err)
	}
	return u, nil
}

func (w *Workspace) notifyOnSuccess(ctx context.Context, storeID string) bool {
	v, _ := w.db.SettingOr(ctx, onSuccessKey(storeID), "")
	return v == "true"
}

// alerted posts the run's outcome to its store's webhook when there is one
// and the outcome calls for it (failed and held runs always, successful ones
// when asked), and returns ev with AlertErr set when that failed. A run that
// never started (not due, the store busy with another run, or cancelled
// before it began) is not told.
func (w *Workspace) alerted(ctx context.Context, ev RunEvent) RunEvent {
	if ev.StoreID == "" || ev.AlreadyTold || (ev.Run.ID == "" && (ev.Err == nil || errors.Is(ev.Err, context.Canceled))) ||
		errors.Is(ev.Err, lock.ErrBusy) {
		return ev
	}
	st := alertState(ev)
	if st == notify.StateSucceeded || st == notify.StateCancelled {
		ev.TellSuccess = w.notifyOnSuccess(ctx, ev.StoreID)
		if !ev.TellSuccess {
			return ev
		}
	}
	u, err := w.webhookURL(ctx, ev.StoreID)
	if err != nil || u == "" {
		ev.AlertErr = err
		return ev
	}
	ev.AlertErr = w.post(ctx, ev.StoreID, u, w.alertEvent(ctx, ev, st))
	return ev
}

// alertState is how a run reads in an alert.
func alertState(ev RunEvent) notify.RunState {
	switch {
	case ev.Held || ev.Run.State == string(state.RunHeld):
		return StateHeld
	case ev.Run.State == string(state.RunCancelled):
		return notify.StateCancelled
	case ev.Err != nil || ev.Run.State == string(state.RunFailed) || ev.Run.ID == "":
		return notify.StateFailed
	case ev.Run.Errors > 0 || ev.Run.Conflicts > 0:
		return notify.StatePartial
	}
	return notify.StateSucceeded
}

func (w *Workspace) alertEvent(ctx context.Context, ev RunEvent, st notify.RunState) notify.Event {
	name := cmp.Or(ev.StoreName, ev.Run.StoreName)
	if name == "" {
		if rec, err := w.db.GetStore(ctx, ev.StoreID); err == nil {
			name = rec.Name
		}
	}
	r := ev.Run
	msg := r.Message
	if ev.Err != nil && !strings.Contains(msg, ev.Err.Error()) {
		msg = strings.TrimPrefix(msg+": "+ev.Err.Error(), ": ")
	}
	at := r.Finished
	if at.IsZero() {
		at = w.now()
	}
	return notify.Event{Store: name, StoreID: ev.StoreID, Run: r.ID, State: st, Message: msg,
		Counts: notify.Counts{Created: r.Created, Updated: r.Updated, Unchanged: r.Unchanged, Errors: r.Errors, Conflicts: r.Conflicts},
		Report: reportName(r.ReportPath), At: at}
}

// post delivers one event with a few retries inside alertTotal, even when
// the run's own context has ended, and records the outcome for Alerts.
func (w *Workspace) post(ctx context.Context, storeID, rawURL string, ev notify.Event) error {
	hook, err := notify.NewWebhook(notify.WebhookOptions{URL: rawURL, Timeout: alertAttempt,
		MaxAttempts: alertAttempts, Backoff: alertBackoff, HTTPClient: w.http})
	if err != nil {
		return redacted(rawURL, err)
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), alertTotal)
	defer cancel()
	bg := context.WithoutCancel(ctx)
	if err := hook.Notify(pctx, ev); err != nil {
		err = redacted(rawURL, err)
		_ = w.db.SetSetting(bg, lastErrorKey(storeID), err.Error())
		return err
	}
	_ = w.db.DeleteSetting(bg, lastErrorKey(storeID))
	return nil
}

// alertError is a failed alert whose message names the webhook by scheme
// and host only; Unwrap keeps errors.Is/As working on the cause.
type alertError struct {
	msg string
	err error
}

func (e *alertError) Error() string { return e.msg }
func (e *alertError) Unwrap() error { return e.err }

// redacted wraps err so that its message cannot carry the webhook URL's
// path or query (where chat services keep the secret), whatever produced it.
func redacted(rawURL string, err error) error {
	msg := err.Error()
	pairs := []string{rawURL, notify.RedactURL(rawURL)}
	if u, perr := url.Parse(rawURL); perr == nil {
		for _, part := range []string{u.RawQuery, u.EscapedPath(), u.Path} {
			if len(part) >= 8 {
				pairs = append(pairs, part, "…")
			}
		}
	}
	msg = strings.NewReplacer(pairs...).Replace(msg)
	if !strings.HasPrefix(msg, "webhook") {
		msg = "webhook " + notify.RedactURL(rawURL) + ": " + msg
	}
	return &alertError{msg: msg, err: err}
}

// reportName is the report's file name ("" for none): the alert says which
// report, not where on this computer it is (the path names the user).
func reportName(path string) string {
	if path == "" {
		return ""
	}
	return filepath.Base(path)
}
