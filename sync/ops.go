package sync

import (
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/shelfsync/shelfsync/sync/state"
)

// MaxBatch is Shopify's cap on input list length (https://shopify.dev/docs/api/usage/limits).
const MaxBatch = 250

// Phases of a run, in order, as Progress reports them.
const (
	PhaseBulk      = "new products (one bulk operation)"
	PhaseProducts  = "products"
	PhaseVariants  = "variants"
	PhaseInventory = "inventory"
	PhaseFinishing = "finishing"
)

type opKind int

const (
	opCreateProduct opKind = iota
	opUpdateProduct
	opDeleteProduct
	opUpdateVariants
	opCreateVariants
	opDeleteVariants
	opActivate
	opSetQuantities
	opFixedPricesAdd    // market prices (markets.go)
	opFixedPricesDelete // market prices removed (blank means clear)
	opImages            // an existing product's image changes (images.go)
)

// op is one request: the plan items it carries and its journal entries.
type op struct {
	kind      opKind
	phase     string
	product   *ProductPlan   // product ops
	productID string         // variant ops
	variants  []*VariantPlan // variant ops (entries line up per field, see entriesFor)
	qs        []qref         // inventory ops
	market    string         // fixed-price ops: the sheet's market name
	list      PriceListRef   // and its price list
	entries   []state.JournalEntry
	// images is the op that adds images to the product whose variants a
	// create op adds (it runs first, in the product's line): a new variant
	// whose image is one of them gets its media ID from it.
	images *op
}

// qref is one quantity change of a variant.
type qref struct {
	vp *VariantPlan
	qc *QuantityChange
}

// buildOps turns a plan into requests with their journal entries, in a
// deterministic order: a resumed run rebuilds the same ops from the same
// plan and finds its entries by sequence number. Stock goes in batches of
// stockBatch quantities (0: MaxBatch, Shopify's input limit).
func buildOps(p *Plan, runID string, stockBatch int) []*op {
	if stockBatch <= 0 || stockBatch > MaxBatch {
		stockBatch = MaxBatch
	}
	var ops []*op
	var upd, crt, del, mkt []*VariantPlan
	var acts, sets []qref
	market := func(vp *VariantPlan) {
		if vp.Action == ActUpdate && vp.hasMarketFields() {
			mkt = append(mkt, vp)
		}
	}
	for i := range p.Products {
		pp := &p.Products[i]
		switch pp.Action {
		case ActCreate:
			ops = append(ops, &op{kind: opCreateProduct, phase: PhaseProducts, product: pp})
			continue
		case ActDelete:
			ops = append(ops, &op{kind: opDeleteProduct, phase: PhaseProducts, product: pp})
			continue
		case ActUpdate, ActArchive:
			if len(pp.Fields) > 0 {
				ops = append(ops, &op{kind: opUpdateProduct, phase: PhaseProducts, product: pp})
			}
			if len(pp.Images) > 0 {
				ops = append(ops, &op{kind: opImages, phase: PhaseProducts, product: pp})
			}
		default:
			continue
		}
		for j := range pp.Variants {
			upd, crt, del, acts, sets = sortVariant(&pp.Variants[j], upd, crt, del, acts, sets)
			market(&pp.Variants[j])
		}
	}
	for i := range p.Loose {
		upd, crt, del, acts, sets = sortVariant(&p.Loose[i], upd, crt, del, acts, sets)
		market(&p.Loose[i])
	}
	ops = append(ops, groupVariants(opUpdateVariants, upd)...)
	ops = append(ops, groupVariants(opCreateVariants, crt)...)
	ops = append(ops, groupVariants(opDeleteVariants, del)...)
	ops = append(ops, marketOps(p, mkt)...)
	for _, a := range acts {
		ops = append(ops, &op{kind: opActivate, phase: PhaseInventory, qs: []qref{a}})
	}
	slices.SortStableFunc(sets, func(a, b qref) int { return strings.Compare(a.qc.Name, b.qc.Name) }) // one name per batch
	for len(sets) > 0 {
		n := min(len(sets), stockBatch)
		for k := 1; k < n; k++ {
			if sets[k].qc.Name != sets[0].qc.Name {
				n = k
				break
			}
		}
		ops = append(ops, &op{kind: opSetQuantities, phase: PhaseInventory, qs: sets[:n:n]})
		sets = sets[n:]
	}
	linkImages(ops)
	var seq int64
	for _, o := range ops {
		o.entries = entriesFor(o)
		key := ""
		if o.kind == opSetQuantities || o.kind == opActivate {
			key = idemKey(runID, "batch", seq+1, seq+int64(len(o.entries)))
		}
		for k := range o.entries {
			seq++
			o.entries[k].Seq = seq
			o.entries[k].IdempotencyKey = key
		}
	}
	return ops
}

// linkImages gives each variant create op the images op of its product.
func linkImages(ops []*op) {
	byProduct := map[string]*op{}
	for _, o := range ops {
		if o.kind == opImages {
			byProduct[o.product.ProductID] = o
		}
	}
	for _, o := range ops {
		if o.kind == opCreateVariants {
			o.images = byProduct[o.productID]
		}
	}
}

