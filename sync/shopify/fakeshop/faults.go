package fakeshop

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// FaultKind names an injectable failure.
type FaultKind string

// Fault kinds.
const (
	Fault429         FaultKind = "429"         // HTTP 429 with Retry-After (simulated seconds)
	FaultThrottled   FaultKind = "throttled"   // HTTP 200 GraphQL THROTTLED error
	Fault500         FaultKind = "500"         // HTTP 500
	Fault502         FaultKind = "502"         // HTTP 502 (an HTML page, as a proxy sends)
	Fault503         FaultKind = "503"         // HTTP 503 with Retry-After
	FaultSlow        FaultKind = "slow"        // the answer is delayed by Delay
	FaultDrop        FaultKind = "drop"        // the connection is closed without an answer
	FaultRevoked     FaultKind = "revoked"     // HTTP 401 as for a revoked token
	FaultUninstalled FaultKind = "uninstalled" // HTTP 401 as after an uninstall (Shopify answers the same)
	// FaultInternal is HTTP 200 with a top-level error whose extensions.code is
	// INTERNAL_SERVER_ERROR (or Fault.Code), as Shopify answers a failure on its side
	// (Shopify/shopify-api-js#1256: "Internal error. Looks like something went wrong on our
	// end." with a requestId, under concurrent productVariantsBulkCreate).
	FaultInternal FaultKind = "internal"
	// FaultIdempotencyBusy hits only mutations with @idempotent(key:) and answers with the user
	// error IDEMPOTENCY_CONCURRENT_REQUEST, "This request is currently in progress, please try
	// again." (schema InventorySetQuantitiesUserErrorCode and the other inventory payloads).
	// For a payload whose userErrors have no code field (UserError, e.g. inventoryActivate)
	// the code comes as a top-level error instead (simulator choice, UNCONFIRMED).
	FaultIdempotencyBusy FaultKind = "idempotency-busy"
)

// FaultTarget selects which requests a fault may hit.
type FaultTarget int

// Fault targets.
const (
	TargetGraphQL FaultTarget = iota // /admin/api/{version}/graphql.json (default)
	TargetOAuth                      // /admin/oauth/access_token and access_scopes.json
	TargetAll                        // every request
)

// Fault is one injected failure. Faults never corrupt state:
//   - After false (default): the fault answers instead of the request, which is never applied.
//   - After true: the request is applied first and the fault replaces its answer — "crash after
//     write"; a retry then sees the write already done (useful with @idempotent).
//
// FaultRevoked and FaultUninstalled only answer 401; they do not revoke anything (use
// Shop.Revoke or Shop.Uninstall for that).
type Fault struct {
	Kind       FaultKind
	After      bool
	Delay      time.Duration // FaultSlow: simulated delay, default 2s
	RetryAfter time.Duration // Fault429/Fault503: Retry-After in simulated time, default 1s
	Target     FaultTarget
	Code       string // FaultInternal: extensions.code, default INTERNAL_SERVER_ERROR
}

// Faults injects failures into a shop's answers, from a scripted queue first, then at random.
type Faults struct {
	mu       sync.Mutex
	queue    []Fault
	prob     float64
	random   Fault
	rng      *rand.Rand
	injected int
	bulkFail []bulkFailure
	lineFail []int // line numbers the next bulk mutation answers with an error
}

// bulkFailure makes a bulk operation of one type end FAILED with an error code after it got
// through after lines (0: before any).
type bulkFailure struct {
	typ, code string
	after     int
}

// FailBulk makes the next n bulk operations of typ ("QUERY" or "MUTATION") end FAILED with
// errorCode code (default INTERNAL_SERVER_ERROR), as Shopify reports a bulk query that broke
// on its side (craftcms/shopify#151: status FAILED, errorCode INTERNAL_SERVER_ERROR). Nothing
// of a failed bulk mutation is applied here (simulator choice; Shopify may have run some lines).
func (f *Faults) FailBulk(n int, typ, code string) {
	if code == "" {
		code = "INTERNAL_SERVER_ERROR"
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.bulkFail = append(f.bulkFail, bulkFailure{typ: typ, code: code})
	}
}

