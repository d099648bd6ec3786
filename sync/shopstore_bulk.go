package sync

import (
	"context"
	"errors"

	"github.com/shelfsync/shelfsync/sync/shopify"
)

// BulkUpdater is a Store that can send variant updates and stock levels as
// bulk mutations: productVariantsBulkUpdate or inventorySetQuantities run
// once per JSONL line by bulkOperationRunMutation, outside the per-request
// rate limit.
type BulkUpdater interface {
	// StartVariantUpdates stages one line per element of lines and starts
	// one bulk operation tagged tag; it returns the operation's ID.
	StartVariantUpdates(ctx context.Context, tag string, lines []VariantUpdateLine) (string, error)
	// StartStockUpdates is StartVariantUpdates for inventorySetQuantities
	// lines.
	StartStockUpdates(ctx context.Context, tag string, lines []StockUpdateLine) (string, error)
	// StartedWithTag returns the ID of the app's latest bulk mutation when
	// it carries tag, else "".
	StartedWithTag(ctx context.Context, tag string) (string, error)
	// WaitBulkLines waits for operation id of lines lines to end (lines
	// paces the polls) and calls fn with each
	// result line it has: nil, *ItemErrors for refused items (their index
	// in the line's list named list, "variants" or "quantities"), or
	// another error: the line changed nothing. The error says how an
	// operation that did not complete ended.
	WaitBulkLines(ctx context.Context, id, list string, lines int, fn func(line int, err error)) error
	// RestoreRate is the store's points per second for paced requests (0 when unknown).
	RestoreRate() float64
}

// VariantUpdateLine is one productVariantsBulkUpdate call.
type VariantUpdateLine struct {
	ProductID string
	Variants  []VariantInput
}

// StockUpdateLine is one inventorySetQuantities call: at most MaxBatch
// quantities of one name, under the idempotency key Key.
type StockUpdateLine struct {
	Key        string
	Quantities []QuantityInput
}

func (s *shopStore) StartVariantUpdates(ctx context.Context, tag string, lines []VariantUpdateLine) (string, error) {
	in := make([]any, len(lines))
	for i, l := range lines {
		vs := make([]map[string]any, len(l.Variants))
		for k, v := range l.Variants {
			vs[k] = variantUpdate(v).Input()
		}
		in[i] = map[string]any{"productId": l.ProductID, "variants": vs}
	}
	op, err := s.c.RunBulkMutation(ctx, shopify.TaggedMutation(tag, shopify.BulkVariantsUpdateMutation), in)
	if err != nil {
		return "", err
	}
	return op.ID, nil
}

func (s *shopStore) StartedWithTag(ctx context.Context, tag string) (string, error) {
	return s.c.StartedWithTag(ctx, tag)
}

func (s *shopStore) StartStockUpdates(ctx context.Context, tag string, lines []StockUpdateLine) (string, error) {
	in := make([]any, len(lines))
	for i, l := range lines {
		vars, err := shopify.SetInventoryLine(setInventoryInput(l.Key, l.Quantities))
		if err != nil {
			return "", err
		}
		in[i] = vars
	}
	op, err := s.c.RunBulkMutation(ctx, shopify.TaggedMutation(tag, shopify.BulkSetInventoryMutation), in)
	if err != nil {
		return "", err
	}
	return op.ID, nil
}

func (s *shopStore) WaitBulkLines(ctx context.Context, id, list string, lines int, fn func(int, error)) error {
	return s.c.WaitBulkResults(ctx, id, lines, func(r shopify.BulkLineResult) error {
		fn(r.Line, itemErrs(r.Err, list))
		return nil
	})
}

func (s *shopStore) RestoreRate() float64 { return s.c.Pacer().Status().RestoreRate }

// bulkRefused reports whether the shop will not run a bulk operation for
// this app: a partner app that has not been allowed bulk mutations gets
// "an access denied error"
// (https://shopify.dev/changelog/partner-apps-must-enable-bulk-operations-before-use),
// or every bulk slot is taken.
func bulkRefused(err error) bool {
	return errors.Is(err, shopify.ErrForbidden) || shopify.BulkBusy(err)
}

func (s *shopStore) StopBulk(ctx context.Context, id string) (string, int, error) {
	return s.c.StopBulk(ctx, id)
}
