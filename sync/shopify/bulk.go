package shopify

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"time"
)

// BulkOperation is the state of a bulk query or bulk mutation.
type BulkOperation struct {
	ID             string
	Status         string // CREATED, RUNNING, COMPLETED, CANCELING, CANCELED, FAILED, EXPIRED
	ErrorCode      string
	Type           string // QUERY or MUTATION
	ObjectCount    int64
	FileSize       int64
	URL            string // result JSONL; "" when there were no results
	PartialDataURL string
	Query          string // the bulk query or mutation document
}

type wireBulk struct {
	ID             string  `json:"id"`
	Status         string  `json:"status"`
	ErrorCode      *string `json:"errorCode"`
	Type           string  `json:"type"`
	ObjectCount    flexInt `json:"objectCount"`
	FileSize       flexInt `json:"fileSize"`
	URL            *string `json:"url"`
	PartialDataURL *string `json:"partialDataUrl"`
	Query          string  `json:"query"`
}

func (w wireBulk) op() *BulkOperation {
	return &BulkOperation{ID: w.ID, Status: w.Status, ErrorCode: deref(w.ErrorCode), Type: w.Type,
		ObjectCount: int64(w.ObjectCount), FileSize: int64(w.FileSize), URL: deref(w.URL), PartialDataURL: deref(w.PartialDataURL),
		Query: w.Query}
}

// BulkLine is one line of a bulk query's JSONL result. Objects from nested
// connections come on lines of their own with ParentID set, after their
// parent but not necessarily right after it
// (https://shopify.dev/api/usage/bulk-operations/queries).
type BulkLine struct {
	ID       string          // the object's "id", if it has one
	ParentID string          // "__parentId", for objects of nested connections
	Raw      json.RawMessage // the whole line
}

// RunBulkQuery starts a bulk query (bulkOperationRunQuery, groupObjects
// false) and returns the operation without waiting for it.
func (c *Client) RunBulkQuery(ctx context.Context, query string) (*BulkOperation, error) {
	var d struct {
		BulkOperationRunQuery struct {
			BulkOperation *wireBulk
			UserErrors    []UserError
		}
	}
	if err := c.Do(ctx, docBulkRunQuery, map[string]any{"query": query}, &d); err != nil {
		return nil, err
	}
	if err := userErrs("bulkOperationRunQuery", d.BulkOperationRunQuery.UserErrors); err != nil {
		return nil, err
	}
	if d.BulkOperationRunQuery.BulkOperation == nil {
		return nil, &UserErrors{Op: "bulkOperationRunQuery", Errors: []UserError{{Message: "no bulk operation returned"}}}
	}
	return d.BulkOperationRunQuery.BulkOperation.op(), nil
}

// BulkOperation reads the current state of a bulk operation.
func (c *Client) BulkOperation(ctx context.Context, id string) (*BulkOperation, error) {
	var d struct{ BulkOperation *wireBulk }
	if err := c.Do(ctx, docBulkOperation, map[string]any{"id": id}, &d); err != nil {
		return nil, err
	}
	if d.BulkOperation == nil {
		return nil, &Error{Kind: ErrShopNotFound, Shop: c.shop, Detail: "bulk operation " + id + " not found",
			Advice: "its results may have expired (they are kept for 7 days); start it again"}
	}
	return d.BulkOperation.op(), nil
}

// CancelBulk asks Shopify to cancel a running bulk operation.
func (c *Client) CancelBulk(ctx context.Context, id string) error {
	return c.mutate(ctx, docBulkCancel, "bulkOperationCancel", map[string]any{"id": id})
}

// StopBulk cancels a bulk operation and waits until it has ended. It
// returns the final status (CANCELED, or COMPLETED or FAILED when it ended
// before the cancel took) and objectCount. An operation that had already
// ended is not an error: bulkOperationCancel then answers a user error
// ("cannot be canceled when it is completed"), and its status says how.
func (c *Client) StopBulk(ctx context.Context, id string) (string, int, error) {
	cerr := c.CancelBulk(ctx, id)
	var ue *UserErrors
	if cerr != nil && !errors.As(cerr, &ue) {
		return "", 0, cerr
	}
	op, err := c.WaitBulk(ctx, id)
	if op == nil || op.Status == "CREATED" || op.Status == "RUNNING" || op.Status == "CANCELING" {
		if err == nil {
			err = cerr
		}
		return "", 0, err
	}
	return op.Status, int(op.ObjectCount), nil
}

