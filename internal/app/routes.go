package app

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/actions/actionsapi"
	"github.com/momentum-movement/momentum/internal/actions/webhooks/webhooksweb"
	"github.com/momentum-movement/momentum/internal/admin"
	"github.com/momentum-movement/momentum/internal/events/eventsapi"
	"github.com/momentum-movement/momentum/internal/events/eventsweb"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/library/libraryweb"
	"github.com/momentum-movement/momentum/internal/messaging/feedbackweb"
	"github.com/momentum-movement/momentum/internal/messaging/messagingweb"
	"github.com/momentum-movement/momentum/internal/messaging/notices"
	"github.com/momentum-movement/momentum/internal/messaging/sms/smsweb"
	"github.com/momentum-movement/momentum/internal/opendata"
	"github.com/momentum-movement/momentum/internal/people/importweb"
	"github.com/momentum-movement/momentum/internal/people/peopleapi"
	"github.com/momentum-movement/momentum/internal/people/peopleweb"
	"github.com/momentum-movement/momentum/internal/platform/auth/authweb"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/hal"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/site"
	"github.com/momentum-movement/momentum/internal/site/searchweb"
	"github.com/momentum-movement/momentum/internal/talk/talkweb"
)

// isTLS reports whether the request reached us over TLS, directly or (when
// MOMENTUM_TRUST_PROXY is set) through a proxy that says so.
func (a *App) isTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return a.Config.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https"
}

