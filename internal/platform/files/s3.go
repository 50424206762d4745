package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options say where an S3 store keeps its files.
type S3Options struct {
	Endpoint  string // host[:port], no scheme
	Secure    bool   // https (false: plain http)
	Bucket    string // must exist
	AccessKey string
	SecretKey string
	Region    string // empty: asked of the service
	// Transport, when set, carries the requests (tests; nil: the
	// client's default, with its timeouts).
	Transport http.RoundTripper
}

// S3 keeps files as objects of one bucket of S3-compatible storage, the
// key as the object's name. A PUT replaces an object whole or not at all,
// so no reader ever sees half a file; uploads larger than 16 MiB go in
// parts, streamed from the reader without holding the file in memory
// beyond one part.
type S3 struct {
	client *minio.Client
	bucket string
}

// NewS3 returns a store in the bucket; it makes no request (see Ping).
func NewS3(o S3Options) (*S3, error) {
	if o.Endpoint == "" || o.Bucket == "" || o.AccessKey == "" || o.SecretKey == "" {
		return nil, errors.New("files: the S3 store needs an endpoint, a bucket and both keys")
	}
	c, err := minio.New(o.Endpoint, &minio.Options{
		Creds:     credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""),
		Secure:    o.Secure,
		Region:    o.Region,
		Transport: o.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("files: S3 endpoint %s: %w", o.Endpoint, err)
	}
	return &S3{client: c, bucket: o.Bucket}, nil
}

// Ping checks that the bucket is there and the keys may read it, for a
// start-up or health check.
func (s *S3) Ping(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("files: S3 bucket %s: %w", s.bucket, err)
	}
	if !ok {
		return fmt.Errorf("files: S3 bucket %s does not exist", s.bucket)
	}
	return nil
}

// Put stores exactly size bytes from r under key with the content type,
// replacing what was there.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if size < 0 {
		return fmt.Errorf("files: put %s: negative size %d", key, size)
	}
	cr := &countReader{r: r}
	info, err := s.client.PutObject(ctx, s.bucket, key, cr, size, minio.PutObjectOptions{
		ContentType: contentType,
		// Over plain http the client signs the body in chunks, and for
		// an empty body it then sends no Content-Length, which S3
		// services refuse (411); with nothing to sign, sign nothing.
		DisableContentSha256: size == 0,
	})
	if err != nil {
		if cr.eof && cr.n < size {
			return sizeError(key, size, cr.n)
		}
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	if info.Size != size {
		return sizeError(key, size, info.Size)
	}
	return nil
}

// Open reads the object under key; errs.NotFound when there is none.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err == nil {
		// GetObject is lazy: Stat makes the request, so a missing
		// object is found out here rather than at the first Read.
		_, err = obj.Stat()
	}
	if err != nil {
		if obj != nil {
			obj.Close()
		}
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, notFound(key)
		}
		return nil, fmt.Errorf("files: open %s: %w", key, err)
	}
	return obj, nil
}

// Delete removes the object under key; a missing object is not an error
// (S3 answers a DELETE of nothing with success, and so does this).
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil && minio.ToErrorResponse(err).Code != minio.NoSuchKey {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	return nil
}

// countReader counts what the client read, to tell a short upload from
// a failing service.
type countReader struct {
	r   io.Reader
	n   int64
	eof bool
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.eof = c.eof || err == io.EOF
	return n, err
}
