package oauth

import "fmt"

// String implements fmt.Stringer without the client secret, so a config
// printed into a log never leaks it.
func (c FlowConfig) String() string {
	return fmt.Sprintf("oauth.FlowConfig{Shop:%q ClientID:%q ClientSecret:%s Port:%d NonExpiring:%v ShopBaseURL:%q}",
		c.Shop, c.ClientID, MaskToken(c.ClientSecret), c.Port, c.NonExpiring, c.ShopBaseURL)
}

// GoString implements fmt.GoStringer the same way, for %#v.
func (c FlowConfig) GoString() string { return c.String() }

// String implements fmt.Stringer without the client secret.
func (c ClientCredentialsConfig) String() string {
	return fmt.Sprintf("oauth.ClientCredentialsConfig{Shop:%q ClientID:%q ClientSecret:%s BaseURL:%q}",
		c.Shop, c.ClientID, MaskToken(c.ClientSecret), c.BaseURL)
}

// GoString implements fmt.GoStringer the same way, for %#v.
func (c ClientCredentialsConfig) GoString() string { return c.String() }

// String implements fmt.Stringer without the token.
func (c InspectConfig) String() string {
	return fmt.Sprintf("oauth.InspectConfig{BaseURL:%q Token:%s}", c.BaseURL, MaskToken(c.Token))
}

// GoString implements fmt.GoStringer the same way, for %#v.
func (c InspectConfig) GoString() string { return c.String() }
