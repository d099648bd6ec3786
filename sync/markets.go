package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/state"
)

// Market prices: the sheet's "Price / <Market>" and "Compare-at price /
// <Market>" columns are the variant's fixed price on the price list of the
// market of that name (its catalogs' price list since 2025-04:
// https://shopify.dev/changelog/new-catalog-apis), in that list's currency.
// A fixed price is one price and one compare-at price written together:
// priceListFixedPricesAdd "replaces any existing fixed prices for those
// variants", so a change to one half sends the store's other half with it
// (VariantPlan.MarketKeep). Without a fixed price the market's price follows
// the list's adjustment; a blank price cell removes the fixed price
// (priceListFixedPricesDelete) only when blank means clear.
//
// A change is a FieldChange keyed "price @ <Market>" or "compareAtPrice @
// <Market>" ("" means no fixed price / no compare-at price); its journal
// entry carries the price list ID as its third Shopify ID.

const (
	marketPriceField   = FieldPrice + " @ "
	marketCompareField = FieldCompareAtPrice + " @ "
)

// MarketStore is implemented by stores that can read markets and write
// fixed prices (NewShopStore's does).
type MarketStore interface {
	// Markets lists the markets and the price lists of their catalogs;
	// missing names the access scopes the app lacks to read them.
	Markets(ctx context.Context) (markets []Market, missing []string, err error)
	// FixedPrices reads a price list's fixed prices by variant ID, of the
	// products productIDs (nil: every product).
	FixedPrices(ctx context.Context, priceListID string, productIDs []string) (map[string]FixedPrice, error)
	// AddFixedPrices sets fixed prices (priceListFixedPricesAdd, at most
	// MaxBatch); a refused item is an *ItemErrors indexed like in.
	AddFixedPrices(ctx context.Context, list PriceListRef, in []FixedPriceInput) error
	// DeleteFixedPrices removes fixed prices (priceListFixedPricesDelete).
	DeleteFixedPrices(ctx context.Context, priceListID string, variantIDs []string) error
}

// Market is one of the store's markets with its price lists.
type Market struct {
	ID         string
	Name       string
	PriceLists []PriceListRef
}

// PriceListRef names a price list and the currency of its fixed prices.
type PriceListRef struct {
	ID       string `json:"id"`
	Currency string `json:"currency"`
}

// FixedPrice is a variant's fixed price on a price list ("" compare-at: none).
type FixedPrice struct {
	Price     string `json:"price"`
	CompareAt string `json:"compareAt,omitempty"`
}

// FixedPriceInput is a fixed price to write for a variant.
type FixedPriceInput struct {
	VariantID string
	FixedPrice
}

// MarketPriceInput is a new variant's fixed price in a market, written
// once the variant exists.
type MarketPriceInput struct {
	Market string       `json:"market"`
	List   PriceListRef `json:"list"`
	FixedPrice
}

// marketField reports whether field is a market price change, and its market.
func marketField(field string) (market string, ok bool) {
	if m, ok := strings.CutPrefix(field, marketPriceField); ok {
		return m, true
	}
	return strings.CutPrefix(field, marketCompareField)
}

// siblingField is the other half of a market's fixed price.
func siblingField(field string) string {
	if m, ok := strings.CutPrefix(field, marketPriceField); ok {
		return marketCompareField + m
	}
	m, _ := strings.CutPrefix(field, marketCompareField)
	return marketPriceField + m
}

