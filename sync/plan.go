package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/state"
)

// PlanVersion is the version of the Plan JSON this build writes.
const PlanVersion = 1

// Action is what a plan does with one product or variant.
type Action string

// Actions.
const (
	ActCreate    Action = "create"
	ActUpdate    Action = "update"
	ActUnchanged Action = "unchanged"
	ActSkipped   Action = "skipped"  // deliberately left alone (not in the store, nothing to do)
	ActError     Action = "error"    // the source is wrong or the change is impossible
	ActArchive   Action = "archive"  // missing from the sheet, archived (Options.Missing)
	ActDelete    Action = "delete"   // missing from the sheet (Options.Missing), or undo of a create
	ActConflict  Action = "conflict" // undo: changed in Shopify since; left alone
)

// Field keys used in FieldChange.Field and in the journal.
const (
	FieldTitle           = "title"
	FieldDescription     = "description"
	FieldVendor          = "vendor"
	FieldProductType     = "productType"
	FieldTags            = "tags"
	FieldStatus          = "status"
	FieldSKU             = "sku"
	FieldBarcode         = "barcode"
	FieldPrice           = "price"
	FieldCompareAtPrice  = "compareAtPrice"
	FieldInventoryPolicy = "inventoryPolicy"
	FieldOptions         = "options"
	FieldAvailable       = "available" // a quantity at a location
	FieldCreate          = "create"    // a product or variant created
	FieldDelete          = "delete"    // a product or variant deleted
)

