package sync

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/state"
)

// Shopify's daily variant-creation limit: a store on a plan other than Plus that has 50,000
// variants may create no more than 1,000 new variants a day through the API (2026-04 schema,
// productCreate; https://shopify.dev/changelog/api-call-limits-will-be-applied-to-variant-creation;
// sync/shopify/daylimit.go). The planner creates what today allows, whole products in sheet
// order, and leaves the rest: they are still not in the store, so the next run plans them as
// creates again. When Shopify refuses anyway (other apps created variants today, or it counts
// differently), the run stops creating, says why, and goes on with its updates.
//
// Doubt, and the choice that cannot harm a store: Shopify does not say whether creations below
// the threshold count towards the day, nor when the day resets ("per day" in the schema, "per
// 24-hour period" in its 2019 announcement). The planner counts every variant Shelfsync created
// in the store since midnight UTC, so a daily scheduled run gets a new allowance. A request
// Shopify refuses creates nothing (productSet creates a product with all of its variants or
// not at all), so a wrong guess costs a day, never half a product.

// VariantLimitReader is implemented by stores that can say whether the daily limit may apply
// (NewShopStore's does).
type VariantLimitReader interface {
	// StoreVariants says whether the store is on Shopify Plus (no limit) and, when it is not,
	// how many variants it has.
	StoreVariants(ctx context.Context) (plus bool, variants int, err error)
}

// DayLimit is the daily variant-creation limit the planner applies; zero fields take
// Shopify's numbers (tests lower them).
type DayLimit struct {
	Threshold int // store size past which new variants are limited (shopify.VariantThreshold)
	PerDay    int // new variants such a store may create a day (shopify.DailyVariants)
}

func (l DayLimit) orDefaults() DayLimit {
	if l.Threshold <= 0 {
		l.Threshold = shopify.VariantThreshold
	}
	if l.PerDay <= 0 {
		l.PerDay = shopify.DailyVariants
	}
	return l
}

// DayLimitPlan is what a plan does about the limit (Plan.DayLimit): set when the run's new
// variants would take a non-Plus store past the threshold.
type DayLimitPlan struct {
	Threshold     int `json:"threshold"`
	PerDay        int `json:"perDay"`
	StoreVariants int `json:"storeVariants"`
	// CreatedToday are the variants Shelfsync created in this store since midnight UTC.
	CreatedToday int `json:"createdToday,omitempty"`
	// RefusedToday: Shopify refused a create of Shelfsync's with the limit since midnight UTC
	// (other apps used the allowance), so nothing more is planned today.
	RefusedToday   bool `json:"refusedToday,omitempty"`
	CreateProducts int  `json:"createProducts"` // products this run creates or adds variants to
	CreateVariants int  `json:"createVariants"`
	WaitProducts   int  `json:"waitProducts"` // products left for the next day's run
	WaitVariants   int  `json:"waitVariants"`
	// Message says all of it for people (also in Plan.Notes and the run's summary).
	Message string `json:"message"`
}

// msgWaits is the message on a product that waits for the next day.
const msgWaits = "waits for tomorrow: Shopify's daily limit on new variants (see the note)"

// dayUnit is one product's new variants: created together or not at all.
type dayUnit struct {
	pp       *ProductPlan
	variants int
}

// planDayLimit caps the plan's creations at what the store may create today.
func (e *Engine) planDayLimit(ctx context.Context, st Store, p *Plan) error {
	var units []dayUnit
	total := 0
	for i := range p.Products {
		pp := &p.Products[i]
		n := 0
		switch {
		case pp.Action == ActCreate && pp.Create != nil:
			n = max(len(pp.Create.Variants), 1) // none: Shopify makes the default variant
		case pp.Action != ActCreate:
			for j := range pp.Variants {
				if pp.Variants[j].Action == ActCreate {
					n++
				}
			}
		}
		if n > 0 {
			units = append(units, dayUnit{pp, n})
			total += n
		}
	}
	r, ok := st.(VariantLimitReader)
	if total == 0 || !ok {
		return nil
	}
	lim := e.DayLimit.orDefaults()
	plus, have, err := r.StoreVariants(ctx)
	if err != nil {
		return fmt.Errorf("reading how many variants the store has: %w", err)
	}
	if plus || have+total <= lim.Threshold {
		return nil
	}
	today, refused, err := e.variantsCreatedToday(ctx, p.StoreID)
	if err != nil {
		return err
	}
	dl := &DayLimitPlan{Threshold: lim.Threshold, PerDay: lim.PerDay, StoreVariants: have, CreatedToday: today, RefusedToday: refused}
	if refused {
		today = lim.PerDay // Shopify's count is past ours: sending more today would be refused too
	}
	var never []string
	used := 0
	for _, u := range units {
		// The rule fakeshop applies: past the threshold, today's creations may not pass the allowance.
		if have+used+u.variants <= lim.Threshold || today+used+u.variants <= lim.PerDay {
			used += u.variants
			dl.CreateProducts++
			dl.CreateVariants += u.variants
			continue
		}
		if u.variants > lim.PerDay {
			never = append(never, u.pp.Handle)
			holdBack(u.pp, ActError, fmt.Sprintf("has %s new variants, more than the %s Shopify lets this store create in a day, "+
				"so it can't be created through the API: ask Shopify Support to raise the store's limit, or split the product",
				number(u.variants), number(lim.PerDay)))
			continue
		}
		holdBack(u.pp, ActSkipped, msgWaits)
		dl.WaitProducts++
		dl.WaitVariants += u.variants
	}
	if dl.WaitProducts == 0 && len(never) == 0 {
		return nil
	}
	dl.Message = dayLimitMessage(dl)
	p.DayLimit = dl
	p.Notes = append(p.Notes, dl.Message)
	return nil
}

