package sms

import (
	"net/url"
	"testing"
)

// Twilio's published example of request validation: auth token 12345, the
// URL and POST parameters below, signature RSOYDt4T1cUTdK1PDd93/VVr8B8=.
// It is the example of Twilio's security documentation
// (https://www.twilio.com/docs/usage/webhooks/webhooks-security, "Validating
// signatures from Twilio") and the vector of its libraries' tests
// (twilio-php tests/Twilio/Unit/Security/RequestValidatorTest.php,
// twilio-csharp RequestValidatorTest). The second vector, with a repeated
// parameter, is from the same library tests ("IK+Dwps556ElfBT0I3Rgjkr1wJU=").
var (
	docToken  = "12345"
	docURL    = "https://mycompany.com/myapp.php?foo=1&bar=2"
	docParams = url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+14158675309"},
		"Digits":  {"1234"},
		"From":    {"+14158675309"},
		"To":      {"+18005551212"},
	}
	docSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
)

func TestSignatureTwilioExample(t *testing.T) {
	if got := Signature(docToken, docURL, docParams); got != docSignature {
		t.Errorf("Signature = %q, want Twilio's %q", got, docSignature)
	}
	if !ValidSignature(docToken, docURL, docParams, docSignature) {
		t.Error("Twilio's example is not valid")
	}
	repeated := url.Values{"Sid": {"CA123"}, "SidAccount": {"AC123"}, "Digits": {"5678", "1234", "1234"}}
	if got := Signature(docToken, docURL, repeated); got != "IK+Dwps556ElfBT0I3Rgjkr1wJU=" {
		t.Errorf("repeated parameters: Signature = %q, want IK+Dwps556ElfBT0I3Rgjkr1wJU=", got)
	}
}

// TestSignatureRefusesForgeries: changing any part of the request, or the
// key, or sending no signature, fails.
func TestSignatureRefusesForgeries(t *testing.T) {
	changed := func(k, v string) url.Values {
		p := url.Values{}
		for k, vs := range docParams {
			p[k] = vs
		}
		p.Set(k, v)
		return p
	}
	for name, tc := range map[string]struct {
		token, url string
		params     url.Values
		sig        string
	}{
		"OtherToken":   {"54321", docURL, docParams, docSignature},
		"OtherURL":     {docToken, "https://mycompany.com/myapp.php?foo=1&bar=3", docParams, docSignature},
		"HTTPNotHTTPS": {docToken, "http://mycompany.com/myapp.php?foo=1&bar=2", docParams, docSignature},
		"ChangedParam": {docToken, docURL, changed("Digits", "9999"), docSignature},
		"AddedParam":   {docToken, docURL, changed("Body", "STOP"), docSignature},
		"NoSignature":  {docToken, docURL, docParams, ""},
		"EmptyToken":   {"", docURL, docParams, Signature("", docURL, docParams)},
		"GarbageSig":   {docToken, docURL, docParams, "not base64 at all ☃"},
		"TruncatedSig": {docToken, docURL, docParams, docSignature[:10]},
	} {
		t.Run(name, func(t *testing.T) {
			if ValidSignature(tc.token, tc.url, tc.params, tc.sig) {
				t.Error("a forged request passed")
			}
		})
	}
}
