package oauth_test

import (
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth/internal/stubshop"
)

// freePort finds a loopback port that is free right now. Redirect URLs are
// registered before the flow starts, so the port must be known in advance.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// newStub starts a stub shop whose app allows the redirect URL of port.
func newStub(t *testing.T, port int, now func() time.Time) *stubshop.Shop {
	t.Helper()
	s := stubshop.New("teststore", now)
	s.RedirectURIs = []string{"http://127.0.0.1:" + strconv.Itoa(port) + "/callback"}
	t.Cleanup(s.Close)
	return s
}

var installLink = regexp.MustCompile(`id="install" href="([^"]+)"`)

// page is one answer the loopback listener gave.
type page struct {
	status int
	body   string
	err    error
}

// browser plays the merchant's browser: it opens the authorize page and
// follows its Install link, recording the listener's answer.
type browser struct {
	mu    sync.Mutex
	pages []page
	done  chan struct{}
}

func newBrowser() *browser { return &browser{done: make(chan struct{})} }

func (b *browser) open(authURL string) error {
	go func() {
		defer close(b.done)
		resp, err := http.Get(authURL)
		if err != nil {
			b.record(page{err: err})
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := installLink.FindStringSubmatch(string(body))
		if m == nil {
			b.record(page{status: resp.StatusCode, body: string(body)})
			return
		}
		b.record(get(strings.ReplaceAll(m[1], "&amp;", "&")))
	}()
	return nil
}

func (b *browser) record(p page) {
	b.mu.Lock()
	b.pages = append(b.pages, p)
	b.mu.Unlock()
}

func (b *browser) last(t *testing.T) page {
	t.Helper()
	select {
	case <-b.done:
	case <-time.After(5 * time.Second):
		t.Fatal("browser did not finish")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.pages[len(b.pages)-1]
}

// get fetches a URL and returns the answer.
func get(u string) page {
	resp, err := http.Get(u)
	if err != nil {
		return page{err: err}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(body)}
}

// assertNoSecret fails if s contains any of the secrets.
func assertNoSecret(t *testing.T, what, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			t.Errorf("%s contains a secret (%d chars): %q", what, len(sec), s)
		}
	}
}
