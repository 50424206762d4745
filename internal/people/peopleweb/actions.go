package peopleweb

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// The sections of a person's record, which are also the anchors its forms
// return to.
const (
	secMembership = "membership"
	secConsent    = "consent"
	secTags       = "tags"
	secNotes      = "notes"
	secDonations  = "donations"
)

func (h *Handler) handleMembership(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	err := h.svc.SetMembership(r.Context(), r.PathValue("id"), r.PostForm.Get("status"))
	h.done(w, r, secMembership, err, "Membership status changed.")
}

func (h *Handler) handleConsent(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	f := r.PostForm
	err := h.svc.SetConsent(r.Context(), r.PathValue("id"), people.Consent{
		Channel: f.Get("channel"), Status: f.Get("status"), Source: f.Get("source"), Wording: f.Get("wording")})
	h.done(w, r, secConsent, err, "Consent recorded.")
}

func (h *Handler) handleTag(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	err := h.svc.Tag(r.Context(), r.PathValue("id"), r.PostForm.Get("tag"))
	h.done(w, r, secTags, err, "Tag added.")
}

func (h *Handler) handleUntag(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	err := h.svc.Untag(r.Context(), r.PathValue("id"), r.PathValue("tag"))
	h.done(w, r, secTags, err, "Tag removed.")
}

func (h *Handler) handleNote(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	_, err := h.svc.AddNote(r.Context(), r.PathValue("id"), strings.TrimSpace(r.PostForm.Get("group")), r.PostForm.Get("body"))
	h.done(w, r, secNotes, err, "Note added.")
}

func (h *Handler) handleDonation(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	d, err := parseDonation(r.PostForm.Get("amount"), r.PostForm.Get("donated_at"))
	if err == nil {
		d.Currency, d.Source, d.ExternalID = r.PostForm.Get("currency"), r.PostForm.Get("donation_source"), r.PostForm.Get("external_id")
		err = h.svc.AddDonation(r.Context(), r.PathValue("id"), d)
	}
	h.done(w, r, secDonations, donationFields(err), "Donation recorded.")
}

// donationFields renames the service's field errors to the form's fields:
// the form asks for pounds, not pence, and its source field is named apart
// from the consent form's on the same page.
func donationFields(err error) error {
	fs := errs.FieldsOf(err)
	if len(fs) == 0 {
		return err
	}
	rename := map[string]string{"amount_pence": "amount", "source": "donation_source"}
	out := map[string]string{}
	for k, v := range fs {
		if n, ok := rename[k]; ok {
			k = n
		}
		out[k] = v
	}
	return errs.Fields(out)
}

// parseDonation reads an amount in pounds ("12.50", "£12") and a date
// (YYYY-MM-DD, or empty for today). Errors: errs.Fields naming amount or
// donated_at.
func parseDonation(amount, date string) (people.Donation, error) {
	var d people.Donation
	bad := map[string]string{}
	a := strings.TrimPrefix(strings.ReplaceAll(strings.TrimSpace(amount), ",", ""), "£")
	pounds, err := strconv.ParseFloat(a, 64)
	if err != nil || pounds <= 0 || pounds > 1e9 || math.IsNaN(pounds) {
		bad["amount"] = "Give an amount in pounds above zero, like 12.50."
	} else {
		d.AmountPence = int64(math.Round(pounds * 100))
	}
	if date = strings.TrimSpace(date); date != "" {
		t, err := time.Parse(time.DateOnly, date)
		if err != nil {
			bad["donated_at"] = "Give the date as YYYY-MM-DD."
		}
		d.DonatedAt = t
	}
	return d, errs.Fields(bad)
}
