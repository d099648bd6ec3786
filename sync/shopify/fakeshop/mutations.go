package fakeshop

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

func addMutationRoot(sc *schema) {
	w := func(typ string, scopes []string, r resolver) *fieldDef {
		return &fieldDef{typ: typ, mutation: true, scopes: scopes, resolve: r}
	}
	wp := []string{scopeWriteProducts}
	wi := []string{scopeWriteInventory}
	wf := []string{scopeWriteFiles}
	sc.objType("Mutation", nil, map[string]*fieldDef{
		"productSet":                w("ProductSetPayload", wp, mutProductSet),
		"productCreate":             w("ProductCreatePayload", wp, mutProductCreate),
		"productUpdate":             w("ProductUpdatePayload", wp, mutProductUpdate),
		"productDelete":             w("ProductDeletePayload", wp, mutProductDelete),
		"productVariantsBulkUpdate": w("ProductVariantsBulkUpdatePayload", wp, mutVariantsBulkUpdate),
		"productVariantsBulkCreate": w("ProductVariantsBulkCreatePayload", wp, mutVariantsBulkCreate),
		"productVariantsBulkDelete": w("ProductVariantsBulkDeletePayload", wp, mutVariantsBulkDelete),
		"fileUpdate":                w("FileUpdatePayload", wf, mutFileUpdate),
		"fileDelete":                w("FileDeletePayload", wf, mutFileDelete),
		"productReorderMedia":       w("ProductReorderMediaPayload", wp, mutProductReorderMedia),
		"productVariantDetachMedia": w("ProductVariantDetachMediaPayload", wp, mutVariantDetachMedia),
		"inventorySetQuantities":    w("InventorySetQuantitiesPayload", wi, mutInventorySetQuantities),
		"inventoryActivate":         w("InventoryActivatePayload", wi, mutInventoryActivate),
		"stagedUploadsCreate":       w("StagedUploadsCreatePayload", nil, mutStagedUploadsCreate),
		"bulkOperationRunQuery":     w("BulkOperationRunQueryPayload", nil, mutBulkRunQuery),
		"bulkOperationRunMutation":  w("BulkOperationRunMutationPayload", nil, mutBulkRunMutation),
		"bulkOperationCancel":       w("BulkOperationCancelPayload", nil, mutBulkCancel),
	})
}

type idemEntry struct {
	fingerprint string
	result      any
}

// runMutation honours @idempotent(key:): the same key with the same field and arguments
// returns the first answer without a second write; a different request under the same key
// gets IDEMPOTENCY_KEY_PARAMETER_MISMATCH (https://shopify.dev/docs/api/usage/idempotent-requests).
func (ec *execCtx) runMutation(def *fieldDef, f *ast.Field, parent any, args map[string]any) (any, error) {
	key := ""
	if d := f.Directives.ForName("idempotent"); d != nil {
		if a := d.Arguments.ForName("key"); a != nil {
			v, _ := a.Value.Value(ec.vars)
			key = str(v)
		}
	}
	if key == "" {
		ec.count(f.Name)
		return def.resolve(ec, parent, args)
	}
	b, _ := json.Marshal(args) // map keys are sorted: a stable fingerprint
	fp := f.Name + ":" + string(b)
	ik := ec.clientID + "|" + key
	if e := ec.sh.idem[ik]; e != nil {
		if e.fingerprint == fp {
			ec.sh.stats.Replayed[f.Name]++
			return e.result, nil
		}
		errType := "UserError"
		if t := ec.sc.types[def.typ]; t != nil && t.fields["userErrors"] != nil {
			errType = t.fields["userErrors"].typ
		}
		return obj(def.typ, "userErrors", []any{uerr(errType, []string{"idempotencyKey"},
			"The same idempotency key cannot be used with different operation parameters.", "IDEMPOTENCY_KEY_PARAMETER_MISMATCH")}), nil
	}
	ec.count(f.Name)
	v, err := def.resolve(ec, parent, args)
	if err == nil {
		ec.sh.idem[ik] = &idemEntry{fingerprint: fp, result: v}
	}
	return v, err
}

func (ec *execCtx) count(name string) {
	ec.sh.stats.Mutations[name]++
}

// uerr builds a user error of the payload's error type; UserError has no code field.
func uerr(typ string, field []string, msg, code string) *mobj {
	o := obj(typ, "field", field, "message", msg)
	if typ != "UserError" {
		if code == "" {
			o.m["code"] = nil
		} else {
			o.m["code"] = code
		}
	}
	if field == nil {
		o.m["field"] = nil
	}
	return o
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func path(parts ...any) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		switch p := p.(type) {
		case string:
			out[i] = p
		case int:
			out[i] = strconv.Itoa(p)
		}
	}
	return out
}

// money normalises a Money input ("12.5", 12.5) to Shopify's "12.50".
func money(v any) (string, bool) {
	var f float64
	switch x := v.(type) {
	case string:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil {
			return "", false
		}
	case json.Number:
		var err error
		if f, err = x.Float64(); err != nil {
			return "", false
		}
	case float64:
		f = x
	case int64:
		f = float64(x)
	case int:
		f = float64(x)
	default:
		return "", false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", false
	}
	return strconv.FormatFloat(f, 'f', 2, 64), true
}

func (ec *execCtx) touch(p *product) { p.updatedAt = ec.now }
