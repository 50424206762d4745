package messagingweb

import (
	"net/http"
	"net/url"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

func (h *Handler) handleSettings(w http.ResponseWriter, r *http.Request) {
	st, err := h.svc.Settings(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	// Reading the settings is open to organisers (their pages say whether
	// approval is needed); this page is the admins' place to change them.
	if v := web.ViewerFrom(r.Context()); v == nil || !v.IsAdmin {
		h.rend.Error(w, r, errForbiddenSettings)
		return
	}
	v := url.Values{}
	if st.ApproveGroups {
		v.Set("approve_groups", "true")
	}
	if st.Track {
		v.Set("track", "true")
	}
	h.rend.Page(w, r, http.StatusOK, "messages/settings", web.Page{Title: "Messaging settings", Form: web.NewForm(v)})
}

func (h *Handler) handleSettingsSave(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	st := messaging.Settings{ApproveGroups: checked(r.PostForm.Get("approve_groups")), Track: checked(r.PostForm.Get("track"))}
	if err := h.svc.SaveSettings(r.Context(), st); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/messaging", "The messaging settings are saved.")
}

func checked(v string) bool {
	switch v {
	case "true", "on", "1", "yes":
		return true
	}
	return false
}

var errForbiddenSettings = errs.E(errs.Forbidden, "Only the network's admins can change the messaging settings.")
