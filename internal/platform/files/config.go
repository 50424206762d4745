package files

import (
	"errors"
	"path/filepath"

	"github.com/momentum-movement/momentum/internal/platform/config"
)

// FromConfig returns the store the configuration asks for: S3 when
// MOMENTUM_S3_ENDPOINT and the rest are set, otherwise a Disk store in
// the data folder's "attachments" folder. cfg is expected to be validated
// (config.Load does); a partial S3 configuration is an error here too.
func FromConfig(cfg config.Config) (Store, error) {
	if cfg.S3Configured() {
		if cfg.S3Endpoint == "" || cfg.S3Bucket == "" || cfg.S3AccessKey == "" || cfg.S3SecretKey == "" {
			return nil, errors.New("files: MOMENTUM_S3_ENDPOINT, MOMENTUM_S3_BUCKET, MOMENTUM_S3_ACCESS_KEY and MOMENTUM_S3_SECRET_KEY must all be set, or none")
		}
		host, secure, err := cfg.S3Host()
		if err != nil {
			return nil, errors.New("files: MOMENTUM_S3_ENDPOINT: " + err.Error())
		}
		return NewS3(S3Options{Endpoint: host, Secure: secure, Bucket: cfg.S3Bucket,
			AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey, Region: cfg.S3Region})
	}
	if cfg.DataDir == "" {
		return nil, errors.New("files: attachments need a data folder (MOMENTUM_DATA) or S3 storage (MOMENTUM_S3_*)")
	}
	return NewDisk(filepath.Join(cfg.DataDir, "attachments"))
}

// LimitsFromConfig are the default types with MOMENTUM_ATTACHMENT_MAX_BYTES.
func LimitsFromConfig(cfg config.Config) Limits {
	max := int64(cfg.AttachmentMaxBytes)
	if max <= 0 {
		max = DefaultMaxBytes
	}
	return DefaultLimits(max)
}
