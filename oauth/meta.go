package oauth

import (
	"context"
	"slices"
	"sync"
	"time"
)

// TokenMeta is what Shelfsync remembers about a store's token outside the
// keychain. It holds no secret, so the database may keep it.
type TokenMeta struct {
	StoreID          string
	Shop             string // "name.myshopify.com"
	Kind             TokenKind
	ClientID         string    // the app's client ID (not a secret); empty for pasted tokens
	IssuedAt         time.Time // when the current access token was obtained
	ExpiresAt        time.Time // zero: does not expire
	RefreshExpiresAt time.Time // zero: no refresh token
	Scopes           []string  // granted scopes, sorted
	LastVerified     time.Time // last time Shopify accepted the token (Check)
}

// MetaStore persists TokenMeta per store. The lead implements it over the
// app's SQLite database; MemoryMeta serves tests and session-only use.
type MetaStore interface {
	// LoadTokenMeta returns the store's metadata, or an error matching
	// ErrNotFound when there is none.
	LoadTokenMeta(ctx context.Context, storeID string) (TokenMeta, error)
	// SaveTokenMeta creates or replaces the metadata of m.StoreID.
	SaveTokenMeta(ctx context.Context, m TokenMeta) error
}

// MemoryMeta is a MetaStore in memory. The zero value is ready to use.
type MemoryMeta struct {
	mu sync.Mutex
	m  map[string]TokenMeta
}

// NewMemoryMeta returns an empty MemoryMeta.
func NewMemoryMeta() *MemoryMeta { return &MemoryMeta{} }

// LoadTokenMeta implements MetaStore.
func (s *MemoryMeta) LoadTokenMeta(ctx context.Context, storeID string) (TokenMeta, error) {
	if err := ctx.Err(); err != nil {
		return TokenMeta{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.m[storeID]
	if !ok {
		return TokenMeta{}, ErrNotFound
	}
	m.Scopes = slices.Clone(m.Scopes)
	return m, nil
}

// SaveTokenMeta implements MetaStore.
func (s *MemoryMeta) SaveTokenMeta(ctx context.Context, m TokenMeta) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]TokenMeta{}
	}
	m.Scopes = slices.Clone(m.Scopes)
	s.m[m.StoreID] = m
	return nil
}
