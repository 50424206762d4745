// Package files keeps uploaded files (the knowledge base's attachments):
// on the node's disk under the data folder, or in S3-compatible storage
// (AWS S3, MinIO, Garage, Backblaze B2…) when MOMENTUM_S3_* is configured,
// so that several nodes share them. It also checks an upload against the
// size and type limits before anything is kept.
package files

import (
	"context"
	"errors"
	"io"
)

// CONTRACT (issue 13): the files helper fills these in.

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
	MaxBytes int64    // MOMENTUM_ATTACHMENT_MAX_BYTES, default 10 MiB
	Types    []string // allowed content types (sniffed, not trusted from the client)
}

// Check sniffs an upload's type from its first bytes and name and checks
// it against the limits; the error (errs.Invalid, field "file") says what
// is wrong in words a member understands. It returns the content type to
// store and serve.
func Check(name string, head []byte, size int64, l Limits) (contentType string, err error) {
	return "", errNotBuilt
}

var errNotBuilt = errors.New("files: not built yet")
