package oauth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// APIVersion is the Admin API version Inspect talks to.
const APIVersion = "2026-04"

// shopInfoQuery reads the shop's name, domain and plan (FACTS §6; fields
// checked against the 2026-04 schema by TestDocumentsValidate).
const shopInfoQuery = `query ShelfsyncShopInfo {
  shop {
    name
    myshopifyDomain
    plan {
      publicDisplayName
    }
  }
}`

// Documents returns every GraphQL document this package sends, by
// operation name, for validation against the schema.
func Documents() map[string]string {
	return map[string]string{"ShelfsyncShopInfo": shopInfoQuery}
}

// ShopInfo is what Inspect learns about a shop through a token.
type ShopInfo struct {
	Name   string   // the shop's display name
	Domain string   // "name.myshopify.com"
	Plan   string   // e.g. "Basic", "Grow", "Advanced", "Plus", "Development"
	Scopes []string // scopes granted to the token, sorted
	// Warnings are Shopify's version notices: it served another API version
	// than APIVersion (the one asked for is no longer supported), or flagged
	// the request as using something deprecated.
	Warnings []string
}

// Missing returns the needed scopes the token lacks.
func (i ShopInfo) Missing() []string { return MissingScopes(i.Scopes, NeededScopes()) }

// InspectConfig says which shop to ask, with which token.
type InspectConfig struct {
	BaseURL    string // from ResolveBaseURL
	Token      string
	HTTPClient *http.Client // optional
}

// Inspect reads the shop's name and plan (GraphQL) and the token's granted
// scopes (GET /admin/oauth/access_scopes.json). A 401 matches ErrReconnect;
// a network failure matches ErrOffline and says nothing about the token.
func Inspect(ctx context.Context, c InspectConfig) (ShopInfo, error) {
	var info ShopInfo
	var gql struct {
		Data struct {
			Shop struct {
				Name            string `json:"name"`
				MyshopifyDomain string `json:"myshopifyDomain"`
				Plan            struct {
					PublicDisplayName string `json:"publicDisplayName"`
				} `json:"plan"`
			} `json:"shop"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	body, _ := json.Marshal(map[string]string{"query": shopInfoQuery})
	var hdr http.Header
	if err := adminCall(ctx, c, http.MethodPost, "/admin/api/"+APIVersion+"/graphql.json", body, &gql, &hdr); err != nil {
		return info, err
	}
	info.Warnings = versionWarnings(hdr)
	if len(gql.Errors) > 0 {
		return info, &TokenError{Op: "inspect", Status: http.StatusOK, Class: ErrRejected,
			Description: redact(gql.Errors[0].Message, c.Token)}
	}
	info.Name = gql.Data.Shop.Name
	info.Domain = gql.Data.Shop.MyshopifyDomain
	info.Plan = gql.Data.Shop.Plan.PublicDisplayName

	var scopes struct {
		AccessScopes []struct {
			Handle string `json:"handle"`
		} `json:"access_scopes"`
	}
	if err := adminCall(ctx, c, http.MethodGet, "/admin/oauth/access_scopes.json", nil, &scopes, nil); err != nil {
		return info, err
	}
	var hs []string
	for _, s := range scopes.AccessScopes {
		hs = append(hs, s.Handle)
	}
	info.Scopes = ParseScopes(strings.Join(hs, ","))
	return info, nil
}

// Verify checks a pasted token before it is saved: Shopify must accept it,
// for this shop. Tokens are never judged by their prefix (FACTS §4).
func Verify(ctx context.Context, shop string, c InspectConfig) (ShopInfo, error) {
	info, err := Inspect(ctx, c)
	if err != nil {
		return info, err
	}
	if info.Domain != "" && !strings.EqualFold(info.Domain, shop) {
		return info, fmt.Errorf("%w: the token belongs to %s, not %s", ErrRejected, info.Domain, shop)
	}
	return info, nil
}

// versionWarnings reads Shopify's version headers: X-Shopify-API-Version is
// the version that served the request, the oldest supported one when ours is
// past its support window (https://shopify.dev/docs/api/usage/versioning);
// X-Shopify-API-Deprecated-Reason lists deprecated fields the request used
// (https://shopify.dev/changelog/graphql-return-actual-deprecation-reasons).
func versionWarnings(h http.Header) []string {
	var out []string
	if v := h.Get("X-Shopify-API-Version"); v != "" && v != APIVersion {
		out = append(out, fmt.Sprintf("Shopify served API version %s, not %s, which this Shelfsync was built for; update Shelfsync", oneLine(v, 20), APIVersion))
	}
	if r := h.Get("X-Shopify-API-Deprecated-Reason"); r != "" {
		out = append(out, "Shopify says Shelfsync uses something deprecated ("+oneLine(r, 200)+"); update Shelfsync before Shopify removes it")
	}
	return out
}

// adminCall sends one authenticated Admin API request and decodes JSON.
// hdr, when not nil, receives the answer's headers.
func adminCall(ctx context.Context, c InspectConfig, method, path string, body []byte, out any, hdr *http.Header) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return fmt.Errorf("inspect: %w", err)
	}
	req.Header.Set("X-Shopify-Access-Token", c.Token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := httpClient(c.HTTPClient).Do(req)
	if err != nil {
		return networkError(ctx, "inspect", err)
	}
	defer resp.Body.Close()
	if hdr != nil {
		*hdr = resp.Header
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return networkError(ctx, "inspect", err)
	}
	if resp.StatusCode != http.StatusOK {
		te := &TokenError{Op: "inspect", Status: resp.StatusCode, Class: classifyStatus(resp.StatusCode, "", false)}
		switch resp.StatusCode {
		case http.StatusUnauthorized:
			te.Description = "Shopify refused the token: it was revoked, or the app was uninstalled"
		case http.StatusForbidden:
			te.Class, te.Description = ErrMissingScopes, "the token lacks a permission this request needs"
		case http.StatusPaymentRequired, http.StatusNotFound, http.StatusLocked:
			te.Description = "the shop is unavailable (frozen, closed or not found) or the app was uninstalled"
		}
		return te
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &TokenError{Op: "inspect", Status: resp.StatusCode, Class: ErrTemporary, Description: "the answer was not JSON"}
	}
	return nil
}
