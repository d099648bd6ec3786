package fakeshop

import "time"

// The daily variant-creation limit. "The productCreate mutation has a throttle that takes effect
// when a store has 50,000 product variants. After this threshold is reached, no more than 1,000
// new product variants can be created per day" (admin-2026-04.graphql, productCreate; the same
// note on ProductCreatePayload, https://shopify.dev/docs/api/admin-graphql/2025-07/payloads/ProductCreatePayload).
// The 2019 changelog (https://shopify.dev/changelog/api-call-limits-will-be-applied-to-variant-creation)
// applies it to every API call that creates variants, and Shopify's announcement quoted by app
// vendors (matrixify.app/whats-new/shopify-variant-creation-limit, docs.migratify.thebetterapps.com)
// says it "does not apply to Shopify Plus stores". So the simulator applies it to productSet,
// productCreate and productVariantsBulkCreate, alone or as lines of a bulk mutation, on every plan
// but Plus and Enterprise.
//
// UNCONFIRMED, simulator choices (fakeshop's doc lists them):
//   - The answer. The 2026-04 schema has no user error code for it. REST answers HTTP 429 "Daily
//     variant creation limit reached. Please try again later." (matrixify, above); public GraphQL
//     importers match a top-level error with extensions.code VARIANT_THROTTLE_EXCEEDED and that
//     message, data null, also as a line of a bulk mutation's result. The simulator answers so,
//     with HTTP 200 like other GraphQL errors, and creates nothing of the refused request.
//   - Which creations count. A request is refused when the store's variants plus the ones it
//     creates would pass the threshold and the variants created today plus these would pass the
//     daily allowance. Creations below the threshold count towards the day too: the stricter
//     reading of "after this threshold is reached".
//   - When the day resets. Shopify says "per day" (schema) and "per 24-hour period" (its 2019
//     announcement). The simulator counts per UTC calendar day of its clock, so a daily run at
//     the same hour gets a new allowance.
const (
	// DefaultVariantThreshold is the store size past which new variants are limited.
	DefaultVariantThreshold = 50_000
	// DefaultDailyVariants is how many new variants such a store may create a day.
	DefaultDailyVariants = 1_000

	codeVariantThrottle = "VARIANT_THROTTLE_EXCEEDED"
	msgVariantThrottle  = "Daily variant creation limit reached. Please try again later."
)

// variantLimit is a shop's daily variant-creation allowance and what it used today.
type variantLimit struct {
	threshold, perDay int
	day               time.Time // the UTC day created counts
	created           int       // variants created that day (seeds do not count)
}

// SetVariantLimit lowers (or raises) the store size past which new variants are limited and
// the daily allowance, so a test needs no 50,000-variant store; 0 keeps Shopify's number.
func (sh *Shop) SetVariantLimit(threshold, perDay int) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.limit.threshold, sh.limit.perDay = threshold, perDay
}

// VariantsCreatedToday is how many variants the API created today (the shop's UTC day).
func (sh *Shop) VariantsCreatedToday() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if !sh.limit.day.Equal(utcDay(sh.srv.Now())) {
		return 0
	}
	return sh.limit.created
}

func utcDay(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// takeVariantCreates books n variants about to be created at now, or refuses them all with
// the limit's error when they do not fit. Caller holds sh.mu.
func (sh *Shop) takeVariantCreates(now time.Time, n int) error {
	if n <= 0 {
		return nil
	}
	l := &sh.limit
	if day := utcDay(now); !l.day.Equal(day) {
		l.day, l.created = day, 0
	}
	threshold, perDay := l.threshold, l.perDay
	if threshold <= 0 {
		threshold = DefaultVariantThreshold
	}
	if perDay <= 0 {
		perDay = DefaultDailyVariants
	}
	limited := sh.plan != PlanPlus && sh.plan != PlanEnterprise
	if limited && len(sh.cat.variants)+n > threshold && l.created+n > perDay {
		return &codedError{code: codeVariantThrottle, msg: msgVariantThrottle}
	}
	l.created += n
	return nil
}

// resolveVariantsCount implements productVariantsCount: every variant of the store ("No
// supported search fields" for query).
func resolveVariantsCount(ec *execCtx, _ any, a map[string]any) (any, error) {
	return countUpTo(len(ec.sh.cat.variants), a), nil
}

// countUpTo is a Count of n counted up to the argument limit (default 10000; null for no
// limit), with precision AT_LEAST when the limit was reached (schema QueryRoot.productsCount
// and productVariantsCount, Count).
func countUpTo(n int, a map[string]any) any {
	limit, given := a["limit"]
	if !given {
		limit = 10000
	}
	if l, ok := toInt(limit); ok && n > l {
		return obj("Count", "count", l, "precision", "AT_LEAST")
	}
	return obj("Count", "count", n, "precision", "EXACT")
}
