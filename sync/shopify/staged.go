package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
)

// maxStagedFile is the largest bulk-mutation variables file Shopify takes
// (100 MB, https://shopify.dev/changelog/faster-bulk-operations).
const maxStagedFile = 100 << 20

// StageJSONL uploads a bulk-mutation variables file: stagedUploadsCreate
// with resource BULK_MUTATION_VARIABLES, then a multipart POST of the
// returned parameters plus the file to the returned URL. It returns the
// staged upload path for bulkOperationRunMutation (the "key" parameter),
// as Shopify CLI does (cli-kit bulk-operations/stage-file.ts).
func (c *Client) StageJSONL(ctx context.Context, jsonl []byte) (string, error) {
	if len(jsonl) > maxStagedFile {
		return "", fmt.Errorf("shopify: bulk input is %d bytes, over Shopify's 100 MB limit; split the run", len(jsonl))
	}
	var d struct {
		StagedUploadsCreate struct {
			StagedTargets []struct {
				URL        *string
				Parameters []struct{ Name, Value string }
			}
			UserErrors []UserError
		}
	}
	input := []map[string]any{{"resource": "BULK_MUTATION_VARIABLES", "filename": "shelfsync-bulk.jsonl",
		"mimeType": "text/jsonl", "httpMethod": "POST", "fileSize": strconv.Itoa(len(jsonl))}}
	if err := c.Do(ctx, docStagedUploads, map[string]any{"input": input}, &d); err != nil {
		return "", err
	}
	if err := userErrs("stagedUploadsCreate", d.StagedUploadsCreate.UserErrors); err != nil {
		return "", err
	}
	if len(d.StagedUploadsCreate.StagedTargets) == 0 || d.StagedUploadsCreate.StagedTargets[0].URL == nil {
		return "", &UserErrors{Op: "stagedUploadsCreate", Errors: []UserError{{Message: "no upload target returned"}}}
	}
	target := d.StagedUploadsCreate.StagedTargets[0]
	u, err := c.checkAuxURL(*target.URL)
	if err != nil {
		return "", err
	}
	body, contentType, key, err := multipartUpload(target.Parameters, jsonl)
	if err != nil {
		return "", err
	}
	if key == "" {
		return "", &UserErrors{Op: "stagedUploadsCreate", Errors: []UserError{{Message: "upload target has no key parameter"}}}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), body)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req) // no access token: the target is pre-signed
	if err != nil {
		return "", c.transportErr(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return "", &Error{Kind: ErrUnreachable, Shop: c.shop, Status: resp.StatusCode, Detail: redact(string(b), ""),
			Advice: "the bulk input could not be uploaded; try again"}
	}
	return key, nil
}

// multipartUpload builds the form a staged upload target expects: its
// parameters, in order, then the file. It also returns the "key" parameter.
func multipartUpload(params []struct{ Name, Value string }, file []byte) (body *bytes.Buffer, contentType, key string, err error) {
	body = &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	for _, p := range params {
		if p.Name == "key" {
			key = p.Value
		}
		if err := mw.WriteField(p.Name, p.Value); err != nil {
			return nil, "", "", err
		}
	}
	fw, err := mw.CreateFormFile("file", "shelfsync-bulk.jsonl")
	if err != nil {
		return nil, "", "", err
	}
	if _, err := fw.Write(file); err != nil {
		return nil, "", "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", "", err
	}
	return body, mw.FormDataContentType(), key, nil
}

// BulkResult is one line of a bulk mutation's result: the answer to the
// input line with the same number (0-based).
type BulkResult struct {
	Line   int             `json:"__lineNumber"`
	Data   json.RawMessage `json:"data"`
	Errors json.RawMessage `json:"errors"`
}

// RunBulkMutation uploads the variables (one JSON object per element, one
// line each) and starts bulkOperationRunMutation, without waiting.
func (c *Client) RunBulkMutation(ctx context.Context, mutation string, lines []any) (*BulkOperation, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // one object per line
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return nil, fmt.Errorf("shopify: encoding bulk input: %w", err)
		}
	}
	path, err := c.StageJSONL(ctx, buf.Bytes())
	if err != nil {
		return nil, err
	}
	var d struct {
		BulkOperationRunMutation struct {
			BulkOperation *wireBulk
			UserErrors    []UserError
		}
	}
	if err := c.Do(ctx, docBulkRunMutation, map[string]any{"mutation": mutation, "path": path}, &d); err != nil {
		return nil, err
	}
	if err := userErrs("bulkOperationRunMutation", d.BulkOperationRunMutation.UserErrors); err != nil {
		return nil, err
	}
	if d.BulkOperationRunMutation.BulkOperation == nil {
		return nil, &UserErrors{Op: "bulkOperationRunMutation", Errors: []UserError{{Message: "no bulk operation returned"}}}
	}
	return d.BulkOperationRunMutation.BulkOperation.op(), nil
}