// loadMarkets resolves the sheet's market price columns to price lists by
// the market's name, and reads the snapshot's fixed prices on them. A column
// whose market is unknown, has no price list or several, is listed as not
// synced with the reason. The notes say which currency each market's cells
// are in.
func loadMarkets(ctx context.Context, st Store, cat *catalog.Catalog, snap *snapshot) (map[string]PriceListRef, []catalog.UnsyncedColumn, []string, error) {
	cols := marketColumns(cat)
	if len(cols) == 0 {
		return nil, nil, nil, nil
	}
	unsynced := func(mc catalog.MarketColumns, reason string) []catalog.UnsyncedColumn {
		var out []catalog.UnsyncedColumn
		for _, c := range []string{mc.Price, mc.CompareAt} {
			if c != "" {
				out = append(out, catalog.UnsyncedColumn{Column: c, Reason: reason})
			}
		}
		return out
	}
	var un []catalog.UnsyncedColumn
	ms, ok := st.(MarketStore)
	if !ok {
		for _, mc := range cols {
			un = append(un, unsynced(mc, "this store connection can't read markets; left as it is in Shopify")...)
		}
		return nil, un, nil, nil
	}
	markets, missing, err := ms.Markets(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("reading the store's markets: %w", err)
	}
	if len(missing) > 0 {
		for _, mc := range cols {
			un = append(un, unsynced(mc, "the app lacks the "+strings.Join(missing, ", ")+" access scope, so the store's markets and their price lists can't be read: add it to the app in Shopify and reconnect; left as it is")...)
		}
		return nil, un, nil, nil
	}
	lists := map[string]PriceListRef{}
	byList := map[string]string{} // price list ID → the first market column using it
	var names, currencies []string
	for _, m := range markets {
		names = append(names, m.Name)
	}
	for _, mc := range cols {
		i := slices.IndexFunc(markets, func(m Market) bool { return strings.EqualFold(strings.TrimSpace(m.Name), mc.Market) })
		switch {
		case i < 0:
			un = append(un, unsynced(mc, "the store has no market named "+quoteName(mc.Market)+" (its markets: "+listOrNone(names)+"); left as it is")...)
			continue
		case len(markets[i].PriceLists) == 0:
			un = append(un, unsynced(mc, "market "+quoteName(markets[i].Name)+" has no price list, so its prices follow the store's prices and exchange rates: add a price list to it in Shopify (Markets → "+markets[i].Name+" → Products and pricing) to set fixed prices; left as it is")...)
			continue
		case len(markets[i].PriceLists) > 1:
			un = append(un, unsynced(mc, "market "+quoteName(markets[i].Name)+" has "+fmt.Sprint(len(markets[i].PriceLists))+" catalogs with price lists, and the column doesn't say which one it means; left as it is")...)
			continue
		}
		pl := markets[i].PriceLists[0]
		if other, dup := byList[pl.ID]; dup {
			un = append(un, unsynced(mc, "market "+quoteName(markets[i].Name)+" shares its price list with market "+quoteName(other)+", whose columns come first; left as it is")...)
			continue
		}
		byList[pl.ID] = mc.Market
		lists[mc.Market] = pl
		currencies = append(currencies, mc.Market+" in "+pl.Currency)
	}
	if len(lists) == 0 {
		return nil, un, nil, nil
	}
	if err := fillFixedPrices(ctx, ms, snap, lists); err != nil {
		return nil, nil, nil, fmt.Errorf("reading market prices: %w", err)
	}
	note := "market prices are fixed prices on each market's price list, in its currency: " + strings.Join(currencies, ", ")
	return lists, un, []string{note}, nil
}

func quoteName(s string) string { return "\"" + s + "\"" }

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// marketColumns are the market price columns of the catalog's sheet, when
// some variant has a market price.
func marketColumns(cat *catalog.Catalog) []catalog.MarketColumns {
	var out []catalog.MarketColumns
	find := func(v *catalog.Variant) bool {
		if v.Cols != nil && len(v.MarketPrices()) > 0 {
			out = v.Cols.Markets
			return true
		}
		return false
	}
	for i := range cat.Products {
		for j := range cat.Products[i].Variants {
			if find(&cat.Products[i].Variants[j]) {
				return out
			}
		}
	}
	for i := range cat.Variants {
		if find(&cat.Variants[i]) {
			return out
		}
	}
	return nil
}

// fillFixedPrices reads the fixed prices of the snapshot's products on the
// lists into their variants (every fixed price of a list for a full
// snapshot).
func fillFixedPrices(ctx context.Context, ms MarketStore, snap *snapshot, lists map[string]PriceListRef) error {
	var ids []string
	if !snap.full {
		ids = make([]string, 0, len(snap.products))
		for _, p := range snap.products {
			ids = append(ids, p.ID)
		}
		if len(ids) == 0 {
			return nil
		}
	}
	seen := map[string]bool{}
	for _, l := range lists {
		if seen[l.ID] {
			continue
		}
		seen[l.ID] = true
		fps, err := ms.FixedPrices(ctx, l.ID, ids)
		if err != nil {
			return err
		}
		for _, p := range snap.products {
			for i := range p.Variants {
				v := &p.Variants[i]
				if fp, ok := fps[v.ID]; ok {
					if v.FixedPrices == nil {
						v.FixedPrices = map[string]FixedPrice{}
					}
					v.FixedPrices[l.ID] = fp
				} else {
					delete(v.FixedPrices, l.ID)
				}
			}
		}
	}
	return nil
}

