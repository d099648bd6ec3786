package shopify

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// The daily variant-creation limit: "The productCreate mutation has a throttle that takes
// effect when a store has 50,000 product variants. After this threshold is reached, no more
// than 1,000 new product variants can be created per day" (admin-2026-04.graphql,
// productCreate). It applies to every API call that creates variants (2019 changelog,
// https://shopify.dev/changelog/api-call-limits-will-be-applied-to-variant-creation) and not
// to Shopify Plus stores (Shopify's announcement, quoted at
// matrixify.app/whats-new/shopify-variant-creation-limit).
const (
	// VariantThreshold is the store size past which new variants are limited.
	VariantThreshold = 50_000
	// DailyVariants is how many new variants such a store may create a day.
	DailyVariants = 1_000
	// CodeVariantThrottle is the extensions.code of the refusal. The 2026-04 schema names no
	// code for it; public GraphQL importers match this one (UNCONFIRMED), and the REST text
	// below, which is recognised too.
	CodeVariantThrottle = "VARIANT_THROTTLE_EXCEEDED"
)

// ErrVariantLimit means Shopify refused to create variants because the store reached its
// daily allowance of new variants. Nothing of the refused request was created; sending it
// again the same day is refused again, so it is never retried.
var ErrVariantLimit = errors.New("the store reached Shopify's daily limit on new variants")

// variantLimitText is REST's answer (HTTP 429 "Daily variant creation limit reached. Please
// try again later.", matrixify, above), lower-cased.
const variantLimitText = "daily variant creation limit"

// IsVariantLimit reports whether a top-level error, or a bulk result line's error, is the
// daily variant-creation limit.
func IsVariantLimit(it GraphQLErrorItem) bool {
	return it.Code == CodeVariantThrottle || strings.Contains(strings.ToLower(it.Message), variantLimitText)
}

// variantLimited reports whether an answer is the limit's refusal: the code in a GraphQL
// error, or REST's text in a 429 (which must not be retried like a rate-limit 429).
func (a *attempt) variantLimited() bool {
	if a.resp != nil {
		for _, it := range a.resp.items {
			if IsVariantLimit(it) {
				return true
			}
		}
	}
	return a.status == http.StatusTooManyRequests && strings.Contains(strings.ToLower(string(a.body)), variantLimitText)
}

func (c *Client) variantLimitErr(a *attempt, token string) error {
	detail := "Daily variant creation limit reached"
	if a.resp != nil && len(a.resp.items) > 0 {
		detail = a.resp.items[0].Message
	}
	return &Error{Kind: ErrVariantLimit, Shop: c.shop, Status: a.status, Detail: redact(detail, token),
		Advice: "non-Plus stores past 50,000 variants may create 1,000 new variants a day; the limit resets the next day, " +
			"when the next sync creates the rest"}
}

const docVariantsCount = `query VariantsCount {
  productVariantsCount(limit: null) { count precision }
}`

// VariantCount is how many variants the store has (productVariantsCount without its default
// cap of 10,000: one cheap request, however large the store).
func (c *Client) VariantCount(ctx context.Context) (int, error) {
	var d struct {
		ProductVariantsCount *struct{ Count int }
	}
	if err := c.Do(ctx, docVariantsCount, nil, &d); err != nil {
		return 0, err
	}
	if d.ProductVariantsCount == nil {
		return 0, &Error{Shop: c.shop, Detail: "productVariantsCount returned nothing",
			Advice: "the store's answer had an unexpected shape; this is a Shelfsync bug, please report it"}
	}
	return d.ProductVariantsCount.Count, nil
}

// lineErr is the error of a bulk mutation's result line that carries top-level errors: the
// daily variant limit as a user error of code CodeVariantThrottle (that line, and only it,
// created nothing), anything else with Shopify's text.
func lineErr(op string, raw []byte) error {
	items := parseErrorItems(raw)
	for _, it := range items {
		if IsVariantLimit(it) {
			return &UserErrors{Op: op, Errors: []UserError{{Code: CodeVariantThrottle, Message: "Daily variant creation limit reached"}}}
		}
	}
	return &UserErrors{Op: op, Errors: []UserError{{Message: string(raw)}}}
}
