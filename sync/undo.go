package sync

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/shelfsync/shelfsync/sync/state"
)

// MsgChangedSince is the message of an undo conflict.
const MsgChangedSince = "changed in Shopify since; left alone"

// PlanUndo previews the undo of a sync run: every change the run made goes
// back to the value it replaced, except where the store's value is no longer
// the one the run wrote (a conflict, left alone). Products the run created
// are deleted only if they are exactly as the run created them; otherwise
// they are left alone as conflicts (deleting a product someone has since
// edited would lose that work; archive it by hand if wanted). Products the
// run deleted can't be brought back. Apply the returned plan to undo.
func (e *Engine) PlanUndo(ctx context.Context, st Store, runID string) (*Plan, error) {
	if e.DB == nil {
		return nil, ErrNoDB
	}
	orig, err := e.LoadPlan(ctx, runID)
	if err != nil {
		return nil, err
	}
	run, err := e.DB.GetRun(ctx, orig.RunID)
	if err != nil {
		return nil, err
	}
	switch {
	case run.Kind != state.KindSync:
		return nil, fmt.Errorf("run %s is a %s run; only sync runs can be undone", run.ID, run.Kind)
	case run.State == state.RunUndone:
		return nil, fmt.Errorf("run %s was already undone", run.ID)
	case run.State == state.RunRunning:
		return nil, fmt.Errorf("run %s is still running (or was killed): resume or cancel it first", run.ID)
	}
	done, err := e.DB.JournalEntries(ctx, run.ID, state.JournalDone, state.JournalFailed)
	if err != nil {
		return nil, err
	}
	done = slices.DeleteFunc(done, func(en state.JournalEntry) bool { // failed: only images added that Shopify could not process
		return en.State == state.JournalFailed && !(en.Field == ImageAdd && len(en.ShopifyIDs) > 1)
	})
	u := undoer{orig: orig, handles: map[string]string{}, creates: map[string]*ProductPlan{}, varCreates: map[string]*VariantPlan{}}
	u.index()
	// Read the products back by ID: a handle renamed in Shopify since the
	// run must not make undo miss (or, worse, address another) product.
	var q ProductQuery
	for _, en := range done {
		if u.handleOf(en) == "" {
			continue
		}
		if id := idOf(en); id != "" {
			q.IDs = append(q.IDs, id)
		} else {
			q.Handles = append(q.Handles, en.ItemKey)
		}
	}
	q.IDs, q.Handles = dedupe(q.IDs), dedupe(q.Handles)
	var cur []SnapProduct
	if !q.Empty() {
		if cur, err = readProducts(ctx, st, q, orig.Options.bulkThreshold()); err != nil {
			return nil, fmt.Errorf("reading the store: %w", err)
		}
	}
	u.snap = newSnapshot(cur, false)
	fields := make([]string, len(done))
	for i, en := range done {
		fields[i] = en.Field
	}
	fields = append(fields, createdFields(u.creates, u.varCreates)...)
	if err := readMetafieldsFor(ctx, st, u.snap, fields); err != nil {
		return nil, fmt.Errorf("reading the store: %w", err)
	}
	if err := readFixedPricesFor(ctx, st, u.snap, done); err != nil {
		return nil, fmt.Errorf("reading the store's market prices: %w", err)
	}
	if err := readMediaFor(ctx, st, u.snap, done); err != nil {
		return nil, fmt.Errorf("reading the store: %w", err)
	}
	if slices.ContainsFunc(done, func(en state.JournalEntry) bool { return isImageField(en.Field) }) {
		files, err := canWriteFiles(ctx, st)
		if err != nil {
			return nil, fmt.Errorf("reading the store's permissions: %w", err)
		}
		u.noFiles = !files
	}
	p := &Plan{Version: PlanVersion, Kind: string(state.KindUndo), UndoOf: run.ID, StoreID: run.StoreID,
		Source: "undo of " + run.ID, CreatedAt: e.now(), Locations: orig.Locations}
	u.build(p, done)
	p.recount()
	// An undo goes back the way the run went: a big run's price and stock
	// reversals are bulk lines too, not hours of paced requests.
	e.choosePath(p, st)
	return p, nil
}

// undoer builds an undo plan from a run's done journal entries.
type undoer struct {
	orig       *Plan
	snap       *snapshot
	handles    map[string]string       // product ID → handle
	creates    map[string]*ProductPlan // handle → created product's plan
	varCreates map[string]*VariantPlan // productID + key → created variant's plan
	products   map[string]*ProductPlan // product ID (or "handle:" + handle) → undo product plan
	order      []string
	noFiles    bool // the store did not grant write_files: file changes are left (filescope.go)
}

// idOf is the ID of the product a journal entry wrote to, "" if unknown.
func idOf(en state.JournalEntry) string {
	if len(en.ShopifyIDs) > 0 {
		return en.ShopifyIDs[0]
	}
	return ""
}

