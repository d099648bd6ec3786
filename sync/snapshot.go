package sync

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// DefaultBulkThreshold is the product count above which the snapshot is read
// with one bulk query rather than page by page.
const DefaultBulkThreshold = 2000

// snapshot is what the store has now, indexed for matching.
type snapshot struct {
	products  []*SnapProduct
	byID      map[string]*SnapProduct
	byHandle  map[string]*SnapProduct
	bySKU     map[string][]varRef
	byBarcode map[string][]varRef
	// sharedSKUs counts the variants of each SKU on more than one: a small
	// map, looked up for every sheet variant (bySKU is a large one).
	sharedSKUs map[string]int
	full       bool // the whole catalog was read
}

// varRef points at one variant of a snapshot product.
type varRef struct {
	p *SnapProduct
	i int
}

func (r varRef) v() *SnapVariant { return &r.p.Variants[r.i] }

func newSnapshot(ps []SnapProduct, full bool) *snapshot {
	skus, barcodes := 0, 0
	for i := range ps {
		for j := range ps[i].Variants {
			skus += min(1, len(ps[i].Variants[j].SKU))
			barcodes += min(1, len(ps[i].Variants[j].Barcode))
		}
	}
	// Sized up front: a whole store's index grown step by step rehashes
	// many times and leaves the old tables as garbage.
	s := &snapshot{
		byID: make(map[string]*SnapProduct, len(ps)), byHandle: make(map[string]*SnapProduct, len(ps)),
		bySKU: make(map[string][]varRef, skus), byBarcode: make(map[string][]varRef, barcodes), full: full,
	}
	s.add(ps)
	return s
}

// add indexes products, skipping ones already known.
func (s *snapshot) add(ps []SnapProduct) {
	if s.products == nil {
		s.products = make([]*SnapProduct, 0, len(ps))
	}
	var refs refArena
	for i := range ps {
		p := &ps[i]
		if _, dup := s.byID[p.ID]; dup {
			continue
		}
		s.products = append(s.products, p)
		s.byID[p.ID] = p
		s.byHandle[p.Handle] = p
		for j := range p.Variants {
			v := &p.Variants[j]
			if v.SKU != "" {
				list := refs.add(s.bySKU[v.SKU], varRef{p, j})
				s.bySKU[v.SKU] = list
				if len(list) > 1 {
					if s.sharedSKUs == nil {
						s.sharedSKUs = map[string]int{}
					}
					s.sharedSKUs[v.SKU] = len(list)
				}
			}
			if v.Barcode != "" {
				s.byBarcode[v.Barcode] = refs.add(s.byBarcode[v.Barcode], varRef{p, j})
			}
		}
	}
}

// refArena hands out the one-element ref lists of an index from shared
// blocks: most SKUs and barcodes are on one variant, and a list of their own
// for each cost the whole store an allocation per variant.
type refArena struct{ free []varRef }

// add returns list with r appended.
func (a *refArena) add(list []varRef, r varRef) []varRef {
	if len(list) > 0 {
		return append(list, r) // a shared key: its own list (the block's are full)
	}
	if len(a.free) == cap(a.free) {
		a.free = make([]varRef, 0, 1024)
	}
	a.free = append(a.free, r)
	n := len(a.free)
	return a.free[n-1 : n : n]
}

// readProducts reads the products q names: by ID and handle, or, for more
// than threshold of them, through one bulk query of the whole store (20,000
// products read by ID within a Standard store's rate limit take over 20
// minutes), keeping those q names and looking up exactly those it lacks.
func readProducts(ctx context.Context, st Store, q ProductQuery, threshold int) ([]SnapProduct, error) {
	if len(q.IDs)+len(q.Handles) <= threshold {
		return st.Products(ctx, q)
	}
	all, err := st.AllProducts(ctx)
	if err != nil {
		return nil, err
	}
	ids, handles := setOf(q.IDs), setOf(q.Handles)
	var out []SnapProduct
	for i := range all {
		if ids[all[i].ID] || handles[all[i].Handle] {
			out = append(out, all[i])
			delete(ids, all[i].ID)
			delete(handles, all[i].Handle)
		}
	}
	missing := ProductQuery{IDs: slices.Sorted(maps.Keys(ids)), Handles: slices.Sorted(maps.Keys(handles))}
	if missing.Empty() {
		return out, nil
	}
	ps, err := st.Products(ctx, missing)
	return append(out, ps...), err
}