// Plan is the preview of a sync (or an undo): every product and variant the
// source mentions with what will happen to it. It is JSON-serialisable: a
// held run keeps it for review, and Apply takes it back.
type Plan struct {
	Version   int       `json:"version"`
	RunID     string    `json:"runId,omitempty"` // set once the plan is recorded as a run
	Kind      string    `json:"kind"`            // "sync" or "undo"
	UndoOf    string    `json:"undoOf,omitempty"`
	StoreID   string    `json:"storeId,omitempty"`
	Source    string    `json:"source,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	Options   Options   `json:"options"`

	Products []ProductPlan `json:"products"`
	// Loose are the variants of a partial sheet (no product columns),
	// matched across the whole store by SKU or barcode.
	Loose []VariantPlan `json:"loose,omitempty"`
	// SourceErrors are rows the source could not read; they are in no product.
	SourceErrors []catalog.RowError `json:"sourceErrors,omitempty"`

	// Unsynced are the source's columns that are not written to the store,
	// each with the reason (catalog.Catalog.Unsynced).
	Unsynced []catalog.UnsyncedColumn `json:"unsynced,omitempty"`

	// MarketLists maps the sheet's market names to the price list their
	// prices go to ("price @ <Market>" changes; markets.go).
	MarketLists map[string]PriceListRef `json:"marketLists,omitempty"`

	// UpdatePath says how the variant updates are sent (paced or bulk) and why.
	UpdatePath *UpdatePath `json:"updatePath,omitempty"`
	// DayLimit says what Shopify's daily limit on new variants leaves for the next day's run.
	DayLimit *DayLimitPlan `json:"dayLimit,omitempty"`

	Guards    []GuardTrip `json:"guards,omitempty"`
	Counts    PlanCounts  `json:"counts"`
	Notes     []string    `json:"notes,omitempty"`
	Locations []Location  `json:"locations,omitempty"` // the shop's locations at plan time
	// SKUs are the source's SKUs, sorted; the next run's missing-SKU guard
	// compares against them.
	SKUs []string `json:"skus,omitempty"`
}

// ProductPlan is what happens to one product.
type ProductPlan struct {
	Handle    string        `json:"handle"`
	ProductID string        `json:"productId,omitempty"` // "" until created
	Title     string        `json:"title,omitempty"`     // for display
	Action    Action        `json:"action"`
	Fields    []FieldChange `json:"fields,omitempty"` // product-level changes
	Variants  []VariantPlan `json:"variants,omitempty"`
	Create    *ProductInput `json:"create,omitempty"` // the product to create
	// Images are the changes to an existing product's images (images.go).
	Images  []ImageChange `json:"images,omitempty"`
	Row     int           `json:"row,omitempty"`
	Message string        `json:"message,omitempty"`
}

// VariantPlan is what happens to one variant.
type VariantPlan struct {
	Key             string           `json:"key"`              // SKU, "barcode:…" or option values "Red / M"
	Handle          string           `json:"handle,omitempty"` // the product's handle
	ProductID       string           `json:"productId,omitempty"`
	VariantID       string           `json:"variantId,omitempty"`
	InventoryItemID string           `json:"inventoryItemId,omitempty"`
	Action          Action           `json:"action"`
	Fields          []FieldChange    `json:"fields,omitempty"`
	Quantities      []QuantityChange `json:"quantities,omitempty"`
	Create          *VariantInput    `json:"create,omitempty"` // a variant added to an existing product
	// MarketKeep holds the store's value of the unchanged half of a market's
	// fixed price whose other half changes (written together; markets.go).
	MarketKeep map[string]string `json:"marketKeep,omitempty"`
	// OptionNames are the product's option names, kept when option values change.
	OptionNames []string     `json:"optionNames,omitempty"`
	Row         int          `json:"row,omitempty"`
	Message     string       `json:"message,omitempty"`
	Cell        catalog.Cell `json:"cell,omitzero"` // where an error points
}

// FieldChange is one field going from Old to New (both as text: prices
// "19.90", compare-at price "" for none, tags "a, b", options "Red / M").
type FieldChange struct {
	Field string       `json:"field"`
	Old   string       `json:"old"`
	New   string       `json:"new"`
	Cell  catalog.Cell `json:"cell,omitzero"`
}

// QuantityChange is one available quantity at one location. Old is nil when
// the item is not stocked there yet (it is activated with New).
type QuantityChange struct {
	LocationID string `json:"locationId"`
	Location   string `json:"location"`
	// Name is the quantity set: "" (available) or catalog.QuantityOnHand.
	Name string       `json:"name,omitempty"`
	Old  *int         `json:"old"`
	New  int          `json:"new"`
	Cell catalog.Cell `json:"cell,omitzero"`
}

// ActionCounts tallies products or variants by action.
type ActionCounts struct {
	Create    int `json:"create,omitempty"`
	Update    int `json:"update,omitempty"`
	Unchanged int `json:"unchanged,omitempty"`
	Skipped   int `json:"skipped,omitempty"`
	Error     int `json:"error,omitempty"`
	Archive   int `json:"archive,omitempty"`
	Delete    int `json:"delete,omitempty"`
	Conflict  int `json:"conflict,omitempty"`
}

func (c *ActionCounts) add(a Action) {
	switch a {
	case ActCreate:
		c.Create++
	case ActUpdate:
		c.Update++
	case ActUnchanged:
		c.Unchanged++
	case ActSkipped:
		c.Skipped++
	case ActError:
		c.Error++
	case ActArchive:
		c.Archive++
	case ActDelete:
		c.Delete++
	case ActConflict:
		c.Conflict++
	}
}

// PlanCounts tallies a plan. Changes counts the writes Apply will make
// (field changes, quantities, creates and deletes): zero means Apply has
// nothing to send.
type PlanCounts struct {
	Products ActionCounts `json:"products"`
	Variants ActionCounts `json:"variants"`
	Changes  int          `json:"changes"`
}

// HasChanges reports whether applying the plan would write anything.
func (p *Plan) HasChanges() bool { return p.Counts.Changes > 0 }

// MatchKey is a way to match a sheet variant to a store variant.
type MatchKey string

// Match keys.
const (
	MatchSKU     MatchKey = "sku"
	MatchBarcode MatchKey = "barcode"
	MatchOptions MatchKey = "options"
)

// DefaultMatch is the default variant matching, as Shopify's own importer
// does it: handle and option values first, then a SKU, then a barcode, each
// only when it is unique in the sheet and the store (Shopify allows one SKU
// on many variants).
var DefaultMatch = []MatchKey{MatchOptions, MatchSKU, MatchBarcode}

// MissingAction is what to do with store products the sheet leaves out.
type MissingAction string

// Missing-product actions. The default leaves them alone.
const (
	MissingKeep    MissingAction = ""
	MissingArchive MissingAction = "archive"
	MissingDelete  MissingAction = "delete"
)

// Options configure a plan.
type Options struct {
	StoreID string `json:"storeId,omitempty"` // state store ID, for history and guards
	Source  string `json:"source,omitempty"`  // file path or URL, for history
	// Match is the variant matching order (DefaultMatch when empty).
	Match []MatchKey `json:"match,omitempty"`
	// DefaultLocationID is the location of the single quantity column
	// (catalog.DefaultLocation). It must be set when the sheet has one and
	// the shop has more than one location: never silently the first.
	DefaultLocationID string `json:"defaultLocationId,omitempty"`
	// LocationIDs maps a sheet's location key (as in Variant.Quantities) to a
	// location ID; keys not here are matched to location names, ignoring case.
	LocationIDs map[string]string `json:"locationIds,omitempty"`
	// Missing archives or deletes products the sheet leaves out (off by default).
	Missing MissingAction `json:"missing,omitempty"`
	Guards  GuardOptions  `json:"guards"`
	// PublishNew says where new products go when the sheet has no Published
	// column (the store's setting; default the Online Store).
	PublishNew PublishMode `json:"publishNew,omitempty"`
	// BulkThreshold is the product count above which the snapshot is read
	// with a bulk query (default 2000).
	BulkThreshold int `json:"bulkThreshold,omitempty"`
}

func (o *Options) match() []MatchKey {
	if len(o.Match) == 0 {
		return DefaultMatch
	}
	return o.Match
}

// ErrNoLocation means the sheet has a single quantity column but the shop
// has several locations and none was chosen for it.
var ErrNoLocation = errors.New("the sheet has one quantity column and the store has several locations: choose the location it is for")

// Plan reads what the store has for the items the catalog mentions and
// returns the changes that would bring it in line. It writes nothing: not to
// the store and not to the database (Apply records the run). The store's
// past runs are read for the missing-SKU guard when e.DB is set.
func (e *Engine) Plan(ctx context.Context, st Store, cat *catalog.Catalog, opts Options) (*Plan, error) {
	locs, err := st.Locations(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading locations: %w", err)
	}
	resolver, notes, err := newLocationResolver(cat, locs, opts)
	if err != nil {
		return nil, err
	}
	snap, err := readSnapshot(ctx, st, cat, opts)
	if err != nil {
		return nil, fmt.Errorf("reading the store: %w", err)
	}
	mfDefs, mfUnsynced, err := loadMetafields(ctx, st, cat, snap)
	if err != nil {
		return nil, err
	}
	mediaRec, imgUnsynced, err := e.loadImages(ctx, st, cat, snap, opts.StoreID, opts.bulkThreshold())
	if err != nil {
		return nil, err
	}
	cats, catErrs, catUnsynced, err := resolveCategories(ctx, st, cat)
	if err != nil {
		return nil, fmt.Errorf("looking categories up: %w", err)
	}
	mkLists, mkUnsynced, mkNotes, err := loadMarkets(ctx, st, cat, snap)
	if err != nil {
		return nil, err
	}
	p := &Plan{
		Version: PlanVersion, Kind: string(state.KindSync), StoreID: opts.StoreID, Source: opts.Source,
		CreatedAt: e.now(), Options: opts, Locations: locs, Notes: append(slices.Clone(cat.Notes), notes...),
		SourceErrors: cat.Errors, Unsynced: slices.Concat(cat.Unsynced, mfUnsynced, catUnsynced, mkUnsynced, imgUnsynced),
		MarketLists: mkLists,
	}
	p.Notes = append(p.Notes, mkNotes...)
	d := differ{opts: &opts, snap: snap, locs: resolver, qtyName: quantityName(cat.QuantityName), mfDefs: mfDefs, cats: cats, markets: mkLists,
		links: newLinkResolver(ctx, st), mediaRec: mediaRec}
	if n := quantityNote(cat.QuantityName); n != "" {
		p.Notes = append(p.Notes, n)
	}
	d.diff(cat, p)
	if d.links.err != nil {
		return nil, fmt.Errorf("reading the store's metaobjects for linked options: %w", d.links.err)
	}
	p.Notes = append(p.Notes, d.imageNote()...)
	p.SourceErrors = slices.Concat(p.SourceErrors, d.mfErrs, catErrs, d.mkErrs)
	if err := e.planDayLimit(ctx, st, p); err != nil { // before publishing: only what is created is published
		return nil, err
	}
	if err := planPublishing(ctx, st, cat, p, opts.PublishNew); err != nil {
		return nil, err
	}
	p.SKUs = d.skuList()
	p.recount()
	prev, err := e.previousSKUs(ctx, opts.StoreID)
	if err != nil {
		return nil, err
	}
	p.Guards = checkGuards(p, snap, prev, opts.Guards)
	e.choosePath(p, st)
	return p, nil
}

// locationResolver turns a sheet location key into a location ID.
type locationResolver struct {
	ids   map[string]string // key → ID
	names map[string]string // ID → name
}

func newLocationResolver(cat *catalog.Catalog, locs []Location, opts Options) (*locationResolver, []string, error) {
	r := &locationResolver{ids: map[string]string{}, names: map[string]string{}}
	byName := map[string]string{}
	for _, l := range locs {
		r.names[l.ID] = locationLabel(l)
		byName[strings.ToLower(strings.TrimSpace(l.Name))] = l.ID
	}
	var notes []string
	keys := quantityKeys(cat)
	for _, k := range keys {
		switch id := opts.LocationIDs[k]; {
		case id != "":
			r.ids[k] = id
		case k == catalog.DefaultLocation && opts.DefaultLocationID != "":
			r.ids[k] = opts.DefaultLocationID
		case k == catalog.DefaultLocation:
			active := activeLocations(locs)
			if len(active) != 1 {
				return nil, nil, ErrNoLocation
			}
			r.ids[k] = active[0].ID
			notes = append(notes, "quantities go to "+active[0].Name+", the store's only location")
		default:
			id, ok := byName[strings.ToLower(strings.TrimSpace(k))]
			if !ok {
				return nil, nil, fmt.Errorf("the sheet has quantities for %q but the store has no location of that name", k)
			}
			r.ids[k] = id
		}
		if _, ok := r.names[r.ids[k]]; !ok {
			return nil, nil, fmt.Errorf("location %s (for %q) is not one of the store's locations", r.ids[k], k)
		}
	}
	if n := namedLocationsNote(keys); n != "" {
		notes = append(notes, n)
	}
	return r, append(notes, fulfillmentNotes(r, locs)...), nil
}

// namedLocationsNote says where the quantities go when the sheet names
// every location itself (a Location column on each row, as in Shopify's
// inventory CSV, or a column per location): no location is to be chosen,
// and one chosen anyway (DefaultLocationID) is not used.
func namedLocationsNote(keys []string) string {
	if len(keys) == 0 || slices.Contains(keys, catalog.DefaultLocation) {
		return ""
	}
	names := slices.Clone(keys)
	slices.Sort(names)
	const most = 5
	if len(names) > most {
		names = append(names[:most], "…")
	}
	return "quantities go to the locations the sheet names (" + strings.Join(names, ", ") + "), so no location needs choosing"
}

func activeLocations(locs []Location) []Location {
	var out []Location
	for _, l := range locs {
		if l.IsActive && !l.FulfillmentService { // a 3PL's location is never the default
			out = append(out, l)
		}
	}
	return out
}

// quantityKeys lists the location keys the catalog has quantities for.
func quantityKeys(cat *catalog.Catalog) []string {
	seen := map[string]bool{}
	var out []string
	add := func(v *catalog.Variant) {
		if !v.Fields.Has(catalog.FieldQuantity) {
			return
		}
		for _, q := range v.Quantities {
			if k := q.Location; !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	for i := range cat.Products {
		for j := range cat.Products[i].Variants {
			add(&cat.Products[i].Variants[j])
		}
	}
	for i := range cat.Variants {
		add(&cat.Variants[i])
	}
	return out
}

// recount fills p.Counts from the products and variants. One bad row is
// one error: a row whose cell can't be read is counted in SourceErrors, not
// again as the new variant it stops, nor as the new product left with no row
// to create.
func (p *Plan) recount() {
	var c PlanCounts
	badRows := map[int]bool{}
	for _, e := range p.SourceErrors {
		if e.Row > 0 {
			badRows[e.Row] = true
		}
	}
	variant := func(v *VariantPlan) {
		if v.Action == ActError && badRows[v.Row] {
			return
		}
		c.Variants.add(v.Action)
		switch v.Action {
		case ActCreate, ActDelete:
			c.Changes++
		case ActUpdate:
			c.Changes += len(v.Fields) + len(v.Quantities)
		}
	}
	for i := range p.Products {
		pp := &p.Products[i]
		if !onlyItsRowsFailed(pp) {
			c.Products.add(pp.Action)
		}
		switch pp.Action {
		case ActCreate:
			c.Changes++
			for j := range pp.Variants {
				if v := &pp.Variants[j]; v.Action != ActError || !badRows[v.Row] {
					c.Variants.add(v.Action) // rows that can't be created are errors
				}
			}
			continue
		case ActDelete:
			c.Changes++
			continue
		}
		c.Changes += len(pp.Fields) + len(pp.Images)
		for j := range pp.Variants {
			variant(&pp.Variants[j])
		}
	}
	for i := range p.Loose {
		variant(&p.Loose[i])
	}
	c.Products.Error += len(p.SourceErrors)
	p.Counts = c
}

// onlyItsRowsFailed reports a new product that is in error only because
// every one of its rows is (they are counted instead).
func onlyItsRowsFailed(pp *ProductPlan) bool {
	if pp.Action != ActError || pp.ProductID != "" || len(pp.Variants) == 0 {
		return false
	}
	for i := range pp.Variants {
		if pp.Variants[i].Action != ActError {
			return false
		}
	}
	return true
}
