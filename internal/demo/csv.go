package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CSV writes the network's people as a spreadsheet a campaign would leave
// behind (one row per donation for donors), in the headers the importer
// recognises. The demo is loaded through the real importer from this file.
func (nw Network) CSV(now time.Time) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"First name", "Last name", "Email", "Mobile", "Town", "Postcode", "Latitude", "Longitude",
		"Membership status", "Tags", "Email opt-in", "SMS opt-in", "Phone opt-in", "Post opt-in",
		"Donation amount", "Donation date", "Donation id"})
	yes := func(s string) string {
		switch s {
		case "granted":
			return "yes"
		case "withdrawn":
			return "no"
		}
		return ""
	}
	for _, p := range nw.People {
		status := "supporter"
		switch {
		case p.Member:
			status = "member"
		case p.Lapsed:
			status = "lapsed"
		}
		row := []string{p.GivenName, p.FamilyName, p.Email, p.Phone, p.Town, p.Postcode,
			strconv.FormatFloat(p.Lat, 'f', 5, 64), strconv.FormatFloat(p.Lng, 'f', 5, 64),
			status, strings.Join(p.Tags, ";"),
			yes(p.Consent["email"]), yes(p.Consent["sms"]), yes(p.Consent["phone"]), yes(p.Consent["post"]),
			"", "", ""}
		if len(p.Donations) == 0 {
			w.Write(row)
			continue
		}
		for _, d := range p.Donations {
			r := append([]string(nil), row...)
			r[14] = fmt.Sprintf("%d.%02d", d.AmountPence/100, d.AmountPence%100)
			r[15] = now.AddDate(0, 0, -d.DaysAgo).Format("2006-01-02")
			r[16] = d.ID
			w.Write(r)
		}
	}
	w.Flush()
	return b.Bytes()
}
