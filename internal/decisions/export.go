package decisions

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/tally"
)

// BallotsBLT writes a closed ranked decision's anonymised ballots in the
// BLT format, one line per ballot in fingerprint order, with the tie order
// drawn at the close, so that anyone can recount with another tool.
// Errors: errs.Conflict (not ranked: use BallotsCSV; or not closed), and
// as Results.
func (s *Service) BallotsBLT(ctx context.Context, id string, w io.Writer) error {
	d, err := s.closedDecision(ctx, id)
	if err != nil {
		return err
	}
	if !d.Ranked() {
		return errs.E(errs.Conflict, "BLT holds ranked ballots only; download this decision's ballots as CSV.")
	}
	stored, err := listBallots(ctx, s.db.Q(), d.ID, "", 0)
	if err != nil {
		return err
	}
	e := &tally.Election{Title: d.Title, Seats: d.Seats}
	for _, o := range d.Options {
		e.Candidates = append(e.Candidates, o.Label)
	}
	if len(d.tieOrder) == len(e.Candidates) {
		e.TieOrder = d.tieOrder
	}
	e.Ballots.Grow(len(stored), len(stored)*len(e.Candidates))
	for _, b := range stored {
		c, err := decodeChoice(b.Content)
		if err != nil {
			return err
		}
		rank := make([]int, len(c.Ranking))
		for i, p := range c.Ranking {
			rank[i] = p - 1
		}
		e.Ballots.Add(1, rank...)
	}
	return tally.WriteBLT(w, e)
}

// BallotsCSV writes a closed decision's anonymised ballots as CSV, one row
// per ballot in fingerprint order: the fingerprint, the voter on a named
// vote, then per kind the position and reason (proposal), the choice
// (poll), or a column per option holding the rank, 1 for approved, or the
// points. Errors: as Results.
func (s *Service) BallotsCSV(ctx context.Context, id string, w io.Writer) error {
	d, err := s.closedDecision(ctx, id)
	if err != nil {
		return err
	}
	stored, err := listBallots(ctx, s.db.Q(), d.ID, "", 0)
	if err != nil {
		return err
	}
	pub, err := s.publish(ctx, d, stored)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := []string{"fingerprint"}
	if !d.Secret {
		head = append(head, "voter")
	}
	switch d.Kind {
	case KindProposal:
		head = append(head, "position", "reason")
	case KindPoll:
		head = append(head, "choice")
	default:
		for _, o := range d.Options {
			head = append(head, o.Label)
		}
	}
	if err := cw.Write(safeCSV(head)); err != nil {
		return fmt.Errorf("ballots CSV: %w", err)
	}
	for _, b := range pub {
		row := []string{b.Fingerprint}
		if !d.Secret {
			row = append(row, b.Voter)
		}
		row = append(row, csvCells(d, b.Choice)...)
		if err := cw.Write(safeCSV(row)); err != nil {
			return fmt.Errorf("ballots CSV: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCells is one ballot's cells after the fingerprint.
func csvCells(d *Decision, c Choice) []string {
	switch d.Kind {
	case KindProposal:
		return []string{string(c.Position), c.Reason}
	case KindPoll:
		o, _ := d.option(c.Option)
		return []string{o.Label}
	}
	cells := make([]string, len(d.Options))
	switch d.Kind {
	case KindApproval, KindMeetingTime:
		for _, p := range c.Approve {
			cells[p-1] = "1"
		}
	case KindRanked, KindElection:
		for r, p := range c.Ranking {
			cells[p-1] = strconv.Itoa(r + 1)
		}
	default:
		for p, v := range c.Points {
			cells[p-1] = strconv.Itoa(v)
		}
	}
	return cells
}

// safeCSV stops a spreadsheet from running a cell as a formula.
func safeCSV(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}

// WriteBallots writes a closed decision's anonymised ballots in the format
// anyone can recount from: BLT for ranked decisions, CSV otherwise. It
// tells format which ("blt" or "csv") before writing anything. Errors: as
// Results.
func (s *Service) WriteBallots(ctx context.Context, id string, w io.Writer, format func(string)) error {
	d, err := s.closedDecision(ctx, id)
	if err != nil {
		return err
	}
	if d.Ranked() {
		format("blt")
		return s.BallotsBLT(ctx, id, w)
	}
	format("csv")
	return s.BallotsCSV(ctx, id, w)
}
