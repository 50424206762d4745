package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

const importHelp = `Usage: momentum import <people|postcodes> [flags] FILE.csv

Subcommands:
  people      import people from a CSV file, merging with the people you have
  postcodes   load postcode district centres (outcode,latitude,longitude)

Run 'momentum import people -h' for the flags.

Example:
  momentum import people members.csv --tag 'Spring petition' --dry-run
`

func runImport(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "people":
			return runImportPeople(ctx, env, args[1:])
		case "postcodes":
			return runImportPostcodes(ctx, env, args[1:])
		case "-h", "--help", "-help":
			fmt.Fprint(env.Stderr, importHelp)
			return errHelpShown
		}
	}
	fmt.Fprint(env.Stderr, importHelp)
	return errUsageShown
}

func runImportPeople(ctx context.Context, env *Env, args []string) error {
	var cf configFlags
	var tags, maps listFlag
	fs := newFlagSet(env, "import people", "FILE.csv",
		`Import people from a CSV file (UTF-8 or Excel's CSV; comma, semicolon or tab
separated). Columns are recognised from common headers (First name, Last
name, Email, Mobile, Postcode, Tags, Email opt-in, Donation amount, …); map
others with --map. People already in the network are matched by email, then
phone: they get what they lack, and are never duplicated. Importing the same
file twice creates nothing the second time; an import that was stopped
carries on where it stopped when run again. A file the server's import
wizard is importing is refused, with the address of that import.

Rejected rows are listed on standard error with their line numbers; the
last line on standard output sums up. Exit status: 0 when the file was
processed (even with rejected rows), 2 when it cannot be read as CSV, 1 on
other errors.`,
		"momentum import people members.csv --tag 'Spring petition' --tag Leeds\nmomentum import people list.csv --dry-run --map 'Mail=email,Who=name,Branch=custom:branch'")
	cf.register(fs, false)
	fs.Var(&tags, "tag", "tag every imported person (repeat for several)")
	fs.Var(&maps, "map", "column mapping 'Column=field,…' (fields: first name, email, phone, postcode, custom:<key>, ignore, …)")
	dryRun := fs.Bool("dry-run", false, "read, check and match the file, and say what would change, without changing anything")
	source := fs.String("source", "", "where these people came from (default: the file name)")
	wording := fs.String("consent-wording", "", "what the people agreed to, word for word, for the consents the file records")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsageShown
	}
	var mapping *peoplecsv.Mapping
	if len(maps) > 0 {
		m, err := parseMapFlag(maps)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		mapping = &m
	}
	cfg, err := cf.load(env)
	if err != nil {
		return err
	}
	svcs, closeAll, err := openServices(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer closeAll()
	im := svcs.Importer
	bar := newProgressBar(env.Stderr, "rows")
	o := peopleio.Options{Tags: tags, Mapping: mapping, DryRun: *dryRun, Source: *source, ConsentWording: *wording, Progress: bar.update}
	res, err := im.ImportFile(cliContext(ctx), pos[0], o)
	bar.done()
	if uw := (*peopleio.UnderWayError)(nil); errors.As(err, &uw) && cfg.BaseURL != "" {
		// The server's wizard has this file under way: name its page in full.
		return fmt.Errorf("%s\n%s/imports/%s", uw.Error(), strings.TrimSuffix(cfg.BaseURL, "/"), uw.Run.ID)
	}
	if err != nil {
		if errs.Is(err, errs.Invalid) { // the file (or an option) cannot be used
			return &exitError{code: 2, err: explain(err)}
		}
		return explain(err)
	}
	if res.Resumed {
		fmt.Fprintln(env.Stderr, "(carried on an import of this file that had stopped part-way)")
	}
	for _, e := range res.Errors {
		fmt.Fprintf(env.Stderr, "line %d: %s\n", e.Line, e.Message)
	}
	if more := res.Rejected - len(res.Errors); more > 0 {
		fmt.Fprintf(env.Stderr, "… and %d more rejected rows (the first %d are listed)\n", more, len(res.Errors))
	}
	if *dryRun {
		fmt.Fprintf(env.Stdout, "would import %d new, update %d, reject %d\n", res.Created, res.Updated, res.Rejected)
	} else {
		fmt.Fprintf(env.Stdout, "imported %d new, updated %d, rejected %d\n", res.Created, res.Updated, res.Rejected)
	}
	return nil
}

