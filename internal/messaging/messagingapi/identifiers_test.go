package messagingapi

import (
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// TestIdentifiersEndWithTheURLID (issue 14): a message's identifier and
// each target link end with the id its URL uses, so a client that takes
// the last colon-part (or the part after "momentum:") requests the right
// resource.
func TestIdentifiersEndWithTheURLID(t *testing.T) {
	h := testHandler()
	id := "0190abcd-0000-7000-8000-000000000001"
	b := &messaging.Broadcast{ID: id, Subject: "Hello", Status: messaging.StatusDraft, CreatedAt: time.Now(), UpdatedAt: time.Now(),
		Targets: []messaging.Target{{Kind: messaging.TargetList, ID: "l1"}}}
	m := h.message(b, nil, -1)
	if len(m.Identifiers) != 1 {
		t.Fatalf("identifiers = %v", m.Identifiers)
	}
	parts := strings.Split(m.Identifiers[0], ":")
	last := parts[len(parts)-1]
	self := m.Links["self"].(hal.Link).Href
	if last != id || !strings.HasSuffix(self, "/messages/"+last) || parts[0] != "momentum" {
		t.Errorf("identifier %q, self %q", m.Identifiers[0], self)
	}
	if got := m.Targets[0].Href; !strings.HasSuffix(got, "/lists/l1") {
		t.Errorf("target = %q", got)
	}
}