func sortVariant(vp *VariantPlan, upd, crt, del []*VariantPlan, acts, sets []qref) ([]*VariantPlan, []*VariantPlan, []*VariantPlan, []qref, []qref) {
	switch vp.Action {
	case ActCreate:
		crt = append(crt, vp)
	case ActDelete:
		del = append(del, vp)
	case ActUpdate:
		if vp.hasCoreFields() {
			upd = append(upd, vp)
		}
		for k := range vp.Quantities {
			q := qref{vp, &vp.Quantities[k]}
			if q.qc.Old == nil {
				acts = append(acts, q)
			} else {
				sets = append(sets, q)
			}
		}
	}
	return upd, crt, del, acts, sets
}

// groupVariants makes one op per product and batch of at most MaxBatch
// variants, products in order of first appearance.
func groupVariants(kind opKind, vps []*VariantPlan) []*op {
	var order []string
	by := map[string][]*VariantPlan{}
	for _, vp := range vps {
		if _, ok := by[vp.ProductID]; !ok {
			order = append(order, vp.ProductID)
		}
		by[vp.ProductID] = append(by[vp.ProductID], vp)
	}
	var ops []*op
	for _, pid := range order {
		list := by[pid]
		for len(list) > 0 {
			n := min(len(list), MaxBatch)
			ops = append(ops, &op{kind: kind, phase: PhaseVariants, productID: pid, variants: list[:n:n]})
			list = list[n:]
		}
	}
	return ops
}

// entriesFor lists an op's journal entries (without Seq).
func entriesFor(o *op) []state.JournalEntry {
	var out []state.JournalEntry
	switch o.kind {
	case opCreateProduct:
		pp := o.product
		out = append(out, state.JournalEntry{ItemKey: pp.Handle, Field: FieldCreate, New: pp.Handle, SourceRow: pp.Row})
	case opDeleteProduct:
		pp := o.product
		out = append(out, state.JournalEntry{ItemKey: pp.Handle, Field: FieldDelete, Old: pp.Handle,
			ShopifyIDs: []string{pp.ProductID}, SourceRow: pp.Row})
	case opUpdateProduct:
		pp := o.product
		for _, f := range pp.Fields {
			out = append(out, state.JournalEntry{ItemKey: pp.Handle, Field: f.Field, Old: f.Old, New: f.New,
				ShopifyIDs: []string{pp.ProductID}, SourceRow: pp.Row})
		}
	case opFixedPricesAdd, opFixedPricesDelete:
		out = marketEntries(o)
	case opImages:
		out = imageEntries(o.product)
	case opUpdateVariants:
		for _, vp := range o.variants {
			for _, f := range vp.Fields {
				if _, ok := marketField(f.Field); ok {
					continue // sent by the fixed-price ops
				}
				out = append(out, state.JournalEntry{ItemKey: vp.Key, Field: f.Field, Old: f.Old, New: f.New,
					ShopifyIDs: []string{vp.ProductID, vp.VariantID}, SourceRow: vp.Row})
			}
		}
	case opCreateVariants:
		for _, vp := range o.variants {
			out = append(out, state.JournalEntry{ItemKey: vp.Key, Field: FieldCreate, New: vp.Key,
				ShopifyIDs: []string{vp.ProductID}, SourceRow: vp.Row})
		}
	case opDeleteVariants:
		for _, vp := range o.variants {
			out = append(out, state.JournalEntry{ItemKey: vp.Key, Field: FieldDelete, Old: vp.Key,
				ShopifyIDs: []string{vp.ProductID, vp.VariantID}, SourceRow: vp.Row})
		}
	case opActivate, opSetQuantities:
		for _, q := range o.qs {
			old := ""
			if q.qc.Old != nil {
				old = strconv.Itoa(*q.qc.Old)
			}
			out = append(out, state.JournalEntry{ItemKey: q.vp.Key + "@" + q.qc.Location, Field: quantityField(q.qc.Name),
				Old: old, New: strconv.Itoa(q.qc.New),
				ShopifyIDs: []string{q.vp.ProductID, q.vp.VariantID, q.vp.InventoryItemID, q.qc.LocationID},
				SourceRow:  q.vp.Row})
		}
	}
	return out
}

// idemKey derives the @idempotent key of an inventory request from the run
// and the journal entries it carries, so a retry of the same request (in
// this process or after a resume) sends the same key, and a different
// request never does. Shopify expects a UUID
// (https://shopify.dev/docs/api/usage/idempotent-requests).
func idemKey(runID, kind string, seqs ...int64) string {
	var b strings.Builder
	b.WriteString(runID)
	b.WriteByte('/')
	b.WriteString(kind)
	for _, s := range seqs {
		b.WriteByte('/')
		b.WriteString(strconv.FormatInt(s, 10))
	}
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("shelfsync:"+b.String())).String()
}
