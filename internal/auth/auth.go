// Package auth holds who is asking: bearer tokens, roles and what each role may see and write.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// Role is what an account may do.
type Role string

// The roles. Anonymous users are the public and have no Principal.
const (
	Admin   Role = "admin"   // everything, including infrastructure and constraint layers
	Planner Role = "planner" // reads everything, runs studies
	Editor  Role = "editor"  // reads everything, writes only the parcels of one district
)

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Admin, Planner, Editor:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q: use admin, planner or editor", s)
}

// Principal is a signed-in account.
type Principal struct {
	AccountID   int64
	Label       string
	Role        Role
	DistrictAGS string // set for editors only
}

// SeesInternal reports whether p may see internal parcels and fields: every signed-in role may.
// A nil Principal is the public.
func (p *Principal) SeesInternal() bool { return p != nil }

// CanWriteDistrict reports whether p may change the parcels of a district.
func (p *Principal) CanWriteDistrict(ags string) bool {
	if p == nil {
		return false
	}
	return p.Role == Admin || (p.Role == Editor && p.DistrictAGS == ags)
}

// NewToken returns a fresh random bearer token and the hash to store; the token itself is shown
// once and never stored.
func NewToken() (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token = "la_" + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the stored form of a token. Tokens carry 256 random bits, so a plain SHA-256 is
// enough: there is nothing to brute-force that a slow hash would protect.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

type principalKey struct{}

// WithPrincipal returns a context that carries p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the request's Principal, or nil for the public.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
