package sms

import (
	"strings"
	"testing"
)

func TestSegments(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want SegmentCount
	}{
		{"Empty", "", SegmentCount{GSM7, 0, 0}},
		{"Short", "Meet at 6pm, Town Hall.", SegmentCount{GSM7, 23, 1}},
		{"GSM160", strings.Repeat("a", 160), SegmentCount{GSM7, 160, 1}},
		{"GSM161", strings.Repeat("a", 161), SegmentCount{GSM7, 161, 2}},
		{"GSM306", strings.Repeat("a", 306), SegmentCount{GSM7, 306, 2}},
		{"GSM307", strings.Repeat("a", 307), SegmentCount{GSM7, 307, 3}},
		{"GSMAccentsInAlphabet", "Café £5 — no", SegmentCount{UCS2, 12, 1}}, // the em dash is not GSM-7
		{"GSMAlphabetOnly", "Café £5 ¿Qué? Ñoño ÄÖÜ §", SegmentCount{GSM7, 24, 1}},
		{"AcuteANotGSM", "Ñandú", SegmentCount{UCS2, 5, 1}}, // GSM-7 has à and é, not á or ú
		{"ExtensionCountsTwo", "Price €5 {now}", SegmentCount{GSM7, 17, 1}},
		{"Extension80Euros", strings.Repeat("€", 80), SegmentCount{GSM7, 160, 1}},
		{"Extension81Euros", strings.Repeat("€", 81), SegmentCount{GSM7, 162, 2}},
		// 152 'a' then '€': the pair does not fit in the first part's 153
		// septets, so it moves to the second; 164 septets in 2 parts.
		{"EscapeNotSplit", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 10), SegmentCount{GSM7, 164, 2}},
		// 306 septets exactly fill two parts, but here the pair would
		// straddle them, so it takes a third.
		{"EscapeStraddle", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), SegmentCount{GSM7, 306, 3}},
		{"UCS2_70", strings.Repeat("ж", 70), SegmentCount{UCS2, 70, 1}},
		{"UCS2_71", strings.Repeat("ж", 71), SegmentCount{UCS2, 71, 2}},
		{"UCS2_134", strings.Repeat("ж", 134), SegmentCount{UCS2, 134, 2}},
		{"UCS2_135", strings.Repeat("ж", 135), SegmentCount{UCS2, 135, 3}},
		{"EmojiIsTwoUnits", "Vote today ✊🏽", SegmentCount{UCS2, 14, 1}},
		{"Emoji35", strings.Repeat("😀", 35), SegmentCount{UCS2, 70, 1}},
		{"Emoji36", strings.Repeat("😀", 36), SegmentCount{UCS2, 72, 2}},
		// 66 units then an emoji: the surrogate pair moves to part two.
		{"SurrogateNotSplit", strings.Repeat("ж", 66) + "😀" + strings.Repeat("ж", 5), SegmentCount{UCS2, 73, 2}},
		{"SurrogateStraddle", strings.Repeat("ж", 66) + "😀" + strings.Repeat("ж", 66), SegmentCount{UCS2, 134, 3}},
		{"OneEmojiMakesAllUCS2", strings.Repeat("a", 100) + "🙂", SegmentCount{UCS2, 102, 2}},
		{"NewlinesAreGSM", "Line one\nLine two\r\n", SegmentCount{GSM7, 19, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Segments(tc.body); got != tc.want {
				t.Errorf("Segments = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSegmentCountString(t *testing.T) {
	for body, want := range map[string]string{
		"Hi":                     "1 SMS",
		strings.Repeat("a", 161): "2 SMS segments",
		"Hi 🙂":                   "1 SMS (UCS-2: an emoji or a letter outside the GSM alphabet)",
		"":                       "0 SMS segments",
	} {
		if got := Segments(body).String(); got != want {
			t.Errorf("Segments(%.10q).String() = %q, want %q", body, got, want)
		}
	}
}
