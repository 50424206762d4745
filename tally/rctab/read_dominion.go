package rctab

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
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

// readDominion reads a Dominion export folder: every CvrExport*.json in
// it (CvrExport.json, or CvrExport_1.json, _2, ... whose numbers may
// start anywhere and have gaps) plus its contest and candidate manifests.
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
	files, err := dominionExports(src.Path)
	if err != nil {
		return err
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

// dominionExports lists a folder's CvrExport*.json files: CvrExport.json
// first, then the numbered ones in numeric order (_2 before _10), then any
// other name in name order.
func dominionExports(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &ParseError{File: dir, Msg: "not a readable Dominion export folder: " + errText(err)}
	}
	type export struct {
		name string
		num  int // -1 for CvrExport.json, max int for an unnumbered name
	}
	var exports []export
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, "CvrExport") || !strings.HasSuffix(name, ".json") {
			continue
		}
		x := export{name: name, num: math.MaxInt}
		mid := strings.TrimSuffix(strings.TrimPrefix(name, "CvrExport"), ".json")
		if mid == "" {
			x.num = -1
		} else if n, err := strconv.Atoi(strings.TrimPrefix(mid, "_")); err == nil && strings.HasPrefix(mid, "_") && n >= 0 {
			x.num = n
		}
		exports = append(exports, x)
	}
	if len(exports) == 0 {
		return nil, &ParseError{File: dir, Msg: "no CvrExport*.json file (neither CvrExport.json nor CvrExport_N.json) in the folder"}
	}
	sort.Slice(exports, func(i, j int) bool {
		if exports[i].num != exports[j].num {
			return exports[i].num < exports[j].num
		}
		return exports[i].name < exports[j].name
	})
	files := make([]string, len(exports))
	for i, x := range exports {
		files[i] = filepath.Join(dir, x.name)
	}
	return files, nil
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
