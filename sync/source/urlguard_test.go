package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestHTTPSFeedMayNotRedirectToPlainHTTP: a supplier's https feed that
// redirects to a plain-http service on this computer is refused, and the
// service is never asked.
func TestHTTPSFeedMayNotRedirectToPlainHTTP(t *testing.T) {
	hit := make(chan string, 1)
	local := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hit <- r.URL.Path
		io.WriteString(w, "Handle,Title\nfrom-local-service,Internal data\n")
	}))
	defer local.Close()
	feed := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, local.URL+"/admin/internal?x=1", http.StatusFound)
	}))
	defer feed.Close()
	_, err := ReadURL(context.Background(), feed.URL+"/feed.csv", Options{HTTPClient: feed.Client()})
	if err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Fatalf("redirect to plain http: %v", err)
	}
	select {
	case p := <-hit:
		t.Fatalf("the local service was asked for %s", p)
	default:
	}
}

func TestRedirectAllowed(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		ok       bool
	}{
		{"https://feeds.supplier.example/a.csv", "https://cdn.supplier.example/a.csv", true},
		{"https://feeds.supplier.example/a.csv", "http://cdn.supplier.example/a.csv", false},
		{"https://feeds.supplier.example/a.csv", "https://127.0.0.1:8443/admin", false},
		{"https://feeds.supplier.example/a.csv", "https://10.1.2.3/share/a.csv", false},
		{"https://feeds.supplier.example/a.csv", "https://192.168.0.10/a.csv", false},
		{"https://feeds.supplier.example/a.csv", "https://169.254.169.254/latest/meta-data/", false},
		{"https://feeds.supplier.example/a.csv", "https://[::1]/a.csv", false},
		{"https://feeds.supplier.example/a.csv", "https://[fd00::1]/a.csv", false},
		{"https://feeds.supplier.example/a.csv", "https://100.64.0.1/a.csv", false},
		{"https://feeds.supplier.example/a.csv", "https://admin.localhost/a.csv", false},
		{"https://10.1.2.3/a.csv", "https://10.1.2.4/a.csv", true},      // typed by the user
		{"http://127.0.0.1:8080/a", "http://127.0.0.1:9090/b", true},    // a local tool
		{"https://127.0.0.1:8443/a", "http://127.0.0.1:9090/b", false},  // still no downgrade
		{"https://10.1.2.3/a.csv", "https://feeds.example.com/a", true}, // inside to outside
	} {
		from, _ := url.Parse(tc.from)
		to, _ := url.Parse(tc.to)
		if err := redirectAllowed(from, to); (err == nil) != tc.ok {
			t.Errorf("%s → %s: %v, want allowed %v", tc.from, tc.to, err, tc.ok)
		}
	}
}

// TestRedirectToNameResolvingInsideRefused: a redirect to a name that looks
// public but resolves to a private address is refused when connecting; the
// host the user typed is dialled as it is.
func TestRedirectToNameResolvingInsideRefused(t *testing.T) {
	var dialled []string
	base := &http.Transport{DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
		dialled = append(dialled, addr)
		return nil, io.EOF
	}}
	lookup := func(_ context.Context, host string) ([]net.IPAddr, error) {
		return map[string][]net.IPAddr{
			"rebind.example": {{IP: net.ParseIP("203.0.113.7")}, {IP: net.ParseIP("10.0.0.8")}},
			"cdn.example":    {{IP: net.ParseIP("203.0.113.9")}},
		}[host], nil
	}
	original, _ := url.Parse("https://feeds.supplier.example/a.csv")
	tr := guardedTransport(base, original, lookup).(*http.Transport)
	ctx := context.Background()
	if _, err := tr.DialContext(ctx, "tcp", "rebind.example:443"); err == nil || !strings.Contains(err.Error(), "local network") {
		t.Errorf("a name resolving inside: %v", err)
	}
	_, _ = tr.DialContext(ctx, "tcp", "cdn.example:443")
	_, _ = tr.DialContext(ctx, "tcp", "feeds.supplier.example:443")
	if strings.Join(dialled, " ") != "203.0.113.9:443 feeds.supplier.example:443" {
		t.Errorf("dialled %v", dialled)
	}
	if base.DialContext == nil || tr == base {
		t.Error("the caller's transport was changed")
	}
	typed, _ := url.Parse("https://10.0.0.8/a.csv")
	if guardedTransport(base, typed, lookup) != http.RoundTripper(base) {
		t.Error("an address the user typed was guarded")
	}
}

// TestGzipFeedCountsBothSizes: the size cap counts what a gzip download
// unpacks to as well as the bytes on the wire.
func TestGzipFeedCountsBothSizes(t *testing.T) {
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	noise := make([]byte, 2040-len("SKU,Qty\n#")) // unpacked just under the cap, packed just over it
	rand.Read(noise)
	bodies := map[string][]byte{
		"/ok.csv":    gz([]byte("SKU,Qty\nA,1\nB,2\n")),
		"/bomb.csv":  gz([]byte("SKU,Qty\n" + strings.Repeat("A,1\n", 10_000))), // ~40 KB from a few hundred bytes
		"/noise.csv": gz(append([]byte("SKU,Qty\n#"), noise...)),                // larger packed than unpacked
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bodies[r.URL.Path])
	}))
	defer srv.Close()
	opts := Options{HTTPClient: srv.Client(), MaxBytes: 2048}
	if cat, err := ReadURL(context.Background(), srv.URL+"/ok.csv", opts); err != nil || len(cat.Variants) != 2 {
		t.Fatalf("gzip feed: %v", err)
	}
	for _, p := range []string{"/bomb.csv", "/noise.csv"} {
		if _, err := ReadURL(context.Background(), srv.URL+p, opts); err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestMaskLocation(t *testing.T) {
	for in, want := range map[string]string{
		"https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit#gid=42": "https://docs.google.com/spreadsheets/d/1AbC****/edit#gid=42",
		"https://feeds.example.com/export/products.csv?key=s3cr3t&format=csv":                      "https://feeds.example.com/export/products.csv?key=****&format=csv",
		"https://user:pass@feeds.example.com/a.csv#access_token=abc":                               "https://feeds.example.com/a.csv#access_token=****",
		"https://feeds.example.com/f/9f8e7d6c5b4a39281706f5e4/catalog.xlsx":                        "https://feeds.example.com/f/9f8e****/catalog.xlsx",
		"/home/someone/catalog with spaces.csv":                                                    "/home/someone/catalog with spaces.csv",
		"https://example.com/very-long-product-catalog-name.csv":                                   "https://example.com/very-long-product-catalog-name.csv",
	} {
		if got := MaskLocation(in); got != want {
			t.Errorf("MaskLocation(%q) = %q, want %q", in, got, want)
		}
	}
}