// holdBack leaves a product's creations out of the run: a new product as a whole, or the new
// variants of an existing one.
func holdBack(pp *ProductPlan, a Action, msg string) {
	if pp.Action == ActCreate {
		pp.Action, pp.Message = a, msg
		for j := range pp.Variants {
			if pp.Variants[j].Action == ActCreate {
				pp.Variants[j].Action = ActSkipped
			}
		}
		return
	}
	for j := range pp.Variants {
		if vp := &pp.Variants[j]; vp.Action == ActCreate {
			vp.Action, vp.Message = ActSkipped, msg
		}
	}
	if a == ActError {
		pp.Message = msg
	}
}

// dayLimitMessage says what waits, why, and when it is created.
func dayLimitMessage(dl *DayLimitPlan) string {
	var b strings.Builder
	if dl.WaitProducts > 0 {
		fmt.Fprintf(&b, "%s (%s) wait for tomorrow: ", nOf(dl.WaitProducts, "product"), nOf(dl.WaitVariants, "variant"))
	} else {
		b.WriteString("Not every new product can be created: ")
	}
	fmt.Fprintf(&b, "Shopify allows non-Plus stores past %s variants %s new variants a day, and this store has %s",
		number(dl.Threshold), number(dl.PerDay), number(dl.StoreVariants))
	switch {
	case dl.RefusedToday:
		b.WriteString(" (Shopify already refused new variants today, UTC: other apps' creations count too)")
	case dl.CreatedToday > 0:
		fmt.Fprintf(&b, " (Shelfsync created %s in it today, UTC)", nOf(dl.CreatedToday, "variant"))
	}
	fmt.Fprintf(&b, ". This run creates %s (%s), the first in sheet order that fit", nOf(dl.CreateProducts, "product"), nOf(dl.CreateVariants, "variant"))
	if dl.WaitProducts > 0 {
		b.WriteString("; the others are still not in the store, so the next run creates the next ones: " +
			"tomorrow's scheduled run, or sync again tomorrow. Plus stores have no such limit")
	}
	b.WriteString(".")
	return b.String()
}

// variantsCreatedToday counts the variants Shelfsync's runs created in the store since
// midnight UTC (e.Now), from their journals: a created product's entry lists its variants'
// IDs, an added variant's entry its own. refused says whether Shopify refused one of their
// creates with the limit.
func (e *Engine) variantsCreatedToday(ctx context.Context, storeID string) (n int, refused bool, err error) {
	if e.DB == nil || storeID == "" {
		return 0, false, nil
	}
	midnight := e.now().UTC().Truncate(24 * time.Hour)
	runs, err := e.DB.ListRuns(ctx, storeID, 100)
	if err != nil {
		return 0, false, err
	}
	for _, r := range runs {
		last := r.FinishedAt
		if last.IsZero() {
			last = e.now() // still running, or interrupted: its creations may be today's
		}
		if r.Kind != state.KindSync || last.Before(midnight) || r.Counts.Created+r.Counts.Errors == 0 && !r.FinishedAt.IsZero() {
			continue
		}
		entries, err := e.DB.JournalEntries(ctx, r.ID, state.JournalDone, state.JournalFailed)
		if err != nil {
			return 0, false, err
		}
		for _, en := range entries {
			if en.Field != FieldCreate {
				continue
			}
			if en.State == state.JournalFailed {
				refused = refused || en.Message == msgDayLimitRefused
				continue
			}
			for _, id := range en.ShopifyIDs {
				if strings.Contains(id, "/ProductVariant/") {
					n++
				}
			}
		}
	}
	return n, refused, nil
}

