package webhooksweb

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/momentum-movement/momentum/internal/actions/webhooks"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// ReceiverPath is where the development receiver listens.
const ReceiverPath = "/dev/webhook-receiver"

// Received is a delivery the development receiver took.
type Received struct {
	At        time.Time
	Delivery  string // X-Momentum-Delivery
	Event     string // X-Momentum-Event
	Verified  bool
	Problem   string // why it was refused
	Body      string
	Pretty    string
	RemoteIP  string
	Signature string
}

// Receiver is the development receiver of webhook deliveries (serve
// --demo, MOMENTUM_DEV_WEBHOOK_RECEIVER): POST takes a delivery, checks
// its signature against the secret of the endpoints whose address is
// publicURL+ReceiverPath and keeps the last 100 in memory (this node's
// only); GET shows them to admins.
type Receiver struct {
	svc  *webhooks.Service
	rend *web.Renderer
	url  string

	mu   sync.Mutex
	last []Received // newest first
}

// keep is how many deliveries the receiver remembers.
const keep = 100

// NewReceiver returns the receiver of deliveries addressed to url
// (ReceiverURL).
func NewReceiver(svc *webhooks.Service, rend *web.Renderer, url string) *Receiver {
	return &Receiver{svc: svc, rend: rend, url: url}
}

// ReceiverURL is the development receiver's address: the site's public
// address and ReceiverPath, or, when that is plain http to another machine
// (which endpoints refuse), the listening port on 127.0.0.1.
func ReceiverURL(cfg config.Config) string {
	u := cfg.PublicURL() + ReceiverPath
	if webhooks.CheckURL(u) == "" {
		return u
	}
	_, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return u
	}
	return "http://127.0.0.1:" + port + ReceiverPath
}

// URL is the address endpoints use to reach this receiver.
func (rc *Receiver) URL() string { return rc.url }

// Routes mounts the receiver. Its POST is a server-to-server request with
// no cookie, which the cross-origin checks let through.
func (rc *Receiver) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /dev/webhook-receiver", rc.handleReceive)
	mux.HandleFunc("GET /dev/webhook-receiver", rc.handleList)
}

// Last returns what was received, newest first.
func (rc *Receiver) Last() []Received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Received(nil), rc.last...)
}

func (rc *Receiver) handleReceive(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	got := Received{At: time.Now().UTC(), Delivery: r.Header.Get(webhooks.HeaderDelivery), Event: r.Header.Get(webhooks.HeaderEvent),
		Body: string(b), Signature: r.Header.Get(webhooks.HeaderSignature), RemoteIP: r.RemoteAddr}
	if err := rc.svc.VerifyReceived(r.Context(), rc.url, r.Header.Get(webhooks.HeaderTimestamp), got.Signature, b); err != nil {
		got.Problem = err.Error()
	} else {
		got.Verified = true
	}
	var v any
	if json.Unmarshal(b, &v) == nil {
		if p, err := json.MarshalIndent(v, "", "  "); err == nil {
			got.Pretty = string(p)
		}
	}
	rc.mu.Lock()
	rc.last = append([]Received{got}, rc.last...)
	if len(rc.last) > keep {
		rc.last = rc.last[:keep]
	}
	rc.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if !got.Verified {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte("signature refused: " + got.Problem + "\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

func (rc *Receiver) handleList(w http.ResponseWriter, r *http.Request) {
	if err := rc.svc.CanManage(r.Context()); err != nil {
		rc.rend.Error(w, r, err)
		return
	}
	rc.rend.Page(w, r, http.StatusOK, "webhooks/receiver", web.Page{Title: "Development webhook receiver",
		Data: map[string]any{"URL": rc.url, "Received": rc.Last()}})
}
