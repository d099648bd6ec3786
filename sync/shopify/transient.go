package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Transient error codes of a 200 answer. Shopify answers a hiccup on its
// side with extensions.code INTERNAL_SERVER_ERROR ("Internal error. Looks
// like something went wrong on our end", Shopify/shopify-api-js#1256, under
// concurrent productVariantsBulkCreate); INTERNAL_ERROR is the spelling of
// other Shopify GraphQL APIs. IDEMPOTENCY_CONCURRENT_REQUEST ("This request
// is currently in progress, please try again", schema
// InventorySetQuantitiesUserErrorCode) means a request with the same
// idempotency key is still running. None says the request was wrong: a
// query or an @idempotent mutation is sent again; a plain mutation may have
// run, so its outcome is unknown.
var transientCodes = map[string]bool{
	"INTERNAL_SERVER_ERROR":          true,
	"INTERNAL_ERROR":                 true,
	"IDEMPOTENCY_CONCURRENT_REQUEST": true,
}

// transientCode returns the first transient extensions.code, or "".
func transientCode(items []GraphQLErrorItem) string {
	for _, it := range items {
		if transientCodes[it.Code] {
			return it.Code
		}
	}
	return ""
}

// transientErr is the error for a 200 answer carrying a transient code.
func (c *Client) transientErr(items []GraphQLErrorItem, token string) error {
	msgs := make([]string, 0, len(items))
	for _, it := range items {
		msgs = append(msgs, it.Code+": "+it.Message)
	}
	return &Error{Kind: ErrUnreachable, Shop: c.shop, Status: http.StatusOK, Detail: redact(strings.Join(msgs, "; "), token),
		Advice: "Shopify had a problem on its side; try again in a few minutes"}
}

// concurrentRequest reports whether a mutation payload holds a user error
// IDEMPOTENCY_CONCURRENT_REQUEST: the same idempotency key is still being
// applied, so the same request is to be sent again a little later
// (https://shopify.dev/docs/api/usage/implementing-idempotency).
func concurrentRequest(data json.RawMessage) bool {
	if !bytes.Contains(data, []byte("IDEMPOTENCY_CONCURRENT_REQUEST")) {
		return false
	}
	var payloads map[string]*struct {
		UserErrors []UserError `json:"userErrors"`
	}
	if json.Unmarshal(data, &payloads) != nil {
		return false
	}
	for _, p := range payloads {
		if p == nil {
			continue
		}
		for _, u := range p.UserErrors {
			if u.Code == "IDEMPOTENCY_CONCURRENT_REQUEST" {
				return true
			}
		}
	}
	return false
}

// onBusy backs off and sends an @idempotent mutation again with the same
// key while Shopify is still applying it; when the budget runs out the
// outcome is unknown (it may be applied by now).
func (c *Client) onBusy(ctx context.Context, cl *call) (bool, error) {
	busy := &Error{Kind: ErrUnreachable, Shop: c.shop, Status: http.StatusOK,
		Detail: "IDEMPOTENCY_CONCURRENT_REQUEST: this request is currently in progress"}
	again, err := c.onFault(ctx, cl, busy, false, 0)
	if err != nil && errors.Is(err, ErrUnreachable) {
		return false, c.outcomeUnknown(busy)
	}
	return again, err
}

// readVersionHeaders turns Shopify's version headers into notices.
// X-Shopify-API-Version names the version that served the request: when a
// version is past its support window Shopify serves the oldest supported one
// instead (https://shopify.dev/docs/api/usage/versioning, FACTS §9), whose
// fields may differ from what Shelfsync was built for.
// X-Shopify-API-Deprecated-Reason is set on answers to requests that use a
// deprecated field or an unsupported version (same page, "Deprecation
// practices").
func (c *Client) readVersionHeaders(h http.Header) {
	if v := h.Get("X-Shopify-API-Version"); v != "" && v != c.version && c.version != "unstable" {
		c.notice(Notice{Kind: NoticeVersion, Message: fmt.Sprintf(
			"Shopify served API version %s, not %s, which this Shelfsync was built for (%s is no longer supported); update Shelfsync",
			redact(v, ""), c.version, c.version)})
	}
	if r := h.Get("X-Shopify-API-Deprecated-Reason"); r != "" {
		c.notice(Notice{Kind: NoticeDeprecated, Message: "Shopify says Shelfsync uses something deprecated (" + redact(r, "") +
			"); it keeps working for now, but update Shelfsync before Shopify removes it"})
	}
}

// Notice is something the store told us that a person should see although
// no request failed: Shopify served another API version than the one asked
// for, or called a request deprecated.
type Notice struct {
	Kind    string // NoticeVersion or NoticeDeprecated
	Message string
}

// Notice kinds.
const (
	NoticeVersion    = "api-version"
	NoticeDeprecated = "deprecated"
)

// maxNotices bounds the notices kept per client (they are deduplicated).
const maxNotices = 20

// Notices returns the distinct notices seen so far, oldest first.
func (c *Client) Notices() []Notice {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Notice(nil), c.notices...)
}

// notice records n once and logs it the first time.
func (c *Client) notice(n Notice) {
	c.mu.Lock()
	for _, have := range c.notices {
		if have == n {
			c.mu.Unlock()
			return
		}
	}
	if len(c.notices) < maxNotices {
		c.notices = append(c.notices, n)
	}
	c.mu.Unlock()
	c.logf("shopify: %s: %s", c.shop, n.Message)
}
