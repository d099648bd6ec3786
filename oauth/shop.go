package oauth

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// shopSuffix is the only domain Shelfsync accepts for a shop.
const shopSuffix = ".myshopify.com"

// maxShopName bounds a shop's subdomain (one DNS label).
const maxShopName = 63

// AcceptedShopForms lists, for people, the inputs NormalizeShop accepts.
const AcceptedShopForms = `"mystore", "mystore.myshopify.com", "https://mystore.myshopify.com/admin" or "admin.shopify.com/store/mystore"`

// ErrInvalidShop is wrapped by every error NormalizeShop returns.
var ErrInvalidShop = errors.New("not a Shopify store address")

// shopError explains why an input was refused without echoing it: a merchant
// may paste a token into the shop field by mistake.
func shopError(why string) error {
	return &wrapped{msg: ErrInvalidShop.Error() + " (" + why + "); use " + AcceptedShopForms, err: ErrInvalidShop}
}

// NormalizeShop turns what a merchant typed into a shop domain of the form
// "name.myshopify.com". It accepts a bare name, the myshopify domain, any
// admin URL on that domain, and the "admin.shopify.com/store/name" form,
// ignoring surrounding spaces and letter case. Anything else is refused with
// an error that lists the accepted forms (AcceptedShopForms).
func NormalizeShop(input string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(input))
	if s == "" {
		return "", shopError("it is empty")
	}
	hadScheme := false
	for _, scheme := range []string{"https://", "http://"} {
		if strings.HasPrefix(s, scheme) {
			s, hadScheme = s[len(scheme):], true
			break
		}
	}
	if strings.Contains(s, "://") {
		return "", shopError("only https addresses are accepted")
	}
	host, rest, _ := strings.Cut(s, "/")
	if i := strings.IndexAny(host, "?#"); i >= 0 {
		host, rest = host[:i], ""
	}
	name, why := shopName(host, rest, hadScheme)
	if why == "" {
		why = checkShopName(name)
	}
	if why != "" {
		return "", shopError(why)
	}
	return name + shopSuffix, nil
}

// shopName picks the shop's name out of an input split into host and the
// rest of its path, or says why it cannot.
func shopName(host, rest string, hadScheme bool) (name, why string) {
	switch {
	case host == "admin.shopify.com":
		// admin.shopify.com/store/<name>[/...]
		parts := strings.Split(rest, "/")
		if len(parts) < 2 || parts[0] != "store" || parts[1] == "" {
			return "", "an admin.shopify.com address must continue with /store/<name>"
		}
		name, _, _ = strings.Cut(parts[1], "?")
		name, _, _ = strings.Cut(name, "#")
		return name, ""
	case strings.HasSuffix(host, shopSuffix):
		return strings.TrimSuffix(host, shopSuffix), ""
	case !strings.ContainsAny(host, ".:@") && rest == "" && !hadScheme:
		return host, ""
	}
	return "", "the domain must end in .myshopify.com"
}

// checkShopName returns why name is not a valid shop subdomain, or "".
// Shopify's docs allow letters, digits and hyphens, starting with a letter or
// digit: https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
func checkShopName(name string) string {
	if name == "" {
		return "the store name is missing"
	}
	if len(name) > maxShopName {
		return "the store name is longer than 63 characters"
	}
	if name[0] == '-' {
		return "the store name must start with a letter or digit"
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return "the store name may contain only letters, digits and hyphens"
		}
	}
	return ""
}

// ValidShopDomain reports whether s is exactly a lower-case
// "name.myshopify.com" domain, as Shopify sends in the callback's shop
// parameter. Unlike NormalizeShop it accepts no other form.
func ValidShopDomain(s string) bool {
	if !strings.HasSuffix(s, shopSuffix) {
		return false
	}
	return checkShopName(strings.TrimSuffix(s, shopSuffix)) == ""
}

// ErrNotLoopback is returned when a base URL override points anywhere but
// this computer.
var ErrNotLoopback = errors.New("a shop URL override must be http://127.0.0.1:PORT, a simulated shop on this computer " +
	"(another 127.x.x.x or [::1] address, or https, also works; a name such as localhost or a path does not)")

// ResolveBaseURL returns the base URL for talking to shop: "https://" + shop,
// or override when one is given. An override is accepted only for a literal
// loopback address (127.0.0.0/8 or ::1), because it exists for the
// simulator; a real shop is always reached over https at its own domain.
// It is the rule sync/shopify applies to the Admin API.
func ResolveBaseURL(shop, override string) (string, error) {
	if !ValidShopDomain(shop) {
		return "", shopError("the domain must end in .myshopify.com")
	}
	if override == "" {
		return "https://" + shop, nil
	}
	u, err := url.Parse(strings.TrimSpace(override))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", ErrNotLoopback
	}
	if !IsLoopbackHost(u.Hostname()) {
		return "", ErrNotLoopback
	}
	return u.Scheme + "://" + u.Host, nil
}

// IsLoopbackHost reports whether host (without port) is a literal loopback
// address. A name such as localhost is not: what it resolves to is not under
// Shelfsync's control, and the client secret and tokens would go there
// over plain http.
func IsLoopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// wrapped is an error with its own message that still matches a sentinel
// through errors.Is.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }
