// Package actionsweb serves the actions capability's pages: the organiser
// pages under /actions (list, create and edit through forms, the manage page
// with its embed code, the signer list and its CSV), the public pages under
// /act (a petition or form, its thank-you page, the double opt-in link, its
// live count), and the embeds under /embed (a script that draws the form on
// another site, an iframe fallback, and the cross-origin POST they send,
// for actions and for public events).
//
// The embeds never read the session: routes.go strips cookies from every
// /embed request (NoCookies) and passes their POSTs through the
// cross-origin check (EmbedPatterns), because their protection is the
// signed form token (token.go), the honeypot, the minimum fill time and the
// rate per address, not a cookie.
//
// It imports actions, events and the platform's web, live and errs; it
// holds no SQL and no permission rules (the services check them).
package actionsweb