// FailBulkAfter makes the next bulk operation of typ end FAILED with code (default
// INTERNAL_SERVER_ERROR) once it has got through lines lines: a bulk mutation has then applied
// those lines, and its results so far are at partialDataUrl ("If an operation fails but
// retrieves partial data, then the partialDataUrl field provides access to incomplete
// results", BulkOperation object docs, https://shopify.dev/api/admin-graphql/2025-10/objects/BulkOperation).
func (f *Faults) FailBulkAfter(typ, code string, lines int) {
	if code == "" {
		code = "INTERNAL_SERVER_ERROR"
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bulkFail = append(f.bulkFail, bulkFailure{typ: typ, code: code, after: max(lines, 0)})
}

// FailBulkLines makes the next bulk mutation answer the given input lines (0-based) with a
// top-level INTERNAL_SERVER_ERROR on that result line and apply nothing for them, while the
// other lines run: a partial failure. A bulk mutation's result file holds one result per
// input line (FACTS §8: {"data":…,"__lineNumber":N}); which per-line errors Shopify writes
// there is not documented, so the simulator uses the error it answers a broken request with.
func (f *Faults) FailBulkLines(lines ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lineFail = append(f.lineFail, lines...)
}

// bulkLineFailures pops the lines the next bulk mutation is to fail.
func (f *Faults) bulkLineFailures() map[int]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int]bool{}
	for _, n := range f.lineFail {
		out[n] = true
		f.injected++
	}
	f.lineFail = nil
	return out
}

// bulkFailureFor pops the failure a bulk operation of typ is to end with (code "" for none).
func (f *Faults) bulkFailureFor(typ string) bulkFailure {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, b := range f.bulkFail {
		if b.typ == typ {
			f.bulkFail = append(f.bulkFail[:i], f.bulkFail[i+1:]...)
			f.injected++
			return b
		}
	}
	return bulkFailure{}
}

func newFaults() *Faults { return &Faults{rng: rand.New(rand.NewPCG(1, 2))} }

// Next queues fault for the next n matching requests.
func (f *Faults) Next(n int, fault Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := 0; i < n; i++ {
		f.queue = append(f.queue, fault)
	}
}

// SetProbability makes every matching request fail with fault with probability p, using a
// deterministic generator seeded with seed. p = 0 turns it off.
func (f *Faults) SetProbability(p float64, fault Fault, seed uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.prob, f.random = p, fault
	f.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Clear drops queued faults and the random fault.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue, f.prob, f.bulkFail, f.lineFail = nil, 0, nil, nil
}

// Pending is the number of queued faults not yet injected.
func (f *Faults) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queue)
}

// Injected is the number of faults injected so far.
func (f *Faults) Injected() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.injected
}

func targetOf(r *http.Request) FaultTarget {
	switch {
	case strings.HasSuffix(r.URL.Path, "/graphql.json"):
		return TargetGraphQL
	case strings.HasPrefix(r.URL.Path, "/admin/oauth/access_token"), strings.HasPrefix(r.URL.Path, "/admin/oauth/access_scopes"):
		return TargetOAuth
	}
	return -1
}

// pick takes the fault for r, if any. idempotent tells whether r is a mutation with an
// idempotency key: FaultIdempotencyBusy hits only those, as Shopify sends
// IDEMPOTENCY_CONCURRENT_REQUEST only for a key it is still applying.
func (f *Faults) pick(r *http.Request, idempotent func() bool) (Fault, bool) {
	t := targetOf(r)
	matches := func(x Fault) bool {
		if x.Kind == FaultIdempotencyBusy && !idempotent() {
			return false
		}
		return x.Target == TargetAll || (t >= 0 && x.Target == t)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, x := range f.queue {
		if matches(x) {
			f.queue = append(f.queue[:i], f.queue[i+1:]...)
			f.injected++
			return x, true
		}
	}
	if f.prob > 0 && matches(f.random) && f.rng.Float64() < f.prob {
		f.injected++
		return f.random, true
	}
	return Fault{}, false
}

func (sh *Shop) withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var idem *bool
		idempotent := func() bool { // reads the body once, and only when a fault asks
			if idem == nil {
				body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
				r.Body = io.NopCloser(bytes.NewReader(body))
				r = r.WithContext(context.WithValue(r.Context(), bodyKey{}, body)) // the answer names the mutation
				v := idempotentMutation(body)
				idem = &v
			}
			return *idem
		}
		fault, ok := sh.faults.pick(r, idempotent)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if fault.After {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			if fault.Kind == FaultSlow {
				if !sh.sleep(r, fault.delay()) {
					return
				}
				copyRecorded(w, rec)
				return
			}
		} else if fault.Kind == FaultSlow {
			if sh.sleep(r, fault.delay()) {
				next.ServeHTTP(w, r)
			}
			return
		}
		sh.writeFault(w, r, fault)
	})
}

