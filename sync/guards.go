package sync

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// GuardOptions set when a plan stops and asks. A fraction of 0 takes the
// default (0.5); a negative one switches that guard off.
type GuardOptions struct {
	// ZeroStock trips when the plan takes more than this fraction of the
	// stocked inventory levels the sheet mentions to zero or below.
	ZeroStock float64 `json:"zeroStock,omitempty"`
	// MissingSKUs trips when the sheet leaves out more than this fraction of
	// the SKUs the store's last finished sync had.
	MissingSKUs float64 `json:"missingSkus,omitempty"`
	// PriceChanges trips when more than this fraction of the matched
	// variants' prices change.
	PriceChanges float64 `json:"priceChanges,omitempty"`
}

// Guard kinds.
const (
	GuardZeroStock    = "zero-stock"
	GuardMissingSKUs  = "missing-skus"
	GuardPriceChanges = "price-changes"
)

// GuardTrip is a guard that stopped a plan: Apply refuses it unless confirmed.
type GuardTrip struct {
	Kind      string  `json:"kind"`
	Message   string  `json:"message"`
	Count     int     `json:"count"`
	Of        int     `json:"of"`
	Threshold float64 `json:"threshold"`
}

// ErrGuardsTripped is returned by Apply for a plan with guard trips that was
// not confirmed; the run is kept as held for review.
var ErrGuardsTripped = errors.New("the plan tripped a safety guard and needs confirmation")

func threshold(v float64) (float64, bool) {
	switch {
	case v < 0:
		return 0, false
	case v == 0:
		return 0.5, true
	default:
		return v, true
	}
}

// checkGuards looks for the three conditions that make a run stop and ask.
func checkGuards(p *Plan, snap *snapshot, prevSKUs []string, g GuardOptions) []GuardTrip {
	var trips []GuardTrip
	var stocked, zeroed, priced, repriced int
	var fixed, refixed int // market fixed prices, counted apart: a wrong market column must not hide among base prices
	variant := func(vp *VariantPlan, cv *SnapVariant) {
		if vp.VariantID == "" || cv == nil {
			return
		}
		for _, l := range cv.Levels {
			if l.Available > 0 {
				stocked++
			}
		}
		for _, qc := range vp.Quantities {
			if qc.Old != nil && *qc.Old > 0 && qc.New <= 0 { // oversold (negative) counts as zeroed
				zeroed++
			}
		}
		if cv.Price != "" {
			priced++
		}
		for _, f := range vp.Fields {
			switch {
			case f.Field == FieldPrice:
				repriced++
			case strings.HasPrefix(f.Field, marketPriceField) && f.Old != "":
				refixed++
			}
		}
		fixed += len(cv.FixedPrices)
	}
	for i := range p.Products {
		pp := &p.Products[i]
		cur := snap.byID[pp.ProductID]
		for j := range pp.Variants {
			variant(&pp.Variants[j], findVariant(cur, pp.Variants[j].VariantID))
		}
	}
	for i := range p.Loose {
		variant(&p.Loose[i], findVariant(snap.byID[p.Loose[i].ProductID], p.Loose[i].VariantID))
	}
	if t, on := threshold(g.ZeroStock); on && stocked > 0 && float64(zeroed) > t*float64(stocked) {
		trips = append(trips, GuardTrip{Kind: GuardZeroStock, Count: zeroed, Of: stocked, Threshold: t,
			Message: fmt.Sprintf("the sheet would set %d of %d stocked quantities to zero or below", zeroed, stocked)})
	}
	if t, on := threshold(g.PriceChanges); on && priced > 0 && float64(repriced) > t*float64(priced) {
		trips = append(trips, GuardTrip{Kind: GuardPriceChanges, Count: repriced, Of: priced, Threshold: t,
			Message: fmt.Sprintf("the sheet would change %d of %d prices", repriced, priced)})
	}
	if t, on := threshold(g.PriceChanges); on && fixed > 0 && float64(refixed) > t*float64(fixed) {
		trips = append(trips, GuardTrip{Kind: GuardPriceChanges, Count: refixed, Of: fixed, Threshold: t,
			Message: fmt.Sprintf("the sheet would change or remove %d of %d market prices", refixed, fixed)})
	}
	if t, on := threshold(g.MissingSKUs); on && len(prevSKUs) > 0 {
		missing := 0
		for _, s := range prevSKUs {
			if _, ok := slices.BinarySearch(p.SKUs, s); !ok {
				missing++
			}
		}
		if float64(missing) > t*float64(len(prevSKUs)) {
			trips = append(trips, GuardTrip{Kind: GuardMissingSKUs, Count: missing, Of: len(prevSKUs), Threshold: t,
				Message: fmt.Sprintf("the sheet leaves out %d of the %d SKUs the last sync had", missing, len(prevSKUs))})
		}
	}
	return trips
}

func findVariant(p *SnapProduct, id string) *SnapVariant {
	if p == nil {
		return nil
	}
	for i := range p.Variants {
		if p.Variants[i].ID == id {
			return &p.Variants[i]
		}
	}
	return nil
}