// marketTarget is what a variant's fixed price in one market becomes: its
// price ("" to delete it) and compare-at price, or an error for the cell.
func (d *differ) marketTarget(sv *catalog.Variant, mp catalog.MarketPrice, cur FixedPrice, fixed bool) (FixedPrice, string) {
	name := sv.MarketName(mp)
	hasP, blankP := mp.Has()&catalog.HasMarketPrice != 0, mp.Blank()&catalog.HasMarketPrice != 0
	hasC, blankC := mp.Has()&catalog.HasMarketCompareAt != 0, mp.Blank()&catalog.HasMarketCompareAt != 0
	if hasP && blankP {
		if hasC && !blankC {
			return FixedPrice{}, "a compare-at price in market " + quoteName(name) + " needs a price beside it; left as it is"
		}
		return FixedPrice{}, "" // blank means clear: no fixed price
	}
	t := cur
	if !fixed {
		t = FixedPrice{}
	}
	if hasP {
		t.Price = mp.Price.String()
	}
	if hasC {
		t.CompareAt = moneyOrNone(mp.CompareAt())
		if blankC {
			t.CompareAt = ""
		}
	}
	if t.Price == "" && t.CompareAt != "" {
		return FixedPrice{}, "a compare-at price in market " + quoteName(name) + " needs a price: the variant has no fixed price there yet, so add its Price / " + name + "; left as it is"
	}
	return t, ""
}

// marketChanges diffs a matched variant's market prices against its fixed
// prices in the store.
func (d *differ) marketChanges(sv *catalog.Variant, cv *SnapVariant, vp *VariantPlan) {
	for _, mp := range sv.MarketPrices() {
		name := sv.MarketName(mp)
		list, ok := d.markets[name]
		if !ok {
			continue // its columns are listed as not synced
		}
		cur, fixed := cv.FixedPrices[list.ID]
		t, msg := d.marketTarget(sv, mp, cur, fixed)
		if msg != "" {
			d.mkErrs = append(d.mkErrs, catalog.RowError{Cell: sv.MarketCell(mp, false), Message: msg})
			continue
		}
		if !fixed {
			cur = FixedPrice{}
		}
		pf, cf := marketPriceField+name, marketCompareField+name
		priceChanged, cmpChanged := !sameMoney(cur.Price, t.Price), !sameMoney(cur.CompareAt, t.CompareAt)
		if priceChanged {
			vp.Fields = append(vp.Fields, FieldChange{Field: pf, Old: cur.Price, New: t.Price, Cell: sv.MarketCell(mp, false)})
		}
		if cmpChanged {
			vp.Fields = append(vp.Fields, FieldChange{Field: cf, Old: cur.CompareAt, New: t.CompareAt, Cell: sv.MarketCell(mp, true)})
		}
		switch {
		case priceChanged && !cmpChanged && t.CompareAt != "":
			vp.keep(cf, t.CompareAt)
		case cmpChanged && !priceChanged && t.Price != "":
			vp.keep(pf, t.Price)
		}
	}
}

// keep records the store's value of the unchanged half of a fixed price.
func (vp *VariantPlan) keep(field, v string) {
	if vp.MarketKeep == nil {
		vp.MarketKeep = map[string]string{}
	}
	vp.MarketKeep[field] = v
}

// createMarketPrices are a new variant's fixed prices (written once it exists).
func (d *differ) createMarketPrices(sv *catalog.Variant) []MarketPriceInput {
	var out []MarketPriceInput
	for _, mp := range sv.MarketPrices() {
		name := sv.MarketName(mp)
		list, ok := d.markets[name]
		if !ok {
			continue
		}
		t, msg := d.marketTarget(sv, mp, FixedPrice{}, false)
		if msg != "" {
			d.mkErrs = append(d.mkErrs, catalog.RowError{Cell: sv.MarketCell(mp, false), Message: msg})
			continue
		}
		if t.Price != "" {
			out = append(out, MarketPriceInput{Market: name, List: list, FixedPrice: t})
		}
	}
	return out
}

func sameMoney(a, b string) bool {
	if a == b {
		return true
	}
	ma, oka := storeMoney(a)
	mb, okb := storeMoney(b)
	return oka && okb && ma == mb && (a == "") == (b == "")
}

