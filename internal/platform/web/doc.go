// Package web is the shell every Momentum domain renders into: middleware
// (request ids, logging, security headers, cross-origin protection, panic
// recovery), the page renderer with the shared layout, forms and their errors,
// flash messages, JSON responses, the mapping from errs codes to HTTP statuses,
// and the embedded, content-hashed static files (app.css, app.js).
//
// It knows nothing of the domain. It may import the standard library and
// internal/platform/errs and internal/platform/reqctx, and must not import domain packages (people, groups,
// events, ...) or other platform packages: they import web, not the reverse.
// The auth middleware, written elsewhere, tells web who is looking with
// WithViewer.
//
// # Wiring (in app)
//
//	rend, _ := web.NewRenderer(log, web.RendererOptions{SiteName: "Tenants United"})
//	rend.Add(events.Templates, "events") // fs.Sub'd templates dir of the domain
//	mux.Handle("GET /static/{file}", rend.Assets().Handler())
//	mux.HandleFunc("/", rend.NotFound)
//	h := web.Chain(web.Routed(mux),
//		web.RequestIDs(),
//		web.Logging(log),
//		web.SecurityHeaders(isTLS),
//		web.Recover(log, rend.StatusHandler(errs.Internal, "")),
//		web.CrossOrigin(rend.StatusHandler(errs.Forbidden, "This request came from another site, so it was refused.")),
//		auth.Middleware(...),
//	)
//
// Routed lets Logging see the matched route pattern even though later
// middleware copies the request. Logging never records paths or queries.
//
// # Pages
//
// A domain's templates/ directory holds one file per page; "show.html" added
// with prefix "events" is the page "events/show". Files starting with "_" are
// partials shared by that domain's pages. A page defines "content" and may
// define "title" (the whole <title> text):
//
//	{{define "content"}}
//	<h1>{{.Data.Event.Name}}</h1>
//	<p>Hello {{with .Viewer}}{{.Name}}{{end}}</p>
//	{{end}}
//
// A page may also define "head" for a stylesheet or deferred script of its
// own, written before app.css and app.js (the events list loads Leaflet so).
//
// Its dot is a PageData: .Title .Data .Form .Viewer .Flash .RequestID
// .SiteName .Path .Status. Functions: asset "app.css" (hashed URL), field
// (below), the formatting layer of format.go (date, datetime, daytime, time
// and zone in RendererOptions.Zone; number, votes, percent), plus
// RendererOptions.Funcs.
//
// A handler renders with
//
//	rend.Page(w, r, http.StatusOK, "events/show", web.Page{Title: ev.Name, Data: ev})
//
// and hands every error to rend.Error(w, r, err) (or web.JSONError for the
// API), which picks the status from the errs code, shows only the safe
// message and the request id, and logs internal errors once.
//
// # Forms
//
// On a validation error, re-render with the person's input kept; on success,
// redirect with a flash:
//
//	if err := svc.Create(ctx, in); err != nil {
//		if errs.CodeOf(err) == errs.Invalid || errs.CodeOf(err) == errs.Conflict {
//			rend.Page(w, r, http.StatusUnprocessableEntity, "events/new",
//				web.Page{Title: "New event", Form: web.FormWithError(r.PostForm, err)})
//			return
//		}
//		rend.Error(w, r, err)
//		return
//	}
//	web.Redirect(w, r, "/events/"+id, "Event created.")
//
// In the template, the "field" partial draws a label, the control with the
// kept value (never for passwords), and the error beside it, linked with
// aria-invalid and aria-describedby:
//
//	<form method="post" action="/events">
//	  {{template "form-errors" .Form}}
//	  {{template "field" (field .Form "name" "Event name" "text" "required" "maxlength=200")}}
//	  {{template "field" (field .Form "email" "Email address" "email" "autocomplete=email" "hint=We never share it.")}}
//	  {{template "field" (field .Form "about" "About" "textarea" "rows=6")}}
//	  {{template "field" (field .Form "public" "Show on the public calendar" "checkbox")}}
//	  <button type="submit">Create event</button>
//	</form>
//
// field takes the form, the field name, its label, the type (any input type,
// "textarea" or "checkbox") and extra attributes as "attr=value" or a bare
// boolean attribute; "hint=..." adds a hint under the label. The control's id
// is "f-"+name. For controls the partial does not draw (select, radio groups)
// use .Form.Get and .Form.Error directly.
//
// # Script hooks (app.js)
//
// data-live="/sse/url" on an element replaces its text with each event's
// data; add data-live-reload (and an id) to refetch the page and swap that
// element's contents instead. data-confirm="Question?" on a form asks before
// submitting. Submit buttons are disabled after submit (not on forms marked
// data-no-disable) and enabled again when the page is shown from the back
// cache. A data-live stream is closed whenever its page is hidden, also
// into the back/forward cache, and opened again if the page comes back: a
// browser keeps at most six HTTP/1.1 connections to a site, and streams
// left open by cached pages would take them all.
//
// A div#events-map (data-tiles, data-attribution, hidden) with a
// script#events-map-points JSON island is drawn by Leaflet as a map with a
// keyboard-reachable circle marker and popup link per point, when the page
// loaded Leaflet; otherwise it stays hidden.
package web
