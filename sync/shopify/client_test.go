package shopify

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewRefusesForeignBaseURL(t *testing.T) {
	cases := []struct {
		shop, base string
		ok         bool
	}{
		{"a.myshopify.com", "", true},
		{"a.myshopify.com", "http://127.0.0.1:8080", true},
		{"a.myshopify.com", "http://127.5.6.7:1", true},
		{"a.myshopify.com", "http://[::1]:9", true},
		{"a.myshopify.com", "https://a.myshopify.com", true},
		{"a.myshopify.com", "http://localhost:8080", false},
		{"a.myshopify.com", "https://evil.example.com", false},
		{"a.myshopify.com", "https://b.myshopify.com", false},
		{"a.myshopify.com", "http://a.myshopify.com", false},
		{"a.myshopify.com", "http://10.0.0.1:80", false},
		{"a.myshopify.com", "http://127.0.0.1:80/admin", false},
		{"a.myshopify.com", "http://user:pw@127.0.0.1:80", false},
		{"a.myshopify.com.evil.com", "", false},
		{"-a.myshopify.com", "", false},
		{"", "http://127.0.0.1:1", false},
	}
	for _, tc := range cases {
		_, err := New(Options{Shop: tc.shop, BaseURL: tc.base, Tokens: StaticToken("x")})
		if (err == nil) != tc.ok {
			t.Errorf("New(%q, %q): err = %v, want ok=%v", tc.shop, tc.base, err, tc.ok)
		}
	}
	if _, err := New(Options{Shop: "a.myshopify.com", APIVersion: "2026-4", Tokens: StaticToken("x")}); err == nil {
		t.Error("bad API version accepted")
	}
}

func TestEndpointAndHeaders(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/admin/api/2026-04/graphql.json" || r.Method != http.MethodPost {
			write(w, 404, `{"errors":"Not Found"}`)
			return
		}
		write(w, 200, okBody(`{"shop":{"name":"Test"}}`, 1, 1999))
	})
	c, _ := testClient(t, s.URL)
	var out struct{ Shop struct{ Name string } }
	if err := c.Do(context.Background(), testQuery, nil, &out); err != nil {
		t.Fatal(err)
	}
	if out.Shop.Name != "Test" {
		t.Fatalf("name = %q", out.Shop.Name)
	}
	if _, ok := s.tokens.Load(testToken); !ok {
		t.Fatal("token header not sent")
	}
	st := c.Pacer().Status()
	if !st.Known || st.Maximum != 2000 || st.RestoreRate != 100 || st.Available != 1999 {
		t.Fatalf("pacer did not learn the bucket: %+v", st)
	}
}

func TestRetryAfter429(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "2")
			write(w, 429, `{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}`)
			return
		}
		write(w, 200, okBody(`{"shop":{"name":"x"}}`, 1, 1000))
	})
	// A mutation: 429 means it was not executed, so it is retried.
	c, fc := testClient(t, s.URL, func(o *Options) { o.TimeScale = 4 })
	if err := c.Do(context.Background(), testMutation, map[string]any{"id": "gid://shopify/Product/1"}, nil); err != nil {
		t.Fatal(err)
	}
	if got := s.calls.Load(); got != 2 {
		t.Fatalf("calls = %d, want 2", got)
	}
	if got, want := fc.total(), 500*time.Millisecond; got != want { // 2 s of store time at scale 4
		t.Fatalf("slept %v, want %v", got, want)
	}
	if c.Pacer().Status().Throttled != 1 {
		t.Fatal("429 not counted as throttled")
	}
}

func TestThrottledWaitsForBucket(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			write(w, 200, throttledBody(300, 100))
			return
		}
		write(w, 200, okBody(`{"shop":{"name":"x"}}`, 300, 0))
	})
	c, fc := testClient(t, s.URL)
	if err := c.Do(context.Background(), testMutation, map[string]any{"id": "1"}, nil); err != nil {
		t.Fatal(err)
	}
	// (requested − available) / restore = (300 − 100) / 100 = 2 s.
	if got, want := fc.total(), 2*time.Second; got != want {
		t.Fatalf("slept %v, want %v", got, want)
	}
}

