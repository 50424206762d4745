package eventsapi

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// handleAttendancesList serves GET /api/v1/events/{id}/attendances
// (osdi:attendances): the answers to the event, oldest first.
func (h *Handler) handleAttendancesList(w http.ResponseWriter, r *http.Request) {
	p := hal.PageFrom(r.URL.Query())
	rs, total, err := h.svc.APIAttendances(r.Context(), r.PathValue("id"), p.Offset(), p.Size)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]Attendance, 0, len(rs))
	for i := range rs {
		items = append(items, h.attendance(&rs[i]))
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:attendances", p, total, items))
}

// handleAttendanceGet serves GET /api/v1/events/{id}/attendances/{person}.
func (h *Handler) handleAttendanceGet(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.APIAttendance(r.Context(), r.PathValue("id"), r.PathValue("person"))
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.attendance(a))
}

// AttendanceInput is the body of OSDI's record attendance helper.
type AttendanceInput struct {
	Person   PersonInput `json:"person"`
	Status   string      `json:"status"`
	Attended bool        `json:"attended"`
	// Consent carries the words the person agreed to; it is required when
	// an email address is sent with status "subscribed", and only then is
	// email consent granted.
	Consent *struct {
		Wording string `json:"wording"`
	} `json:"consent"`
}

// PersonInput is the part of an OSDI person the helper reads.
type PersonInput struct {
	GivenName      string `json:"given_name"`
	FamilyName     string `json:"family_name"`
	EmailAddresses []struct {
		Address string `json:"address"`
		Primary bool   `json:"primary"`
		Status  string `json:"status"`
	} `json:"email_addresses"`
	PhoneNumbers []struct {
		Number  string `json:"number"`
		Primary bool   `json:"primary"`
	} `json:"phone_numbers"`
	PostalAddresses []struct {
		Primary    bool   `json:"primary"`
		PostalCode string `json:"postal_code"`
	} `json:"postal_addresses"`
}

// attendanceFields maps the service's field names to the helper's.
var attendanceFields = map[string]string{
	"name":     "person.given_name",
	"email":    "person.email_addresses.address",
	"phone":    "person.phone_numbers.number",
	"postcode": "person.postal_addresses.postal_code",
	"consent":  "consent.wording",
}

// handleRecordAttendance serves POST
// /api/v1/events/{id}/record_attendance_helper: the person is matched by
// email, else phone, or created, then their answer or attendance recorded.
// 201 when they had not answered the event before.
func (h *Handler) handleRecordAttendance(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var in AttendanceInput
	if err := decodeJSON(w, r, &in); err != nil {
		fail(w, r, err)
		return
	}
	a := events.Attendance{Name: in.Person.GivenName + " " + in.Person.FamilyName, Status: in.Status,
		Attended: in.Attended, Source: source(ctx)}
	if in.Status == "needs action" {
		fail(w, r, errs.Fields(map[string]string{"status": "Say accepted, tentative or declined: \"needs action\" is not an answer."}))
		return
	}
	for i, e := range in.Person.EmailAddresses {
		if e.Primary || i == 0 {
			a.Email = e.Address
			a.EmailConsent = e.Status == "subscribed"
		}
		if e.Primary {
			break
		}
	}
	for i, n := range in.Person.PhoneNumbers {
		if n.Primary || i == 0 {
			a.Phone = n.Number
		}
		if n.Primary {
			break
		}
	}
	for i, p := range in.Person.PostalAddresses {
		if p.Primary || i == 0 {
			a.Postcode = p.PostalCode
		}
		if p.Primary {
			break
		}
	}
	if in.Consent != nil {
		a.ConsentWording = in.Consent.Wording
	}
	rsvp, created, err := h.svc.RecordAttendance(ctx, r.PathValue("id"), a)
	if err != nil {
		fail(w, r, renameFields(err, attendanceFields))
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		w.Header().Set("Location", h.base+"/events/"+rsvp.EventID+"/attendances/"+rsvp.PersonID)
	}
	hal.Write(w, status, h.attendance(rsvp))
}
