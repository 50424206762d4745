package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Disk keeps files in a folder of the node's disk, one file a key
// (key "attachments/x" is the file Dir/attachments/x). A file appears
// whole or not at all: Put writes a temporary file in Dir/.tmp, syncs it,
// renames it over the target and syncs the folder, so a crash or a failed
// upload never leaves half a file under a key. (No key segment starts
// with a dot, so .tmp is never a key's folder.)
type Disk struct {
	dir string
}

// tmpDir holds uploads in progress; staleTmp is when NewDisk takes one
// for the leftover of a crash and removes it.
const (
	tmpDir   = ".tmp"
	staleTmp = 24 * time.Hour
)

// NewDisk returns a store in dir, making the folder (mode 0700) if needed
// and removing what a crash left of uploads a day old.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("files: the disk store needs a folder")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("files: folder %s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Join(abs, tmpDir), 0o700); err != nil {
		return nil, fmt.Errorf("files: make folder %s: %w", abs, err)
	}
	if left, err := os.ReadDir(filepath.Join(abs, tmpDir)); err == nil {
		for _, e := range left {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTmp {
				os.Remove(filepath.Join(abs, tmpDir, e.Name()))
			}
		}
	}
	return &Disk{dir: abs}, nil
}

// Dir is the store's folder.
func (d *Disk) Dir() string { return d.dir }

func (d *Disk) path(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return filepath.Join(d.dir, filepath.FromSlash(key)), nil
}

// Put stores exactly size bytes from r under key, replacing what was
// there. The content type is not kept: the caller stores it with its
// record (the S3 store keeps it as well, for operators browsing a bucket).
func (d *Disk) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (err error) {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if size < 0 {
		return fmt.Errorf("files: put %s: negative size %d", key, size)
	}
	folder := filepath.Dir(p)
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(filepath.Join(d.dir, tmpDir), "put-*")
	if err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, io.LimitReader(ctxReader{ctx, r}, size+1))
	if err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	if n != size {
		return sizeError(key, size, n)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("files: put %s: sync: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	// The rename is durable once the folder is synced.
	if err := syncDir(folder); err != nil {
		return fmt.Errorf("files: put %s: sync folder: %w", key, err)
	}
	return nil
}

// Open reads the file under key; errs.NotFound when there is none.
func (d *Disk) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound(key)
	}
	if err != nil {
		return nil, fmt.Errorf("files: open %s: %w", key, err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, notFound(key)
	}
	return f, nil
}

// Delete removes the file under key; a missing file is not an error.
func (d *Disk) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	return nil
}

func notFound(key string) error {
	e := errs.E(errs.NotFound, "That file is no longer there.")
	e.Err = fmt.Errorf("files: no file under %s", key)
	return e
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// ctxReader stops a long copy when the request that feeds it is gone.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
