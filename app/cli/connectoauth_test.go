package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// lockedBuffer is written by the command while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var (
	authorizeURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+/admin/oauth/authorize\?\S+`)
)

// TestConnectOAuthLocalhostPaste: `connect --oauth --host localhost` shows
// the settings to register with the localhost host, sends that redirect URL,
// and when the browser never comes back takes the address it ended on from
// stdin: a Shopify page is refused with a reason and the sign-in keeps
// waiting, the real address (checked like a callback) connects the store.
func TestConnectOAuthLocalhostPaste(t *testing.T) {
	srv := fakeshop.NewServer(fakeshop.Options{})
	t.Cleanup(func() { srv.Close() })
	sh, err := srv.AddShop("paste-cli", fakeshop.PlanGrow)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	const secret = "shpss_0123456789abcdef"
	// Registered with localhost only: a 127.0.0.1 redirect would be refused.
	srv.RegisterApp(fakeshop.App{ClientID: "cid", ClientSecret: secret,
		RedirectURIs: []string{oauth.RedirectURLFor("localhost", port)}, AppURL: oauth.AppURLFor("localhost", port),
		Scopes: oauth.NeededScopes()})

	c := newCLIEnv(t)
	c.vars["SHELFSYNC_CLIENT_SECRET"] = secret
	stdin, paste := io.Pipe()
	defer paste.Close()
	var stdout, stderr lockedBuffer
	opened := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- Main([]string{"connect", "--shop", "paste-cli", "--shop-url", sh.URL(), "--oauth", "--client-id", "cid",
			"--host", "localhost", "--port", strconv.Itoa(port)},
			Env{Version: "test", Stdin: stdin, Stdout: &stdout, Stderr: &stderr, ConfigDir: c.dir, Secrets: c.secrets,
				Getenv:      func(k string) string { return c.vars[k] },
				OpenBrowser: func(u string) error { opened <- u; return nil }})
	}()
	var auth string
	select {
	case auth = <-opened:
	case code := <-done:
		t.Fatalf("exit %d before the browser opened\n%s", code, stderr.String())
	case <-time.After(15 * time.Second):
		t.Fatalf("no browser opened\n%s", stderr.String())
	}
	for _, want := range []string{"Redirect URL: " + oauth.RedirectURLFor("localhost", port),
		"App URL:      " + oauth.AppURLFor("localhost", port), "Embed app in Shopify admin: off", "write_publications", "paste the address"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the settings do not say %q:\n%s", want, stderr.String())
		}
	}
	if u, _ := url.Parse(auth); u == nil || u.Query().Get("redirect_uri") != oauth.RedirectURLFor("localhost", port) {
		t.Fatalf("authorize URL %q does not send the localhost redirect", auth)
	}
	if !strings.Contains(stderr.String(), auth) || authorizeURL.FindString(stderr.String()) == "" {
		t.Errorf("the sign-in address is not printed for copying:\n%s", stderr.String())
	}

	// The merchant presses Install; the browser is redirected but never arrives.
	ended, err := fakeshop.PressInstall(context.Background(), auth, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ended, oauth.RedirectURLFor("localhost", port)) {
		t.Fatalf("Shopify redirected to %q", ended)
	}

	if _, err := io.WriteString(paste, sh.URL()+"/admin/apps\n"); err != nil { // first the wrong page
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "Still waiting") {
		if time.Now().After(deadline) {
			t.Fatalf("pasting a Shopify page got no answer:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(stderr.String(), "Shopify page") {
		t.Errorf("the refusal does not say why:\n%s", stderr.String())
	}
	if _, err := io.WriteString(paste, ended+"\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != ExitOK || !strings.Contains(stdout.String(), "Connected") {
			t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("not connected after the paste:\n%s", stderr.String())
	}
	if code, out, _ := c.run("stores"); code != ExitOK || !strings.Contains(out, "paste-cli.myshopify.com") {
		t.Fatalf("stores: exit %d\n%s", code, out)
	}
	if strings.Contains(stderr.String()+stdout.String(), secret) {
		t.Fatal("the client secret was printed")
	}
}

// TestConnectOAuthHostMustBeRegistrable: any other --host is a usage error.
func TestConnectOAuthHostMustBeRegistrable(t *testing.T) {
	c := newCLIEnv(t)
	c.vars["SHELFSYNC_CLIENT_SECRET"] = "shpss_0123456789abcdef"
	code, _, errOut := c.run("connect", "--shop", "acme", "--oauth", "--client-id", "cid", "--host", "example.com")
	if code != ExitUsage || !strings.Contains(errOut, "127.0.0.1 or localhost") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
