package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// retryPolicy bounds the retries of one request.
type retryPolicy struct {
	attempts  int           // sends allowed for network and 5xx faults
	base, cap time.Duration // exponential backoff, in store seconds
	throttles int           // THROTTLED or 429 answers tolerated in a row
}

var defaultRetry = retryPolicy{attempts: 6, base: 500 * time.Millisecond, cap: 30 * time.Second, throttles: 30}

var errForeignRedirect = errors.New("the store answered with a redirect to another host")

// gqlResponse is the envelope of every GraphQL answer.
type gqlResponse struct {
	Data       json.RawMessage `json:"data"`
	Errors     json.RawMessage `json:"errors"`
	Extensions struct {
		Cost *struct {
			RequestedQueryCost float64         `json:"requestedQueryCost"`
			ThrottleStatus     *ThrottleStatus `json:"throttleStatus"`
		} `json:"cost"`
	} `json:"extensions"`
	items []GraphQLErrorItem
}

// attempt is the outcome of sending a request once.
type attempt struct {
	status int
	header http.Header
	body   []byte
	resp   *gqlResponse // nil when the body was not a GraphQL envelope
	err    error        // transport error
	sent   bool         // the request was completely written to the server
}

func (a *attempt) hasCode(code string) bool {
	if a.resp == nil {
		return false
	}
	for _, it := range a.resp.items {
		if it.Code == code {
			return true
		}
	}
	return false
}

// Do sends one GraphQL document and decodes the answer's "data" object into
// out (which may be nil). It waits for the rate limit before sending, retries
// what is safe to retry, and returns a typed error otherwise. When the answer
// carries both data and errors, out is filled and the error is returned.
func (c *Client) Do(ctx context.Context, query string, vars map[string]any, out any) error {
	resp, err := c.exec(ctx, query, vars)
	if resp != nil && out != nil && len(resp.Data) > 0 && string(resp.Data) != "null" {
		if derr := json.Unmarshal(resp.Data, out); derr != nil && err == nil {
			err = &Error{Shop: c.shop, Err: derr, Advice: "the store's answer had an unexpected shape; this is a Shelfsync bug, please report it"}
		}
	}
	return err
}

// mutate sends a mutation document of one field, name, whose answer
// matters only for its userErrors, and returns those as a *UserErrors.
func (c *Client) mutate(ctx context.Context, doc, name string, vars map[string]any) error {
	var d map[string]struct{ UserErrors []UserError }
	if err := c.Do(ctx, doc, vars, &d); err != nil {
		return err
	}
	return userErrs(name, d[name].UserErrors)
}

// call is one Do in progress and its retry budget.
type call struct {
	info      *docInfo
	key       costKey
	cost      int
	body      []byte
	renewed   bool
	faults    int
	throttles int
}

func (c *Client) exec(ctx context.Context, query string, vars map[string]any) (*gqlResponse, error) {
	if vars == nil {
		vars = map[string]any{}
	}
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, fmt.Errorf("shopify: encoding variables: %w", err)
	}
	cl := &call{info: parseDoc(query), body: body}
	cl.key, cl.cost = c.costFor(query, vars)
	for {
		a, token, err := c.try(ctx, cl)
		if err != nil {
			return nil, err
		}
		resp, again, err := c.judge(ctx, cl, &a, token)
		if !again {
			return resp, err
		}
	}
}

// try waits for the rate limit, sends once and books the answer with the pacer.
func (c *Client) try(ctx context.Context, cl *call) (attempt, string, error) {
	res, err := c.pacer.Reserve(ctx, float64(cl.cost))
	if err != nil {
		return attempt{}, "", c.waitErr(err)
	}
	token, err := c.tokens.AccessToken(ctx)
	if err != nil {
		c.pacer.Cancel(res)
		return attempt{}, "", fmt.Errorf("shopify: %s: couldn't get an access token: %w", c.shop, err)
	}
	a := c.send(ctx, cl.body, token)
	if !a.sent {
		c.pacer.Cancel(res)
		return a, token, nil
	}
	var st *ThrottleStatus
	if a.resp != nil && a.resp.Extensions.Cost != nil {
		st = a.resp.Extensions.Cost.ThrottleStatus
		if rq := int(a.resp.Extensions.Cost.RequestedQueryCost); rq > 0 {
			c.learn(cl.key, rq)
			cl.cost = rq
		}
	}
	c.pacer.Settle(res, st, a.throttled())
	return a, token, nil
}