func TestServerErrorsRetriedForQueries(t *testing.T) {
	for _, status := range []int{500, 502, 503} {
		s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n < 3 {
				write(w, status, `<html>oops</html>`)
				return
			}
			write(w, 200, okBody(`{"shop":{"name":"x"}}`, 1, 1000))
		})
		c, fc := testClient(t, s.URL)
		if err := c.Do(context.Background(), testQuery, nil, nil); err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		if s.calls.Load() != 3 || len(fc.slept) != 2 {
			t.Fatalf("%d: calls=%d sleeps=%v", status, s.calls.Load(), fc.slept)
		}
		// Jittered exponential: first in [0.25 s, 0.5 s], second in [0.5 s, 1 s].
		if fc.slept[0] < 250*time.Millisecond || fc.slept[0] > 500*time.Millisecond ||
			fc.slept[1] < 500*time.Millisecond || fc.slept[1] > time.Second {
			t.Fatalf("%d: backoff %v", status, fc.slept)
		}
	}
}

func TestServerErrorsGiveUp(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) { write(w, 502, "bad gateway") })
	c, _ := testClient(t, s.URL)
	err := c.Do(context.Background(), testQuery, nil, nil)
	if !errors.Is(err, ErrUnreachable) || s.calls.Load() != int32(defaultRetry.attempts) {
		t.Fatalf("err=%v calls=%d", err, s.calls.Load())
	}
}

func TestMutationNotResentAfter5xx(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) { write(w, 500, "boom") })
	c, _ := testClient(t, s.URL)
	err := c.Do(context.Background(), testMutation, map[string]any{"id": "1"}, nil)
	if !errors.Is(err, ErrOutcomeUnknown) || s.calls.Load() != 1 {
		t.Fatalf("err=%v calls=%d", err, s.calls.Load())
	}
}

func TestDroppedConnection(t *testing.T) {
	handler := func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			dropConn(w)
			return
		}
		write(w, 200, okBody(`{"shop":{"name":"x"}}`, 1, 1000))
	}
	t.Run("query retried", func(t *testing.T) {
		s := newStub(t, handler)
		c, _ := testClient(t, s.URL)
		if err := c.Do(context.Background(), testQuery, nil, nil); err != nil || s.calls.Load() != 2 {
			t.Fatalf("err=%v calls=%d", err, s.calls.Load())
		}
	})
	t.Run("mutation outcome unknown", func(t *testing.T) {
		s := newStub(t, handler)
		c, _ := testClient(t, s.URL)
		err := c.Do(context.Background(), testMutation, map[string]any{"id": "1"}, nil)
		if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, ErrUnreachable) || s.calls.Load() != 1 {
			t.Fatalf("err=%v calls=%d", err, s.calls.Load())
		}
	})
	t.Run("idempotent mutation retried", func(t *testing.T) {
		s := newStub(t, handler)
		c, _ := testClient(t, s.URL)
		err := c.Do(context.Background(), testIdem, map[string]any{"input": map[string]any{}, "key": "k"}, nil)
		if err != nil || s.calls.Load() != 2 {
			t.Fatalf("err=%v calls=%d", err, s.calls.Load())
		}
	})
}

func TestMutationRetriedAfterDialError(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		write(w, 200, okBody(`{"productDelete":{"deletedProductId":"1","userErrors":[]}}`, 10, 1000))
	})
	var dials atomic.Int32
	tr := defaultTransport()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) <= 2 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
		}
		return d.DialContext(ctx, network, addr)
	}
	c, _ := testClient(t, s.URL, func(o *Options) { o.HTTPClient = &http.Client{Transport: tr} })
	if err := c.Do(context.Background(), testMutation, map[string]any{"id": "1"}, nil); err != nil {
		t.Fatal(err)
	}
	if s.calls.Load() != 1 || dials.Load() != 3 {
		t.Fatalf("calls=%d dials=%d", s.calls.Load(), dials.Load())
	}
}

