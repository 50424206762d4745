// Package files keeps uploaded files (the knowledge base's attachments):
// on the node's disk under the data folder, or in S3-compatible storage
// (AWS S3, MinIO, Garage, Backblaze B2…) when MOMENTUM_S3_* is configured,
// so that several nodes share them. It also checks an upload against the
// size and type limits before anything is kept.
//
// It imports errs and config from the platform and nothing from the
// domain packages: a Store knows keys and bytes, not documents.
package files

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Store keeps files by key (keys are ours: "attachments/<uuid>").
type Store interface {
	// Put stores size bytes from r under key with a content type.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Open reads a stored file; errs.NotFound when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes a file; deleting what is not there is not an error.
	Delete(ctx context.Context, key string) error
}

// Limits bound an upload.
type Limits struct {
	MaxBytes int64    // MOMENTUM_ATTACHMENT_MAX_BYTES, default 10 MiB (0: the default)
	Types    []string // allowed content types (sniffed, not trusted from the client); empty: DefaultTypes
}

// maxKey bounds a key: S3 allows 1024 bytes, and ours are far shorter.
const maxKey = 512

// checkKey refuses a key that could leave the store's folder or that an
// S3 service would spell differently: only lower-case letters, digits and
// "-_./", relative, no empty segment and no segment starting with a dot
// (so neither "." nor ".." nor the Disk store's own temporary files).
// Keys are made by Momentum, never typed by a member, so a bad one is a
// bug and the error is internal.
func checkKey(key string) error {
	if key == "" || len(key) > maxKey {
		return fmt.Errorf("files: key %q: empty or longer than %d bytes", clip(key), maxKey)
	}
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./", r)) {
			return fmt.Errorf("files: key %q: only a-z, 0-9 and -_./ are allowed", clip(key))
		}
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg[0] == '.' {
			return fmt.Errorf("files: key %q: no absolute path, empty segment, or segment starting with a dot", clip(key))
		}
	}
	return nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// sizeError is what Put returns when the reader did not hold size bytes:
// the caller's bug (or a client that went away), never a half-kept file.
func sizeError(key string, want, got int64) error {
	if got > want {
		return fmt.Errorf("files: put %s: the reader holds more than the %d bytes announced", key, want)
	}
	return fmt.Errorf("files: put %s: the reader ended after %d of %d bytes", key, got, want)
}