func (a *attempt) throttled() bool {
	return a.status == http.StatusTooManyRequests || a.hasCode("THROTTLED")
}

// judge decides what an attempt means: an answer, an error, or (again)
// another try, after any wait it calls for.
func (c *Client) judge(ctx context.Context, cl *call, a *attempt, token string) (resp *gqlResponse, again bool, err error) {
	// A mutation that may have run must not be sent again unless it
	// carries an idempotency key.
	unsafe := cl.info.mutation && !cl.info.idempotent && a.sent
	switch {
	case a.err != nil && errors.Is(a.err, errForeignRedirect):
		return nil, false, &Error{Kind: ErrShopNotFound, Shop: c.shop, Err: errForeignRedirect,
			Advice: "check the shop domain; the store may have been renamed or closed"}
	case a.err != nil:
		again, err = c.onFault(ctx, cl, c.transportErr(ctx, a.err), unsafe, 0)
		return nil, again, err
	case a.variantLimited(): // before throttled: a 429 that waiting a few seconds does not cure
		return nil, false, c.variantLimitErr(a, token)
	case a.throttled():
		again, err = c.onThrottle(ctx, cl, a)
		return nil, again, err
	case a.status == http.StatusUnauthorized:
		if rn, ok := c.tokens.(Renewer); ok && !cl.renewed {
			cl.renewed = true
			if rn.Renew(ctx, token) == nil {
				return nil, true, nil
			}
		}
		return nil, false, c.statusErr(*a, token)
	case a.status >= 500:
		again, err = c.onFault(ctx, cl, c.statusErr(*a, token), unsafe, retryAfter(a.header, 0))
		return nil, again, err
	case a.status != http.StatusOK:
		return a.resp, false, c.statusErr(*a, token)
	case a.resp == nil:
		return nil, false, c.notGraphQL(a, token, unsafe)
	case transientCode(a.resp.items) != "":
		again, err = c.onFault(ctx, cl, c.transientErr(a.resp.items, token), unsafe, 0)
		return nil, again, err
	case len(a.resp.items) > 0:
		return a.resp, false, c.graphQLErr(a.resp.items, token)
	case cl.info.idempotent && concurrentRequest(a.resp.Data):
		again, err = c.onBusy(ctx, cl)
		return nil, again, err
	}
	return a.resp, false, nil
}

// notGraphQL is the error for a 200 answer that is not a GraphQL envelope
// (e.g. cut short): for a mutation that may have run, the outcome is unknown.
func (c *Client) notGraphQL(a *attempt, token string, unsafe bool) error {
	e := &Error{Shop: c.shop, Status: a.status, Detail: redact(string(a.body), token),
		Advice: "the store's answer was not GraphQL; check the shop domain"}
	if unsafe {
		return c.outcomeUnknown(e)
	}
	return e
}

// onFault handles a network fault or 5xx: retry with backoff while that is
// safe and the budget lasts, else return the error (as ErrOutcomeUnknown
// for a mutation that may have run).
func (c *Client) onFault(ctx context.Context, cl *call, e error, unsafe bool, hint time.Duration) (bool, error) {
	if unsafe {
		return false, c.outcomeUnknown(e)
	}
	if ctx.Err() != nil {
		return false, e
	}
	cl.faults++
	if cl.faults >= c.retry.attempts || c.backoff(ctx, cl.faults, hint) != nil {
		return false, e
	}
	return true, nil
}