func (u *undoer) index() {
	for i := range u.orig.Products {
		pp := &u.orig.Products[i]
		if pp.ProductID != "" {
			u.handles[pp.ProductID] = pp.Handle
		}
		if pp.Action == ActCreate {
			u.creates[pp.Handle] = pp
		}
		for j := range pp.Variants {
			vp := &pp.Variants[j]
			if vp.Action == ActCreate && vp.Create != nil {
				u.varCreates[vp.ProductID+"\x00"+vp.Key] = vp
			}
		}
	}
	for i := range u.orig.Loose {
		if vp := &u.orig.Loose[i]; vp.ProductID != "" {
			u.handles[vp.ProductID] = vp.Handle
		}
	}
}

func (u *undoer) handleOf(en state.JournalEntry) string {
	if len(en.ShopifyIDs) > 0 {
		if h, ok := u.handles[en.ShopifyIDs[0]]; ok {
			return h
		}
	}
	if _, ok := u.creates[en.ItemKey]; ok && en.Field == FieldCreate {
		return en.ItemKey
	}
	return ""
}

// product returns the undo plan of the product with this ID (or, when the
// entry has none, this handle), and the product as the store has it now.
func (u *undoer) product(id, handle string) (*ProductPlan, *SnapProduct) {
	key := id
	if key == "" {
		key = "handle:" + handle
	}
	pp, ok := u.products[key]
	if !ok {
		pp = &ProductPlan{Handle: handle, ProductID: id, Action: ActUnchanged}
		u.products[key] = pp
		u.order = append(u.order, key)
	}
	cur := u.snap.byHandle[handle]
	if id != "" {
		cur = u.snap.byID[id]
	}
	if cur != nil && !ok {
		pp.ProductID, pp.Title = cur.ID, cur.Title
	}
	return pp, cur
}

// variant returns the undo plan of one variant of pp.
func (pp *ProductPlan) variant(en state.JournalEntry, key string) *VariantPlan {
	vid := ""
	if len(en.ShopifyIDs) > 1 {
		vid = en.ShopifyIDs[1]
	}
	for i := range pp.Variants {
		if pp.Variants[i].VariantID == vid && pp.Variants[i].Key == key {
			return &pp.Variants[i]
		}
	}
	pp.Variants = append(pp.Variants, VariantPlan{Key: key, Handle: pp.Handle, ProductID: pp.ProductID, VariantID: vid,
		Action: ActUnchanged, Row: en.SourceRow})
	return &pp.Variants[len(pp.Variants)-1]
}

func (u *undoer) build(p *Plan, done []state.JournalEntry) {
	u.products = map[string]*ProductPlan{}
	added := addedMedia(done)
	for _, en := range done {
		handle := u.handleOf(en)
		if handle == "" {
			continue
		}
		pp, cur := u.product(idOf(en), handle)
		switch {
		case isImageField(en.Field):
			u.undoImage(pp, cur, en, added)
		case en.Field == FieldDelete:
			pp.Action, pp.Message = ActConflict, "deleted by the run; a deleted product can't be brought back"
		case en.Field == FieldCreate && u.creates[en.ItemKey] != nil && len(en.ShopifyIDs) > 0 && en.ShopifyIDs[0] == pp.ProductID:
			u.undoCreate(pp, cur, u.creates[en.ItemKey])
		case en.Field == FieldCreate && u.creates[en.ItemKey] != nil:
			pp.Action, pp.Message = ActSkipped, "already deleted"
		case en.Field == FieldCreate:
			u.undoVariantCreate(pp, cur, en)
		case isQuantityField(en.Field):
			u.undoQuantity(pp, cur, en)
		case isMarketEntry(en):
			u.undoMarketPrice(p, pp, cur, en)
		case len(en.ShopifyIDs) > 1:
			u.undoVariantField(pp, cur, en)
		default:
			u.undoProductField(pp, cur, en)
		}
	}
	for _, k := range u.order {
		pp := u.products[k]
		if pp.Action == ActUnchanged {
			for i := range pp.Variants {
				if a := pp.Variants[i].Action; a == ActUpdate || a == ActDelete {
					pp.Action = ActUpdate
				} else if a == ActConflict && pp.Action == ActUnchanged {
					pp.Action = ActConflict
				}
			}
		}
		p.Products = append(p.Products, *pp)
	}
}

func conflict(action *Action, msg *string) {
	if *action != ActUpdate && *action != ActDelete {
		*action = ActConflict
	}
	if *msg == "" {
		*msg = MsgChangedSince
	}
}

func (u *undoer) undoProductField(pp *ProductPlan, cur *SnapProduct, en state.JournalEntry) {
	if cur == nil || !sameValue(en.Field, productValue(cur, en.Field), en.New) {
		conflict(&pp.Action, &pp.Message)
		return
	}
	pp.Fields = append(pp.Fields, FieldChange{Field: en.Field, Old: productValue(cur, en.Field), New: en.Old})
	if pp.Action != ActDelete {
		pp.Action = ActUpdate
	}
}