// marketValue is a variant's side of a market price field on a list.
func marketValue(v *SnapVariant, listID, field string) string {
	fp, ok := v.FixedPrices[listID]
	if !ok {
		return ""
	}
	if strings.HasPrefix(field, marketPriceField) {
		return fp.Price
	}
	return fp.CompareAt
}

// hasCoreFields reports a variant change other than market prices (sent
// with productVariantsBulkUpdate).
func (vp *VariantPlan) hasCoreFields() bool {
	for _, f := range vp.Fields {
		if _, ok := marketField(f.Field); !ok {
			return true
		}
	}
	return false
}

// hasMarketFields reports a market price change.
func (vp *VariantPlan) hasMarketFields() bool {
	for _, f := range vp.Fields {
		if _, ok := marketField(f.Field); ok {
			return true
		}
	}
	return false
}

// marketTargetOf is the fixed price a variant plan's changes (all of them,
// done or not: a done one is in the store already) and kept values give it
// in market m.
func marketTargetOf(vp *VariantPlan, m string) FixedPrice {
	t := FixedPrice{Price: vp.MarketKeep[marketPriceField+m], CompareAt: vp.MarketKeep[marketCompareField+m]}
	for _, f := range vp.Fields {
		switch f.Field {
		case marketPriceField + m:
			t.Price = f.New
		case marketCompareField + m:
			t.CompareAt = f.New
		}
	}
	return t
}

// marketOps makes the fixed-price requests of the variants vps: per market,
// one add and one delete request per MaxBatch variants, in the order the
// markets first appear.
func marketOps(p *Plan, vps []*VariantPlan) []*op {
	var order []string
	adds, dels := map[string][]*VariantPlan{}, map[string][]*VariantPlan{}
	for _, vp := range vps {
		seen := map[string]bool{}
		for _, f := range vp.Fields {
			m, ok := marketField(f.Field)
			if !ok || seen[m] {
				continue
			}
			seen[m] = true
			if _, ok := adds[m]; !ok {
				if _, ok := dels[m]; !ok {
					order = append(order, m)
				}
			}
			if marketTargetOf(vp, m).Price == "" {
				dels[m] = append(dels[m], vp)
			} else {
				adds[m] = append(adds[m], vp)
			}
		}
	}
	var ops []*op
	for _, m := range order {
		for _, g := range []struct {
			kind opKind
			vps  []*VariantPlan
		}{{opFixedPricesAdd, adds[m]}, {opFixedPricesDelete, dels[m]}} {
			for chunk := range slices.Chunk(g.vps, MaxBatch) {
				ops = append(ops, &op{kind: g.kind, phase: PhaseVariants, market: m, list: p.MarketLists[m], variants: chunk})
			}
		}
	}
	return ops
}

// marketEntries are the journal entries of a fixed-price op: each variant's
// changes in the op's market.
func marketEntries(o *op) []state.JournalEntry {
	var out []state.JournalEntry
	for _, vp := range o.variants {
		for _, f := range vp.Fields {
			if m, ok := marketField(f.Field); ok && m == o.market {
				out = append(out, state.JournalEntry{ItemKey: vp.Key, Field: f.Field, Old: f.Old, New: f.New,
					ShopifyIDs: []string{vp.ProductID, vp.VariantID, o.list.ID}, SourceRow: vp.Row})
			}
		}
	}
	return out
}

// sendFixedPrices sends the fixed prices (or their deletion) of the
// variants of entries idx, one input per variant.
func (x *executor) sendFixedPrices(ctx context.Context, o *op, idx []int) ([]result, []int, error) {
	ms, ok := x.st.(MarketStore)
	if !ok {
		return allResults(idx, state.JournalFailed, "this store connection can't write market prices", nil), nil, nil
	}
	pos := map[string]int{} // variant ID → input index
	owner := make([]int, len(idx))
	var adds []FixedPriceInput
	var dels []string
	for n, i := range idx {
		vid := o.entries[i].ShopifyIDs[1]
		k, seen := pos[vid]
		if !seen {
			vp := o.variants[slices.IndexFunc(o.variants, func(vp *VariantPlan) bool { return vp.VariantID == vid })]
			if o.kind == opFixedPricesAdd {
				k = len(adds)
				adds = append(adds, FixedPriceInput{VariantID: vid, FixedPrice: marketTargetOf(vp, o.market)})
			} else {
				k = len(dels)
				dels = append(dels, vid)
			}
			pos[vid] = k
		}
		owner[n] = k
	}
	if o.kind == opFixedPricesAdd {
		return x.itemResults(idx, owner, ms.AddFixedPrices(ctx, o.list, adds))
	}
	return x.itemResults(idx, owner, ms.DeleteFixedPrices(ctx, o.list.ID, dels))
}