// parseMapFlag reads --map 'Column=field,Other=field' (repeatable).
func parseMapFlag(vals []string) (peoplecsv.Mapping, error) {
	spec := map[string]string{}
	for _, v := range vals {
		for _, pair := range strings.Split(v, ",") {
			if strings.TrimSpace(pair) == "" {
				continue
			}
			col, field, ok := strings.Cut(pair, "=")
			if !ok {
				return peoplecsv.Mapping{}, fmt.Errorf("--map: %q should be Column=field", pair)
			}
			spec[strings.TrimSpace(col)] = strings.TrimSpace(field)
		}
	}
	m, err := peoplecsv.ParseMapping(spec)
	if err != nil {
		return m, fmt.Errorf("--map: %w", err)
	}
	return m, nil
}

func runImportPostcodes(ctx context.Context, env *Env, args []string) error {
	var cf configFlags
	fs := newFlagSet(env, "import postcodes", "FILE.csv",
		`Load the centres of UK postcode districts from a CSV file of
outcode,latitude,longitude (a header line is optional), such as the free
ONS-derived outcode lists. "Nearest group to my postcode" uses them.
Districts already known are updated.`,
		"momentum import postcodes outcodes.csv")
	cf.register(fs, false)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsageShown
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	defer f.Close()
	districts, bad, err := readOutcodes(bufio.NewReader(f))
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	cfg, err := cf.load(env)
	if err != nil {
		return err
	}
	d, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	err = d.InTx(ctx, func(tx *db.Tx) error {
		for _, dc := range districts {
			if err := geo.SetDistrict(ctx, tx, dc.Code, dc.Centre, "outcode file"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, b := range bad {
		fmt.Fprintln(env.Stderr, b)
	}
	fmt.Fprintf(env.Stdout, "loaded %d postcode districts, rejected %d\n", len(districts), len(bad))
	return nil
}

// readOutcodes reads outcode,latitude,longitude rows; the header, when
// there is one, may name the columns in another order.
func readOutcodes(r io.Reader) ([]geo.District, []string, error) {
	rd, err := peoplecsv.NewReader(r)
	if err != nil {
		return nil, nil, err
	}
	cols := [3]int{0, 1, 2}
	var rows [][]string
	header := rd.Header()
	named := false
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "outcode", "postcode", "district", "postcode district":
			cols[0], named = i, true
		case "latitude", "lat":
			cols[1], named = i, true
		case "longitude", "lng", "lon", "long":
			cols[2], named = i, true
		}
	}
	if !named {
		rows = append(rows, header) // no header: the first line is data
	}
	lines := []int{1}
	for {
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			continue
		}
		rows, lines = append(rows, row.Fields), append(lines, row.Line)
	}
	if !named {
		lines = append([]int{1}, lines[1:]...)
	} else {
		lines = lines[1:]
	}
	var out []geo.District
	var bad []string
	for i, row := range rows {
		var dc geo.District
		ok := len(row) > cols[0] && len(row) > cols[1] && len(row) > cols[2]
		if ok {
			_, dc.Code, ok = geo.NormalizePostcode(row[cols[0]])
		}
		if ok {
			_, e1 := fmt.Sscan(strings.TrimSpace(row[cols[1]]), &dc.Centre.Lat)
			_, e2 := fmt.Sscan(strings.TrimSpace(row[cols[2]]), &dc.Centre.Lng)
			ok = e1 == nil && e2 == nil && dc.Centre.Valid()
		}
		if !ok {
			bad = append(bad, fmt.Sprintf("line %d: not an outcode with a latitude and longitude: %q", lines[i], strings.Join(row, ",")))
			continue
		}
		out = append(out, dc)
	}
	return out, bad, nil
}

// thousands writes 1234567 as "1,234,567".
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