func (u *undoer) undoVariantField(pp *ProductPlan, cur *SnapProduct, en state.JournalEntry) {
	vp := pp.variant(en, en.ItemKey)
	v := findVariant(cur, vp.VariantID)
	if v == nil || !sameValue(en.Field, variantValue(v, en.Field), en.New) {
		conflict(&vp.Action, &vp.Message)
		return
	}
	vp.InventoryItemID = v.InventoryItemID
	if en.Field == FieldOptions {
		vp.OptionNames = cur.Options
	}
	vp.Fields = append(vp.Fields, FieldChange{Field: en.Field, Old: variantValue(v, en.Field), New: en.Old})
	vp.Action = ActUpdate
}

func (u *undoer) undoQuantity(pp *ProductPlan, cur *SnapProduct, en state.JournalEntry) {
	if len(en.ShopifyIDs) < 4 {
		return
	}
	key := en.ItemKey
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == '@' {
			key = key[:i]
			break
		}
	}
	vp := pp.variant(en, key)
	v := findVariant(cur, vp.VariantID)
	loc := en.ShopifyIDs[3]
	now, stocked := 0, false
	name := quantityOfField(en.Field)
	if v != nil {
		now, stocked = v.quantity(name, loc)
	}
	if !stocked || strconv.Itoa(now) != en.New {
		conflict(&vp.Action, &vp.Message)
		return
	}
	back, _ := strconv.Atoi(en.Old) // "" (was not stocked) goes back to 0
	vp.InventoryItemID = v.InventoryItemID
	vp.Quantities = append(vp.Quantities, QuantityChange{LocationID: loc, Location: u.locationName(loc), Name: name, Old: &now, New: back})
	vp.Action = ActUpdate
}

func (u *undoer) locationName(id string) string {
	for _, l := range u.orig.Locations {
		if l.ID == id {
			return l.Name
		}
	}
	return id
}

func (u *undoer) undoVariantCreate(pp *ProductPlan, cur *SnapProduct, en state.JournalEntry) {
	vp := pp.variant(en, en.ItemKey)
	orig := u.varCreates[pp.ProductID+"\x00"+en.ItemKey]
	v := findVariant(cur, vp.VariantID)
	switch {
	case v == nil:
		vp.Action, vp.Message = ActSkipped, "already deleted"
	case orig == nil || !variantAsCreated(v, orig.Create):
		conflict(&vp.Action, &vp.Message)
	default:
		vp.Action = ActDelete
	}
}

func (u *undoer) undoCreate(pp *ProductPlan, cur *SnapProduct, orig *ProductPlan) {
	switch {
	case cur == nil:
		pp.Action, pp.Message = ActSkipped, "already deleted"
	case !productAsCreated(cur, orig.Create):
		pp.Action, pp.Message = ActConflict, MsgChangedSince
	default:
		pp.Action, pp.Fields, pp.Variants = ActDelete, nil, nil
	}
}

// productAsCreated reports whether a product is still exactly as the input
// created it (fields, variants and their stock).
func productAsCreated(cur *SnapProduct, in *ProductInput) bool {
	if in == nil {
		return false
	}
	f := in.ProductFields
	same := func(field string, want *string) bool {
		return want == nil || sameValue(field, productValue(cur, field), *want)
	}
	if !same(FieldTitle, f.Title) || !same(FieldDescription, f.DescriptionHTML) || !same(FieldVendor, f.Vendor) ||
		!same(FieldProductType, f.ProductType) || !same(FieldStatus, f.Status) {
		return false
	}
	if f.Tags != nil && !sameTags(*f.Tags, cur.Tags) {
		return false
	}
	for field, want := range f.Extra {
		if !sameValue(field, productValue(cur, field), want) {
			return false
		}
	}
	if len(cur.Variants) != len(in.Variants) {
		return false
	}
	for i := range in.Variants {
		v := findCreated(cur, &in.Variants[i])
		if v == nil || !variantAsCreated(v, &in.Variants[i]) {
			return false
		}
	}
	return true
}

func variantAsCreated(v *SnapVariant, in *VariantInput) bool {
	if in == nil {
		return false
	}
	same := func(field string, want *string) bool {
		return want == nil || sameValue(field, variantValue(v, field), *want)
	}
	if !same(FieldSKU, in.SKU) || !same(FieldBarcode, in.Barcode) || !same(FieldPrice, in.Price) ||
		!same(FieldCompareAtPrice, in.CompareAtPrice) || !same(FieldInventoryPolicy, in.InventoryPolicy) {
		return false
	}
	for field, want := range in.Extra {
		if !sameValue(field, variantValue(v, field), want) {
			return false
		}
	}
	for _, q := range in.Quantities {
		if now, ok := v.level(q.LocationID); (ok || q.Quantity != 0) && now.Available != q.Quantity {
			return false
		}
	}
	return true
}