func TestUnreachableIsNotUnauthorized(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	c, _ := testClient(t, "http://"+addr)
	err = c.Do(context.Background(), testQuery, nil, nil)
	if !errors.Is(err, ErrUnreachable) || errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "couldn't reach the store") {
		t.Fatalf("message does not say what happened: %v", err)
	}
	assertNoSecret(t, err)
}

func TestSlowAnswerHitsDeadline(t *testing.T) {
	release := make(chan struct{})
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
	})
	defer close(release)
	c, err := New(Options{Shop: "test-shop.myshopify.com", BaseURL: s.URL, Tokens: StaticToken(testToken)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = c.Do(ctx, testQuery, nil, nil)
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("deadline not honoured")
	}
}

func TestCancellationWhileWaiting(t *testing.T) {
	c, _ := New(Options{Shop: "test-shop.myshopify.com", BaseURL: "http://127.0.0.1:1", Tokens: StaticToken(testToken)})
	// The bucket is empty: the next request must wait 10 s.
	r, _ := c.pacer.Reserve(context.Background(), 1)
	c.pacer.Settle(r, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: -990, RestoreRate: 100}, false)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(30 * time.Millisecond); cancel() }()
	err := c.Do(ctx, testQuery, nil, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	// The canceled reservation was given back.
	if st := c.pacer.Status(); st.Available < -991 || st.Available > -980 {
		t.Fatalf("reservation not returned: %+v", st)
	}
}

func TestThrottledPastDeadline(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		write(w, 200, okBody(`{"productDelete":{"deletedProductId":"1","userErrors":[]}}`, 10, -500))
	})
	c, err := New(Options{Shop: "test-shop.myshopify.com", BaseURL: s.URL, Tokens: StaticToken(testToken)})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.pacer.Reserve(context.Background(), 1)
	c.pacer.Settle(r, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 5, RestoreRate: 100}, false)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	// Needs 10 points with 5 available: a 50 ms wait, within the deadline.
	if err := c.Do(ctx, testMutation, map[string]any{"id": "1"}, nil); err != nil {
		t.Fatalf("short wait refused: %v", err)
	}
	// The answer says −500: the next one needs 5.1 s, past the deadline.
	start := time.Now()
	err = c.Do(ctx, testMutation, map[string]any{"id": "1"}, nil)
	if !errors.Is(err, ErrThrottled) || s.calls.Load() != 1 {
		t.Fatalf("err = %v, calls = %d", err, s.calls.Load())
	}
	if time.Since(start) > 500*time.Millisecond {
		t.Fatal("waited instead of failing fast")
	}
}

func TestStatusErrors(t *testing.T) {
	cases := []struct {
		status int
		body   string
		kind   error
		scope  string
	}{
		{401, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password) ` + testToken + `"}`, ErrUnauthorized, ""},
		{403, `{"errors":"This action requires merchant approval for write_products scope."}`, ErrForbidden, "write_products"},
		{404, `{"errors":"Not Found"}`, ErrShopNotFound, ""},
		{402, `{"errors":"Unavailable Shop"}`, ErrShopNotFound, ""},
		{423, `{"errors":"This shop is unavailable"}`, ErrShopNotFound, ""},
		{200, `{"errors":[{"message":"Access denied for products field. Required access: ` + "`read_products`" + ` access scope.","extensions":{"code":"ACCESS_DENIED"}}]}`, ErrForbidden, "read_products"},
	}
	for _, tc := range cases {
		s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) { write(w, tc.status, tc.body) })
		c, _ := testClient(t, s.URL)
		err := c.Do(context.Background(), testQuery, nil, nil)
		if !errors.Is(err, tc.kind) {
			t.Errorf("%d: err = %v, want %v", tc.status, err, tc.kind)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Scope != tc.scope || e.Advice == "" {
			t.Errorf("%d: details %+v", tc.status, e)
		}
		assertNoSecret(t, err)
		if s.calls.Load() != 1 {
			t.Errorf("%d: retried %d times", tc.status, s.calls.Load())
		}
	}
}

type renewingSource struct {
	token   atomic.Value
	renewed atomic.Int32
}