// clientIP is the address rate limits count by: the connection's, or with
// MOMENTUM_TRUST_PROXY the last X-Forwarded-For entry (the one our own proxy
// appended; earlier entries are whatever the client claimed).
func (a *App) clientIP(r *http.Request) string {
	if a.Config.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// routes mounts every capability's handlers and wraps them in the shared
// middleware. Order matters: the outermost middleware runs first.
func (a *App) routes() (http.Handler, error) {
	rend := a.Renderer
	if err := rend.Add(authweb.Templates, "auth"); err != nil {
		return nil, err
	}
	if err := rend.Add(site.Templates, "site"); err != nil {
		return nil, err
	}
	if err := rend.Add(admin.Templates, "admin"); err != nil {
		return nil, err
	}
	if err := rend.Add(groups.Templates, "groups"); err != nil {
		return nil, err
	}
	if err := rend.Add(peopleweb.Templates, "people"); err != nil {
		return nil, err
	}
	if err := rend.Add(importweb.Templates, "import"); err != nil {
		return nil, err
	}
	if err := rend.Add(eventsweb.Templates, "events"); err != nil {
		return nil, err
	}
	if err := rend.Add(notices.Templates, "notices"); err != nil { // issue 12: /account/notifications
		return nil, err
	}
	if err := rend.Add(messagingweb.Templates, "messages"); err != nil { // issue 12
		return nil, err
	}
	if err := rend.Add(libraryweb.Templates, "library"); err != nil { // issue 13: the knowledge base
		return nil, err
	}
	if err := rend.Add(searchweb.Templates, "search"); err != nil { // issue 13: search
		return nil, err
	}

	mux := http.NewServeMux()
	mux.Handle("GET /static/{file}", a.Assets.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", a.handleReady)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, a.Assets.URL("favicon.svg"), http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /api/v1", a.handleAPIEntry)

	authH := authweb.New(a.Auth, rend, authweb.Options{SecureCookies: a.isTLS, SiteName: a.Config.SiteName, ClientIP: a.clientIP})
	authH.Routes(mux)
	site.NewHandler(a.Site, rend, a.Live).Routes(mux)
	groups.NewHandler(a.Groups, rend).Routes(mux)
	notices.NewHandler(a.Notices, rend).Routes(mux) // issue 12: notification preferences
	ew, err := eventsweb.NewHandler(eventsweb.Deps{Events: a.Events, Renderer: rend, SiteName: a.Config.SiteName,
		BaseURL: a.Config.PublicURL(), MapTiles: a.Config.MapTiles, MapAttribution: a.Config.MapAttribution,
		Discussions: a.Talk}) // issue 13: Discussions, the discussion panel
	if err != nil {
		return nil, err
	}
	ew.Routes(mux)
	site.NewRights(a.People, rend).Routes(mux)
	pw, err := peopleweb.NewHandler(peopleweb.Deps{People: a.People, Groups: a.Groups, Renderer: rend,
		Locator: peopleweb.LocatorFunc(func(ctx context.Context, postcode string) (geo.District, error) {
			return geo.Locate(ctx, a.DB.Q(), postcode)
		})})
	if err != nil {
		return nil, err
	}
	pw.Routes(mux)
	iw, err := importweb.NewHandler(importweb.Deps{Importer: a.Importer, Policy: a.Policy, Renderer: rend,
		Groups: importweb.GroupsOf(a.Groups), Runs: a.Importer, DataDir: a.Config.DataDir})
	if err != nil {
		return nil, err
	}
	iw.Routes(mux)
	// Messaging (issue 12): the organiser's broadcast pages, and the nav's
	// "Messages" link for organisers (mw.Nav, in the chain below).
	mw, err := messagingweb.NewHandler(messagingweb.Deps{Messaging: a.Messaging, Groups: a.Groups, People: a.People,
		Events: a.Events, Decisions: a.Decisions, Renderer: rend, Live: a.Live, Zone: a.Zone})
	if err != nil {
		return nil, err
	}
	mw.Routes(mux)
	// issue 13: the discussion pages (talkweb).
	if err := rend.Add(talkweb.Templates, "talk"); err != nil {
		return nil, err
	}
	tw, err := talkweb.NewHandler(talkweb.Deps{Talk: a.Talk, Groups: a.Groups, Policy: a.Policy, Renderer: rend, Zone: a.Zone})
	if err != nil {
		return nil, err
	}
	tw.Routes(mux)
	// issue 13: the knowledge base's pages.
	lw, err := libraryweb.NewHandler(libraryweb.Deps{Library: a.Library, Renderer: rend})
	if err != nil {
		return nil, err
	}
	lw.Routes(mux)
	// Issue 13: the search page (GET /search).
	sw, err := searchweb.NewHandler(a.Search, rend)
	if err != nil {
		return nil, err
	}
	sw.Routes(mux)

	// Issue 14 (apipeople): GET /metadata answers the network's name.
	pAPI := peopleapi.NewHandler(a.People, a.Config.PublicURL())
	pAPI.SiteName = a.Config.SiteName
	pAPI.Routes(mux)
	// Issue 14 (apipeople): unknown routes and methods under /api answer
	// JSON (404, 405 with Allow), never the HTML not-found page.
	mux.HandleFunc("/api/", hal.CatchAll(mux))
	groups.NewAPIHandler(a.Groups, a.Config.PublicURL()).Routes(mux)
	eventsapi.NewHandler(a.Events, a.Config.PublicURL()).Routes(mux)
	if err := a.decisionRoutes(mux, rend); err != nil {
		return nil, err
	}
	// issue 13: the open-data page and exports, and the groups' Atom feeds.
	if err := rend.Add(opendata.Templates, "opendata"); err != nil {
		return nil, err
	}
	od, err := opendata.NewHandler(opendata.Deps{DB: a.DB, Decisions: a.Decisions, Events: a.Events, Groups: a.Groups,
		Renderer: rend, BaseURL: a.Config.PublicURL(), SiteName: a.Config.SiteName, Log: a.Log})
	if err != nil {
		return nil, err
	}
	od.Routes(mux)
	// Issue 12: the messages API (messages_api.go).
	a.messagesAPIRoutes(mux)
	// Issue 14 (apievents): Action Network's petitions, signatures, forms
	// and submissions.
	actionsapi.NewHandler(a.Actions, a.Config.PublicURL()).Routes(mux)
	a.APILink("osdi:petitions", "/petitions", "Petitions")
	a.APILink("osdi:forms", "/forms", "Forms")
	a.APILink("osdi:people", "/people", "People")
	a.APILink("osdi:tags", "/tags", "Tags")
	a.APILink("osdi:lists", "/lists", "Lists")
	a.APILink("osdi:person_signup_helper", "/people/person_signup_helper", "Person signup helper")
	// Issue 14 (apipeople): Action Network's queries and metadata.
	a.APILink("osdi:queries", "/queries", "Queries")
	a.APILink("action_network:metadata", "/metadata", "Metadata")
	a.APILink("momentum:groups", "/groups", "Groups")
	a.APILink("osdi:events", "/events", "Events")
	// Broadcast feedback (issue 12): unsubscribe pages, open pixel, click
	// redirect, mail providers' webhooks, suppressions. Public but for the
	// suppressions: a recipient's token or a provider's signature is the
	// credential. Its one-click POSTs pass the cross-origin check below
	// (feedbackweb.OneClickPatterns; SECURITY.md).
	if err := rend.Add(feedbackweb.Templates, "feedback"); err != nil {
		return nil, err
	}
	fw, err := feedbackweb.NewHandler(feedbackweb.Deps{Feedback: a.Feedback, Renderer: rend, Log: a.Log,
		Providers: a.mailProviders()})
	if err != nil {
		return nil, err
	}
	fw.Routes(mux)
	// SMS (issue 12): the provider's inbound webhook (STOP, START, HELP),
	// authenticated by its signature, so its pattern passes the
	// cross-origin check below.
	smsH, err := smsweb.NewHandler(smsweb.Deps{Inbox: a.SMSInbox, Renderer: rend,
		AuthToken: a.Config.SMSAuthToken, PublicURL: a.Config.PublicURL()})
	if err != nil {
		return nil, err
	}
	smsH.Routes(mux)

	// issue 14: webhooks — the admin's endpoints and deliveries, and with
	// MOMENTUM_DEV_WEBHOOK_RECEIVER (serve --demo) the development receiver.
	if err := rend.Add(webhooksweb.Templates, "webhooks"); err != nil {
		return nil, err
	}
	whw, err := webhooksweb.NewHandler(webhooksweb.Deps{Webhooks: a.Webhooks, Groups: a.Groups, Renderer: rend})
	if err != nil {
		return nil, err
	}
	whw.Routes(mux)
	if a.Config.DevWebhookReceiver {
		a.WebhookReceiver = webhooksweb.NewReceiver(a.Webhooks, rend, webhooksweb.ReceiverURL(a.Config))
		a.WebhookReceiver.Routes(mux)
	}

	adminSvc := admin.New(a.DB, a.Policy, a.Auth, a.Jobs, a.Mail, a.Live,
		func(nonce string, seq int) river.JobArgs { return PingArgs{Nonce: nonce, Seq: seq} })
	admin.NewHandler(adminSvc, rend).Routes(mux)
	mux.HandleFunc("/", rend.NotFound)

	return a.withMetrics(web.Chain(a.Metrics.Middleware(web.Routed(mux)),
		web.RequestIDs(),
		web.Logging(a.Log),
		web.SecurityHeaders(a.isTLS, a.mapImgOrigins()...),
		web.Recover(a.Log, rend.StatusHandler(errs.Internal, "")),
		web.CrossOrigin(rend.StatusHandler(errs.Forbidden, "This request came from another site, so it was refused."),
			append(feedbackweb.OneClickPatterns, "POST "+smsweb.InboundPath)...),
		web.RequireOrigin(rend.StatusHandler(errs.Forbidden, msgNoOrigin), authweb.CredentialCookies()...),
		authH.Middleware(),
		mw.Nav(),
		web.CleanInput(func(w http.ResponseWriter, r *http.Request, err error) {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				hal.Fail(w, r, err)
				return
			}
			rend.Error(w, r, err)
		}),
	)), nil
}

// msgNoOrigin answers a signed-in form post from a browser that sent neither
// Origin nor Sec-Fetch-Site (web.RequireOrigin; SECURITY.md, "Cross-site
// requests").
const msgNoOrigin = "Your browser did not say which site this form came from, so it was refused to protect your account. " +
	"Please update your browser (or use another one) and try again."

// mapImgOrigins is the events map's tile server for the CSP's img-src, when
// a map is configured (config checked it is a bare origin).
func (a *App) mapImgOrigins() []string {
	if o := a.Config.MapTileOrigin(); o != "" {
		return []string{o}
	}
	return nil
}

// handleReady answers 200 when the database answers within two seconds.
func (a *App) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := a.DB.Ping(ctx); err != nil {
		a.Log.Warn("readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
