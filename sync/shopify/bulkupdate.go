package shopify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// docCurrentBulkMutation finds the app's most recent bulk mutation
// (https://shopify.dev/docs/api/admin-graphql/2025-10/queries/currentBulkOperation).
const docCurrentBulkMutation = `query CurrentBulkMutation {
  currentBulkOperation(type: MUTATION) { id status errorCode objectCount fileSize url partialDataUrl createdAt completedAt type query }
}`

// TaggedMutation prefixes mutation with a comment naming tag. Shopify keeps
// the document as sent (BulkOperation.query), so a run that died between
// starting an operation and recording its ID can still recognise it.
func TaggedMutation(tag, mutation string) string {
	return "# shelfsync " + tag + "\n" + mutation
}

// CurrentBulkMutation returns the app's most recent bulk mutation, or nil.
func (c *Client) CurrentBulkMutation(ctx context.Context) (*BulkOperation, error) {
	var d struct{ CurrentBulkOperation *wireBulk }
	if err := c.Do(ctx, docCurrentBulkMutation, nil, &d); err != nil {
		return nil, err
	}
	if d.CurrentBulkOperation == nil {
		return nil, nil
	}
	return d.CurrentBulkOperation.op(), nil
}

// StartedWithTag returns the ID of the app's most recent bulk mutation when
// it was started with TaggedMutation(tag, …), else "".
func (c *Client) StartedWithTag(ctx context.Context, tag string) (string, error) {
	op, err := c.CurrentBulkMutation(ctx)
	if err != nil || op == nil {
		return "", err
	}
	if strings.HasPrefix(op.Query, "# shelfsync "+tag+"\n") {
		return op.ID, nil
	}
	return "", nil
}

// BulkLineResult is one line of a bulk mutation's result (one mutation
// call: productVariantsBulkUpdate, inventorySetQuantities): Err is nil,
// *UserErrors (items refused; productVariantsBulkUpdate with
// allowPartialUpdates applied the others, inventorySetQuantities applies all
// or nothing), or *GraphQLError (the line failed as a whole and changed
// nothing).
type BulkLineResult struct {
	Line int
	Err  error
}

// WaitBulkResults waits for bulk mutation id of lines lines (0: not known)
// to end and calls fn with each result line it has: all of them when it completed, those at
// partialDataUrl when it failed after running some. The error says how the
// operation ended when it did not complete (lines without a result then did
// not run).
func (c *Client) WaitBulkResults(ctx context.Context, id string, lines int, fn func(BulkLineResult) error) error {
	op, werr := c.WaitBulkLines(ctx, id, lines)
	if werr != nil && (op == nil || !errors.Is(werr, ErrBulkFailed)) {
		return werr
	}
	url := op.URL
	if werr != nil {
		url = op.PartialDataURL
	}
	if url != "" {
		if err := c.ReadJSONL(ctx, url, func(raw []byte) error {
			var r BulkResult
			if err := json.Unmarshal(raw, &r); err != nil {
				return fmt.Errorf("shopify: bad line in bulk result: %w", err)
			}
			return fn(BulkLineResult{Line: r.Line, Err: bulkLineErr(r)})
		}); err != nil {
			return err
		}
	}
	return werr
}

// bulkLineErr reads the outcome of one line of a bulk mutation that calls
// one mutation field, whichever it is: its userErrors, or the line's errors.
func bulkLineErr(r BulkResult) error {
	if len(r.Errors) > 0 && string(r.Errors) != "null" {
		var wire []struct {
			Message    string
			Extensions struct{ Code string }
		}
		if err := json.Unmarshal(r.Errors, &wire); err != nil || len(wire) == 0 {
			return &GraphQLError{Errors: []GraphQLErrorItem{{Message: string(r.Errors)}}}
		}
		items := make([]GraphQLErrorItem, len(wire))
		for i, w := range wire {
			items[i] = GraphQLErrorItem{Message: w.Message, Code: w.Extensions.Code}
		}
		return &GraphQLError{Errors: items}
	}
	var d map[string]*struct{ UserErrors []UserError }
	if err := json.Unmarshal(r.Data, &d); err != nil || len(d) != 1 {
		return &GraphQLError{Errors: []GraphQLErrorItem{{Message: "the bulk result line has no mutation answer"}}}
	}
	for name, ans := range d {
		if ans == nil {
			return &GraphQLError{Errors: []GraphQLErrorItem{{Message: "the bulk result line has no " + name + " answer"}}}
		}
		return userErrs(name, ans.UserErrors)
	}
	return nil
}