// priceCreated writes the fixed prices of variants just created (ins[k]
// became created[k]); the variants exist either way, so a refusal is a
// message for the journal ("" when written or none were planned).
func (x *executor) priceCreated(ctx context.Context, ins []*VariantInput, created []*SnapVariant) string {
	type group struct {
		list PriceListRef
		in   []FixedPriceInput
	}
	var order []string
	groups := map[string]*group{}
	for k, in := range ins {
		if in == nil || k >= len(created) || created[k] == nil {
			continue
		}
		for _, mp := range in.MarketPrices {
			g, ok := groups[mp.Market]
			if !ok {
				g = &group{list: mp.List}
				groups[mp.Market] = g
				order = append(order, mp.Market)
			}
			g.in = append(g.in, FixedPriceInput{VariantID: created[k].ID, FixedPrice: mp.FixedPrice})
		}
	}
	if len(order) == 0 {
		return ""
	}
	ms, ok := x.st.(MarketStore)
	var failed []string
	for _, m := range order {
		g := groups[m]
		var err error = errors.New("this store connection can't write market prices")
		if ok {
			err = nil
			for chunk := range slices.Chunk(g.in, MaxBatch) {
				if err = ms.AddFixedPrices(ctx, g.list, chunk); err != nil {
					break
				}
			}
		}
		if err != nil {
			failed = append(failed, m+" ("+errText(err)+")")
		}
	}
	if len(failed) == 0 {
		return ""
	}
	return "created, but its market prices were not set in " + strings.Join(failed, ", ") + "; sync again to set them"
}

// priceCreatedProduct writes the fixed prices of a product just created.
func (x *executor) priceCreatedProduct(ctx context.Context, in *ProductInput, sp *SnapProduct) string {
	if in == nil || sp == nil {
		return ""
	}
	ins := make([]*VariantInput, len(in.Variants))
	created := make([]*SnapVariant, len(in.Variants))
	for k := range in.Variants {
		ins[k] = &in.Variants[k]
		created[k] = findCreated(sp, &in.Variants[k])
	}
	return x.priceCreated(ctx, ins, created)
}

// readFixedPricesFor fills snap's fixed prices on the price lists of the
// journal entries (fields being verified or undone; the list ID is their
// third Shopify ID).
func readFixedPricesFor(ctx context.Context, st Store, snap *snapshot, entries []state.JournalEntry) error {
	lists := map[string]PriceListRef{}
	for _, en := range entries {
		if _, ok := marketField(en.Field); ok && len(en.ShopifyIDs) > 2 {
			lists[en.ShopifyIDs[2]] = PriceListRef{ID: en.ShopifyIDs[2]}
		}
	}
	ms, ok := st.(MarketStore)
	if len(lists) == 0 || !ok {
		return nil
	}
	return fillFixedPrices(ctx, ms, snap, lists)
}

func isMarketEntry(en state.JournalEntry) bool {
	_, ok := marketField(en.Field)
	return ok
}

// undoMarketPrice plans the way back of one market price change: only when
// the store still has the value the run wrote.
func (u *undoer) undoMarketPrice(p *Plan, pp *ProductPlan, cur *SnapProduct, en state.JournalEntry) {
	if len(en.ShopifyIDs) < 3 {
		return
	}
	m, _ := marketField(en.Field)
	list := en.ShopifyIDs[2]
	vp := pp.variant(en, en.ItemKey)
	v := findVariant(cur, vp.VariantID)
	if v == nil || !sameMoney(marketValue(v, list, en.Field), en.New) {
		conflict(&vp.Action, &vp.Message)
		return
	}
	ref := PriceListRef{ID: list}
	if o, ok := u.orig.MarketLists[m]; ok && o.ID == list {
		ref.Currency = o.Currency
	}
	if p.MarketLists == nil {
		p.MarketLists = map[string]PriceListRef{}
	}
	p.MarketLists[m] = ref
	vp.Fields = append(vp.Fields, FieldChange{Field: en.Field, Old: marketValue(v, list, en.Field), New: en.Old})
	if s := siblingField(en.Field); !slices.ContainsFunc(vp.Fields, func(f FieldChange) bool { return f.Field == s }) {
		if now := marketValue(v, list, s); now != "" {
			vp.keep(s, now)
		}
	}
	vp.Action = ActUpdate
}

