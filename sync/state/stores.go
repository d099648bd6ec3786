package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TokenKind is how Shelfsync gets an access token for a store.
type TokenKind string

// The token kinds Shelfsync knows.
const (
	TokenCustomApp         TokenKind = "custom_app"         // pasted Admin API token, never expires
	TokenOAuthOffline      TokenKind = "oauth_offline"      // authorization code, non-expiring offline token
	TokenOAuthExpiring     TokenKind = "oauth_expiring"     // authorization code, expiring token + refresh token
	TokenClientCredentials TokenKind = "client_credentials" // 24-hour token renewed with the client secret
)

// Status is the outcome of the last check of a store, as a stable code for
// programs (for example "ok", "reconnect", "offline") and a message for people.
// The codes belong to the caller; this package only keeps them.
type Status struct {
	Code    string
	Message string
}

// Store is a connected Shopify shop. It holds no secret: the keychain keeps
// the store's tokens under its ID.
type Store struct {
	ID         string // UUID, assigned by CreateStore when empty
	Name       string // display name chosen by the user
	ShopDomain string // "name.myshopify.com", unique (case-insensitive)
	BaseURL    string // loopback override for a simulated shop; "" for a real one

	TokenKind        TokenKind
	ClientID         string    // OAuth / client-credentials app ID ("" for custom_app)
	Scopes           []string  // granted access scopes
	AccessIssuedAt   time.Time // when the current access token was obtained
	AccessExpiresAt  time.Time // zero when the token does not expire
	RefreshExpiresAt time.Time // zero when there is no refresh token

	ShopName string // shop.name from the last verification
	Plan     string // plan display name from the last verification
	Group    string // agency client / group label; "" for none

	LastVerifiedAt time.Time // last successful verification
	Status         Status    // outcome of the last check
	NeedsAttention bool      // a failed run or problem the user has not seen yet

	CreatedAt time.Time
	UpdatedAt time.Time
}

// TokenMeta is everything about a store's token except the token itself.
type TokenMeta struct {
	Kind             TokenKind
	ClientID         string
	Scopes           []string
	AccessIssuedAt   time.Time
	AccessExpiresAt  time.Time
	RefreshExpiresAt time.Time
}

const storeCols = `id, display_name, shop_domain, base_url, token_kind, client_id, scopes,
	access_expires_at, refresh_expires_at, shop_name, plan, group_label, last_verified_at,
	status_code, status_message, needs_attention, created_at, updated_at, access_issued_at`

// CreateStore adds a store. An empty ID gets a new UUID; CreatedAt and
// UpdatedAt are set to now. A shop domain already present gives ErrExists.
func (d *DB) CreateStore(ctx context.Context, s Store) (Store, error) {
	if s.ID == "" {
		s.ID = newID()
	}
	if s.ShopDomain == "" || s.TokenKind == "" {
		return Store{}, errors.New("create store: shop domain and token kind are required")
	}
	if s.Name == "" {
		s.Name = s.ShopDomain
	}
	s.CreatedAt = now()
	s.UpdatedAt = s.CreatedAt
	err := d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO stores (`+storeCols+`)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, storeArgs(s)...)
		return err
	})
	if isUniqueErr(err) {
		return Store{}, fmt.Errorf("create store: %s: %w", s.ShopDomain, ErrExists)
	}
	if err != nil {
		return Store{}, fmt.Errorf("create store: %w", err)
	}
	return s, nil
}

