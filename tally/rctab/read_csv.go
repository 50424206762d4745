package rctab

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// readGenericCSV reads RCTab's generic CSV: a header row naming one
// candidate per column from firstVoteColumnIndex on, then one row per
// ballot whose cells hold the rank given to that column's candidate.
func readGenericCSV(cfg *Config, src *Source, out *Ballots) error {
	f, err := os.Open(src.Path)
	if err != nil {
		return fmt.Errorf("rctab: %w", err)
	}
	defer f.Close()
	return parseGenericCSV(cfg, src, f, out)
}

func parseGenericCSV(cfg *Config, src *Source, r io.Reader, out *Ballots) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	first := src.FirstVoteCol - 1
	header, err := cr.Read()
	if err != nil {
		return csvErr(src.Path, cr, err, "no header row")
	}
	if first >= len(header) {
		return &ParseError{File: src.Path, Line: 1, Msg: fmt.Sprintf("header has %d columns, firstVoteColumnIndex is %d", len(header), src.FirstVoteCol)}
	}
	lab := newLabels(cfg, src)
	cols := make([]int16, 0, len(header)-first)
	for i, name := range header[first:] {
		name = strings.TrimSpace(name)
		if name == "" {
			return &ParseError{File: src.Path, Line: 1, Msg: fmt.Sprintf("column %d has no candidate name", first+i+1)}
		}
		c, ok := lab.resolve(name)
		if !ok {
			c = -2 // unrecognized; reported after reading
		}
		cols = append(cols, c)
	}
	if e := lab.err(src.Path); e != nil {
		return e
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return csvErr(src.Path, cr, err, "")
		}
		if line < src.FirstVoteRow {
			continue
		}
		var ms []mark
		precinct := sliceCell(rec, src.PrecinctCol, "no precinct id")
		batch := sliceCell(rec, src.BatchCol, "no batch id")
		for col := first; col < len(rec) && col-first < len(cols); col++ {
			v := strings.TrimSpace(rec[col])
			if v == "" {
				continue
			}
			rank, err := strconv.Atoi(v)
			if err != nil || rank < 1 || rank > 65535 {
				ln, _ := cr.FieldPos(col)
				return &ParseError{File: src.Path, Line: ln, Msg: fmt.Sprintf("column %d (%s): want a rank number, got %q", col+1, header[col], v)}
			}
			ms = append(ms, mark{rank: uint16(rank), cand: cols[col-first]})
		}
		out.addRecord(ms, cvrInfo{vendorID: sliceCell(rec, src.IDCol, ""), precinct: precinct, batch: batch}) // records.go
	}
	return nil
}

// sliceCell reads a precinct or batch column (1-based, 0 when the config
// names none); blank cells get RCTab's placeholder name.
func sliceCell(rec []string, col int, blank string) string {
	if col <= 0 {
		return ""
	}
	if col <= len(rec) {
		if v := strings.TrimSpace(rec[col-1]); v != "" {
			return v
		}
	}
	return blank
}

func csvErr(file string, cr *csv.Reader, err error, msg string) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: file, Line: pe.Line, Msg: pe.Err.Error()}
	}
	if msg == "" {
		msg = err.Error()
	}
	return &ParseError{File: file, Line: 1, Msg: msg}
}

// readClearBallot reads a Clear Ballot RCV export: each choice column's
// header is "Choice_N_1:contest:rank:vote rule:candidate:party" and a 1
// in a ballot row marks that candidate at that rank.
func readClearBallot(cfg *Config, src *Source, out *Ballots) error {
	f, err := os.Open(src.Path)
	if err != nil {
		return fmt.Errorf("rctab: %w", err)
	}
	defer f.Close()
	return parseClearBallot(cfg, src, f, out)
}

const clearBallotChoicesBegin = 10

func parseClearBallot(cfg *Config, src *Source, r io.Reader, out *Ballots) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return csvErr(src.Path, cr, err, "no header row")
	}
	if len(header) <= clearBallotChoicesBegin {
		return &ParseError{File: src.Path, Line: 1, Msg: "no choice columns"}
	}
	lab := newLabels(cfg, src)
	type choice struct {
		col  int
		rank int
		cand int16
	}
	var choices []choice
	for col := clearBallotChoicesBegin; col < len(header); col++ {
		f := strings.Split(header[col], ":")
		if len(f) != 6 {
			return &ParseError{File: src.Path, Line: 1, Msg: fmt.Sprintf("column %d header %q does not have 6 ':'-separated fields", col+1, header[col])}
		}
		if f[1] != src.ContestID {
			continue
		}
		rank, err := strconv.Atoi(f[2])
		if err != nil || rank < 1 || rank > cfg.MaxRankings {
			return &ParseError{File: src.Path, Line: 1, Msg: fmt.Sprintf("column %d: rank %q is not 1..%d (maxRankingsAllowed)", col+1, f[2], cfg.MaxRankings)}
		}
		c, ok := lab.resolve(f[4])
		if ok {
			choices = append(choices, choice{col: col, rank: rank, cand: c})
		}
	}
	if e := lab.err(src.Path); e != nil {
		return e
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return csvErr(src.Path, cr, err, "")
		}
		var ms []mark
		for _, ch := range choices {
			if ch.col >= len(rec) {
				return &ParseError{File: src.Path, Line: line, Msg: fmt.Sprintf("row has %d columns, header has %d", len(rec), len(header))}
			}
			switch strings.TrimSpace(rec[ch.col]) {
			case "1":
				ms = append(ms, mark{rank: uint16(ch.rank), cand: ch.cand})
			case "0", "":
			default:
				return &ParseError{File: src.Path, Line: line, Msg: fmt.Sprintf("column %d: want 0 or 1, got %q", ch.col+1, rec[ch.col])}
			}
		}
		out.addSliced(ms, sliceCell(rec, 5, ""), "") // column 5 is PrecinctID
	}
	return nil
}
