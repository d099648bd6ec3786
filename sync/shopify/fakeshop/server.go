package fakeshop

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	// TimeScale is simulated seconds per real second; 0 or 1 is real time. A client must use the
	// same scale to turn Retry-After and throttleStatus into real sleeps.
	TimeScale float64
	// Logf, when set, receives one line per request (method, path, status). Tokens are never logged.
	Logf func(format string, args ...any)
}

// Server is a set of simulated shops plus the registered apps (the Dev Dashboard).
type Server struct {
	opts  Options
	clock *clock

	mu    sync.Mutex
	apps  map[string]App
	shops map[string]*Shop
}

// NewServer returns an empty server; add apps with RegisterApp and shops with AddShop.
func NewServer(opts Options) *Server {
	return &Server{
		opts:  opts,
		clock: newClock(opts.TimeScale),
		apps:  map[string]App{},
		shops: map[string]*Shop{},
	}
}

// RegisterApp adds or replaces an app.
func (s *Server) RegisterApp(a App) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apps[a.ClientID] = a
}

func (s *Server) app(clientID string) (App, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[clientID]
	return a, ok
}

// Now is the simulated clock.
func (s *Server) Now() time.Time { return s.clock.Now() }

// Advance moves the simulated clock forward by d (tests of expiry, bucket refill).
func (s *Server) Advance(d time.Duration) { s.clock.Advance(d) }

var shopNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// AddShop starts a shop on its own 127.0.0.1 listener with two locations and an empty catalog.
func (s *Server) AddShop(name string, plan Plan) (*Shop, error) {
	return s.addShop(name, plan, "127.0.0.1:0")
}

// AddShopAt is AddShop on a fixed loopback address such as "127.0.0.1:8765".
func (s *Server) AddShopAt(name string, plan Plan, addr string) (*Shop, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("fakeshop: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("fakeshop: address %q is not a loopback address", addr)
	}
	return s.addShop(name, plan, addr)
}

func (s *Server) addShop(name string, plan Plan, addr string) (*Shop, error) {
	name = strings.TrimSuffix(strings.ToLower(name), ".myshopify.com")
	if !shopNameRE.MatchString(name) {
		return nil, fmt.Errorf("fakeshop: invalid shop name %q", name)
	}
	if plan == "" {
		plan = PlanGrow
	}
	s.mu.Lock()
	if _, dup := s.shops[name]; dup {
		s.mu.Unlock()
		return nil, fmt.Errorf("fakeshop: shop %q already exists", name)
	}
	s.mu.Unlock()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("fakeshop: listen: %w", err)
	}
	sh := newShop(s, name, plan)
	sh.ln = ln
	sh.url = "http://" + ln.Addr().String()
	sh.http = &http.Server{Handler: sh.handler(), ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.shops[name] = sh
	s.mu.Unlock()
	go func() { _ = sh.http.Serve(ln) }()
	return sh, nil
}

// Shop returns a shop by name or domain.
func (s *Server) Shop(name string) (*Shop, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, ok := s.shops[strings.TrimSuffix(name, ".myshopify.com")]
	return sh, ok
}

// Close stops every shop's listener and background work.
func (s *Server) Close() error {
	s.mu.Lock()
	shops := make([]*Shop, 0, len(s.shops))
	for _, sh := range s.shops {
		shops = append(shops, sh)
	}
	s.mu.Unlock()
	var errs []error
	for _, sh := range shops {
		errs = append(errs, sh.close())
	}
	return errors.Join(errs...)
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// clock is the simulated clock: real elapsed time × scale plus manual advances.
type clock struct {
	mu     sync.Mutex
	scale  float64
	start  time.Time // real
	base   time.Time // simulated time at start
	offset time.Duration
}

func newClock(scale float64) *clock {
	if scale <= 0 {
		scale = 1
	}
	now := time.Now()
	return &clock{scale: scale, start: now, base: now.UTC().Truncate(time.Second)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	real := time.Since(c.start)
	return c.base.Add(time.Duration(float64(real)*c.scale) + c.offset)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// realDuration converts a simulated duration into real time.
func (c *clock) realDuration(sim time.Duration) time.Duration {
	return time.Duration(float64(sim) / c.scale)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}
