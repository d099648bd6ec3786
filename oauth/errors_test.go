package oauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
)

// TestTokenErrorsRedactSecrets: even when Shopify's error text quotes what
// was sent, no secret reaches the error.
func TestTokenErrorsRedactSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"error":             "invalid_client",
			"error_description": "client_secret " + r.PostForm.Get("client_secret") + " is wrong",
		})
	}))
	defer srv.Close()
	const secret = "shpss_0123456789abcdef0123456789abcdef"
	_, err := oauth.ClientCredentials(context.Background(), oauth.ClientCredentialsConfig{
		Shop: "a.myshopify.com", BaseURL: srv.URL, ClientID: "id", ClientSecret: secret,
	})
	if !errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("err = %v, want ErrReconnect", err)
	}
	assertNoSecret(t, "error", err.Error(), secret)
	assertNoSecret(t, "error %+v", fmt.Sprintf("%+v %#v", err, err), secret)
	if !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("err = %v", err)
	}
}

func TestTokenErrorClasses(t *testing.T) {
	cases := []struct {
		status int
		body   string
		want   error
	}{
		{503, `{}`, oauth.ErrTemporary},
		{429, `{}`, oauth.ErrTemporary},
		{401, `{"errors":"[API] Invalid API key"}`, oauth.ErrReconnect},
		{400, `{"error":"invalid_grant"}`, oauth.ErrReconnect},
		{404, `Not Found`, oauth.ErrReconnect},
		{200, `not json`, oauth.ErrTemporary},
	}
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		_, err := oauth.ClientCredentials(context.Background(), oauth.ClientCredentialsConfig{
			Shop: "a.myshopify.com", BaseURL: srv.URL, ClientID: "id", ClientSecret: "s3cr3t-value",
		})
		srv.Close()
		if !errors.Is(err, tc.want) {
			t.Errorf("%d %s: err = %v, want %v", tc.status, tc.body, err, tc.want)
		}
	}
	// Nothing listening: offline, not invalid.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := oauth.ClientCredentials(context.Background(), oauth.ClientCredentialsConfig{
		Shop: "a.myshopify.com", BaseURL: url, ClientID: "id", ClientSecret: "s3cr3t-value",
	})
	if !errors.Is(err, oauth.ErrOffline) || oauth.Fix(err) == "" {
		t.Fatalf("err = %v", err)
	}
	// The caller's own cancel is not "offline".
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	if _, err := oauth.ClientCredentials(ctx, oauth.ClientCredentialsConfig{
		Shop: "a.myshopify.com", BaseURL: url, ClientID: "id", ClientSecret: "s3cr3t-value",
	}); errors.Is(err, oauth.ErrOffline) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled: err = %v", err)
	}
}

func TestStatesRender(t *testing.T) {
	states := []oauth.State{
		oauth.Valid{}, oauth.ExpiringSoon{ExpiresAt: time.Now().Add(time.Minute)},
		oauth.RenewalFailed{Reason: "Shopify is temporarily unavailable"},
		oauth.Reconnect{Reason: "refresh token is invalid"}, oauth.Offline{}, oauth.NotSaved{},
	}
	codes := map[string]bool{}
	for _, s := range states {
		if s.Title() == "" || codes[s.Code()] {
			t.Errorf("%T: title %q, code %q (duplicate: %v)", s, s.Title(), s.Code(), codes[s.Code()])
		}
		codes[s.Code()] = true
		needsFix := s.Code() != "valid" && s.Code() != "expiring_soon"
		if needsFix != (s.Fix() != "") {
			t.Errorf("%T: fix %q", s, s.Fix())
		}
	}
	st := oauth.Status{State: oauth.Valid{}, Missing: []string{"write_inventory"}}
	if !strings.Contains(st.Fix(), "write_inventory") {
		t.Errorf("Status.Fix = %q", st.Fix())
	}
	if !strings.Contains(oauth.SecondComputerWarning, "other computer") {
		t.Error("warning text")
	}
}

func TestConfigsPrintWithoutSecrets(t *testing.T) {
	const secret = "shpss_0123456789abcdef0123456789abcdef"
	const token = "shpat_0123456789abcdef0123456789abcdef"
	for _, v := range []any{
		oauth.FlowConfig{Shop: "a", ClientID: "id", ClientSecret: secret},
		oauth.ClientCredentialsConfig{Shop: "a", ClientID: "id", ClientSecret: secret},
		oauth.InspectConfig{BaseURL: "https://a.myshopify.com", Token: token},
		oauth.Token{AccessToken: token, RefreshToken: secret},
		&oauth.Token{AccessToken: token, RefreshToken: secret},
	} {
		assertNoSecret(t, fmt.Sprintf("%T", v), fmt.Sprintf("%v %+v %#v %s", v, v, v, v), secret, token)
	}
}
