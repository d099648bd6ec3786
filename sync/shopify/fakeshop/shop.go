package fakeshop

import (
	"context"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Shop is one simulated store with its own loopback listener.
type Shop struct {
	srv     *Server
	name    string
	plan    Plan
	id      int64
	created time.Time
	faults  *Faults
	writes  productWrites
	lat     latency // simulated network time (SetLatency)

	ln   net.Listener
	url  string
	http *http.Server

	mu         sync.Mutex // guards everything below
	cat        *catalog
	tokens     map[string]*accessToken
	refresh    map[string]*refreshToken
	codes      map[string]*authCode
	grants     map[string]*pendingGrant
	installed  map[string][]string // clientID → granted scopes
	buckets    map[string]*bucket  // per app
	idem       map[string]*idemEntry
	bulk       *bulkState
	limit      variantLimit // the daily variant-creation limit (daylimit.go)
	stats      Stats
	served     string          // API version every GraphQL answer is served as ("": as asked)
	deprecated map[string]bool // "Type.field" marked deprecated (X-Shopify-API-Deprecated-Reason)

	bg sync.WaitGroup // background bulk operations
}

func newShop(s *Server, name string, plan Plan) *Shop {
	now := s.Now()
	sh := &Shop{
		srv: s, name: name, plan: plan, created: now,
		cat:       newCatalog(),
		tokens:    map[string]*accessToken{},
		refresh:   map[string]*refreshToken{},
		codes:     map[string]*authCode{},
		grants:    map[string]*pendingGrant{},
		installed: map[string][]string{},
		buckets:   map[string]*bucket{},
		idem:      map[string]*idemEntry{},
		bulk:      newBulkState(),
		stats:     Stats{Mutations: map[string]int{}, Replayed: map[string]int{}, BulkLines: map[string]int{}},
	}
	sh.faults = newFaults()
	sh.id = sh.cat.newID()
	for _, n := range []string{"Main warehouse", "Shop floor"} {
		sh.cat.locations = append(sh.cat.locations, &location{id: sh.cat.newID(), name: n, active: true})
	}
	sh.cat.defaultPublications() // after the locations, whose IDs tests know
	return sh
}

func (sh *Shop) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/oauth/authorize", sh.handleAuthorize)
	mux.HandleFunc("POST /admin/oauth/authorize/grant", sh.handleGrant)
	mux.HandleFunc("POST /admin/oauth/access_token", sh.handleAccessToken)
	mux.HandleFunc("GET /admin/oauth/access_scopes.json", sh.handleAccessScopes)
	mux.HandleFunc("POST /admin/api/{version}/graphql.json", sh.handleGraphQL)
	mux.HandleFunc("POST /staged-uploads", sh.handleStagedUpload)
	mux.HandleFunc("GET /bulk-results/{key}", sh.handleBulkResult)
	return sh.withFaults(sh.withLatency(sh.withWriteTime(sh.withLog(mux))))
}

func (sh *Shop) withLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		next.ServeHTTP(rec, r)
		// r.URL.Path only: query strings may carry codes or state.
		sh.srv.logf("fakeshop %s: %s %s → %d", sh.name, r.Method, r.URL.Path, rec.status)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (sh *Shop) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := sh.http.Shutdown(ctx)
	if err != nil {
		err = sh.http.Close()
	}
	sh.bulk.stop()
	sh.bg.Wait()
	return err
}

// Name is the shop's name ("name" in name.myshopify.com).
func (sh *Shop) Name() string { return sh.name }

// Domain is "name.myshopify.com".
func (sh *Shop) Domain() string { return sh.name + ".myshopify.com" }

// URL is the shop's base URL, "http://127.0.0.1:PORT".
func (sh *Shop) URL() string { return sh.url }

// Plan is the shop's plan.
func (sh *Shop) Plan() Plan { return sh.plan }

// Faults is the shop's fault injector.
func (sh *Shop) Faults() *Faults { return sh.faults }

// Locations lists the shop's locations.
func (sh *Shop) Locations() []Location {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]Location, 0, len(sh.cat.locations))
	for _, l := range sh.cat.locations {
		out = append(out, Location{ID: gid("Location", l.id), Name: l.name, IsActive: l.active, FulfillmentService: l.fulfillmentService})
	}
	return out
}

