package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
)

// The secret part of a chat webhook URL.
const alertSecret = "/hooks/T01/B02/sEcReTaLeRt77"

func TestAlertsSetShowTestClear(t *testing.T) {
	var mu sync.Mutex
	var bodies []map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != alertSecret {
			http.NotFound(w, r)
			return
		}
		var body map[string]any
		data, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(data, &body)
		mu.Lock()
		bodies = append(bodies, body)
		mu.Unlock()
	}))
	defer hook.Close()
	_, c := connectedShop(t, nil)
	if code, _, errOut := c.run("alerts", "set", "--store", "acme"); code != ExitUsage || !strings.Contains(errOut, webhookEnv) {
		t.Fatalf("set without a URL: exit %d %s", code, errOut)
	}
	code, _, errOut := c.run("alerts", "set", "--store", "acme", "--webhook", "http://chat.example.com"+alertSecret)
	if code != ExitError || strings.Contains(errOut, "sEcReT") || !strings.Contains(errOut, "https") {
		t.Fatalf("plain http: exit %d %s", code, errOut)
	}
	c.vars[webhookEnv] = hook.URL + alertSecret // out of shell history
	code, out, errOut := c.run("alerts", "set", "--store", "acme", "--on-success")
	if code != ExitOK || !strings.Contains(out, "every run") || strings.Contains(out+errOut, "sEcReT") {
		t.Fatalf("set: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = c.run("alerts", "show")
	if code != ExitOK || !strings.Contains(out, hook.URL+"/…") || strings.Contains(out, "sEcReT") {
		t.Fatalf("show: exit %d\n%s", code, out)
	}
	var rows []alertRow
	if code, out, _ = c.run("alerts", "show", "acme", "--json"); code != ExitOK || json.Unmarshal([]byte(out), &rows) != nil ||
		len(rows) != 1 || !rows[0].HasWebhook || !rows[0].NotifyOnSuccess {
		t.Fatalf("show --json: exit %d\n%s", code, out)
	}
	if code, out, errOut = c.run("alerts", "test", "--store", "acme"); code != ExitOK {
		t.Fatalf("test: exit %d\n%s%s", code, out, errOut)
	}
	mu.Lock()
	if len(bodies) != 1 || bodies[0]["store"] == nil || bodies[0]["run"] != "test" {
		t.Errorf("the webhook got %v", bodies)
	}
	mu.Unlock()
	if v, err := c.secrets.Get(t.Context(), rows[0].StoreID, oauth.SecretWebhook); err != nil || !strings.HasSuffix(v, alertSecret) {
		t.Fatalf("the URL is not in the keychain: %v", err)
	}
	if code, out, _ = c.run("alerts", "clear", "acme"); code != ExitOK || !strings.Contains(out, "Removed") {
		t.Fatalf("clear: exit %d\n%s", code, out)
	}
	if code, out, _ = c.run("alerts", "show", "acme"); code != ExitOK || strings.Contains(out, hook.URL) {
		t.Fatalf("show after clear: exit %d\n%s", code, out)
	}
	if code, out, errOut = c.run("alerts", "set", "--help"); code != ExitOK || !strings.Contains(out+errOut, "-webhook") {
		t.Fatalf("set --help: exit %d\n%s%s", code, out, errOut)
	}
}
