package config

import (
	"slices"
	"strings"
	"testing"
)

// TestMailWebhookSecrets: the providers' webhook settings are checked and
// named when wrong, and the SES topic list is read as written.
func TestMailWebhookSecrets(t *testing.T) {
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"TopicNotARN":       {map[string]string{"MOMENTUM_SES_TOPIC_ARNS": "ses-feedback"}, "MOMENTUM_SES_TOPIC_ARNS"},
		"PostmarkShort":     {map[string]string{"MOMENTUM_POSTMARK_WEBHOOK_SECRET": "short"}, "MOMENTUM_POSTMARK_WEBHOOK_SECRET"},
		"PostmarkBreaksURL": {map[string]string{"MOMENTUM_POSTMARK_WEBHOOK_SECRET": "0123456789abcdef0123@x"}, "MOMENTUM_POSTMARK_WEBHOOK_SECRET"},
		"MailgunSpaces":     {map[string]string{"MOMENTUM_MAILGUN_SIGNING_KEY": "key with spaces"}, "MOMENTUM_MAILGUN_SIGNING_KEY"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load("", env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to name %s", err, tc.want)
			}
		})
	}
	c, err := Load("", env(map[string]string{
		"MOMENTUM_SES_TOPIC_ARNS":          " arn:aws:sns:eu-west-1:123456789012:a, ,arn:aws:sns:eu-west-1:123456789012:b",
		"MOMENTUM_POSTMARK_WEBHOOK_SECRET": "0123456789abcdef0123456789",
		"MOMENTUM_MAILGUN_SIGNING_KEY":     "key-0123",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.SESTopicARNs(); !slices.Equal(got, []string{"arn:aws:sns:eu-west-1:123456789012:a", "arn:aws:sns:eu-west-1:123456789012:b"}) {
		t.Fatalf("topics %q", got)
	}
}
