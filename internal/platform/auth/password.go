package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id's cost settings.
//
// The default is OWASP's first recommendation, m=19 MiB, t=2, p=1, rather
// than RFC 9106's m=64 MiB, t=1, p=4-ish profile. Momentum is self-hosted,
// often on a one- or two-core machine with a gigabyte of memory, and logins
// come in bursts (a meeting starts, three hundred people sign in): memory per
// hash times concurrent logins is what runs such a machine out, and 19 MiB is
// a third of 64. OWASP rates the two profiles as equivalent defences; with
// per-account and per-IP throttling in front, 19 MiB is the right trade here.
// Raise the figures in Config.Password and NeedsRehash upgrades each stored
// hash at that person's next login.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultPasswordParams is OWASP's argon2id recommendation (see PasswordParams).
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

var b64 = base64.RawStdEncoding

// HashPassword returns the PHC string
// $argon2id$v=19$m=…,t=…,p=…$salt$hash for pw.
func HashPassword(pw string, p PasswordParams) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("not an argon2id PHC string")

// decodeHash parses a PHC string into its parameters, salt and key.
func decodeHash(encoded string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, errBadHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return p, nil, nil, errBadHash
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 {
		return p, nil, nil, errBadHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// CheckPassword reports whether pw matches the PHC string encoded, comparing
// in constant time. An unreadable hash is an error, not a mismatch.
func CheckPassword(encoded, pw string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with other settings than p
// (or cannot be read), so it should be replaced at the next successful login.
func NeedsRehash(encoded string, p PasswordParams) bool {
	got, _, _, err := decodeHash(encoded)
	if err != nil {
		return true
	}
	return got.Memory != p.Memory || got.Time != p.Time || got.Threads != p.Threads ||
		got.SaltLen != p.SaltLen || got.KeyLen != p.KeyLen
}
