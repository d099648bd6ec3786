package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
)

// unreachableKeychain is a computer without a keychain to ask (cron on a
// server, an SSH session without D-Bus).
type unreachableKeychain struct{}

func (unreachableKeychain) Get(context.Context, string, string) (string, error) {
	return "", oauth.ErrUnavailable
}
func (unreachableKeychain) Set(context.Context, string, string, string) error {
	return oauth.ErrUnavailable
}
func (unreachableKeychain) Delete(context.Context, string, string) error { return oauth.ErrUnavailable }

// TestStatusWithoutKeychainSaysSo: a store connected in the window, checked
// from a shell that cannot reach the keychain, reads "keychain locked or
// missing", never "Reconnect needed", and disconnecting it from there fails
// instead of claiming its secrets are gone.
func TestStatusWithoutKeychainSaysSo(t *testing.T) {
	_, c := connectedShop(t, nil)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(args, Env{Version: "test", Stdout: &out, Stderr: &errb, ConfigDir: c.dir, Secrets: unreachableKeychain{},
			Getenv: func(string) string { return "" }})
		return code, out.String(), errb.String()
	}
	code, out, errOut := run("status")
	if code != ExitAttention || !strings.Contains(out, "the system keychain is locked or missing") || strings.Contains(out, "Reconnect") {
		t.Fatalf("status without a keychain: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = run("disconnect", "acme")
	if code == ExitOK || strings.Contains(out, "gone from the keychain") {
		t.Fatalf("disconnect without a keychain: exit %d\n%s%s", code, out, errOut)
	}
	// With the keychain back, the store is as it was.
	if code, out, _ := c.run("status", "acme"); code != ExitOK || !strings.Contains(out, "Connected") {
		t.Fatalf("status with the keychain: exit %d\n%s", code, out)
	}
}
