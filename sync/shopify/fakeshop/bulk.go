package fakeshop

import (
	"fmt"
	"strconv"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Bulk operations (FACTS §8): bulkOperationRunQuery runs a query over the whole catalog in the
// background and writes JSONL where nested connection children are separate lines carrying
// __parentId; bulkOperationRunMutation runs a mutation once per line of a staged JSONL upload
// and writes {"data":…,"__lineNumber":N} lines. Results are served from the shop's own
// listener under /bulk-results/.

type bulkOp struct {
	id              int64
	clientID        string
	typ             string // QUERY or MUTATION
	status          string
	errorCode       string
	query           string
	objectCount     int
	rootObjectCount int
	fileSize        int
	url             string
	partialURL      string // a FAILED operation's results so far
	createdAt       time.Time
	completedAt     time.Time
	canceled        bool
	wake            chan struct{} // closed by bulkOperationCancel
}

type bulkState struct {
	ops        map[int64]*bulkOp
	order      []*bulkOp
	files      map[string][]byte // bulk results and staged uploads by key
	staged     map[string]bool   // keys handed out by stagedUploadsCreate
	productOps map[string]*mobj
	delay      time.Duration // simulated time an operation stays RUNNING before its first line
	queryRate  float64       // JSONL lines per simulated second; 0: DefaultBulkQueryRate, <0: at once
	mutRate    float64       // input lines per simulated second; 0: DefaultBulkMutationRate, <0: at once
	limit      int           // concurrent operations per type; 0: by API version
	done       chan struct{}
}

func newBulkState() *bulkState {
	return &bulkState{ops: map[int64]*bulkOp{}, files: map[string][]byte{}, staged: map[string]bool{},
		productOps: map[string]*mobj{}, done: make(chan struct{})}
}

func (b *bulkState) stop() {
	select {
	case <-b.done:
	default:
		close(b.done)
	}
}

func (b *bulkState) byGID(id, clientID string) *bulkOp {
	n, ok := idOf(id, "BulkOperation")
	if !ok {
		return nil
	}
	if op := b.ops[n]; op != nil && op.clientID == clientID {
		return op
	}
	return nil
}

func (b *bulkState) current(clientID, typ string) *bulkOp {
	for i := len(b.order) - 1; i >= 0; i-- {
		if op := b.order[i]; op.clientID == clientID && op.typ == typ {
			return op
		}
	}
	return nil
}

func (b *bulkState) running(clientID, typ string) []*bulkOp {
	var out []*bulkOp
	for _, op := range b.order {
		if op.clientID == clientID && op.typ == typ && (op.status == "CREATED" || op.status == "RUNNING" || op.status == "CANCELING") {
			out = append(out, op)
		}
	}
	return out
}

// SetBulkDelay makes bulk operations stay RUNNING for d of simulated time before they run
// (tests of polling and of the concurrency limit).
func (sh *Shop) SetBulkDelay(d time.Duration) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.bulk.delay = d
}

// SetBulkLimit makes at most n bulk operations of each type run at once for an app (0: five
// from 2026-01, one before). The 2026-04 schema still says "one bulk query operation and one
// bulk mutation operation at a time per shop" (bulkOperationRunQuery) while FACTS §8 cites five
// from 2026-01; n = 1 lets tests check that the client copes with the stricter reading.
func (sh *Shop) SetBulkLimit(n int) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.bulk.limit = n
}

// RunningBulk is the number of bulk operations of typ ("QUERY" or "MUTATION") that are
// created, running or canceling, for any app.
func (sh *Shop) RunningBulk(typ string) int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	n := 0
	for _, op := range sh.bulk.order {
		if op.typ == typ && (op.status == "CREATED" || op.status == "RUNNING" || op.status == "CANCELING") {
			n++
		}
	}
	return n
}

func addBulkType(sc *schema) {
	sc.objType("BulkOperation", []string{"Node"}, map[string]*fieldDef{
		"id":              scalar(func(p any) any { return gid("BulkOperation", p.(*bulkOp).id) }),
		"status":          scalar(func(p any) any { return p.(*bulkOp).status }),
		"type":            scalar(func(p any) any { return p.(*bulkOp).typ }),
		"query":           scalar(func(p any) any { return p.(*bulkOp).query }),
		"errorCode":       scalar(func(p any) any { return nullIfEmpty(p.(*bulkOp).errorCode) }),
		"objectCount":     scalar(func(p any) any { return strconv.Itoa(p.(*bulkOp).objectCount) }), // UnsignedInt64 is a string
		"rootObjectCount": scalar(func(p any) any { return strconv.Itoa(p.(*bulkOp).rootObjectCount) }),
		"fileSize": scalar(func(p any) any {
			if op := p.(*bulkOp); op.status == "COMPLETED" && op.url != "" {
				return strconv.Itoa(op.fileSize)
			}
			return nil
		}),
		"url":            scalar(func(p any) any { return nullIfEmpty(p.(*bulkOp).url) }),
		"partialDataUrl": scalar(func(p any) any { return nullIfEmpty(p.(*bulkOp).partialURL) }),
		"createdAt":      scalar(func(p any) any { return ts(p.(*bulkOp).createdAt) }),
		"completedAt":    scalar(func(p any) any { return ts(p.(*bulkOp).completedAt) }),
	})
}

