// Package site holds the pages that gather from every capability rather than
// belonging to one: the public home page, the signed-in dashboard, and the
// live stream of announcements that every signed-in page listens to. Later
// capabilities add their panels to the dashboard through Panel providers.
//
// It imports platform packages only.
package site
