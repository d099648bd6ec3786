package fakeshop

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// SupportedVersions are the API versions the simulator serves, oldest first.
var SupportedVersions = []string{"2025-10", "2026-01", "2026-04", "2026-07"}

var versionRE = regexp.MustCompile(`^\d{4}-\d{2}$`)

// resolveVersion maps a requested version to the one served: known versions as is, older ones
// fall forward to the oldest supported (https://shopify.dev/docs/api/usage/versioning),
// "unstable" to the newest; anything else is unknown.
func resolveVersion(v string) (string, bool) {
	if v == "unstable" {
		return SupportedVersions[len(SupportedVersions)-1], true
	}
	if !versionRE.MatchString(v) {
		return "", false
	}
	for _, s := range SupportedVersions {
		if s == v {
			return v, true
		}
	}
	if v < SupportedVersions[0] {
		return SupportedVersions[0], true
	}
	return "", false
}

type gqlRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
}

func (sh *Shop) handleGraphQL(w http.ResponseWriter, r *http.Request) {
	version, ok := resolveVersion(r.PathValue("version"))
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"errors": "Not Found"})
		return
	}
	sh.mu.Lock()
	if sh.served != "" {
		version = sh.served
	}
	sh.mu.Unlock()
	w.Header().Set("X-Shopify-API-Version", version)
	w.Header().Set("X-Request-Id", randomHex(8))
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"errors": "Bad Request"})
		return
	}
	var req gqlRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	badBody := dec.Decode(&req) != nil || req.Query == ""
	// Parsing, validating and pricing read only the schema, so they run
	// before taking the shop's lock: requests to one shop then use every
	// CPU for that work, as Shopify's servers do, and only execution is
	// one at a time. (With everything under the lock the simulator, not
	// the client, capped a Plus shop's paced runs.)
	var pr *preparedGraphQL
	if !badBody {
		pr = prepareGraphQL(version, req)
	}
	sh.mu.Lock()
	sh.stats.Requests++
	tok := sh.validToken(r.Header.Get("X-Shopify-Access-Token"))
	if tok == nil {
		sh.mu.Unlock()
		writeUnauthorized(w)
		return
	}
	if badBody {
		sh.mu.Unlock()
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []any{map[string]any{"message": "Bad Request: the body must be JSON with a query"}}})
		return
	}
	resp, deprecated := sh.runPrepared(tok, tok.clientID, pr, true)
	sh.mu.Unlock()
	if len(deprecated) > 0 {
		w.Header().Set("X-Shopify-API-Deprecated-Reason", strings.Join(deprecated, ", "))
	}
	writeJSON(w, http.StatusOK, resp)
}

// runGraphQL parses, validates, prices, throttles and executes one request. Caller holds sh.mu.
// With throttle false (inside bulk operations) no cost is charged.
func (sh *Shop) runGraphQL(tok *accessToken, clientID, version string, req gqlRequest, throttle bool) *omap {
	resp, _ := sh.runGraphQLNoting(tok, clientID, version, req, throttle)
	return resp
}

// preparedGraphQL is a request parsed, validated and priced against the
// schema, ready to run against a shop's state; resp is set instead when the
// request was refused before execution.
type preparedGraphQL struct {
	ec   *execCtx
	op   *ast.OperationDefinition
	root string
	cost float64
	resp *omap
}

// prepareGraphQL does the part of a request that needs only the schema
// (parse, validate, input sizes, requested cost); it holds no shop lock.
func prepareGraphQL(version string, req gqlRequest) *preparedGraphQL {
	refuse := func(v any) *preparedGraphQL {
		resp := newOmap()
		resp.set("errors", v)
		return &preparedGraphQL{resp: resp}
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: req.Query})
	if err != nil {
		return refuse(parseErrors(err))
	}
	op, msg := pickOperation(doc, req.OperationName)
	if op == nil {
		return refuse([]*gqlError{{Message: msg}})
	}
	ec := &execCtx{sc: getSchema(), version: version, doc: doc, vars: withDefaults(op, req.Variables)}
	root := "QueryRoot"
	switch op.Operation {
	case ast.Mutation:
		root = "Mutation"
	case ast.Subscription:
		return refuse([]*gqlError{{Message: "Subscriptions are not supported"}})
	}
	if errs := ec.validate(root, op); len(errs) > 0 {
		return refuse(errs)
	}
	if errs := ec.checkInputSizes(op.SelectionSet, map[string]bool{}); len(errs) > 0 {
		return refuse(errs)
	}
	cost := ec.requestedCost(root, op.SelectionSet)
	if cost > maxQueryCost {
		c := int(cost)
		// Text: github.com/Shopify/shopify-app-js#577 and real responses quoted in public fixtures.
		return refuse([]*gqlError{{Message: fmt.Sprintf("Query cost is %d, which exceeds the single query max cost limit (%d).\n\n"+
			"See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\n"+
			"To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"+
			"See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n", c, maxQueryCost),
			Extensions: map[string]any{"code": "MAX_COST_EXCEEDED", "cost": c, "maxCost": maxQueryCost,
				"documentation": "https://shopify.dev/api/usage/rate-limits"}}})
	}
	return &preparedGraphQL{ec: ec, op: op, root: root, cost: cost}
}