// Bulk polling backoff, in store seconds. bulkPollNear is the shortest wait
// when the operation's pace says it is about to end.
const (
	bulkPollFirst = time.Second
	bulkPollMax   = 15 * time.Second
	bulkPollNear  = 500 * time.Millisecond
)

// WaitBulk polls a bulk operation until it is COMPLETED, FAILED, CANCELED
// or EXPIRED (the terminal states Shopify CLI watches for), backing off
// from 1 s to 15 s between polls. A state other than COMPLETED is returned
// together with an error.
func (c *Client) WaitBulk(ctx context.Context, id string) (*BulkOperation, error) {
	return c.WaitBulkLines(ctx, id, 0)
}

// WaitBulkLines is WaitBulk for a bulk mutation of lines lines (0: not
// known). Once objectCount has grown, the next poll is due when the lines
// left should be done at the pace so far, if that is sooner than the
// backoff's: the backoff alone can notice the end of a minute-long
// operation 15 s late. objectCount is taken to count the lines run (the
// BulkOperation object: "the running count of all objects processed"); a
// count that does not fit (at or past lines) leaves the plain backoff.
func (c *Client) WaitBulkLines(ctx context.Context, id string, lines int) (*BulkOperation, error) {
	wait := bulkPollFirst
	var pace bulkPace
	for {
		op, err := c.BulkOperation(ctx, id)
		if err != nil {
			return nil, err
		}
		switch op.Status {
		case "COMPLETED":
			return op, nil
		case "FAILED", "CANCELED", "EXPIRED":
			return op, &Error{Kind: ErrBulkFailed, Shop: c.shop, Detail: fmt.Sprintf("bulk operation %s ended %s %s", id, op.Status, op.ErrorCode),
				Advice: "try again in a few minutes"}
		}
		next := wait
		if left, ok := pace.left(c.clk.Now(), op.ObjectCount, lines); ok {
			next = min(next, max(time.Duration(float64(left)*c.scale), bulkPollNear))
		}
		if err := c.waitFor(ctx, next, ErrThrottled); err != nil {
			return op, err
		}
		wait = min(wait*3/2, bulkPollMax)
	}
}

// bulkPace follows a running bulk operation's objectCount.
type bulkPace struct {
	at    time.Time // when count was first seen, in real time
	count int64
}

// left estimates the real time until objectCount reaches lines, from its
// growth since first seen; ok is false until there is a pace to go by.
func (p *bulkPace) left(now time.Time, count int64, lines int) (time.Duration, bool) {
	if lines <= 0 || count <= 0 || count >= int64(lines) {
		return 0, false
	}
	if p.at.IsZero() {
		p.at, p.count = now, count
		return 0, false
	}
	done, took := count-p.count, now.Sub(p.at)
	if done <= 0 || took <= 0 {
		return 0, false
	}
	return time.Duration(float64(took) * float64(int64(lines)-count) / float64(done)), true
}

