package importweb

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
)

// received is a multipart upload as receive leaves it: the file on disk in
// the drafts folder (path is empty when the form had none) and the other
// fields.
type received struct {
	path     string
	fileName string
	sha256   string // of the file, hex
	values   url.Values
}

// remove deletes the file unless create moved it into a draft.
func (u *received) remove() {
	if u.path != "" {
		os.Remove(u.path)
	}
}

// maxField bounds each of the form's other fields (tags, group, consent
// wording): none is near this.
const maxField = 16 << 10

// receive reads a multipart upload part by part, copying the file straight
// to disk, so the request's size (bounded by the caller's MaxBytesReader)
// never becomes memory. ParseMultipartForm would do the same for the file
// but keeps up to its memory limit of every part, and a temporary copy.
// A field longer than maxField is an error.
func (ds *drafts) receive(r *http.Request) (*received, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(ds.dir, 0o700); err != nil {
		return nil, fmt.Errorf("import upload: %w", err)
	}
	up := &received{values: url.Values{}}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return up, nil
		}
		if err != nil {
			up.remove()
			return nil, err
		}
		if part.FormName() == "file" && part.FileName() != "" && up.path == "" {
			up.fileName = part.FileName()
			up.path, up.sha256, err = ds.store(part)
		} else {
			var b []byte
			b, err = io.ReadAll(io.LimitReader(part, maxField+1))
			if err == nil && len(b) > maxField {
				err = fmt.Errorf("import upload: field %s is longer than %d bytes", part.FormName(), maxField)
			}
			up.values.Add(part.FormName(), string(b))
		}
		part.Close()
		if err != nil {
			up.remove()
			return nil, err
		}
	}
}

// store copies src into a new file of the drafts folder and returns its
// path and SHA-256.
func (ds *drafts) store(src io.Reader) (path, sum string, err error) {
	f, err := os.CreateTemp(ds.dir, "upload-*.part")
	if err != nil {
		return "", "", fmt.Errorf("import upload: %w", err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", err
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), nil
}
