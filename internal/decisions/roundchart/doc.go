// Package roundchart draws the outcome of a count as an inline SVG for a
// results page: the round-by-round count of a tally.Result (one row per
// candidate, one thin bar per round, the quota as a dashed line, elected
// candidates marked and excluded ones greyed from the round they went out),
// simple bars for single-round methods, and the positions taken on a
// consensus proposal against its quorum and required share.
//
// The SVG must be safe to place inline in a page served under Momentum's
// Content-Security-Policy (style-src 'self', no inline styles or scripts):
// it is styled only with presentation attributes (fill, stroke,
// font-weight), never a <style> element or a style attribute, and holds no
// script and no external reference. It is accessible on its own: role="img"
// with a <title> and a <desc> that state the outcome in words, text labels
// for every candidate, and colours with AA contrast against white. Candidate
// names are user input and reach the SVG only through html/template's
// escaping.
//
// It is pure presentation: it imports tally, the errs package and the
// standard library, and must not import the decisions service, its store
// or anything that touches the database.
package roundchart
