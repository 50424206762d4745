package peoplecsv

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// normalizeEmail lowercases an address and checks its shape: one @, a
// local part, a domain with a dot, no spaces. Deliverability is not checked.
func normalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(strings.Trim(s, "<>")))
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || len(s) > 254 || strings.ContainsAny(domain, "@") {
		return "", false
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", false
	}
	for _, c := range s {
		if unicode.IsSpace(c) || c == ',' || c == ';' || c == '"' || c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\' {
			return "", false
		}
	}
	return s, true
}

var countryNames = map[string]string{
	"uk": "GB", "unitedkingdom": "GB", "greatbritain": "GB", "britain": "GB", "england": "GB",
	"scotland": "GB", "wales": "GB", "cymru": "GB", "northernireland": "GB",
	"ireland": "IE", "republicofireland": "IE", "eire": "IE", "france": "FR", "germany": "DE",
	"spain": "ES", "italy": "IT", "netherlands": "NL", "belgium": "BE", "portugal": "PT",
	"poland": "PL", "unitedstates": "US", "usa": "US", "unitedstatesofamerica": "US",
	"canada": "CA", "australia": "AU", "newzealand": "NZ",
}

// countryCode reads an ISO 3166 code ("gb") or a common country name.
func countryCode(v string) (string, bool) {
	if len(v) == 2 && isASCIILetters(v) {
		c := strings.ToUpper(v)
		if c == "UK" {
			c = "GB"
		}
		return c, true
	}
	c, ok := countryNames[headerKey(v)]
	return c, ok
}

var languageNames = map[string]string{
	"english": "en", "welsh": "cy", "cymraeg": "cy", "gaelic": "gd", "scottishgaelic": "gd",
	"irish": "ga", "french": "fr", "german": "de", "spanish": "es", "italian": "it",
	"portuguese": "pt", "polish": "pl", "romanian": "ro", "urdu": "ur", "punjabi": "pa",
	"bengali": "bn", "gujarati": "gu", "arabic": "ar", "somali": "so", "turkish": "tr",
	"chinese": "zh", "mandarin": "zh", "cantonese": "yue", "tamil": "ta", "lithuanian": "lt",
}

// languageCode reads an ISO 639 code ("en", "en-GB" → "en") or a common
// language name.
func languageCode(v string) (string, bool) {
	base, _, _ := strings.Cut(strings.ReplaceAll(v, "_", "-"), "-")
	if (len(base) == 2 || len(base) == 3) && isASCIILetters(base) {
		return strings.ToLower(base), true
	}
	l, ok := languageNames[headerKey(v)]
	return l, ok
}

func isASCIILetters(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

func membership(v string) (string, bool) {
	switch headerKey(v) {
	case "member", "yes", "y", "true", "1", "active", "current", "paid":
		return "member", true
	case "lapsed", "expired", "former", "exmember", "formermember", "cancelled":
		return "lapsed", true
	case "supporter", "no", "n", "false", "0", "nonmember", "notamember":
		return "supporter", true
	}
	return "", false
}

func consent(v string) (string, bool) {
	switch headerKey(v) {
	case "yes", "y", "true", "1", "granted", "optedin", "optin", "subscribed":
		return "granted", true
	case "no", "n", "false", "0", "withdrawn", "optedout", "optout", "unsubscribed":
		return "withdrawn", true
	}
	return "", false
}

// dateLayouts are the date forms spreadsheets write; UK order (day first)
// wins over US order for slashed dates.
var dateLayouts = []string{
	"2006-01-02", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05", "02/01/2006", "2/1/2006", "02/01/2006 15:04", "2/1/2006 15:04",
	"02/01/2006 15:04:05", "02-01-2006", "02.01.2006", "2 January 2006", "2 Jan 2006",
	"January 2, 2006", "Jan 2, 2006", "2006/01/02",
}

// parseDate reads a date and returns midnight UTC of its day.
func parseDate(v string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			if t.Year() < 1900 || t.Year() > 2200 {
				return time.Time{}, false
			}
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// parseAmount reads "£12.50", "12.5", "1,234", "EUR 20", "€20" as pence
// (or cents) and a currency code. It refuses zero, negatives and more than
// two decimals.
func parseAmount(v string) (int64, string, bool) {
	cur := "GBP"
	s := strings.ReplaceAll(strings.TrimSpace(v), " ", "")
	for sym, code := range map[string]string{"£": "GBP", "€": "EUR", "$": "USD"} {
		if t, ok := strings.CutPrefix(s, sym); ok {
			s, cur = t, code
		}
	}
	if len(s) > 3 && isASCIILetters(s[:3]) {
		s, cur = s[3:], strings.ToUpper(s[:3])
	} else if len(s) > 3 && isASCIILetters(s[len(s)-3:]) {
		s, cur = s[:len(s)-3], strings.ToUpper(s[len(s)-3:])
	}
	s = strings.ReplaceAll(s, ",", "")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if len(frac) > 2 || len(whole) > 12 || !digits(whole) || !digits(frac) {
		return 0, "", false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n <= 0 {
		return 0, "", false
	}
	return n, cur, true
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// formatAmount writes pence as parseAmount reads it: "12.50", "EUR 12.50".
func formatAmount(pence int64, currency string) string {
	s := strconv.FormatInt(pence/100, 10) + "." + strconv.FormatInt(pence%100+100, 10)[1:]
	if currency != "" && currency != "GBP" {
		s = currency + " " + s
	}
	return s
}

// clean trims a cell, collapses inner whitespace (newlines included) to
// one space, and undoes the apostrophe an export puts before a cell that a
// spreadsheet would read as a formula. ok is false for text with control
// characters or invalid UTF-8.
func clean(raw string) (string, bool) {
	if !utf8.ValidString(raw) {
		return "", false
	}
	var sb strings.Builder
	space := false
	for _, c := range raw {
		switch {
		case unicode.IsSpace(c):
			space = sb.Len() > 0
			continue
		case unicode.IsControl(c) || c == utf8.RuneError:
			return "", false
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(c)
	}
	s := sb.String()
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune(formulaStart+"'", rune(s[1])) {
		s = s[1:]
	}
	return s, true
}

// formulaStart are the first characters that make a spreadsheet read a cell
// as a formula; the writer guards them with an apostrophe.
const formulaStart = "=+-@"

func quote(s string) string {
	return "'" + errs.Clip(s, errs.EchoMax) + "'"
}

func splitList(v string) []string {
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func appendNewFold(list []string, v string) []string {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return list
		}
	}
	return append(list, v)
}

// splitName splits a full name at its last space: "Mary Ann Smith" is given
// name "Mary Ann", family name "Smith". One word is a given name.
func splitName(full string) (given, family string) {
	i := strings.LastIndexByte(full, ' ')
	if i < 0 {
		return full, ""
	}
	return full[:i], full[i+1:]
}
