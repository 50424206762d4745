package config

import (
	"strings"
	"testing"
)

// TestAttachmentSettings (issue 13): attachments stay in the data folder
// until the S3 endpoint, bucket and both keys are set; half an S3
// configuration names each missing setting; plain http must be asked for;
// the size limit is bounded.
func TestAttachmentSettings(t *testing.T) {
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.S3Configured() || c.AttachmentMaxBytes != 10<<20 {
		t.Errorf("defaults: S3 %v, max %d bytes", c.S3Configured(), c.AttachmentMaxBytes)
	}
	full := map[string]string{"MOMENTUM_S3_ENDPOINT": "minio.example.org:9000", "MOMENTUM_S3_BUCKET": "momentum-files",
		"MOMENTUM_S3_ACCESS_KEY": "AKIAEXAMPLE", "MOMENTUM_S3_SECRET_KEY": "secret", "MOMENTUM_ATTACHMENT_MAX_BYTES": "2048"}
	if c, err = Load("", env(full)); err != nil || !c.S3Configured() || c.AttachmentMaxBytes != 2048 {
		t.Fatalf("full S3 settings: %v, configured %v, max %d", err, c.S3Configured(), c.AttachmentMaxBytes)
	}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range full {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	for name, tc := range map[string]struct {
		env        map[string]string
		host       string
		secure     bool
		wantErr    string
		notWantErr string
	}{
		"HostPort":           {full, "minio.example.org:9000", true, "", ""},
		"HTTPSURL":           {with("MOMENTUM_S3_ENDPOINT", "https://s3.eu-west-1.amazonaws.com/"), "s3.eu-west-1.amazonaws.com", true, "", ""},
		"Insecure":           {with("MOMENTUM_S3_INSECURE", "true"), "minio.example.org:9000", false, "", ""},
		"HTTPURLInsecure":    {with("MOMENTUM_S3_ENDPOINT", "http://127.0.0.1:9000", "MOMENTUM_S3_INSECURE", "true"), "127.0.0.1:9000", false, "", ""},
		"HTTPURLNotInsecure": {with("MOMENTUM_S3_ENDPOINT", "http://127.0.0.1:9000"), "", false, "set MOMENTUM_S3_INSECURE=true as well", ""},
		"HTTPSAndInsecure":   {with("MOMENTUM_S3_ENDPOINT", "https://x.org", "MOMENTUM_S3_INSECURE", "true"), "", false, "MOMENTUM_S3_INSECURE asks for plain http", ""},
		"URLWithPath":        {with("MOMENTUM_S3_ENDPOINT", "https://x.org/bucket"), "", false, "with no path", ""},
		"NotAHost":           {with("MOMENTUM_S3_ENDPOINT", "x.org/bucket"), "", false, "MOMENTUM_S3_ENDPOINT", ""},
		"MissingSecret":      {with("MOMENTUM_S3_SECRET_KEY", ""), "", false, "MOMENTUM_S3_SECRET_KEY is missing", "MOMENTUM_S3_BUCKET is missing"},
		"MissingBucket":      {with("MOMENTUM_S3_BUCKET", ""), "", false, "MOMENTUM_S3_BUCKET is missing", "MOMENTUM_S3_ENDPOINT is missing"},
		"OnlyRegion":         {map[string]string{"MOMENTUM_S3_REGION": "eu-west-1"}, "", false, "MOMENTUM_S3_ENDPOINT is missing", ""},
		"BadBucket":          {with("MOMENTUM_S3_BUCKET", "my bucket"), "", false, "MOMENTUM_S3_BUCKET", ""},
		"BadRegion":          {with("MOMENTUM_S3_REGION", "eu west"), "", false, "MOMENTUM_S3_REGION", ""},
		"MaxTooSmall":        {map[string]string{"MOMENTUM_ATTACHMENT_MAX_BYTES": "1000"}, "", false, "MOMENTUM_ATTACHMENT_MAX_BYTES: 1000 is not between 1024", ""},
		"MaxTooBig":          {map[string]string{"MOMENTUM_ATTACHMENT_MAX_BYTES": "2000000000"}, "", false, "MOMENTUM_ATTACHMENT_MAX_BYTES", ""},
		"MaxNotNumber":       {map[string]string{"MOMENTUM_ATTACHMENT_MAX_BYTES": "10MB"}, "", false, "MOMENTUM_ATTACHMENT_MAX_BYTES (from environment)", ""},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := Load("", env(tc.env))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want it to say %q", err, tc.wantErr)
				}
				if tc.notWantErr != "" && strings.Contains(err.Error(), tc.notWantErr) {
					t.Fatalf("error %v names %q, which is set", err, tc.notWantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			host, secure, err := c.S3Host()
			if err != nil || host != tc.host || secure != tc.secure {
				t.Fatalf("S3Host() = %q, %v, %v; want %q, %v", host, secure, err, tc.host, tc.secure)
			}
		})
	}
}