// AddLocation adds an active location and returns it.
func (sh *Shop) AddLocation(name string) Location {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	l := &location{id: sh.cat.newID(), name: name, active: true}
	sh.cat.locations = append(sh.cat.locations, l)
	return Location{ID: gid("Location", l.id), Name: name, IsActive: true}
}

// Snapshot returns a deep copy of the catalog in id order.
func (sh *Shop) Snapshot() []Product {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]Product, 0, len(sh.cat.products))
	for _, p := range sh.cat.products {
		out = append(out, p.toPublic(sh.cat))
	}
	return out
}

// Seed puts products straight into the catalog (no cost, no throttling). A product whose ID or
// handle already exists replaces it. Level LocationID may be a location id or name.
func (sh *Shop) Seed(products []Product) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	now := sh.srv.Now()
	for _, p := range products {
		sh.cat.seed(p, now)
	}
}

// Stats returns the shop's counters.
func (sh *Shop) Stats() Stats {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	st := sh.stats
	st.Mutations = maps.Clone(sh.stats.Mutations)
	st.Replayed = maps.Clone(sh.stats.Replayed)
	st.BulkLines = maps.Clone(sh.stats.BulkLines)
	st.Faults = sh.faults.Injected()
	st.Elapsed = sh.srv.Now().Sub(sh.created)
	st.RestoreRate = sh.plan.RestoreRate()
	st.BucketSize = sh.plan.BucketSize()
	return st
}

// ResetStats zeroes the counters (a benchmark calls it after seeding).
func (sh *Shop) ResetStats() {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.stats = Stats{Mutations: map[string]int{}, Replayed: map[string]int{}, BulkLines: map[string]int{}}
	sh.created = sh.srv.Now()
}

// Install installs an app custom-app style and returns a non-expiring shpat_ token with the
// given scopes (the app's configured scopes when nil).
func (sh *Shop) Install(clientID string, scopes []string) string {
	if scopes == nil {
		if a, ok := sh.srv.app(clientID); ok {
			scopes = a.Scopes
		}
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.installed[clientID] = append([]string(nil), scopes...)
	t := sh.issueAccess(clientID, scopes, "shpat_", 0, kindOffline)
	return t.value
}

// Revoke makes one access token answer 401 from now on.
func (sh *Shop) Revoke(token string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if t := sh.tokens[token]; t != nil {
		t.revoked = true
	}
}

// Uninstall removes the app: every access and refresh token of it stops working, and the
// GraphQL endpoint answers 401 "Invalid API key or access token" as Shopify does after an
// uninstall (christophergregory/shopify-node-api#63).
func (sh *Shop) Uninstall(clientID string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	delete(sh.installed, clientID)
	for _, t := range sh.tokens {
		if t.clientID == clientID {
			t.revoked = true
		}
	}
	for _, r := range sh.refresh {
		if r.clientID == clientID {
			r.retired = true
		}
	}
}

// Installed reports whether the app is installed on the shop.
func (sh *Shop) Installed(clientID string) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	_, ok := sh.installed[clientID]
	return ok
}

func hasScope(granted []string, need string) bool {
	for _, g := range granted {
		if g == need {
			return true
		}
		// Write scopes imply read scopes (authorization-code-grant page).
		if strings.HasPrefix(need, "read_") && g == "write_"+strings.TrimPrefix(need, "read_") {
			return true
		}
	}
	return false
}

// ServeVersion makes the shop answer every GraphQL request as API version v, whatever version
// the URL names, as Shopify does once the requested version is past its support window: it
// serves the oldest supported version and says so in X-Shopify-API-Version
// (https://shopify.dev/docs/api/usage/versioning). "" restores the normal behaviour.
func (sh *Shop) ServeVersion(v string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.served = v
}

// DeprecateField marks fields ("ProductVariant.barcode") as deprecated: an answer to a request
// that selects one carries X-Shopify-API-Deprecated-Reason listing the deprecated fields used,
// as Shopify does from 2025-04
// (https://shopify.dev/changelog/graphql-return-actual-deprecation-reasons).
func (sh *Shop) DeprecateField(typeField ...string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.deprecated == nil {
		sh.deprecated = map[string]bool{}
	}
	for _, f := range typeField {
		sh.deprecated[f] = true
	}
}