// onThrottle handles THROTTLED and 429, which Shopify sends without running
// the request, so even a mutation is sent again.
func (c *Client) onThrottle(ctx context.Context, cl *call, a *attempt) (bool, error) {
	cl.throttles++
	if cl.throttles > c.retry.throttles {
		return false, &Error{Kind: ErrThrottled, Shop: c.shop, Status: a.status,
			Advice: "another app may be using this store's API allowance; try again later"}
	}
	var wait time.Duration
	switch {
	case a.status == http.StatusTooManyRequests:
		wait = retryAfter(a.header, c.retry.base)
	case a.resp.Extensions.Cost == nil || a.resp.Extensions.Cost.ThrottleStatus == nil:
		wait = c.retry.base // no bucket figures: back off a little
	default:
		return true, nil // the pacer now knows the bucket: it waits (requested − available) / restore
	}
	if err := c.waitFor(ctx, wait, ErrThrottled); err != nil {
		return false, err
	}
	return true, nil
}

// send makes one HTTP attempt. It records whether the request was written
// completely, which tells a never-sent request from one that may have run.
func (c *Client) send(ctx context.Context, body []byte, token string) attempt {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) {
		if i.Err == nil {
			wrote.Store(true)
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return attempt{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Shelfsync")
	req.Header.Set("X-Shopify-Access-Token", token)
	resp, err := c.http.Do(req)
	if err != nil {
		return attempt{err: err, sent: wrote.Load()}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return attempt{err: err, sent: true, status: resp.StatusCode}
	}
	a := attempt{status: resp.StatusCode, header: resp.Header, body: b, sent: true}
	c.readVersionHeaders(resp.Header)
	var r gqlResponse
	if json.Unmarshal(b, &r) == nil && (len(r.Data) > 0 || len(r.Errors) > 0 || r.Extensions.Cost != nil) {
		r.items = parseErrorItems(r.Errors)
		a.resp = &r
	}
	return a
}

// parseErrorItems accepts GraphQL's error array and the REST-style
// {"errors": "text"} or {"errors": {...}} that Shopify sends with 401/403.
func parseErrorItems(raw json.RawMessage) []GraphQLErrorItem {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var list []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	}
	if json.Unmarshal(raw, &list) == nil {
		items := make([]GraphQLErrorItem, 0, len(list))
		for _, e := range list {
			code, _ := e.Extensions["code"].(string)
			items = append(items, GraphQLErrorItem{Message: e.Message, Code: code, Path: e.Path})
		}
		return items
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []GraphQLErrorItem{{Message: s}}
	}
	return []GraphQLErrorItem{{Message: string(raw)}}
}

// retryAfter reads a Retry-After header in seconds (store time), or def.
func retryAfter(h http.Header, def time.Duration) time.Duration {
	if h == nil {
		return def
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return def
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return def
}

// backoff sleeps before retry number n: the larger of the server's hint and
// a jittered exponential delay, bounded by the policy's cap.
func (c *Client) backoff(ctx context.Context, n int, hint time.Duration) error {
	d := c.retry.base << (n - 1)
	if d > c.retry.cap || d <= 0 {
		d = c.retry.cap
	}
	d = c.jitter(d)
	if hint > d {
		d = hint
	}
	return c.waitFor(ctx, d, ErrUnreachable)
}

// waitFor sleeps d of store time, failing at once with kind when that would
// pass ctx's deadline.
func (c *Client) waitFor(ctx context.Context, d time.Duration, kind error) error {
	real := time.Duration(float64(d) / c.scale)
	if dl, ok := ctx.Deadline(); ok && c.clk.Now().Add(real).After(dl) {
		return &Error{Kind: kind, Shop: c.shop, Err: context.DeadlineExceeded,
			Advice: fmt.Sprintf("the next try would have to wait %s, past the time allowed; try again later", d.Round(time.Millisecond))}
	}
	if err := c.clk.Sleep(ctx, real); err != nil {
		return c.ctxErr(err)
	}
	return nil
}

// waitErr turns a pacer error into a typed error.
func (c *Client) waitErr(err error) error {
	if errors.Is(err, ErrThrottled) {
		return &Error{Kind: ErrThrottled, Shop: c.shop, Err: context.DeadlineExceeded, Detail: err.Error(),
			Advice: "allow more time, or run the sync when the store is less busy"}
	}
	return c.ctxErr(err)
}

func (c *Client) ctxErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: ErrUnreachable, Shop: c.shop, Err: err, Advice: "the store did not answer in time; try again later"}
	}
	return &Error{Kind: err, Shop: c.shop}
}

