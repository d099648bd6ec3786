package fakeshop

import (
	"bytes"
	"fmt"
	"time"
)

// Bulk operations run over simulated time: CREATED, then RUNNING with objectCount growing
// line by line, then COMPLETED (or FAILED, or CANCELED). The BulkOperation object docs say
// objectCount is "the running total of processed objects"
// (https://shopify.dev/docs/api/admin-graphql/2025-10/objects/BulkOperation).
//
// Shopify publishes no speed for bulk operations ("Bulk queries now execute up to 4X faster",
// https://shopify.dev/changelog/bulk-queries-now-execute-faster, gives no absolute figure).
// The default rates below are this simulator's ASSUMPTION, not a claim about Shopify: they let
// benchmarks compare the bulk path with the paced one at a stated rate. Change them with
// Shop.SetBulkRate; every figure measured with them must name the rate.
const (
	// DefaultBulkQueryRate is JSONL lines a bulk query writes per simulated second.
	DefaultBulkQueryRate = 2000.0
	// DefaultBulkMutationRate is input lines a bulk mutation runs per simulated second, per
	// operation (several operations run side by side).
	DefaultBulkMutationRate = 100.0
)

// bulkTick is the longest simulated time between two progress steps of an operation.
const bulkTick = 250 * time.Millisecond

// SetBulkRate sets how many lines per simulated second bulk queries and bulk mutations get
// through. 0 restores the default; a negative rate runs every line at once (the old behaviour).
func (sh *Shop) SetBulkRate(queryLinesPerSec, mutationLinesPerSec float64) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.bulk.queryRate, sh.bulk.mutRate = queryLinesPerSec, mutationLinesPerSec
}

func (b *bulkState) rateFor(typ string) float64 {
	r, def := b.queryRate, DefaultBulkQueryRate
	if typ == "MUTATION" {
		r, def = b.mutRate, DefaultBulkMutationRate
	}
	if r == 0 {
		return def
	}
	return r
}

// bulkJob is the work of one operation, run a few lines at a time with sh.mu held.
type bulkJob struct {
	total int                // lines the operation will produce
	step  func(from, to int) // runs lines [from, to)
	out   func(n int) []byte // the JSONL of the first n lines
	roots func(n int) int    // root objects among the first n lines
}

// runBulk runs an operation in the background: prepare (with sh.mu held, once the operation
// leaves CREATED) returns its job or an error code, then lines go at the shop's rate.
func (sh *Shop) runBulk(op *bulkOp, prepare func() (*bulkJob, string)) {
	delay := sh.bulk.delay
	sh.bg.Add(1)
	go func() {
		defer sh.bg.Done()
		sh.mu.Lock()
		if !op.canceled {
			op.status = "RUNNING"
		}
		sh.mu.Unlock()
		if delay > 0 && !sh.sleepBulk(op, delay) {
			return
		}
		sh.mu.Lock()
		if op.canceled {
			op.status, op.completedAt = "CANCELED", sh.srv.Now()
			sh.mu.Unlock()
			return
		}
		fail := sh.faults.bulkFailureFor(op.typ) // an injected failure, after fail.after lines
		var job *bulkJob
		code := fail.code
		if code == "" || fail.after > 0 {
			var c string
			if job, c = prepare(); c != "" {
				code, fail.after = c, 0
			}
		}
		if code != "" && fail.after == 0 {
			op.status, op.errorCode, op.completedAt = "FAILED", code, sh.srv.Now()
			sh.mu.Unlock()
			return
		}
		start := sh.srv.Now()
		sh.mu.Unlock()
		done := 0
		for {
			sh.mu.Lock()
			rate := sh.bulk.rateFor(op.typ) // SetBulkRate applies to running operations too
			if op.canceled {
				op.status, op.completedAt = "CANCELED", sh.srv.Now()
				sh.mu.Unlock()
				return
			}
			target := job.total
			if rate > 0 {
				target = min(job.total, int(sh.srv.Now().Sub(start).Seconds()*rate))
			}
			if code != "" {
				target = min(target, fail.after)
			}
			if target > done {
				job.step(done, target)
				done = target
				op.objectCount, op.rootObjectCount = done, job.roots(done)
			}
			if code != "" && done >= fail.after {
				// Shopify keeps what a failed operation got through at partialDataUrl
				// (BulkOperation.partialDataUrl docs).
				op.status, op.errorCode, op.completedAt = "FAILED", code, sh.srv.Now()
				if done > 0 {
					op.partialURL = sh.storeBulkFile(op, job.out(done))
				}
				sh.mu.Unlock()
				return
			}
			if done >= job.total {
				op.status, op.completedAt = "COMPLETED", sh.srv.Now()
				if done > 0 || op.typ == "MUTATION" {
					data := job.out(done)
					op.url, op.fileSize = sh.storeBulkFile(op, data), len(data)
				}
				sh.mu.Unlock()
				return
			}
			wait := bulkTick
			if need := time.Duration(float64(job.total-done) / rate * float64(time.Second)); need < wait {
				wait = max(need, time.Millisecond)
			}
			sh.mu.Unlock()
			if !sh.sleepBulk(op, wait) {
				return
			}
		}
	}()
}

// sleepBulk waits d of simulated time; false when the shop is shutting down. A cancel wakes it
// early.
func (sh *Shop) sleepBulk(op *bulkOp, d time.Duration) bool {
	t := time.NewTimer(sh.srv.clock.realDuration(d))
	defer t.Stop()
	select {
	case <-t.C:
	case <-op.wake:
	case <-sh.bulk.done:
		return false
	}
	return true
}

// storeBulkFile keeps a result file and returns its URL. Caller holds sh.mu.
func (sh *Shop) storeBulkFile(op *bulkOp, data []byte) string {
	key := fmt.Sprintf("bulk-%d-%s.jsonl", op.id, randomHex(6))
	sh.bulk.files[key] = data
	return sh.url + "/bulk-results/" + key
}

// linesJob is a job whose output lines (roots[n]: root objects among the first n) are known at the start (a bulk query reads its
// snapshot when it starts; the simulator then hands the lines out at the rate).
func linesJob(lines [][]byte, roots []int) *bulkJob {
	return &bulkJob{
		total: len(lines),
		step:  func(int, int) {},
		out:   func(n int) []byte { return bytes.Join(append(lines[:n:n], nil), []byte("\n")) },
		roots: func(n int) int { return roots[n] },
	}
}

// bulkAccessError refuses a bulk operation of typ to a partner app that has not been allowed
// that kind: "If your app starts a bulk operation without access, then the request returns an
// access denied error. The requirement applies to all GraphQL Admin API versions."
// (https://shopify.dev/changelog/partner-apps-must-enable-bulk-operations-before-use). The
// changelog does not show the error's text; the simulator answers a top-level ACCESS_DENIED
// error, as for a missing scope (UNCONFIRMED shape). Caller holds sh.mu.
func (ec *execCtx) bulkAccessError(typ string) error {
	app, ok := ec.sh.srv.app(ec.clientID)
	if !ok || !app.Partner {
		return nil
	}
	if typ == "QUERY" && !app.BulkQueries {
		return &codedError{code: "ACCESS_DENIED", msg: "Access denied for bulkOperationRunQuery field. This app is not allowed to run bulk queries: allow them in the Partner Dashboard (API access requests)."}
	}
	if typ == "MUTATION" && !app.BulkMutations {
		return &codedError{code: "ACCESS_DENIED", msg: "Access denied for bulkOperationRunMutation field. This app is not allowed to run bulk mutations: allow them in the Partner Dashboard (API access requests)."}
	}
	return nil
}
