package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Headers set on every webhook request besides Content-Type and User-Agent.
const (
	// SignatureHeader carries "sha256=" + hex(HMAC-SHA256(secret, body)) when a secret is set.
	SignatureHeader = "X-Shelfsync-Signature"
	// DeliveryHeader carries a random ID that stays the same across retries, so a receiver can
	// drop duplicates.
	DeliveryHeader = "X-Shelfsync-Delivery"
)

// Webhook defaults.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultMaxAttempts = 4
	DefaultBackoff     = time.Second
	maxBackoff         = 30 * time.Second
)

// WebhookOptions configure a Webhook.
type WebhookOptions struct {
	URL         string        // https, or http for a loopback host only
	Secret      string        // optional HMAC-SHA256 signing secret
	Version     string        // Shelfsync's version, for "User-Agent: Shelfsync/<version>"; "dev" if empty
	Timeout     time.Duration // per attempt; DefaultTimeout if <= 0
	MaxAttempts int           // tries in all; DefaultMaxAttempts if <= 0
	Backoff     time.Duration // first retry waits about this long, doubling with jitter; DefaultBackoff if <= 0
	HTTPClient  *http.Client  // optional; redirects are never followed whatever it says
}

// Webhook POSTs each Event as JSON to one URL. It retries network errors, timeouts, 5xx and 429
// (429 means "try later", and chat services send it with Retry-After), never other 4xx. The URL's
// path and query often embed a secret (Slack, Discord, Teams), so errors show only scheme and host.
type Webhook struct {
	raw      string
	redacted string
	scrub    *strings.Replacer
	secret   []byte
	ua       string
	timeout  time.Duration
	attempts int
	backoff  time.Duration
	client   *http.Client
}

// NewWebhook checks the options and returns a Webhook.
func NewWebhook(o WebhookOptions) (*Webhook, error) {
	if err := ValidateURL(o.URL); err != nil {
		return nil, err
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	client := &http.Client{}
	if o.HTTPClient != nil {
		c := *o.HTTPClient
		client = &c
	}
	// A redirect would turn the POST into a GET and could carry the signature to another host.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	u, _ := url.Parse(o.URL)
	w := &Webhook{
		raw: o.URL, redacted: RedactURL(o.URL), secret: []byte(o.Secret), ua: "Shelfsync/" + o.Version,
		timeout: o.Timeout, attempts: o.MaxAttempts, backoff: o.Backoff, client: client,
	}
	pairs := []string{o.URL, w.redacted}
	for _, part := range []string{u.RawQuery, u.EscapedPath(), u.Path, u.User.String()} {
		if len(part) >= 8 { // shorter parts hold no secret and would garble the host
			pairs = append(pairs, part, "…")
		}
	}
	w.scrub = strings.NewReplacer(pairs...)
	return w, nil
}

// String returns the redacted URL, safe to show and log.
func (w *Webhook) String() string { return w.redacted }

// Error is a failed delivery. Its message names the URL only by scheme and host.
type Error struct {
	URL        string // redacted
	Attempts   int
	StatusCode int    // the last HTTP status, 0 if there was no answer
	Body       string // the start of the last answer's body, for the message
	Err        error  // the last transport error, or nil when there was an answer
	msg        string
}

// Error returns the message, with the URL redacted.
func (e *Error) Error() string { return e.msg }

// Unwrap returns the transport error (context.DeadlineExceeded after a timeout, ctx's error).
func (e *Error) Unwrap() error { return e.Err }

// Notify delivers ev, retrying as described on Webhook. It gives up early when ctx ends.
func (w *Webhook) Notify(ctx context.Context, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("webhook: encode event: %w", err)
	}
	delivery := crand.Text()
	for attempt := 1; ; attempt++ {
		status, retryAfter, snippet, err := w.post(ctx, body, delivery)
		if err == nil && status >= 200 && status < 300 {
			return nil
		}
		retry := err != nil || status >= 500 || status == http.StatusTooManyRequests
		if ctx.Err() != nil {
			err, retry = ctx.Err(), false
		}
		if !retry || attempt >= w.attempts {
			return w.fail(attempt, status, snippet, err)
		}
		wait := w.backoffFor(attempt)
		if retryAfter > 0 {
			wait = min(retryAfter, maxBackoff)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return w.fail(attempt, status, snippet, ctx.Err())
		case <-t.C:
		}
	}
}

// post makes one attempt and returns the status, any Retry-After, and the start of the body.
func (w *Webhook) post(ctx context.Context, body []byte, delivery string) (int, time.Duration, string, error) {
	actx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, w.raw, bytes.NewReader(body))
	if err != nil {
		return 0, 0, "", errors.New("cannot build the request")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", w.ua)
	req.Header.Set(DeliveryHeader, delivery)
	if len(w.secret) > 0 {
		req.Header.Set(SignatureHeader, sign(w.secret, body))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		// *url.Error repeats the full URL; keep only what went wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %s: %w", w.timeout, context.DeadlineExceeded)
		}
		return 0, 0, "", err
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	var ra time.Duration
	if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && s >= 0 {
		ra = time.Duration(s) * time.Second
	}
	return resp.StatusCode, ra, strings.Join(strings.Fields(string(head)), " "), nil
}

// backoffFor is "equal jitter": half the doubled delay fixed, half random, capped.
func (w *Webhook) backoffFor(attempt int) time.Duration {
	d := min(w.backoff<<(attempt-1), maxBackoff)
	return d/2 + rand.N(d/2+1)
}

func (w *Webhook) fail(attempts, status int, body string, err error) error {
	e := &Error{URL: w.redacted, Attempts: attempts, StatusCode: status, Body: body, Err: err}
	var what string
	switch {
	case err != nil:
		what = err.Error()
	case status >= 300 && status < 400:
		what = fmt.Sprintf("answered %d (a redirect, which is not followed: use the final URL)", status)
	default:
		what = fmt.Sprintf("answered %d %s", status, http.StatusText(status))
		if body != "" {
			what += ": " + body
		}
	}
	tries := "1 attempt"
	if attempts != 1 {
		tries = fmt.Sprintf("%d attempts", attempts)
	}
	e.msg = w.scrub.Replace(fmt.Sprintf("webhook %s: %s (%s)", w.redacted, what, tries))
	return e
}

// Sign returns the SignatureHeader value for body: "sha256=" + hex(HMAC-SHA256(secret, body)).
func Sign(secret string, body []byte) string { return sign([]byte(secret), body) }

func sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is a valid signature of body under secret (for receivers and tests).
func Verify(secret string, body []byte, header string) bool {
	return hmac.Equal([]byte(header), []byte(Sign(secret, body)))
}
