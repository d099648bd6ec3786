package shopify

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Sentinel errors. Test with errors.Is; the concrete error is usually an
// *Error that carries the details and a sentence saying what to do.
var (
	// ErrUnauthorized means the store rejected the access token (HTTP 401):
	// it is invalid, was revoked, or the app was uninstalled.
	ErrUnauthorized = errors.New("the store rejected the access token")
	// ErrForbidden means the token lacks an access scope the request needs
	// (HTTP 403 or a GraphQL ACCESS_DENIED error). Error.Scope names it when known.
	ErrForbidden = errors.New("the app is missing a permission (access scope) for this")
	// ErrShopNotFound means the store itself is unavailable: not found (404),
	// frozen for unpaid fees (402) or locked (423).
	ErrShopNotFound = errors.New("the store is not available")
	// ErrThrottled means the rate limit would not allow the request before the
	// context's deadline.
	ErrThrottled = errors.New("the store's API rate limit did not allow the request in time")
	// ErrUnreachable means the store could not be reached: DNS, connection or
	// timeout problems, dropped connections, or Shopify answering 5xx. It never
	// means the token is bad.
	ErrUnreachable = errors.New("couldn't reach the store")
	// ErrOutcomeUnknown means a mutation was sent but no answer came back, and
	// it was not safe to send it again: the change may or may not have been
	// applied. Re-read the store before deciding what to do.
	ErrOutcomeUnknown = errors.New("the change may or may not have been applied")
	// ErrBulkFailed means a bulk operation ended FAILED, CANCELED or EXPIRED
	// instead of COMPLETED (for a failure on Shopify's side, errorCode
	// INTERNAL_SERVER_ERROR).
	ErrBulkFailed = errors.New("the bulk operation did not complete")
)

// Error is a failed request with the details a user interface can act on.
type Error struct {
	Kind   error  // one of the sentinels above (or context.Canceled)
	Shop   string // the shop domain
	Status int    // HTTP status, 0 when no answer came back
	Scope  string // the missing access scope for ErrForbidden, when known
	Detail string // a short, token-free excerpt of what the server said
	Advice string // what the user can do about it
	Err    error  // the underlying cause, if any
}

// Error says what failed and what to do; it never contains the token.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("shopify: ")
	if e.Shop != "" {
		b.WriteString(e.Shop)
		b.WriteString(": ")
	}
	b.WriteString(e.reason())
	if e.Advice != "" {
		b.WriteString("; ")
		b.WriteString(e.Advice)
	}
	return b.String()
}

// reason is the error without shop and advice, so that an *Error wrapping
// another reads as one sentence.
func (e *Error) reason() string {
	var b strings.Builder
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
	} else {
		b.WriteString("request failed")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Scope != "" {
		fmt.Fprintf(&b, " (needs %s)", e.Scope)
	}
	var inner *Error
	switch {
	case e.Detail != "":
		fmt.Fprintf(&b, ": %s", e.Detail)
	case errors.As(e.Err, &inner):
		fmt.Fprintf(&b, ": %s", inner.reason())
	case e.Err != nil:
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap lets errors.Is match both the kind and the cause.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// GraphQLError is a top-level GraphQL "errors" answer that is not about
// authentication or throttling, e.g. MAX_COST_EXCEEDED or a syntax error.
type GraphQLError struct {
	Shop   string
	Errors []GraphQLErrorItem
}

// GraphQLErrorItem is one entry of the top-level "errors" array.
type GraphQLErrorItem struct {
	Message string
	Code    string // extensions.code, e.g. "MAX_COST_EXCEEDED"
	Path    []any
}

// Error lists Shopify's messages and what to do.
func (e *GraphQLError) Error() string {
	msgs := make([]string, 0, len(e.Errors))
	for _, it := range e.Errors {
		m := it.Message
		if it.Code != "" {
			m = it.Code + ": " + m
		}
		msgs = append(msgs, m)
	}
	advice := "this is likely a Shelfsync bug: please report it with this message"
	if e.Has("MAX_COST_EXCEEDED") {
		advice = "the request asks for too much at once; this is a Shelfsync bug, please report it"
	}
	return fmt.Sprintf("shopify: %s: the store refused the request: %s; %s", e.Shop, strings.Join(msgs, "; "), advice)
}

// Has reports whether any error carries the given extensions.code.
func (e *GraphQLError) Has(code string) bool {
	for _, it := range e.Errors {
		if it.Code == code {
			return true
		}
	}
	return false
}

// UserError is one validation problem reported by a mutation's userErrors.
type UserError struct {
	Field   []string `json:"field"`
	Message string   `json:"message"`
	Code    string   `json:"code"`
}

// UserErrors is returned when a mutation ran but Shopify refused (part of)
// the input. Nothing is retried: the input must change.
type UserErrors struct {
	Op     string // the mutation, e.g. "productSet"
	Errors []UserError
}

// Error lists the refused fields with Shopify's messages.
func (e *UserErrors) Error() string {
	parts := make([]string, 0, len(e.Errors))
	for _, u := range e.Errors {
		p := u.Message
		if len(u.Field) > 0 {
			p = strings.Join(u.Field, ".") + ": " + p
		}
		if u.Code != "" {
			p += " [" + u.Code + "]"
		}
		parts = append(parts, p)
	}
	return fmt.Sprintf("shopify: %s was refused: %s; fix the values named here and run the sync again", e.Op, strings.Join(parts, "; "))
}

// userErrs returns a *UserErrors when list is not empty, else nil.
func userErrs(op string, list []UserError) error {
	if len(list) == 0 {
		return nil
	}
	return &UserErrors{Op: op, Errors: list}
}

var scopeRE = regexp.MustCompile(`\b((?:read|write|unauthenticated_read|unauthenticated_write)_[a-z_]+)\b`)

// missingScope extracts an access scope handle such as "write_products" from
// a server message, or "".
func missingScope(msg string) string {
	return scopeRE.FindString(msg)
}

// redact removes the secret from s and shortens it, so that server text can be
// quoted in an error without ever leaking the token.
func redact(s, secret string) string {
	if secret != "" {
		s = strings.ReplaceAll(s, secret, "[redacted]")
	}
	s = strings.Join(strings.Fields(s), " ")
	const max = 200
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