func setOf(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// readSnapshot reads the products the catalog mentions: by handle (an exact
// lookup across every status: a product the plan calls new must really be
// absent), then by SKU and barcode for loose variants and for products whose
// handle the store does not know. Large catalogs, and plans that act on
// products missing from the sheet, read the whole store instead, and look
// the handles it lacks up exactly.
func readSnapshot(ctx context.Context, st Store, cat *catalog.Catalog, opts Options) (*snapshot, error) {
	threshold := opts.bulkThreshold()
	if len(cat.Products) > threshold || len(cat.Variants) > threshold || opts.Missing != MissingKeep {
		all, err := allProductsFor(ctx, st, cat, opts)
		if err != nil {
			return nil, err
		}
		snap := newSnapshot(all, true)
		// A full read is a list, not a proof of absence: every handle it
		// lacks is looked up exactly before the plan may create it.
		var missing ProductQuery
		for i := range cat.Products {
			if snap.byHandle[cat.Products[i].Handle] == nil {
				missing.Handles = append(missing.Handles, cat.Products[i].Handle)
			}
		}
		if !missing.Empty() {
			ps, err := st.Products(ctx, missing)
			if err != nil {
				return nil, err
			}
			snap.add(ps)
		}
		return snap, nil
	}
	var q ProductQuery
	for i := range cat.Products {
		q.Handles = append(q.Handles, cat.Products[i].Handle)
	}
	addVariantKeys(&q, cat.Variants)
	snap := newSnapshot(nil, false)
	if !q.Empty() {
		ps, err := st.Products(ctx, q)
		if err != nil {
			return nil, err
		}
		snap.add(ps)
	}
	// Products new by handle may still have SKUs the store knows (renamed
	// handle): look them up so they match rather than duplicate. SKUs the
	// products found don't have (a new variant, a new SKU) are looked up
	// too, so the plan warns when another product already has one (F11).
	var q2 ProductQuery
	for i := range cat.Products {
		if snap.byHandle[cat.Products[i].Handle] == nil {
			addVariantKeys(&q2, cat.Products[i].Variants)
			continue
		}
		for j := range cat.Products[i].Variants {
			if sku := cat.Products[i].Variants[j].SKU; sku != "" {
				q2.SKUs = append(q2.SKUs, sku)
			}
		}
	}
	q2.SKUs = unknownKeys(q2.SKUs, snap.bySKU)
	q2.Barcodes = unknownKeys(q2.Barcodes, snap.byBarcode)
	if !q2.Empty() {
		ps, err := st.Products(ctx, q2)
		if err != nil {
			return nil, err
		}
		snap.add(ps)
	}
	return snap, nil
}

func addVariantKeys(q *ProductQuery, vs []catalog.Variant) {
	for i := range vs {
		v := &vs[i]
		if v.SKU != "" {
			q.SKUs = append(q.SKUs, v.SKU)
		} else if v.Barcode != "" {
			q.Barcodes = append(q.Barcodes, v.Barcode)
		}
	}
}

// unknownKeys keeps the keys not in known, once each (a SKU may be on many rows).
func unknownKeys(keys []string, known map[string][]varRef) []string {
	out := keys[:0]
	seen := map[string]bool{}
	for _, k := range keys {
		if _, ok := known[k]; !ok && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// optionKey joins option values for matching, ignoring case.
func optionKey(vals []string) string {
	return strings.ToLower(strings.Join(vals, "\x1f"))
}
