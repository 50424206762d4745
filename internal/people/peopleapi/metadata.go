package peopleapi

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// handleMetadata serves GET /api/v1/metadata, Action Network's metadata
// resource: the network's name and links to what it describes
// (action_network:custom_fields), with Momentum's vendor fields.
func (h *Handler) handleMetadata(w http.ResponseWriter, r *http.Request) {
	hal.Write(w, http.StatusOK, map[string]any{
		"name":          h.SiteName,
		"vendor_name":   "Momentum",
		"product_name":  "Momentum",
		"osdi_version":  "1.1",
		"max_pagesize":  hal.MaxPageSize,
		"origin_system": originSystem,
		"_links": map[string]any{
			"self":                         h.link("/metadata"),
			"action_network:custom_fields": h.link("/metadata/custom_fields"),
			"curies":                       h.curies,
		},
	})
}

// CustomField is a custom field's definition in Action Network's shape:
// name is the key people's custom_fields use; notes is Momentum's label.
type CustomField struct {
	Name         string   `json:"name"`
	CreatedDate  string   `json:"created_date,omitempty"`
	ModifiedDate string   `json:"modified_date,omitempty"`
	Notes        string   `json:"notes"`
	Kind         string   `json:"momentum:kind"`
	Choices      []string `json:"momentum:choices,omitempty"`
}

// handleCustomFields serves GET /api/v1/metadata/custom_fields: the custom
// fields defined on people (action_network:custom_fields).
func (h *Handler) handleCustomFields(w http.ResponseWriter, r *http.Request) {
	defs, err := h.svc.Fields(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	out := make([]CustomField, 0, len(defs))
	for _, d := range defs {
		out = append(out, CustomField{Name: d.Key, CreatedDate: date(d.CreatedAt), ModifiedDate: date(d.CreatedAt),
			Notes: d.Label, Kind: d.Kind, Choices: d.Choices})
	}
	hal.Write(w, http.StatusOK, map[string]any{
		"action_network:custom_fields": out,
		"_links": map[string]any{
			"self":   h.link("/metadata/custom_fields"),
			"curies": h.curies,
		},
	})
}