// exportMarketPrices adds the fixed prices of every market with one price
// list to the exported products (ps[i] became products[i], variant for
// variant).
func exportMarketPrices(ctx context.Context, st Store, ps []SnapProduct, products []catalog.Product) error {
	ms, ok := st.(MarketStore)
	if !ok || len(ps) == 0 {
		return nil
	}
	markets, missing, err := ms.Markets(ctx)
	if err != nil || len(missing) > 0 {
		return err // without read_markets the export has no market columns
	}
	cols := &catalog.Columns{}
	got := map[string][]catalog.MarketPrice{} // variant ID → its prices
	for _, m := range markets {
		if len(m.PriceLists) != 1 || len(cols.Markets) == 255 {
			continue
		}
		fps, err := ms.FixedPrices(ctx, m.PriceLists[0].ID, nil)
		if err != nil {
			return fmt.Errorf("reading the prices of market %s: %w", m.Name, err)
		}
		if len(fps) == 0 {
			continue
		}
		k := uint8(len(cols.Markets))
		cols.Markets = append(cols.Markets, catalog.MarketColumns{Market: m.Name, Price: "Price / " + m.Name, CompareAt: "Compare-at price / " + m.Name})
		for vid, fp := range fps {
			price, _ := storeMoney(fp.Price)
			cmp, _ := storeMoney(fp.CompareAt)
			has := catalog.HasMarketPrice
			if fp.CompareAt != "" {
				has |= catalog.HasMarketCompareAt
			}
			got[vid] = append(got[vid], catalog.NewMarketPrice(k, price, cmp, has, 0))
		}
	}
	for i := range ps {
		for j := range ps[i].Variants {
			if mps, ok := got[ps[i].Variants[j].ID]; ok {
				v := &products[i].Variants[j]
				if v.Cols == nil {
					v.Cols = cols
				} else if len(v.Cols.Markets) == 0 {
					v.Cols.Markets = cols.Markets // the same indexes
				}
				v.SetMarketPrices(mps)
			}
		}
	}
	return nil
}

// The shop store's markets: the client's, with the read_markets check.

func (s *shopStore) Markets(ctx context.Context) ([]Market, []string, error) {
	info, err := s.c.ShopInfo(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !info.HasScope(shopify.MarketsScope) {
		return nil, []string{shopify.MarketsScope}, nil
	}
	ms, err := s.c.Markets(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Market, len(ms))
	for i, m := range ms {
		out[i] = Market{ID: m.ID, Name: m.Name}
		for _, pl := range m.PriceLists {
			out[i].PriceLists = append(out[i].PriceLists, PriceListRef{ID: pl.ID, Currency: pl.Currency})
		}
	}
	return out, nil, nil
}

func (s *shopStore) FixedPrices(ctx context.Context, priceListID string, productIDs []string) (map[string]FixedPrice, error) {
	var fps []shopify.FixedPrice
	var err error
	if productIDs == nil {
		fps, err = s.c.AllFixedPrices(ctx, priceListID)
	} else {
		fps, err = s.c.FixedPrices(ctx, priceListID, productIDs)
	}
	if err != nil {
		return nil, err
	}
	out := make(map[string]FixedPrice, len(fps))
	for _, fp := range fps {
		out[fp.VariantID] = FixedPrice{Price: fp.Price, CompareAt: fp.CompareAtPrice}
	}
	return out, nil
}

func (s *shopStore) AddFixedPrices(ctx context.Context, list PriceListRef, in []FixedPriceInput) error {
	fps := make([]shopify.FixedPrice, len(in))
	for i, p := range in {
		fps[i] = shopify.FixedPrice{VariantID: p.VariantID, Price: p.Price, CompareAtPrice: p.CompareAt}
	}
	return itemErrs(s.c.AddFixedPrices(ctx, list.ID, list.Currency, fps), "prices")
}

func (s *shopStore) DeleteFixedPrices(ctx context.Context, priceListID string, variantIDs []string) error {
	return itemErrs(s.c.DeleteFixedPrices(ctx, priceListID, variantIDs), "variantIds")
}

var _ MarketStore = (*shopStore)(nil)
