package rctab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// NIST SP 1500-103 cast vote record report, JSON encoding; only the parts
// a ranked count needs.
type cdfReport struct {
	CVR      []cdfCVR      `json:"CVR"`
	Election []cdfElection `json:"Election"`
	GpUnit   []struct {
		ID   string `json:"@id"`
		Name string `json:"Name"`
	} `json:"GpUnit"`
}

type cdfElection struct {
	Candidate []struct {
		ID   string `json:"@id"`
		Name string `json:"Name"`
	} `json:"Candidate"`
	Contest []struct {
		ID               string `json:"@id"`
		Name             string `json:"Name"`
		ContestSelection []struct {
			ID           string          `json:"@id"`
			CandidateIDs []string        `json:"CandidateIds"`
			IsWriteIn    json.RawMessage `json:"IsWriteIn"`
		} `json:"ContestSelection"`
	} `json:"Contest"`
}

type cdfCVR struct {
	CurrentSnapshotID string `json:"CurrentSnapshotId"`
	BallotStyleUnitID string `json:"BallotStyleUnitId"`
	CVRSnapshot       []struct {
		ID         string `json:"@id"`
		CVRContest []struct {
			ContestID           string `json:"ContestId"`
			CVRContestSelection []struct {
				ContestSelectionID string `json:"ContestSelectionId"`
				Rank               *int   `json:"Rank"`
				SelectionPosition  []struct {
					HasIndication string          `json:"HasIndication"`
					IsAllocable   string          `json:"IsAllocable"`
					Rank          *int            `json:"Rank"`
					CVRWriteIn    json.RawMessage `json:"CVRWriteIn"`
				} `json:"SelectionPosition"`
			} `json:"CVRContestSelection"`
		} `json:"CVRContest"`
	} `json:"CVRSnapshot"`
	BallotPrePrintedID string `json:"BallotPrePrintedId"` // the vendor's id, for CDF output and conversions
}

func isTrue(raw json.RawMessage) bool {
	s := string(bytes.TrimSpace(raw))
	return s == "true" || s == `"true"`
}

// readCDF reads a NIST CDF JSON report (or, for a .xml file, the XML
// encoding) for the contest named by the
// source's contestId.
func readCDF(cfg *Config, src *Source, out *Ballots) error {
	if strings.HasSuffix(strings.ToLower(src.Path), ".xml") { // issue 15: CDF XML, read_xmlcdf.go
		return readCDFXML(cfg, src, out)
	}
	data, err := os.ReadFile(src.Path)
	if err != nil {
		return fmt.Errorf("rctab: %w", err)
	}
	return parseCDF(cfg, src, bytes.NewReader(data), data, out)
}

