package eventsapi

import (
	"net/http"
	"strings"

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

// handleAttendanceGet serves GET /api/v1/events/{id}/attendances/{attendance}:
// the attendance's id (events.AttendanceID), or the person's id as the
// URL had it before issue 14.
func (h *Handler) handleAttendanceGet(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.APIAttendanceByID(r.Context(), r.PathValue("id"), r.PathValue("attendance"))
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.attendance(a))
}

// AttendanceInput is the body of Action Network's record attendance
// helper (POST /events/{id}/attendances): the person, with add_tags.
// Momentum also reads status, attended and consent.wording.
type AttendanceInput struct {
	Person  SignupPerson `json:"person"`
	AddTags []string     `json:"add_tags"`
	// Status is accepted (the default, as on Action Network), tentative
	// or declined.
	Status   string `json:"status"`
	Attended bool   `json:"attended"`
	// Consent carries the words the person agreed to: what a "subscribed"
	// email address or phone number is recorded with.
	Consent *struct {
		Wording string `json:"wording"`
	} `json:"consent"`
}

// handleRecordAttendance serves POST /api/v1/events/{id}/attendances,
// Action Network's record attendance helper, and its older address
// /record_attendance_helper: in one transaction the person is matched by
// email, else phone, or created, tagged, their consent recorded, then
// their answer or attendance recorded; a refusal writes nothing. 200 with
// the attendance, as Action Network answers; Location when it is new.
func (h *Handler) handleRecordAttendance(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var in AttendanceInput
	if err := decodeJSON(w, r, &in); err != nil {
		fail(w, r, err)
		return
	}
	status := in.Status
	if status == "" && !in.Attended {
		status = events.Accepted
	}
	if status == "needs action" {
		fail(w, r, errs.Fields(map[string]string{"status": "Say accepted, tentative or declined: \"needs action\" is not an answer."}))
		return
	}
	wording := ""
	if in.Consent != nil {
		wording = strings.TrimSpace(in.Consent.Wording)
	}
	su, err := in.Person.signup(ctx, in.AddTags, consentWording(ctx, wording), source(ctx))
	if err != nil {
		fail(w, r, err)
		return
	}
	rsvp, created, err := h.svc.SignupAttendance(ctx, r.PathValue("id"), su, status, in.Attended, source(ctx))
	if err != nil {
		fail(w, r, renameSignupFields(err))
		return
	}
	// 200 either way, as Action Network answers its helpers; Location
	// says the attendance is new.
	code := http.StatusOK
	if created {
		w.Header().Set("Location", h.base+"/events/"+rsvp.EventID+"/attendances/"+events.AttendanceID(rsvp.EventID, rsvp.PersonID))
	}
	hal.Write(w, code, h.attendance(rsvp))
}

// handlePersonAttendances serves GET /api/v1/people/{id}/attendances: the
// person's answers to the events the caller may see, newest first.
func (h *Handler) handlePersonAttendances(w http.ResponseWriter, r *http.Request) {
	p := hal.PageFrom(r.URL.Query())
	rs, total, err := h.svc.APIPersonAttendances(r.Context(), r.PathValue("id"), p.Offset(), p.Size)
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
