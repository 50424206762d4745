package app

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/momentum-movement/momentum/internal/actions/actionsweb"
)

// actionRoutes mounts the petitions' and forms' pages and embeds (issue 14,
// actionsweb).
func (a *App) actionRoutes(mux *http.ServeMux) error {
	if err := a.Renderer.Add(actionsweb.Templates, "actions"); err != nil {
		return err
	}
	key, err := a.formTokenKey()
	if err != nil {
		return err
	}
	h, err := actionsweb.NewHandler(actionsweb.Deps{Actions: a.Actions, Events: a.Events, Groups: a.Groups,
		Renderer: a.Renderer, Live: a.Live, BaseURL: a.Config.PublicURL(), SiteName: a.Config.SiteName,
		FormKey: key, ClientIP: a.clientIP})
	if err != nil {
		return err
	}
	h.Routes(mux)
	return nil
}

// formTokenKey signs the form tokens of public forms and embeds. It is
// derived (HKDF, its own label) from the node's secret, the ballot key file
// build.New made on first start: every node of a network already shares
// it, and it never rests in the database.
func (a *App) formTokenKey() ([]byte, error) {
	path := a.Config.BallotKeyPath()
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("form token key: %w", err)
	}
	secret, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(secret) < 32 {
		return nil, fmt.Errorf("form token key: %s holds no 256-bit hex secret", path)
	}
	return hkdf.Key(sha256.New, secret, nil, "momentum form tokens", 32)
}