func (r *renewingSource) AccessToken(context.Context) (string, error) {
	return r.token.Load().(string), nil
}
func (r *renewingSource) Renew(_ context.Context, rejected string) error {
	r.renewed.Add(1)
	r.token.Store(testToken + "-new")
	return nil
}

func TestRenewerAfter401(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Shopify-Access-Token") != testToken+"-new" {
			write(w, 401, `{"errors":"[API] Invalid API key or access token"}`)
			return
		}
		write(w, 200, okBody(`{"shop":{"name":"x"}}`, 1, 1000))
	})
	src := &renewingSource{}
	src.token.Store(testToken)
	c, _ := testClient(t, s.URL, func(o *Options) { o.Tokens = src })
	if err := c.Do(context.Background(), testMutation, map[string]any{"id": "1"}, nil); err != nil {
		t.Fatal(err)
	}
	if src.renewed.Load() != 1 || s.calls.Load() != 2 {
		t.Fatalf("renewed=%d calls=%d", src.renewed.Load(), s.calls.Load())
	}
}

func TestGraphQLErrorMaxCost(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		write(w, 200, `{"errors":[{"message":"Query cost is 1723, which exceeds the single query max cost limit (1000).","extensions":{"code":"MAX_COST_EXCEEDED","cost":1723,"maxCost":1000}}]}`)
	})
	c, _ := testClient(t, s.URL)
	err := c.Do(context.Background(), testQuery, nil, nil)
	var ge *GraphQLError
	if !errors.As(err, &ge) || !ge.Has("MAX_COST_EXCEEDED") || s.calls.Load() != 1 {
		t.Fatalf("err = %v", err)
	}
}

func TestRedirectToOtherHostRefused(t *testing.T) {
	other := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) { write(w, 200, okBody(`{}`, 1, 1)) })
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	c, _ := testClient(t, s.URL)
	err := c.Do(context.Background(), testQuery, nil, nil)
	if err == nil || other.calls.Load() != 0 {
		t.Fatalf("err=%v, other host got %d calls", err, other.calls.Load())
	}
	assertNoSecret(t, err)
}

// TestNoSecretInErrors drives every failure kind against a server that echoes
// the token back, and checks the token never appears in an error.
func TestNoSecretInErrors(t *testing.T) {
	echo := func(status int) func(n int, w http.ResponseWriter, r *http.Request) {
		return func(n int, w http.ResponseWriter, r *http.Request) {
			tok := r.Header.Get("X-Shopify-Access-Token")
			write(w, status, `{"errors":[{"message":"bad token `+tok+`","extensions":{"code":"X"}}]}`)
		}
	}
	for _, status := range []int{200, 400, 401, 402, 403, 404, 418, 423, 429, 500, 503} {
		s := newStub(t, echo(status))
		c, _ := testClient(t, s.URL)
		c.retry.throttles = 2
		for _, doc := range []string{testQuery, testMutation} {
			err := c.Do(context.Background(), doc, map[string]any{"id": "1"}, nil)
			if err == nil {
				t.Fatalf("%d: no error", status)
			}
			assertNoSecret(t, err)
		}
	}
}

func TestGarbledAnswerToMutationIsOutcomeUnknown(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) { write(w, 200, `{"data":{"productDel`) })
	c, _ := testClient(t, s.URL)
	if err := c.Do(context.Background(), testMutation, map[string]any{"id": "1"}, nil); !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("mutation: err = %v", err)
	}
	if err := c.Do(context.Background(), testQuery, nil, nil); err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("query: err = %v", err)
	}
}

func TestErrorMessagesReadAsOneSentence(t *testing.T) {
	s := newStub(t, func(n int, w http.ResponseWriter, r *http.Request) { write(w, 502, "bad gateway") })
	c, _ := testClient(t, s.URL)
	err := c.Do(context.Background(), testMutation, map[string]any{"id": "1"}, nil)
	msg := err.Error()
	if strings.Count(msg, "shopify:") != 1 || !strings.Contains(msg, "may or may not have been applied: couldn't reach the store (HTTP 502)") ||
		!strings.HasSuffix(msg, "re-read the store to see whether the change was applied before trying again") {
		t.Fatalf("message: %s", msg)
	}
}