// BulkQuery runs a bulk query to the end and calls fn for each line of its
// result, in file order. When Shopify refuses to start it because one of
// ours is already running (OPERATION_IN_PROGRESS: "one bulk query … at a
// time per shop", schema bulkOperationRunQuery) and that one runs the same
// query — typically left by a run that crashed — it waits for that one and
// reads its result instead. A query given up on (ctx ended, the store
// unreachable) is cancelled on Shopify's side, so it does not hold the
// shop's bulk slot.
func (c *Client) BulkQuery(ctx context.Context, query string, fn func(BulkLine) error) (*BulkOperation, error) {
	op, err := c.RunBulkQuery(ctx, query)
	if err != nil {
		if op = c.runningSame(ctx, query, err); op == nil {
			return nil, err
		}
	}
	id := op.ID
	if op, err = c.WaitBulk(ctx, id); err != nil {
		if op == nil || op.Status == "CREATED" || op.Status == "RUNNING" {
			c.abandonBulk(ctx, id)
		}
		return op, err
	}
	if op.URL == "" { // no results
		return op, nil
	}
	return op, c.ReadJSONL(ctx, op.URL, func(raw []byte) error {
		var head struct {
			ID       string `json:"id"`
			ParentID string `json:"__parentId"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return fmt.Errorf("shopify: bad line in bulk result: %w", err)
		}
		return fn(BulkLine{ID: head.ID, ParentID: head.ParentID, Raw: json.RawMessage(raw)})
	})
}

// abandonBulk cancels a bulk operation we stopped waiting for, best effort
// and even when ctx has ended: what it did is the caller's to find out.
func (c *Client) abandonBulk(ctx context.Context, id string) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_ = c.CancelBulk(cctx, id)
}

// inProgressRE finds the running operation's ID in Shopify's refusal, "A bulk
// query operation for this app and shop is already in progress:
// gid://shopify/BulkOperation/N."
var inProgressRE = regexp.MustCompile(`gid://shopify/BulkOperation/\d+`)

// runningSame returns the bulk operation named by an OPERATION_IN_PROGRESS
// refusal when it is still running the same query, else nil.
func (c *Client) runningSame(ctx context.Context, query string, refusal error) *BulkOperation {
	if !BulkBusy(refusal) {
		return nil
	}
	var ue *UserErrors
	errors.As(refusal, &ue)
	for _, u := range ue.Errors {
		id := inProgressRE.FindString(u.Message)
		if id == "" {
			continue
		}
		op, err := c.BulkOperation(ctx, id)
		if err == nil && op.Query == query && (op.Status == "CREATED" || op.Status == "RUNNING") {
			return op
		}
	}
	return nil
}

// BulkBusy reports whether err is Shopify refusing to start a bulk operation
// because others of this app are running (OPERATION_IN_PROGRESS, or
// LIMIT_REACHED where several may run at once).
func BulkBusy(err error) bool {
	var ue *UserErrors
	if !errors.As(err, &ue) {
		return false
	}
	for _, u := range ue.Errors {
		if u.Code == "OPERATION_IN_PROGRESS" || u.Code == "LIMIT_REACHED" {
			return true
		}
	}
	return false
}

// maxJSONLLine bounds one result line (a product with many fields).
const maxJSONLLine = 64 << 20

// ReadJSONL downloads a bulk-operation result file and calls fn for each
// non-empty line as it streams in. The URL must be on Shopify's storage
// hosts (or loopback for a simulated shop); the access token is not sent.
func (c *Client) ReadJSONL(ctx context.Context, rawURL string, fn func(line []byte) error) error {
	u, err := c.checkAuxURL(rawURL)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportErr(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return &Error{Kind: ErrUnreachable, Shop: c.shop, Status: resp.StatusCode, Detail: redact(string(b), ""),
			Advice: "the bulk result could not be downloaded; start the operation again"}
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), maxJSONLLine)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		if err := fn(append([]byte(nil), line...)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if ctx.Err() != nil {
			return c.ctxErr(ctx.Err())
		}
		return &Error{Kind: ErrUnreachable, Shop: c.shop, Err: err, Advice: "the download of the bulk result broke off; try again"}
	}
	return nil
}

// Hosts Shopify serves staged uploads and bulk results from, for real shops.
// Staged uploads: https://shopify-staged-uploads.storage.googleapis.com/
// (e.g. microsoft/BCApps src/Apps/W1/Shopify/Test/Bulk Operations/Codeunits/
// ShpfyBulkOperationsTest.Codeunit.al); bulk results:
// https://storage.googleapis.com/shopify-bulk-result/… (same file).
var storageHosts = map[string]bool{
	"shopify-staged-uploads.storage.googleapis.com": true,
	"storage.googleapis.com":                        true,
}

// checkAuxURL accepts an upload or download URL only on Shopify's storage
// hosts or the shop itself (https), or on loopback for a simulated shop.
func (c *Client) checkAuxURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil {
		return nil, errors.New("shopify: the store sent an unusable file URL; please report this")
	}
	host := u.Hostname()
	ok := false
	if c.loopback {
		ok = (u.Scheme == "http" || u.Scheme == "https") && isLoopbackHost(host)
	} else {
		ok = u.Scheme == "https" && (storageHosts[host] || host == c.shop)
	}
	if !ok {
		return nil, fmt.Errorf("shopify: refusing file URL on host %q: not a Shopify storage host", host)
	}
	return u, nil
}
