package notify

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// ValidateURL accepts https URLs, and http URLs only for a loopback host (a local relay or a test
// server). Its errors never repeat the URL's path or query, which may hold a secret.
func ValidateURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" {
		return errors.New("the webhook URL is not a valid URL; it should start with https://")
	}
	if u.Hostname() == "" {
		return errors.New("the webhook URL has no host")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("the webhook URL " + RedactURL(raw) + " must use https (http is allowed only for localhost)")
	}
	return errors.New("the webhook URL " + RedactURL(raw) + " must use https")
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// RedactURL returns raw with only scheme and host kept: "https://hooks.slack.com/…". Chat webhook
// URLs carry their secret in the path or query, so this is the only form to show or log.
func RedactURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	s := u.Scheme + "://" + u.Host
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		s += "/…"
	}
	return s
}