// number writes n with thousands separators: 50,000.
func number(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + number(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// nOf writes "1 product", "2,000 variants".
func nOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return number(n) + " " + noun + "s"
}

// dayLimitHits is what the run saw of the limit while it ran.
type dayLimitHits struct {
	mu       gosync.Mutex
	hit      bool // Shopify refused a create with the limit: create nothing more this run
	products int  // products not created because of it
	variants int  // variants added to existing products not created because of it
}

// msgDayLimitRefused is the row message of a create Shopify refused with the limit.
const msgDayLimitRefused = "not created: Shopify refused it because the store reached its daily limit on new variants " +
	"(non-Plus stores past 50,000 variants may create 1,000 a day; other apps' creations count too). Nothing of it was created. " +
	"The limit resets the next day: the next run creates it (tomorrow's scheduled run, or sync again tomorrow)"

// msgDayLimitNotSent is the row message of a create the run did not send after a refusal.
const msgDayLimitNotSent = "not created: Shopify's daily limit on new variants was reached earlier in this run, so Shelfsync " +
	"stopped creating. The limit resets the next day: the next run creates it (tomorrow's scheduled run, or sync again tomorrow)"

// isDayLimit reports whether Shopify refused a create with the daily limit: the client's
// ErrVariantLimit, or a bulk line's user error of its code.
func isDayLimit(err error) bool {
	if errors.Is(err, shopify.ErrVariantLimit) {
		return true
	}
	if ie, ok := itemErrors(err); ok {
		for _, it := range ie.Items {
			if it.Code == shopify.CodeVariantThrottle {
				return true
			}
		}
	}
	return false
}

func createsVariants(o *op) bool { return o.kind == opCreateProduct || o.kind == opCreateVariants }

// dayLimitRefused records the entries idx of o as refused by the limit, and stops creating.
func (x *executor) dayLimitRefused(o *op, idx []int) []result {
	x.countDayLimit(o, idx, true)
	return allResults(idx, state.JournalFailed, msgDayLimitRefused, nil)
}

func (x *executor) countDayLimit(o *op, idx []int, hit bool) {
	x.day.mu.Lock()
	defer x.day.mu.Unlock()
	x.day.hit = x.day.hit || hit
	if o.kind == opCreateProduct {
		x.day.products++
	} else {
		x.day.variants += len(idx)
	}
}

// skipCreates records a create op's entries idx as not sent, once the limit refused one this
// run (sending it would be refused too); it reports whether it did.
func (x *executor) skipCreates(ctx context.Context, o *op, idx []int) bool {
	if !createsVariants(o) {
		return false
	}
	x.day.mu.Lock()
	hit := x.day.hit
	x.day.mu.Unlock()
	if !hit {
		return false
	}
	x.countDayLimit(o, idx, false)
	if err := x.record(ctx, o, allResults(idx, state.JournalFailed, msgDayLimitNotSent, nil)); err != nil {
		x.setFatal(err)
	}
	return true
}

// dayLimitNotes are what the run result says about the limit: products the plan left for the
// next day, and creates Shopify refused during the run.
func (x *executor) dayLimitNotes(p *Plan) []string {
	var out []string
	if p.DayLimit != nil && p.DayLimit.Message != "" {
		out = append(out, p.DayLimit.Message)
	}
	x.day.mu.Lock()
	defer x.day.mu.Unlock()
	if x.day.hit {
		var what []string
		if x.day.products > 0 {
			what = append(what, nOf(x.day.products, "product"))
		}
		if x.day.variants > 0 {
			what = append(what, nOf(x.day.variants, "new variant")+" of existing products")
		}
		out = append(out, "Shopify's daily limit on new variants was reached during the run: "+strings.Join(what, " and ")+
			" were not created (the report lists their rows), and the run created nothing more; its updates went on. "+
			"Non-Plus stores past 50,000 variants may create 1,000 new variants a day, counting other apps' creations. "+
			"The limit resets the next day: the next run creates them (tomorrow's scheduled run, or sync again tomorrow).")
	}
	return out
}

// NothingToWriteToday says, for a plan with no changes because Shopify's daily limit left all
// of its new products for tomorrow, what the front ends should say instead of "the store
// already matches the sheet"; "" otherwise.
func (p *Plan) NothingToWriteToday() string {
	if dl := p.DayLimit; dl != nil && dl.WaitProducts > 0 && !p.HasChanges() {
		return "Nothing to write today: " + nOf(dl.WaitProducts, "new product") +
			" wait for tomorrow, because of Shopify's daily limit on new variants (see the note)."
	}
	return ""
}