// transportErr classifies a failed HTTP exchange.
func (c *Client) transportErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return c.ctxErr(ctx.Err())
	}
	return &Error{Kind: ErrUnreachable, Shop: c.shop, Err: err,
		Advice: "check the internet connection and try again; the token was not rejected"}
}

func (c *Client) outcomeUnknown(cause error) error {
	return &Error{Kind: ErrOutcomeUnknown, Shop: c.shop, Err: cause,
		Advice: "re-read the store to see whether the change was applied before trying again"}
}

// statusErr maps a non-200 HTTP status to a typed error. Status meanings per
// https://shopify.dev/docs/api/usage/response-codes (402: shop frozen for
// unpaid fees; 423: shop locked, see
// https://shopify.dev/changelog/admin-api-requests-to-locked-stores-will-return-a-423-status-code-instead-of-420).
func (c *Client) statusErr(a attempt, token string) error {
	detail := ""
	if a.resp != nil && len(a.resp.items) > 0 {
		msgs := make([]string, 0, len(a.resp.items))
		for _, it := range a.resp.items {
			msgs = append(msgs, it.Message)
		}
		detail = strings.Join(msgs, "; ")
	} else {
		detail = string(a.body)
	}
	detail = redact(detail, token)
	e := &Error{Shop: c.shop, Status: a.status, Detail: detail}
	switch {
	case a.status == http.StatusUnauthorized:
		e.Kind, e.Advice = ErrUnauthorized, "reconnect the store: the token is invalid, was revoked, or the app was uninstalled"
	case a.status == http.StatusForbidden:
		e.Kind, e.Scope = ErrForbidden, missingScope(detail)
		e.Advice = "reconnect the store and approve the permissions Shelfsync asks for"
	case a.status == http.StatusPaymentRequired:
		e.Kind, e.Advice = ErrShopNotFound, "the store is frozen for unpaid Shopify fees; its owner must settle them in the Shopify admin"
	case a.status == http.StatusNotFound:
		e.Kind, e.Advice = ErrShopNotFound, "check the shop domain; the store may have been closed or the app uninstalled"
	case a.status == http.StatusLocked:
		e.Kind, e.Advice = ErrShopNotFound, "the store is locked; its owner must contact Shopify support"
	case a.status >= 500:
		e.Kind, e.Advice = ErrUnreachable, "Shopify is having trouble; try again in a few minutes"
	case a.status == http.StatusBadRequest && a.resp != nil && len(a.resp.items) > 0:
		return c.graphQLErr(a.resp.items, token)
	default:
		e.Advice = "this is likely a Shelfsync bug: please report it with this message"
	}
	return e
}

// graphQLErr maps top-level GraphQL errors to typed errors.
func (c *Client) graphQLErr(items []GraphQLErrorItem, token string) error {
	clean := make([]GraphQLErrorItem, len(items))
	for i, it := range items {
		it.Message = redact(it.Message, token)
		clean[i] = it
		if it.Code == "ACCESS_DENIED" {
			return &Error{Kind: ErrForbidden, Shop: c.shop, Scope: missingScope(it.Message), Detail: it.Message,
				Advice: "reconnect the store and approve the permissions Shelfsync asks for"}
		}
	}
	return &GraphQLError{Shop: c.shop, Errors: clean}
}
