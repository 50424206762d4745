package decisions

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// receiptAlphabet is Crockford's base32: no I, L, O or U, so a code read
// aloud or copied by hand survives.
const receiptAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// receiptLen is the number of characters in a receipt code (60 bits).
const receiptLen = 12

// FingerprintLen is how many hex characters of a receipt's hash the
// published ballots show.
const FingerprintLen = 10

// newReceipt returns a fresh receipt code, grouped for reading
// ("K7QD-M2XP-9WHA"). It is never stored: only its hash is.
func newReceipt() string {
	var b [receiptLen]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("decisions: crypto/rand failed: " + err.Error()) // rand.Read never fails on supported platforms
	}
	var sb strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(receiptAlphabet[x&31])
	}
	return sb.String()
}

// normaliseReceipt reads a code as a voter might type it: any case, with or
// without dashes and spaces, O for 0 and I or L for 1. It returns the twelve
// canonical characters or errs.Invalid naming field.
func normaliseReceipt(code, field string) (string, error) {
	var sb strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if !strings.ContainsRune(receiptAlphabet, r) {
			return "", errs.Fields(map[string]string{field: "A receipt code has twelve letters and digits, like K7QD-M2XP-9WHA."})
		}
		sb.WriteRune(r)
	}
	if sb.Len() != receiptLen {
		return "", errs.Fields(map[string]string{field: "A receipt code has twelve letters and digits, like K7QD-M2XP-9WHA."})
	}
	return sb.String(), nil
}

// receiptHash is what decision_ballots stores for a canonical code:
// hex(sha256(code)).
func receiptHash(canonical string) string {
	h := sha256.Sum256([]byte(canonical))
	return hex.EncodeToString(h[:])
}

// changeKey is what decision_voters stores for a voter's receipt code: a
// hash of the decision and the code under another domain than
// receiptHash, so that it names no ballot, yet shows that a receipt code
// someone offers to change "their" vote is the one they were given.
func changeKey(decisionID, canonical string) string {
	h := sha256.Sum256([]byte("momentum decision change key\x00" + decisionID + "\x00" + canonical))
	return hex.EncodeToString(h[:])
}

// Fingerprint is the short form of a receipt hash shown in the published
// ballots.
func Fingerprint(hash string) string {
	if len(hash) < FingerprintLen {
		return hash
	}
	return hash[:FingerprintLen]
}

// newBallotID returns 128 random bits in hex: a ballot's key says nothing
// of when it was cast (never db.NewID, which is time-ordered).
func newBallotID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("decisions: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// shuffle permutes n items in place with crypto/rand (Fisher–Yates).
func shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			panic("decisions: crypto/rand failed: " + err.Error())
		}
		swap(i, int(j.Int64()))
	}
}
