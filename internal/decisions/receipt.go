package decisions

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// receiptAlphabet is Crockford's base32: no I, L, O or U, so a code read
// aloud or copied by hand survives.
const receiptAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// receiptLen is the number of characters in a receipt code: 125 bits,
// shown in five groups of five.
const receiptLen = 25

// legacyReceiptLen is the length of the codes made before issue 11 (60
// bits, stored as plain sha256). The checker still finds their ballots.
const legacyReceiptLen = 12

// receiptExample is how the messages show a code.
const receiptExample = "K7QDM-2XP9W-HAB3C-R4TV6-E8YJN"

// FingerprintLen is how many hex characters of a receipt's hash the
// published ballots show.
const FingerprintLen = 10

// tokenNonceLen and tokenMACLen make a ballot token: 128 random bits and a
// 128-bit signature.
const tokenNonceLen, tokenMACLen = 16, 16

// NewBallotToken returns a fresh ballot token for the user's ballot form in
// a decision. The form carries it back with the vote; the server derives
// the receipt code from it (receiptFor), so the voter cannot choose their
// code, and the same form sent twice gives the same code (a double click
// counts once). The token is signed for this user and decision: another
// user's or a made-up one is refused.
func (k *BallotKey) NewBallotToken(decisionID, userID string) string {
	nonce := make([]byte, tokenNonceLen)
	if _, err := rand.Read(nonce); err != nil {
		panic("decisions: crypto/rand failed: " + err.Error())
	}
	sig := k.mac("ballot token", decisionID, userID, string(nonce))[:tokenMACLen]
	return base64.RawURLEncoding.EncodeToString(append(nonce, sig...))
}

// tokenNonce checks a token's signature for the user and decision and
// returns its nonce, or errs.Invalid naming the field "ballot".
func (k *BallotKey) tokenNonce(decisionID, userID, token string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(token))
	if err != nil || len(raw) != tokenNonceLen+tokenMACLen ||
		!hmac.Equal(raw[tokenNonceLen:], k.mac("ballot token", decisionID, userID, string(raw[:tokenNonceLen]))[:tokenMACLen]) {
		return "", errs.Fields(map[string]string{"ballot": "This ballot form is out of date or not yours. Reload the page and vote again."})
	}
	return string(raw[:tokenNonceLen]), nil
}

// receiptFor is the receipt code (canonical, ungrouped) of a vote made with
// a token's nonce, replacing the vote whose code is prev ("" for a first
// vote). prev is part of it, so a code can never come round again in one
// voter's chain of changes.
func (k *BallotKey) receiptFor(decisionID, userID, nonce, prev string) string {
	m := k.mac("receipt code", decisionID, userID, nonce, prev)
	var sb strings.Builder
	for _, x := range m[:receiptLen] {
		sb.WriteByte(receiptAlphabet[x&31]) // 256 is a multiple of 32: each character is uniform
	}
	return sb.String()
}

// GroupReceipt shows a canonical code in groups of five for people to copy
// ("K7QDM-2XP9W-HAB3C-R4TV6-E8YJN").
func GroupReceipt(code string) string {
	var sb strings.Builder
	for i, r := range code {
		if i > 0 && i%5 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// normaliseReceipt reads a code as a voter might type it: any case, with or
// without dashes and spaces, O for 0 and I or L for 1. It returns the
// canonical characters (25, or 12 for a code made before issue 11) or
// errs.Invalid naming field.
func normaliseReceipt(code, field string) (string, error) {
	var sb strings.Builder
	bad := errs.Fields(map[string]string{field: "A receipt code has 25 letters and digits, like " + receiptExample + "."})
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if !strings.ContainsRune(receiptAlphabet, r) || sb.Len() >= receiptLen {
			return "", bad
		}
		sb.WriteRune(r)
	}
	if sb.Len() != receiptLen && sb.Len() != legacyReceiptLen {
		return "", bad
	}
	return sb.String(), nil
}

// hashOf is the ballot box's hash of a canonical code: keyed for codes of
// today, plain sha256 for the 60-bit codes made before issue 11.
func (k *BallotKey) hashOf(decisionID, code string) string {
	if len(code) == legacyReceiptLen {
		h := sha256.Sum256([]byte(code))
		return hex.EncodeToString(h[:])
	}
	return k.receiptHash(decisionID, code)
}

// changeKeyOf is the change key of a canonical code, old codes as they
// were made before issue 11.
func (k *BallotKey) changeKeyOf(decisionID, code string) string {
	if len(code) == legacyReceiptLen {
		h := sha256.Sum256([]byte("momentum decision change key\x00" + decisionID + "\x00" + code))
		return hex.EncodeToString(h[:])
	}
	return k.changeKey(decisionID, code)
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
