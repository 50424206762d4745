package config

import (
	"strings"
	"testing"
)

// TestSMSSettings: SMS is off until the account, token and sender are all
// set; half a configuration, a provider URL that is not http(s), and a rate
// that is not a whole number in range are refused, naming the setting.
func TestSMSSettings(t *testing.T) {
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMSConfigured() || c.SMSProviderURL != "https://api.twilio.com" || c.SMSRate != 10 {
		t.Errorf("defaults: configured %v, URL %q, rate %d", c.SMSConfigured(), c.SMSProviderURL, c.SMSRate)
	}
	full := map[string]string{"MOMENTUM_SMS_ACCOUNT_SID": "AC1", "MOMENTUM_SMS_AUTH_TOKEN": "tok",
		"MOMENTUM_SMS_FROM": "+447700900999", "MOMENTUM_SMS_RATE": "3", "MOMENTUM_SMS_PROVIDER_URL": "http://127.0.0.1:9999"}
	if c, err = Load("", env(full)); err != nil || !c.SMSConfigured() || c.SMSRate != 3 {
		t.Fatalf("full SMS settings: %v, configured %v, rate %d", err, c.SMSConfigured(), c.SMSRate)
	}
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"HalfConfigured": {map[string]string{"MOMENTUM_SMS_ACCOUNT_SID": "AC1"}, "set all three to send SMS, or none"},
		"ProviderURL":    {map[string]string{"MOMENTUM_SMS_PROVIDER_URL": "ftp://x"}, "MOMENTUM_SMS_PROVIDER_URL"},
		"RateNotNumber":  {map[string]string{"MOMENTUM_SMS_RATE": "fast"}, `MOMENTUM_SMS_RATE (from environment): "fast" is not a whole number`},
		"RateZero":       {map[string]string{"MOMENTUM_SMS_RATE": "0"}, "MOMENTUM_SMS_RATE: 0 is not between 1 and 1000"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load("", env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to say %q", err, tc.want)
			}
		})
	}
}