func (f Fault) delay() time.Duration {
	if f.Delay <= 0 {
		return 2 * time.Second
	}
	return f.Delay
}

func (f Fault) retryAfter() string {
	d := f.RetryAfter
	if d <= 0 {
		d = time.Second
	}
	return strconv.Itoa(int(math.Ceil(d.Seconds())))
}

// sleep waits a simulated duration; false when the client went away first.
func (sh *Shop) sleep(r *http.Request, sim time.Duration) bool {
	t := time.NewTimer(sh.srv.clock.realDuration(sim))
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func copyRecorded(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (sh *Shop) writeFault(w http.ResponseWriter, r *http.Request, f Fault) {
	switch f.Kind {
	case Fault429:
		w.Header().Set("Retry-After", f.retryAfter())
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."})
	case FaultThrottled:
		sh.mu.Lock()
		clientID := ""
		if t := sh.tokens[r.Header.Get("X-Shopify-Access-Token")]; t != nil {
			clientID = t.clientID
		}
		st := sh.bucketFor(clientID, sh.srv.Now()).status()
		sh.mu.Unlock()
		st["currentlyAvailable"] = 0
		writeJSON(w, http.StatusOK, map[string]any{
			"errors":     []any{map[string]any{"message": "Throttled", "extensions": map[string]any{"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}},
			"extensions": map[string]any{"cost": map[string]any{"requestedQueryCost": 1, "actualQueryCost": nil, "throttleStatus": st}},
		})
	case Fault500:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"errors": "Internal Server Error"})
	case Fault502:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
	case Fault503:
		w.Header().Set("Retry-After", f.retryAfter())
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"errors": "Service Unavailable"})
	case FaultDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // closes the connection without an answer
	case FaultRevoked, FaultUninstalled:
		writeUnauthorized(w)
	case FaultInternal:
		code := f.Code
		if code == "" {
			code = "INTERNAL_SERVER_ERROR"
		}
		reqID := randomHex(16)
		writeJSON(w, http.StatusOK, map[string]any{"errors": []any{map[string]any{
			"message":    "Internal error. Looks like something went wrong on our end.\nRequest ID: " + reqID + " (include this in support requests).",
			"extensions": map[string]any{"code": code, "requestId": reqID}}}})
	case FaultIdempotencyBusy:
		writeJSON(w, http.StatusOK, idempotencyBusyAnswer(r))
	default:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"errors": "Internal Server Error"})
	}
}

type bodyKey struct{}

// idempotentMutation reports whether a GraphQL request body is a mutation whose first field
// carries @idempotent.
func idempotentMutation(body []byte) bool {
	f := firstMutationField(body)
	return f != nil && f.Directives.ForName("idempotent") != nil
}

// firstMutationField is the first root field of a mutation request, or nil.
func firstMutationField(body []byte) *ast.Field {
	var req gqlRequest
	if json.Unmarshal(body, &req) != nil {
		return nil
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: req.Query})
	if err != nil || len(doc.Operations) == 0 || doc.Operations[0].Operation != ast.Mutation || len(doc.Operations[0].SelectionSet) == 0 {
		return nil
	}
	f, _ := doc.Operations[0].SelectionSet[0].(*ast.Field)
	return f
}

// idempotencyBusyAnswer is the answer to a mutation whose idempotency key is still being
// applied: its payload with only IDEMPOTENCY_CONCURRENT_REQUEST in userErrors.
func idempotencyBusyAnswer(r *http.Request) map[string]any {
	const msg = "This request is currently in progress, please try again."
	top := map[string]any{"errors": []any{map[string]any{"message": msg,
		"extensions": map[string]any{"code": "IDEMPOTENCY_CONCURRENT_REQUEST"}}}}
	body, _ := r.Context().Value(bodyKey{}).([]byte)
	f := firstMutationField(body)
	if f == nil {
		return top
	}
	def := getSchema().types["Mutation"].fields[f.Name]
	if def == nil {
		return top
	}
	ue := getSchema().types[def.typ].fields["userErrors"]
	if ue == nil || ue.typ == "UserError" {
		return top
	}
	key := f.Alias
	if key == "" {
		key = f.Name
	}
	payload := map[string]any{"userErrors": []any{map[string]any{"field": nil, "message": msg, "code": "IDEMPOTENCY_CONCURRENT_REQUEST"}}}
	for name := range getSchema().types[def.typ].fields {
		if name != "userErrors" {
			payload[name] = nil
		}
	}
	return map[string]any{"data": map[string]any{key: payload}}
}
