package decisions

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// BallotKey is the node's ballot secret. It lives outside the database (a
// key file beside it, see LoadBallotKey), so a copy of the database alone
// cannot open a sealed ballot, turn a receipt code into the hash the
// database keeps, or make a ballot token. Every node of one network needs
// the same secret.
//
// From it come, each by HKDF-SHA256 under its own label: a per-decision
// AES-256-GCM key that seals ballots waiting for the ballot box, the HMAC
// keys of receipt hashes and change keys, the key that signs ballot tokens
// and the one that derives receipt codes from them.
type BallotKey struct {
	secret []byte
}

// ballotKeyLen is the size of a new secret: 256 bits.
const ballotKeyLen = 32

// NewBallotKey wraps a secret of at least 32 bytes.
func NewBallotKey(secret []byte) (*BallotKey, error) {
	if len(secret) < ballotKeyLen {
		return nil, fmt.Errorf("ballot key: %d bytes, want at least %d", len(secret), ballotKeyLen)
	}
	return &BallotKey{secret: append([]byte(nil), secret...)}, nil
}

// GenerateBallotKey returns a fresh random key (tests, and LoadBallotKey's
// first start).
func GenerateBallotKey() *BallotKey {
	b := make([]byte, ballotKeyLen)
	if _, err := rand.Read(b); err != nil {
		panic("decisions: crypto/rand failed: " + err.Error())
	}
	return &BallotKey{secret: b}
}

// LoadBallotKey reads the key file at path (the secret in hex), creating
// it with mode 0600 and a fresh secret when it does not exist yet. A file
// that cannot be read or holds less than 256 bits is an error naming the
// file: a node must never vote with a different secret from the others.
func LoadBallotKey(path string) (*BallotKey, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		k := GenerateBallotKey()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("ballot key %s: %w", path, err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) { // another process on this machine made it first
			return LoadBallotKey(path)
		}
		if err != nil {
			return nil, fmt.Errorf("ballot key %s: %w", path, err)
		}
		_, werr := f.WriteString(hex.EncodeToString(k.secret) + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("ballot key %s: %w", path, werr)
		}
		return k, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ballot key %s: %w", path, err)
	}
	secret, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil {
		return nil, fmt.Errorf("ballot key %s: not a hex secret: %w", path, err)
	}
	k, err := NewBallotKey(secret)
	if err != nil {
		return nil, fmt.Errorf("ballot key %s: %w", path, err)
	}
	return k, nil
}

// derive is a 256-bit key for one purpose (and one decision, or "").
func (k *BallotKey) derive(purpose, decisionID string) []byte {
	b, err := hkdf.Key(sha256.New, k.secret, nil, "momentum ballots\x00"+purpose+"\x00"+decisionID, 32)
	if err != nil {
		panic("decisions: hkdf: " + err.Error()) // only for lengths HKDF cannot give
	}
	return b
}

// mac is HMAC-SHA256 under the key for purpose over the parts, each ended
// by a zero byte so that no two lists of parts give the same input.
func (k *BallotKey) mac(purpose string, parts ...string) []byte {
	h := hmac.New(sha256.New, k.derive(purpose, ""))
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}

// check is a value that names the key without revealing it, kept in the
// database so that a node started with another key file refuses to start.
func (k *BallotKey) check() string { return hex.EncodeToString(k.mac("key check")[:16]) }

// receiptHash is what the ballot box keeps of a canonical receipt code:
// HMAC-SHA256 under the node's key, so that a stolen database cannot be
// swept for codes even if they were short.
func (k *BallotKey) receiptHash(decisionID, code string) string {
	return hex.EncodeToString(k.mac("receipt hash", decisionID, code))
}

// changeKey is what decision_voters keeps with a voter: another HMAC of
// the decision and their latest receipt code, so that it names no ballot
// (only the code links the two) yet shows that a code someone offers to
// change "their" vote is the one they were given.
func (k *BallotKey) changeKey(decisionID, code string) string {
	return hex.EncodeToString(k.mac("change key", decisionID, code))
}

// aead is the per-decision AES-256-GCM that seals ballots waiting for the
// ballot box.
func (k *BallotKey) aead(decisionID string) cipher.AEAD {
	block, err := aes.NewCipher(k.derive("seal", decisionID))
	if err != nil {
		panic("decisions: aes: " + err.Error()) // 32-byte keys are always valid
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		panic("decisions: gcm: " + err.Error())
	}
	return g
}

// seal encrypts plain for the pending row id of a decision (the id and
// decision are bound in as associated data).
func (k *BallotKey) seal(decisionID, rowID string, plain []byte) string {
	g := k.aead(decisionID)
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("decisions: crypto/rand failed: " + err.Error())
	}
	out := g.Seal(nonce, nonce, plain, []byte(decisionID+"\x00"+rowID))
	return base64.StdEncoding.EncodeToString(out)
}

// open reverses seal; it fails for another key, decision or row.
func (k *BallotKey) open(decisionID, rowID, sealed string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, fmt.Errorf("sealed ballot %s: %w", rowID, err)
	}
	g := k.aead(decisionID)
	if len(raw) < g.NonceSize() {
		return nil, fmt.Errorf("sealed ballot %s: too short", rowID)
	}
	plain, err := g.Open(nil, raw[:g.NonceSize()], raw[g.NonceSize():], []byte(decisionID+"\x00"+rowID))
	if err != nil {
		return nil, fmt.Errorf("sealed ballot %s: cannot open it with this node's ballot key: %w", rowID, err)
	}
	return plain, nil
}
