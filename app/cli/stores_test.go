package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// cliEnv runs commands against one config folder and one in-memory keychain.
type cliEnv struct {
	dir     string
	secrets *oauth.MemorySecrets
	vars    map[string]string
}

func newCLIEnv(t *testing.T) *cliEnv {
	return &cliEnv{dir: t.TempDir(), secrets: oauth.NewMemorySecrets(), vars: map[string]string{}}
}

// connectedShop starts a simulated shop "acme" holding products and connects
// it with a pasted token (through the environment, as cron would), plus any
// extra connect flags.
func connectedShop(t *testing.T, products []fakeshop.Product, extra ...string) (*fakeshop.Shop, *cliEnv) {
	t.Helper()
	srv := fakeshop.NewServer(fakeshop.Options{})
	t.Cleanup(func() { srv.Close() })
	sh, err := srv.AddShop("acme", fakeshop.PlanGrow)
	if err != nil {
		t.Fatal(err)
	}
	sh.Seed(products)
	c := newCLIEnv(t)
	c.vars["SHELFSYNC_ACCESS_TOKEN"] = sh.Install("custom-app", oauth.NeededScopes())
	args := append([]string{"connect", "--shop", "acme", "--shop-url", sh.URL()}, extra...)
	if code, out, errOut := c.run(args...); code != ExitOK {
		t.Fatalf("connect: exit %d\n%s%s", code, out, errOut)
	}
	return sh, c
}

func (c *cliEnv) run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, Env{Version: "test", Stdout: &out, Stderr: &errb, ConfigDir: c.dir, Secrets: c.secrets,
		Getenv: func(k string) string { return c.vars[k] }})
	return code, out.String(), errb.String()
}

func TestConnectStatusDisconnect(t *testing.T) {
	srv := fakeshop.NewServer(fakeshop.Options{})
	defer srv.Close()
	sh, err := srv.AddShop("acme", fakeshop.PlanGrow)
	if err != nil {
		t.Fatal(err)
	}
	tok := sh.Install("custom-app", oauth.NeededScopes())
	c := newCLIEnv(t)
	c.vars["SHELFSYNC_ACCESS_TOKEN"] = tok // not on the command line: no shell history

	code, out, errOut := c.run("connect", "--shop", "acme", "--shop-url", sh.URL(), "--group", "Acme Ltd")
	if code != ExitOK || !strings.Contains(out, "Connected") {
		t.Fatalf("connect: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = c.run("stores")
	if code != ExitOK || !strings.Contains(out, "acme.myshopify.com") || !strings.Contains(out, "Acme Ltd") {
		t.Fatalf("stores: exit %d\n%s", code, out)
	}
	code, out, _ = c.run("status", "--json", "acme")
	var st []map[string]any
	if code != ExitOK || json.Unmarshal([]byte(out), &st) != nil || len(st) != 1 || st[0]["Plan"] != "Grow" {
		t.Fatalf("status: exit %d\n%s", code, out)
	}
	if strings.Contains(out, tok) {
		t.Fatal("status printed the token")
	}
	sh.Revoke(tok)
	code, out, errOut = c.run("status")
	if code != ExitAttention || !strings.Contains(out, "Reconnect") || !strings.Contains(errOut, "need attention") {
		t.Fatalf("status after revoke: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = c.run("disconnect", "acme")
	if code != ExitOK || !strings.Contains(out, "Disconnected") {
		t.Fatalf("disconnect: exit %d\n%s", code, out)
	}
	if _, out, _ = c.run("stores"); !strings.Contains(out, "No stores yet") {
		t.Fatalf("stores after disconnect:\n%s", out)
	}
}

func TestConnectRefusesForeignShopURL(t *testing.T) {
	c := newCLIEnv(t)
	code, _, errOut := c.run("connect", "--shop", "acme", "--shop-url", "https://attacker.example.com", "--token", "shpat_x")
	if code == ExitOK || !strings.Contains(errOut, "127.0.0.1") {
		t.Fatalf("a non-loopback --shop-url was accepted: exit %d %s", code, errOut)
	}
	if strings.Contains(errOut, "shpat_x") {
		t.Fatal("the error repeats the token")
	}
}

func TestConnectNeedsOneWay(t *testing.T) {
	c := newCLIEnv(t)
	if code, _, _ := c.run("connect", "--shop", "acme", "--oauth", "--client-credentials"); code != ExitUsage {
		t.Fatalf("two ways at once: exit %d", code)
	}
	if code, _, _ := c.run("connect"); code != ExitUsage {
		t.Fatalf("no shop: exit %d", code)
	}
}

// TestSwitchTokenRefusesAPastedToken: only a non-expiring OAuth token can be
// switched; a pasted one gets a clear refusal and stays as it was.
func TestSwitchTokenRefusesAPastedToken(t *testing.T) {
	_, c := connectedShop(t, nil)
	code, out, errOut := c.run("switch-token", "acme", "--yes")
	if code == ExitOK || !strings.Contains(errOut, "only a non-expiring token") {
		t.Fatalf("switch-token: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := c.run("status", "acme"); code != ExitOK || !strings.Contains(out, "pasted") {
		t.Fatalf("status after a refused switch: exit %d\n%s", code, out)
	}
}