// bulkLimit: five concurrent operations per shop from 2026-01, one of each type before
// (https://shopify.dev/api/usage/bulk-operations/queries, FACTS §8).
func (ec *execCtx) bulkLimitError(typ, errType string) *mobj {
	running := ec.sh.bulk.running(ec.clientID, typ)
	if ec.version >= "2026-01" && ec.sh.bulk.limit != 1 {
		if limit := max(ec.sh.bulk.limit, 0); len(running) >= 5 && limit == 0 || limit > 0 && len(running) >= limit {
			return uerr(errType, nil, "A maximum of 5 bulk operations of this type can run at the same time for this app and shop.", "LIMIT_REACHED")
		}
		return nil
	}
	if len(running) > 0 {
		kind := "query"
		if typ == "MUTATION" {
			kind = "mutation"
		}
		return uerr(errType, nil, fmt.Sprintf("A bulk %s operation for this app and shop is already in progress: %s.",
			kind, gid("BulkOperation", running[0].id)), "OPERATION_IN_PROGRESS")
	}
	return nil
}

func mutBulkRunQuery(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "BulkOperationUserError"
	fail := func(e *mobj) (any, error) {
		return obj("BulkOperationRunQueryPayload", "bulkOperation", nil, "userErrors", []any{e}), nil
	}
	if err := ec.bulkAccessError("QUERY"); err != nil {
		return nil, err
	}
	if e := ec.bulkLimitError("QUERY", et); e != nil {
		return fail(e)
	}
	q := str(a["query"])
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		return fail(uerr(et, path("query"), "Invalid bulk query: "+err.Error(), "INVALID"))
	}
	if len(doc.Operations) != 1 || doc.Operations[0].Operation != ast.Query {
		return fail(uerr(et, path("query"), "Invalid bulk query: the document must hold exactly one query.", "INVALID"))
	}
	sub := &execCtx{sh: ec.sh, sc: ec.sc, doc: doc, vars: map[string]any{}}
	if errs := sub.validate("QueryRoot", doc.Operations[0]); len(errs) > 0 {
		return fail(uerr(et, path("query"), "Invalid bulk query: "+errs[0].Message, "INVALID"))
	}
	if !hasConnection(sub, doc.Operations[0].SelectionSet) {
		return fail(uerr(et, path("query"), "Invalid bulk query: Bulk queries must contain at least one connection.", "INVALID"))
	}
	op := ec.sh.newBulkOp(ec, "QUERY", q)
	tok := ec.tok
	ec.sh.runBulk(op, func() (*bulkJob, string) { return ec.sh.bulkQuery(tok, op, doc) })
	return obj("BulkOperationRunQueryPayload", "bulkOperation", op, "userErrors", []any{}), nil
}

func hasConnection(ec *execCtx, sel ast.SelectionSet) bool {
	var groups []*fieldGroup
	ec.collectFields(ec.sc, "QueryRoot", sel, &groups, map[string]bool{})
	for _, g := range groups {
		if def := ec.sc.types["QueryRoot"].fields[g.fields[0].Name]; def != nil && def.conn {
			return true
		}
	}
	return false
}

// newBulkOp records an operation in CREATED state. Caller holds sh.mu.
func (sh *Shop) newBulkOp(ec *execCtx, typ, query string) *bulkOp {
	op := &bulkOp{id: sh.cat.newID(), clientID: ec.clientID, typ: typ, status: "CREATED", query: query,
		createdAt: ec.now, wake: make(chan struct{})}
	sh.bulk.ops[op.id] = op
	sh.bulk.order = append(sh.bulk.order, op)
	sh.stats.BulkStarted++
	return op
}

func mutBulkCancel(ec *execCtx, _ any, a map[string]any) (any, error) {
	op := ec.sh.bulk.byGID(str(a["id"]), ec.clientID)
	if op == nil {
		return obj("BulkOperationCancelPayload", "bulkOperation", nil, "userErrors",
			[]any{uerr("UserError", path("id"), "Bulk operation does not exist", "")}), nil
	}
	switch op.status {
	case "CREATED", "RUNNING":
		op.canceled = true
		op.status = "CANCELING"
		close(op.wake)
	default:
		return obj("BulkOperationCancelPayload", "bulkOperation", op, "userErrors",
			[]any{uerr("UserError", nil, fmt.Sprintf("A bulk operation cannot be canceled when it is %s", lower(op.status)), "")}), nil
	}
	return obj("BulkOperationCancelPayload", "bulkOperation", op, "userErrors", []any{}), nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
