package fakeshop

import (
	"testing"
	"time"
)

// TestLatencyDelaysAnswers: with SetLatency an answer takes the simulated
// network time (at the server's time scale, here real time), headers kept.
func TestLatencyDelaysAnswers(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanBasic)
	const q = `{ shop { name } }`
	gql(t, sh, tok, q, nil) // warm the connection
	start := time.Now()
	gql(t, sh, tok, q, nil)
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("without latency an answer took %v", d)
	}
	sh.SetLatency(300 * time.Millisecond) // scale 1: real time
	start = time.Now()
	r := post(t, sh, tok, "2026-04", q, nil)
	if d := time.Since(start); d < 300*time.Millisecond || r.Status != 200 {
		t.Fatalf("with 300 ms latency an answer took %v (status %d)", d, r.Status)
	}
	if got := r.Header.Get("X-Shopify-API-Version"); got != "2026-04" {
		t.Errorf("headers lost on the way: version %q", got)
	}
}
