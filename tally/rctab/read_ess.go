package rctab

import "strings"

// readESS reads an ES&S cast vote record workbook: one row per ballot,
// rankings in consecutive columns starting at firstVoteColumnIndex.
func readESS(cfg *Config, src *Source, out *Ballots) error {
	lab := newLabels(cfg, src)
	first := src.FirstVoteCol - 1 // 0-based
	maxRanks := cfg.MaxRankings
	var ms []mark
	err := readXLSXRows(src.Path, func(row xlsxRow) error {
		if row.index < src.FirstVoteRow {
			return nil
		}
		ms = ms[:0]
		precinct := ""
		if src.PrecinctCol > 0 {
			precinct = "missing_precinct_id" // RCTab's name for a blank precinct cell
		}
		lastRank := 0
		fillBlanks := func(upTo int) {
			if !src.TreatBlankAsUndeclaredWriteIn {
				return
			}
			for r := lastRank + 1; r < upTo; r++ {
				ms = append(ms, mark{rank: uint16(r), cand: int16(cfg.uwiIndex())})
			}
		}
		// batch and the vendor's id, for batch reports and CDF output (records.go)
		batch, vendorID := "", ""
		if src.BatchCol > 0 {
			batch = "missing_batch_id"
		}
		for _, cell := range row.cells {
			if src.PrecinctCol > 0 && cell.col == src.PrecinctCol-1 {
				precinct = cell.value
			}
			if src.BatchCol > 0 && cell.col == src.BatchCol-1 {
				batch = cell.value
			}
			if src.IDCol > 0 && cell.col == src.IDCol-1 {
				vendorID = cell.value
			}
			if cell.col < first || cell.col >= first+maxRanks {
				continue
			}
			rank := cell.col - first + 1
			text := strings.TrimSpace(cell.value)
			if text == "" {
				continue // a blank cell is an empty ranking, filled below if asked
			}
			fillBlanks(rank)
			lastRank = rank
			parts := []string{text}
			if src.OvervoteDelimiter != "" {
				parts = strings.Split(text, src.OvervoteDelimiter)
			}
			for _, p := range parts {
				p = strings.TrimSpace(p)
				if p == "" {
					continue
				}
				if c, ok := lab.resolve(p); ok {
					ms = append(ms, mark{rank: uint16(rank), cand: c})
				}
			}
		}
		fillBlanks(maxRanks + 1)
		out.addRecord(ms, cvrInfo{vendorID: vendorID, precinct: precinct, batch: batch, spell: lab.takeSpellings()})
		return nil
	})
	if err != nil {
		return err
	}
	return lab.err(src.Path)
}
