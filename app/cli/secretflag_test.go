package cli

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestTokenFromStandardInput: --token - reads the token from standard
// input, so it never shows in the process list or in shell history.
func TestTokenFromStandardInput(t *testing.T) {
	srv := fakeshop.NewServer(fakeshop.Options{})
	defer srv.Close()
	sh, err := srv.AddShop("acme", fakeshop.PlanGrow)
	if err != nil {
		t.Fatal(err)
	}
	tok := sh.Install("custom-app", oauth.NeededScopes())
	c := newCLIEnv(t)
	var out, errb bytes.Buffer
	code := Main([]string{"connect", "--shop", "acme", "--shop-url", sh.URL(), "--token", "-"},
		Env{Version: "test", Stdin: strings.NewReader(tok + "\n"), Stdout: &out, Stderr: &errb, ConfigDir: c.dir, Secrets: c.secrets,
			Getenv: func(string) string { return "" }})
	if code != ExitOK || !strings.Contains(out.String(), "Connected") {
		t.Fatalf("connect --token -: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if strings.Contains(out.String()+errb.String(), tok) {
		t.Fatal("the token was echoed")
	}
}

// TestFeedKeyMaskedInHistory: a feed URL's key (its query, or a Google
// Sheet's ID) is masked in 'history' and 'schedule list', text and JSON,
// as tokens are.
func TestFeedKeyMaskedInHistory(t *testing.T) {
	_, c := connectedShop(t, nil)
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		io.WriteString(w, "Handle,Title,Variant SKU,Variant Price\nmug,Mug,MUG-1,9.00\n")
	}))
	defer feed.Close()
	src := feed.URL + "/feeds/products.csv?key=FEEDSECRET123"
	if code, out, errOut := c.run("sync", "--store", "acme", "--source", src, "--yes"); code != ExitOK {
		t.Fatalf("sync: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := c.run("schedule", "set", "--store", "acme", "--source", src, "--every", "every 1h"); code != ExitOK {
		t.Fatalf("schedule set: exit %d\n%s%s", code, out, errOut)
	}
	for _, args := range [][]string{{"history"}, {"history", "--json"}, {"schedule", "list"}, {"schedule", "list", "--json"}} {
		code, out, _ := c.run(args...)
		if code != ExitOK || strings.Contains(out, "FEEDSECRET123") || !strings.Contains(out, "key=****") {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
}
