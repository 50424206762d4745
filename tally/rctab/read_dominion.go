package rctab

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Dominion "CvrExport.json" sessions; manifests sit beside it.
type dominionExport struct {
	Sessions []struct {
		TabulatorID int             `json:"TabulatorId"`
		BatchID     int             `json:"BatchId"`
		RecordID    int             `json:"RecordId"`
		Original    *dominionRecord `json:"Original"`
		Modified    *dominionRecord `json:"Modified"`
	} `json:"Sessions"`
}

type dominionRecord struct {
	IsCurrent  bool           `json:"IsCurrent"`
	PrecinctID *int           `json:"PrecinctId"`
	Cards      []dominionCard `json:"Cards"`
	Contests   []dominionContest

	PrecinctPortionID *int `json:"PrecinctPortionId"` // for CDF output and conversions
}

type dominionCard struct {
	Contests []dominionContest `json:"Contests"`
}

type dominionContest struct {
	ID    int `json:"Id"`
	Marks []struct {
		CandidateID int  `json:"CandidateId"`
		Rank        int  `json:"Rank"`
		IsAmbiguous bool `json:"IsAmbiguous"`
	} `json:"Marks"`
}

type dominionManifest struct {
	List []struct {
		ID          int    `json:"Id"`
		Description string `json:"Description"`
		ContestID   int    `json:"ContestId"`
	} `json:"List"`
}

// readDominion reads a Dominion export folder: CvrExport.json (or
// CvrExport_1.json, _2, ...) plus its contest and candidate manifests.
// Candidates appear in the records by numeric id, which the config maps to
// names through aliases, as RCTab does.
func readDominion(cfg *Config, src *Source, out *Ballots) error {
	var contests, candidates, precincts dominionManifest
	if err := readJSONFile(filepath.Join(src.Path, "ContestManifest.json"), &contests); err != nil {
		return err
	}
	if err := readJSONFile(filepath.Join(src.Path, "CandidateManifest.json"), &candidates); err != nil {
		return err
	}
	precinctName := map[int]string{}
	if _, err := os.Stat(filepath.Join(src.Path, "PrecinctManifest.json")); err == nil {
		if err := readJSONFile(filepath.Join(src.Path, "PrecinctManifest.json"), &precincts); err != nil {
			return err
		}
		for _, p := range precincts.List {
			precinctName[p.ID] = p.Description
		}
	}
	// precinct portions name each record's portion in conversions (records.go)
	portionName := map[int]string{}
	if _, err := os.Stat(filepath.Join(src.Path, "PrecinctPortionManifest.json")); err == nil {
		var portions dominionManifest
		if err := readJSONFile(filepath.Join(src.Path, "PrecinctPortionManifest.json"), &portions); err != nil {
			return err
		}
		for _, p := range portions.List {
			portionName[p.ID] = p.Description
		}
	}
	known := false
	for _, c := range contests.List {
		if strconv.Itoa(c.ID) == src.ContestID {
			known = true
		}
	}
	if !known {
		return &ParseError{File: filepath.Join(src.Path, "ContestManifest.json"), Msg: fmt.Sprintf("contest %q (cvrFileSources contestId) not found", src.ContestID)}
	}
	valid := map[int]bool{}
	for _, c := range candidates.List {
		if strconv.Itoa(c.ContestID) == src.ContestID {
			valid[c.ID] = true
		}
	}
	files := []string{filepath.Join(src.Path, "CvrExport.json")}
	if _, err := os.Stat(files[0]); err != nil {
		files = nil
		for i := 1; ; i++ {
			p := filepath.Join(src.Path, fmt.Sprintf("CvrExport_%d.json", i))
			if _, err := os.Stat(p); err != nil {
				break
			}
			files = append(files, p)
		}
		if len(files) == 0 {
			return &ParseError{File: src.Path, Msg: "neither CvrExport.json nor CvrExport_1.json exists"}
		}
	}
	lab := newLabels(cfg, src)
	for _, f := range files {
		var exp dominionExport
		if err := readJSONFile(f, &exp); err != nil {
			return err
		}
		for i, s := range exp.Sessions {
			rec := s.Original
			if rec == nil {
				return &ParseError{File: f, Msg: fmt.Sprintf("Sessions[%d]: no Original record", i)}
			}
			if !rec.IsCurrent {
				if s.Modified == nil {
					continue // RCTab skips records with no adjudicated version
				}
				rec = s.Modified
			}
			precinct := ""
			if rec.PrecinctID != nil {
				name, ok := precinctName[*rec.PrecinctID]
				if !ok {
					return &ParseError{File: f, Msg: fmt.Sprintf("Sessions[%d]: precinct id %d is not in PrecinctManifest.json", i, *rec.PrecinctID)}
				}
				precinct = name
			}
			cards := rec.Cards
			if cards == nil {
				cards = []dominionCard{{Contests: rec.Contests}}
			}
			for _, card := range cards {
				for _, ct := range card.Contests {
					if strconv.Itoa(ct.ID) != src.ContestID {
						continue
					}
					var ms []mark
					for _, m := range ct.Marks {
						if m.IsAmbiguous {
							continue
						}
						if m.Rank < 1 || m.Rank > 65535 {
							return &ParseError{File: f, Msg: fmt.Sprintf("Sessions[%d]: rank %d out of range", i, m.Rank)}
						}
						id := strconv.Itoa(m.CandidateID)
						if id != src.UndeclaredWriteInLabel && !valid[m.CandidateID] {
							return &ParseError{File: f, Msg: fmt.Sprintf("Sessions[%d]: candidate id %s is not in contest %s", i, id, src.ContestID)}
						}
						if c, ok := lab.resolve(id); ok {
							ms = append(ms, mark{rank: uint16(m.Rank), cand: c})
						}
					}
					info := cvrInfo{ // RCTab's id is "<tabulator>-<batch>-<record>" (records.go)
						id:        fmt.Sprintf("%d-%d-%d", s.TabulatorID, s.BatchID, s.RecordID),
						vendorID:  strconv.Itoa(s.RecordID),
						contestID: src.ContestID, tabulator: strconv.Itoa(s.TabulatorID),
						batch: strconv.Itoa(s.BatchID), precinct: precinct, spell: lab.takeSpellings(),
					}
					if rec.PrecinctPortionID != nil {
						info.portion = portionName[*rec.PrecinctPortionID]
					}
					out.addRecord(ms, info)
				}
			}
		}
	}
	return lab.err(src.Path)
}

func readJSONFile(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("rctab: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, _ := lineCol(data, se.Offset)
			return &ParseError{File: path, Line: line, Msg: "invalid JSON: " + se.Error()}
		case errors.As(err, &te):
			line, _ := lineCol(data, te.Offset)
			return &ParseError{File: path, Line: line, Msg: fmt.Sprintf("field %s: want %s, got %s", te.Field, te.Type, te.Value)}
		}
		return &ParseError{File: path, Msg: "invalid JSON: " + err.Error()}
	}
	return nil
}