// UpdateStore writes every field of s except ID and CreatedAt, and sets
// UpdatedAt. Prefer the targeted setters when only part of a store changed,
// so two writers do not overwrite each other's fields.
func (d *DB) UpdateStore(ctx context.Context, s Store) error {
	s.UpdatedAt = now()
	a := storeArgs(s)
	// Every column but id and created_at, then the WHERE id.
	args := append(append([]any{}, a[1:16]...), a[17], a[18], s.ID)
	err := d.execOne(ctx, "update store", `UPDATE stores SET display_name=?, shop_domain=?,
		base_url=?, token_kind=?, client_id=?, scopes=?, access_expires_at=?,
		refresh_expires_at=?, shop_name=?, plan=?, group_label=?, last_verified_at=?,
		status_code=?, status_message=?, needs_attention=?, updated_at=?,
		access_issued_at=? WHERE id=?`,
		args...)
	if isUniqueErr(err) {
		return fmt.Errorf("update store: %s: %w", s.ShopDomain, ErrExists)
	}
	return err
}

// SetTokenMeta records what kind of token a store has, its scopes and expiry.
func (d *DB) SetTokenMeta(ctx context.Context, id string, m TokenMeta) error {
	return d.execOne(ctx, "set token meta", `UPDATE stores SET token_kind=?, client_id=?,
		scopes=?, access_issued_at=?, access_expires_at=?, refresh_expires_at=?, updated_at=?
		WHERE id=?`,
		string(m.Kind), m.ClientID, strings.Join(m.Scopes, ","), msOrNull(m.AccessIssuedAt),
		msOrNull(m.AccessExpiresAt), msOrNull(m.RefreshExpiresAt), now().UnixMilli(), id)
}

// SetVerified records a successful check at time at: the shop's name and plan
// as Shopify reported them, and the resulting status.
func (d *DB) SetVerified(ctx context.Context, id string, at time.Time, shopName, plan string, st Status) error {
	return d.execOne(ctx, "set verified", `UPDATE stores SET last_verified_at=?, shop_name=?,
		plan=?, status_code=?, status_message=?, updated_at=? WHERE id=?`,
		msOrNull(at), shopName, plan, st.Code, st.Message, now().UnixMilli(), id)
}

// SetStatus records the outcome of a check that did not verify the store
// (offline, revoked…) without touching LastVerifiedAt.
func (d *DB) SetStatus(ctx context.Context, id string, st Status) error {
	return d.execOne(ctx, "set status", `UPDATE stores SET status_code=?, status_message=?,
		updated_at=? WHERE id=?`, st.Code, st.Message, now().UnixMilli(), id)
}

// SetGroup sets a store's agency client / group label ("" for none).
func (d *DB) SetGroup(ctx context.Context, id, group string) error {
	return d.execOne(ctx, "set group", `UPDATE stores SET group_label=?, updated_at=? WHERE id=?`,
		group, now().UnixMilli(), id)
}

// RenameStore sets a store's display name.
func (d *DB) RenameStore(ctx context.Context, id, name string) error {
	return d.execOne(ctx, "rename store", `UPDATE stores SET display_name=?, updated_at=? WHERE id=?`,
		name, now().UnixMilli(), id)
}

// SetNeedsAttention raises or clears the "needs attention" flag (for example
// set when a scheduled run fails, cleared when the user opens its report).
func (d *DB) SetNeedsAttention(ctx context.Context, id string, on bool) error {
	return d.execOne(ctx, "set needs attention", `UPDATE stores SET needs_attention=?,
		updated_at=? WHERE id=?`, boolInt(on), now().UnixMilli(), id)
}

