package sms

import (
	"fmt"
	"unicode/utf16"
)

// Encodings a message is sent in.
const (
	GSM7 = "GSM-7" // the GSM 03.38 alphabet, 7 bits a character: 160 to a single SMS
	UCS2 = "UCS-2" // anything else (accents outside GSM-7, emoji): UTF-16, 70 to a single SMS
)

// Length limits of one SMS, and of each part of a long one (whose header,
// the UDH that lets the phone join the parts, takes 6 bytes: 7 GSM-7
// characters or 3 UTF-16 units).
const (
	gsmSingle  = 160
	gsmPart    = 153
	ucs2Single = 70
	ucs2Part   = 67
)

// SegmentCount is how a body is sent: its encoding, its length in that
// encoding's units (septets for GSM-7, where an extension character such
// as € or { takes two; UTF-16 code units for UCS-2, where an emoji takes
// two), and the number of SMS it is billed and delivered as.
type SegmentCount struct {
	Encoding string
	Units    int
	Segments int
}

// Segments counts the SMS a body takes, as the networks and Twilio count
// them: one SMS holds 160 GSM-7 characters or 70 UCS-2 units; a longer
// body is split into parts of 153 or 67, and a part never ends in the
// middle of a two-unit character (an escape pair or a surrogate pair), so
// the last unit of a part can go unused. A single character outside GSM-7
// sends the whole body as UCS-2. An empty body is 0 segments.
func Segments(body string) SegmentCount {
	if body == "" {
		return SegmentCount{Encoding: GSM7}
	}
	units := make([]int, 0, len(body)) // the width of each character in units
	enc := GSM7
	for _, r := range body {
		switch {
		case gsmBasic[r]:
			units = append(units, 1)
		case gsmExtension[r]:
			units = append(units, 2)
		default:
			enc = UCS2
		}
		if enc == UCS2 {
			break
		}
	}
	single, part := gsmSingle, gsmPart
	if enc == UCS2 {
		units = units[:0]
		for _, r := range body {
			units = append(units, len(utf16.Encode([]rune{r})))
		}
		single, part = ucs2Single, ucs2Part
	}
	total := 0
	for _, w := range units {
		total += w
	}
	if total <= single {
		return SegmentCount{Encoding: enc, Units: total, Segments: 1}
	}
	segs, used := 1, 0
	for _, w := range units {
		if used+w > part {
			segs++
			used = 0
		}
		used += w
	}
	return SegmentCount{Encoding: enc, Units: total, Segments: segs}
}

// gsmBasic is the GSM 03.38 default alphabet (3GPP TS 23.038, 6.2.1), one
// septet each. The escape code itself (0x1B) is not a character.
var gsmBasic = runeSet("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")

// gsmExtension is the extension table (6.2.1.1): two septets each, the
// escape and the character.
var gsmExtension = runeSet("\f^{}\\[~]|€")

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool, len(s))
	for _, r := range s {
		m[r] = true
	}
	return m
}

// String says it as the compose page shows it: "1 SMS", "2 SMS segments
// (UCS-2: an emoji or a letter outside the GSM alphabet)".
func (c SegmentCount) String() string {
	s := "1 SMS"
	if c.Segments != 1 {
		s = fmt.Sprintf("%d SMS segments", c.Segments)
	}
	if c.Encoding == UCS2 {
		s += " (UCS-2: an emoji or a letter outside the GSM alphabet)"
	}
	return s
}
