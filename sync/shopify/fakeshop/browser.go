package fakeshop

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

var requestIDField = regexp.MustCompile(`name="request_id" value="([^"]+)"`)

// PressInstall plays the merchant's browser on a simulated shop: it opens
// authURL (the authorize page), presses Install and returns where the shop
// sends the browser next (the app's redirect URL with code, hmac and
// state). With follow, the browser goes there too, as the demo's robot
// does; without, it stops at the redirect, like a browser whose callback
// never reaches the app.
func PressInstall(ctx context.Context, authURL string, follow bool) (string, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return "", err
	}
	hc := &http.Client{}
	if !follow {
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return "", err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	m := requestIDField.FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("the simulated shop's install page was not as expected (HTTP %d)", resp.StatusCode)
	}
	form := url.Values{"request_id": {string(m[1])}, "action": {"install"}}
	grant := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/admin/oauth/authorize/grant"}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, grant.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = hc.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if follow {
		return resp.Request.URL.String(), nil
	}
	return resp.Header.Get("Location"), nil
}
