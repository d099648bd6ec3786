package shopify

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testToken = "shpat_TESTSECRET_0123456789abcdef"

// fakeClock advances only when someone sleeps.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Now()} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.slept = append(f.slept, d)
	return nil
}

func (f *fakeClock) total() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var t time.Duration
	for _, d := range f.slept {
		t += d
	}
	return t
}

// stub is a scripted GraphQL server on 127.0.0.1.
type stub struct {
	*httptest.Server
	calls  atomic.Int32
	tokens sync.Map // tokens seen
	handle func(n int, w http.ResponseWriter, r *http.Request)
}

func newStub(t *testing.T, handle func(n int, w http.ResponseWriter, r *http.Request)) *stub {
	t.Helper()
	s := &stub{handle: handle}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.calls.Add(1))
		s.tokens.Store(r.Header.Get("X-Shopify-Access-Token"), true)
		s.handle(n, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// okBody is a successful answer with the given data and bucket figures.
func okBody(data string, requested, avail float64) string {
	return `{"data":` + data + `,"extensions":{"cost":{"requestedQueryCost":` + ftoa(requested) +
		`,"actualQueryCost":` + ftoa(requested) + `,"throttleStatus":{"maximumAvailable":2000,"currentlyAvailable":` +
		ftoa(avail) + `,"restoreRate":100}}}}`
}

func throttledBody(requested, avail float64) string {
	return `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],` +
		`"extensions":{"cost":{"requestedQueryCost":` + ftoa(requested) + `,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000,"currentlyAvailable":` +
		ftoa(avail) + `,"restoreRate":100}}}}`
}

func ftoa(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

func write(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// dropConn closes the connection without answering.
func dropConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("no hijacker")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// testClient returns a client for the stub with a fake clock.
func testClient(t *testing.T, url string, mod ...func(*Options)) (*Client, *fakeClock) {
	t.Helper()
	opts := Options{Shop: "test-shop.myshopify.com", BaseURL: url, Tokens: StaticToken(testToken)}
	for _, m := range mod {
		m(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	fc := newFakeClock()
	c.clk = fc
	c.pacer.clk = fc
	return c, fc
}

// assertNoSecret fails when the token leaks into an error.
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), testToken) {
		t.Fatalf("token leaked into error: %v", err)
	}
}

const (
	testQuery    = `query { shop { name } }`
	testMutation = `mutation M($id: ID!) { productDelete(input: {id: $id}) { deletedProductId userErrors { field message } } }`
	testIdem     = `mutation S($input: InventorySetQuantitiesInput!, $key: String!) { inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { field message code } } }`
)