func parseCDF(cfg *Config, src *Source, r io.Reader, data []byte, out *Ballots) error {
	var rep cdfReport
	if err := json.NewDecoder(r).Decode(&rep); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, _ := lineCol(data, se.Offset)
			return &ParseError{File: src.Path, Line: line, Msg: "invalid JSON: " + se.Error()}
		case errors.As(err, &te):
			line, _ := lineCol(data, te.Offset)
			return &ParseError{File: src.Path, Line: line, Msg: fmt.Sprintf("field %s: want %s, got %s", te.Field, te.Type, te.Value)}
		}
		return &ParseError{File: src.Path, Msg: "invalid JSON: " + err.Error()}
	}
	if rep.Election == nil || rep.CVR == nil {
		return &ParseError{File: src.Path, Msg: "not a CDF cast vote record report (Election or CVR missing)"}
	}
	candidates := map[string]string{}
	contestID := ""
	type selection struct {
		name  string
		write bool
	}
	selections := map[string]selection{}
	for _, el := range rep.Election {
		for _, c := range el.Candidate {
			if _, dup := candidates[c.ID]; dup {
				return &ParseError{File: src.Path, Msg: fmt.Sprintf("Candidate %q appears twice", c.ID)}
			}
			candidates[c.ID] = c.Name
		}
	}
	for _, el := range rep.Election {
		for _, ct := range el.Contest {
			if ct.Name != src.ContestID || contestID != "" {
				continue
			}
			contestID = ct.ID
			for _, cs := range ct.ContestSelection {
				if _, dup := selections[cs.ID]; dup {
					return &ParseError{File: src.Path, Msg: fmt.Sprintf("ContestSelection %q appears twice", cs.ID)}
				}
				if isTrue(cs.IsWriteIn) {
					selections[cs.ID] = selection{write: true}
					continue
				}
				if len(cs.CandidateIDs) == 0 {
					return &ParseError{File: src.Path, Msg: fmt.Sprintf("ContestSelection %q has no CandidateIds", cs.ID)}
				}
				name, ok := candidates[cs.CandidateIDs[0]]
				if !ok {
					return &ParseError{File: src.Path, Msg: fmt.Sprintf("ContestSelection %q names unknown candidate %q", cs.ID, cs.CandidateIDs[0])}
				}
				selections[cs.ID] = selection{name: name}
			}
		}
	}
	if contestID == "" {
		return &ParseError{File: src.Path, Msg: fmt.Sprintf("contest %q (cvrFileSources contestId) not found", src.ContestID)}
	}
	gpUnits := map[string]string{}
	for _, u := range rep.GpUnit {
		gpUnits[u.ID] = u.Name
	}
	lab := newLabels(cfg, src)
	uwi := int16(cfg.uwiIndex())
	var ms []mark
	for i, cvr := range rep.CVR {
		where := fmt.Sprintf("CVR[%d]", i)
		found, inContest := false, false
		ms = ms[:0]
		for _, snap := range cvr.CVRSnapshot {
			if snap.ID != cvr.CurrentSnapshotID {
				continue
			}
			found = true
			for _, cc := range snap.CVRContest {
				if cc.ContestID != contestID {
					continue
				}
				inContest = true
				for _, sel := range cc.CVRContestSelection {
					s, ok := selections[sel.ContestSelectionID]
					if !ok {
						return &ParseError{File: src.Path, Msg: fmt.Sprintf("%s: ContestSelection %q not in contest", where, sel.ContestSelectionID)}
					}
					cand := func(writeIn bool) (int16, bool) {
						if s.write || writeIn {
							if uwi < 0 { // no write-in label configured
								return lab.resolve(UWIName)
							}
							return uwi, true
						}
						if src.OvervoteLabel != "" && s.name == src.OvervoteLabel {
							return candOvervote, true
						}
						return lab.resolve(s.name)
					}
					if sel.Rank != nil {
						if *sel.Rank < 1 || *sel.Rank > 65535 {
							return &ParseError{File: src.Path, Msg: fmt.Sprintf("%s: rank %d out of range", where, *sel.Rank)}
						}
						if c, ok := cand(false); ok {
							ms = append(ms, mark{rank: uint16(*sel.Rank), cand: c})
						}
						continue
					}
					writeIn := false
					for _, pos := range sel.SelectionPosition {
						if len(pos.CVRWriteIn) > 0 {
							writeIn = true
						}
						if pos.HasIndication == "no" || pos.IsAllocable == "no" {
							continue
						}
						if pos.Rank == nil {
							return &ParseError{File: src.Path, Msg: fmt.Sprintf("%s: SelectionPosition has no Rank", where)}
						}
						if *pos.Rank < 1 || *pos.Rank > 65535 {
							return &ParseError{File: src.Path, Msg: fmt.Sprintf("%s: rank %d out of range", where, *pos.Rank)}
						}
						if c, ok := cand(writeIn); ok {
							ms = append(ms, mark{rank: uint16(*pos.Rank), cand: c})
						}
					}
				}
			}
		}
		if !found {
			return &ParseError{File: src.Path, Msg: fmt.Sprintf("%s: current snapshot %q not found", where, cvr.CurrentSnapshotID)}
		}
		if inContest { // records without this contest are not its ballots
			precinct := ""
			if cvr.BallotStyleUnitID != "" {
				name, ok := gpUnits[cvr.BallotStyleUnitID]
				if !ok {
					return &ParseError{File: src.Path, Msg: fmt.Sprintf("%s: GpUnit %q not found", where, cvr.BallotStyleUnitID)}
				}
				precinct = name
			}
			// RCTab's id for a CDF record is "<file>(<n>)" (records.go)
			out.addRecord(ms, cvrInfo{id: fmt.Sprintf("%s(%d)", sanitizeForOutput(filepath.Base(src.Path)), i+1), vendorID: cvr.BallotPrePrintedID, precinct: precinct, spell: lab.takeSpellings()})
		}
	}
	return lab.err(src.Path)
}
