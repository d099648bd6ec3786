package oauth_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
)

// TestOAuthRequestsStayOnTheShop: a shop answer that redirects to another
// host (307 keeps the POST body with the client secret; any redirect keeps
// the X-Shopify-Access-Token header) is not followed, so the other host
// gets nothing.
func TestOAuthRequestsStayOnTheShop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var mu sync.Mutex
	var leaked []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		leaked = append(leaked, r.Method+" "+r.URL.Path+" "+string(b)+" "+r.Header.Get("X-Shopify-Access-Token"))
		mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer other.Close()
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := http.StatusTemporaryRedirect
		if r.Method == http.MethodGet {
			code = http.StatusFound
		}
		http.Redirect(w, r, other.URL+r.URL.Path, code)
	}))
	defer shop.Close()

	_, ccErr := oauth.ClientCredentials(ctx, oauth.ClientCredentialsConfig{
		Shop: "victim.myshopify.com", BaseURL: shop.URL, ClientID: "cid", ClientSecret: "shpss_TOPSECRETCLIENTSECRET"})
	_, inErr := oauth.Inspect(ctx, oauth.InspectConfig{BaseURL: shop.URL, Token: "shpat_TOPSECRETACCESSTOKEN"})
	if ccErr == nil || inErr == nil {
		t.Fatalf("redirected requests succeeded: %v, %v", ccErr, inErr)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) > 0 {
		t.Fatalf("the other host was sent: %q", leaked)
	}
	for _, err := range []error{ccErr, inErr} {
		if !strings.Contains(err.Error(), "another host") || strings.Contains(err.Error(), "TOPSECRET") {
			t.Errorf("error: %v", err)
		}
	}
}