// GetStore returns the store with the given ID, or ErrNotFound.
func (d *DB) GetStore(ctx context.Context, id string) (Store, error) {
	row := d.sql.QueryRowContext(ctx, `SELECT `+storeCols+` FROM stores WHERE id=?`, id)
	s, err := scanStore(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Store{}, fmt.Errorf("store %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Store{}, fmt.Errorf("get store: %w", err)
	}
	return s, nil
}

// ListStores returns every store, by group then display name.
func (d *DB) ListStores(ctx context.Context) ([]Store, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT `+storeCols+` FROM stores
		ORDER BY group_label COLLATE NOCASE, display_name COLLATE NOCASE, id`)
	if err != nil {
		return nil, fmt.Errorf("list stores: %w", err)
	}
	defer rows.Close()
	var out []Store
	for rows.Next() {
		s, err := scanStore(rows)
		if err != nil {
			return nil, fmt.Errorf("list stores: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// FindStore resolves what a user typed on the command line to one store. It
// tries, in order: the exact ID; the shop domain (with or without
// ".myshopify.com", any case); the display name (any case); a unique ID
// prefix. A name or prefix shared by several stores gives ErrAmbiguous, with
// the candidates in the message; nothing gives ErrNotFound.
func (d *DB) FindStore(ctx context.Context, q string) (Store, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return Store{}, fmt.Errorf("find store: empty name: %w", ErrNotFound)
	}
	all, err := d.ListStores(ctx)
	if err != nil {
		return Store{}, err
	}
	tests := []func(Store) bool{
		func(s Store) bool { return s.ID == q },
		func(s Store) bool {
			return strings.EqualFold(s.ShopDomain, q) || strings.EqualFold(s.ShopDomain, q+".myshopify.com")
		},
		func(s Store) bool { return strings.EqualFold(s.Name, q) },
		func(s Store) bool { return strings.HasPrefix(s.ID, strings.ToLower(q)) },
	}
	for _, match := range tests {
		var hits []Store
		for _, s := range all {
			if match(s) {
				hits = append(hits, s)
			}
		}
		switch len(hits) {
		case 0:
			continue
		case 1:
			return hits[0], nil
		default:
			names := make([]string, len(hits))
			for i, h := range hits {
				names[i] = fmt.Sprintf("%s (%s, %s)", h.Name, h.ShopDomain, h.ID[:8])
			}
			return Store{}, fmt.Errorf("%q matches %s: %w", q, strings.Join(names, ", "), ErrAmbiguous)
		}
	}
	return Store{}, fmt.Errorf("store %q: %w", q, ErrNotFound)
}

// DeleteStore removes a store and, by cascade, its runs, journals, sources
// and schedules. The caller removes its keychain entries.
func (d *DB) DeleteStore(ctx context.Context, id string) error {
	return d.execOne(ctx, "delete store", `DELETE FROM stores WHERE id=?`, id)
}

// storeArgs lists s's values in storeCols order.
func storeArgs(s Store) []any {
	return []any{s.ID, s.Name, s.ShopDomain, s.BaseURL, string(s.TokenKind), s.ClientID,
		strings.Join(s.Scopes, ","), msOrNull(s.AccessExpiresAt), msOrNull(s.RefreshExpiresAt),
		s.ShopName, s.Plan, s.Group, msOrNull(s.LastVerifiedAt), s.Status.Code, s.Status.Message,
		boolInt(s.NeedsAttention), s.CreatedAt.UnixMilli(), s.UpdatedAt.UnixMilli(),
		msOrNull(s.AccessIssuedAt)}
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanStore(r scanner) (Store, error) {
	var s Store
	var kind, scopes string
	var issued, accessExp, refreshExp, verified sql.NullInt64
	var created, updated int64
	err := r.Scan(&s.ID, &s.Name, &s.ShopDomain, &s.BaseURL, &kind, &s.ClientID, &scopes,
		&accessExp, &refreshExp, &s.ShopName, &s.Plan, &s.Group, &verified,
		&s.Status.Code, &s.Status.Message, &s.NeedsAttention, &created, &updated, &issued)
	if err != nil {
		return Store{}, err
	}
	s.TokenKind = TokenKind(kind)
	s.Scopes = splitList(scopes)
	s.AccessIssuedAt = fromMS(issued)
	s.AccessExpiresAt = fromMS(accessExp)
	s.RefreshExpiresAt = fromMS(refreshExp)
	s.LastVerifiedAt = fromMS(verified)
	s.CreatedAt = time.UnixMilli(created).UTC()
	s.UpdatedAt = time.UnixMilli(updated).UTC()
	return s, nil
}
