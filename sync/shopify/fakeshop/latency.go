package fakeshop

import (
	"bytes"
	"net/http"
	"sync/atomic"
	"time"
)

// latency is the simulated time a GraphQL answer spends on the network.
type latency struct{ d atomic.Int64 }

// SetLatency makes every GraphQL request take d of simulated time on the
// wire: half before the shop runs it, half before the answer reaches the
// client, so an answer's throttleStatus is already d/2 old when it arrives,
// as it is from a real shop. 0 (the default) answers as fast as the process
// can. The figure is the caller's assumption; Shopify publishes none.
func (sh *Shop) SetLatency(d time.Duration) { sh.lat.d.Store(int64(d)) }

func (sh *Shop) withLatency(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := time.Duration(sh.lat.d.Load())
		if d <= 0 || targetOf(r) != TargetGraphQL {
			next.ServeHTTP(w, r)
			return
		}
		half := sh.srv.clock.realDuration(d / 2)
		time.Sleep(half)
		rec := &heldResponse{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		time.Sleep(half)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes())
	})
}

// heldResponse keeps an answer until its simulated trip back is over.
type heldResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header         { return h.header }
func (h *heldResponse) WriteHeader(status int)      { h.status = status }
func (h *heldResponse) Write(b []byte) (int, error) { return h.body.Write(b) }