// runGraphQLNoting is runGraphQL that also returns the deprecated fields the request used.
func (sh *Shop) runGraphQLNoting(tok *accessToken, clientID, version string, req gqlRequest, throttle bool) (*omap, []string) {
	return sh.runPrepared(tok, clientID, prepareGraphQL(version, req), throttle)
}

// runPrepared throttles and executes a prepared request. Caller holds sh.mu.
func (sh *Shop) runPrepared(tok *accessToken, clientID string, pr *preparedGraphQL, throttle bool) (*omap, []string) {
	if pr.resp != nil {
		return pr.resp, nil
	}
	resp := newOmap()
	ec, op, root, cost := pr.ec, pr.op, pr.root, pr.cost
	ec.sh, ec.tok, ec.clientID, ec.now = sh, tok, clientID, sh.srv.Now()
	var b *bucket
	if throttle {
		b = sh.bucketFor(clientID, ec.now)
		if b.available < cost {
			sh.stats.Throttled++
			// The THROTTLED shape of FACTS §7 (community.shopify.com/t/throttled/254776): no data,
			// actualQueryCost null, HTTP 200.
			resp.set("errors", []*gqlError{{Message: "Throttled", Extensions: map[string]any{"code": "THROTTLED",
				"documentation": "https://shopify.dev/api/usage/rate-limits"}}})
			resp.set("extensions", map[string]any{"cost": map[string]any{"requestedQueryCost": int(cost),
				"actualQueryCost": nil, "throttleStatus": b.status()}})
			return resp, nil
		}
		b.available -= cost
	}
	data, actual := ec.execObject(root, op.SelectionSet, nil, nil)
	resp.set("data", data)
	if len(ec.errors) > 0 {
		resp.set("errors", ec.errors)
	}
	if throttle {
		actual = math.Min(actual, cost)
		b.available = math.Min(b.max, b.available+cost-actual)
		sh.stats.PointsSpent += actual
		sh.stats.PointsRequested += cost
		resp.set("extensions", map[string]any{"cost": map[string]any{"requestedQueryCost": int(cost),
			"actualQueryCost": int(actual), "throttleStatus": b.status()}})
	}
	return resp, ec.usedDeprecated
}

func parseErrors(err error) []*gqlError {
	var ge *gqlerror.Error
	if errors.As(err, &ge) {
		e := &gqlError{Message: ge.Message}
		for _, l := range ge.Locations {
			e.Locations = append(e.Locations, errLoc{Line: l.Line, Column: l.Column})
		}
		return []*gqlError{e}
	}
	return []*gqlError{{Message: err.Error()}}
}

func pickOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, string) {
	if name != "" {
		if op := doc.Operations.ForName(name); op != nil {
			return op, ""
		}
		return nil, fmt.Sprintf("No operation named \"%s\"", name)
	}
	switch len(doc.Operations) {
	case 0:
		return nil, "No operations in query document"
	case 1:
		return doc.Operations[0], ""
	}
	return nil, "An operation name is required"
}

// withDefaults adds the operation's variable defaults for variables the request left out.
func withDefaults(op *ast.OperationDefinition, vars map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range vars {
		out[k] = v
	}
	for _, vd := range op.VariableDefinitions {
		if _, ok := out[vd.Variable]; !ok && vd.DefaultValue != nil {
			if v, err := vd.DefaultValue.Value(nil); err == nil {
				out[vd.Variable] = v
			}
		}
	}
	return out
}