// BulkMutation runs mutation once per element of lines as a bulk operation,
// waits for it, and calls fn with each result line.
func (c *Client) BulkMutation(ctx context.Context, mutation string, lines []any, fn func(BulkResult) error) (*BulkOperation, error) {
	op, err := c.RunBulkMutation(ctx, mutation, lines)
	if err != nil {
		return nil, err
	}
	id := op.ID
	if op, err = c.WaitBulkLines(ctx, id, len(lines)); err != nil {
		if op == nil || op.Status == "CREATED" || op.Status == "RUNNING" {
			// Given up on (cancelled, out of time, or the store unreachable):
			// stop Shopify's side as well. What it did before is the caller's
			// to find (its outcome is unknown).
			c.abandonBulk(ctx, id)
		}
		return op, err
	}
	if op.URL == "" {
		return op, nil
	}
	return op, c.ReadJSONL(ctx, op.URL, func(raw []byte) error {
		var r BulkResult
		if err := json.Unmarshal(raw, &r); err != nil {
			return fmt.Errorf("shopify: bad line in bulk result: %w", err)
		}
		return fn(r)
	})
}

// AllProductsBulk reads every product with its variants and inventory
// levels through one bulk query (BulkProductsQuery) and calls fn for each,
// in the order Shopify lists them. Use it for large stores: it costs a
// handful of requests however big the catalog is.
//
// A bulk query that ends FAILED (Shopify's side broke: errorCode
// INTERNAL_SERVER_ERROR, craftcms/shopify#151) is run once more; when that
// fails too, or Shopify will not start one because other bulk queries of
// this app are running, the products are read page by page (AllProducts)
// instead, which is slower but needs no bulk slot. fn is called only once
// the whole catalog is read, so it never sees a product twice.
func (c *Client) AllProductsBulk(ctx context.Context, fn func(Product) error) error {
	return c.AllProductsBulkWith(ctx, ReadAll, fn)
}

// AllProductsBulkWith is AllProductsBulk reading only r's optional parts,
// in the bulk query and in the paged fallback alike.
func (c *Client) AllProductsBulkWith(ctx context.Context, r ReadSet, fn func(Product) error) error {
	var err error
	for try := 0; try < 2; try++ {
		var ps []Product
		if ps, err = c.allProductsBulkOnce(ctx, r); err == nil {
			for _, p := range ps {
				if err := fn(p); err != nil {
					return err
				}
			}
			return nil
		}
		if !errors.Is(err, ErrBulkFailed) || ctx.Err() != nil {
			break
		}
	}
	if ctx.Err() != nil || !pageInstead(err) {
		return err
	}
	c.logf("shopify: %s: bulk read unavailable (%v); reading the products page by page", c.shop, err)
	return c.AllProductsWith(ctx, r, fn)
}

// pageInstead reports whether a failed bulk read can be replaced by paged
// reads: the operation failed on Shopify's side, no bulk slot was free, or
// the start request got no clear answer (an operation that did start then
// runs on unused; BulkQuery reuses it next time where only one may run).
func pageInstead(err error) bool {
	return errors.Is(err, ErrBulkFailed) || BulkBusy(err) || errors.Is(err, ErrOutcomeUnknown)
}

// allProductsBulkOnce runs BulkProductsQuery (trimmed to r) once and
// assembles the products.
func (c *Client) allProductsBulkOnce(ctx context.Context, r ReadSet) ([]Product, error) {
	query := BulkProductsQuery
	if r != ReadAll {
		query = BulkProductsQueryFor(r)
	}
	var order []string
	products := map[string]*Product{}
	var levels []BulkLine // child lines; attached once all variants are known
	type line struct {
		wireVariant
		Product *wireProduct `json:"product"`
	}
	_, err := c.BulkQuery(ctx, query, func(l BulkLine) error {
		if l.ParentID != "" {
			levels = append(levels, l)
			return nil
		}
		var w line
		if err := json.Unmarshal(l.Raw, &w); err != nil {
			return fmt.Errorf("shopify: bad line in bulk result: %w", err)
		}
		if w.Product == nil {
			return nil
		}
		p := products[w.Product.ID]
		if p == nil {
			pp := w.Product.product()
			p = &pp
			products[p.ID] = p
			order = append(order, p.ID)
		}
		v := w.wireVariant.variant()
		v.ProductID, v.ProductHandle = p.ID, p.Handle
		p.Variants = append(p.Variants, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A level's parent may be named by variant or by inventory item ID.
	variants := map[string]*Variant{}
	for _, p := range products {
		for i := range p.Variants {
			v := &p.Variants[i]
			variants[v.ID] = v
			variants[v.InventoryItem.ID] = v
		}
	}
	for _, l := range levels {
		v := variants[l.ParentID]
		if v == nil {
			continue
		}
		var w wireLevel
		if err := json.Unmarshal(l.Raw, &w); err != nil {
			return nil, fmt.Errorf("shopify: bad line in bulk result: %w", err)
		}
		v.InventoryItem.Levels = append(v.InventoryItem.Levels, w.level())
	}
	out := make([]Product, 0, len(order))
	for _, id := range order {
		out = append(out, *products[id])
	}
	return out, nil
}
