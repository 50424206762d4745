// Package messagingapi serves broadcasts through the OSDI API (HAL+JSON
// under /api/v1) in the shape Action Network gives its messages: a
// collection of messages, each with its targets and statistics, and the
// send and schedule helpers. It owns no records and no SQL: each handler
// parses the request, calls one messaging.Service method (which checks
// permission, opens the transaction and writes the audit record) and
// writes the resource with platform/hal.
//
// Who may do what is the service's rule: a network token (or an admin's
// session) reads and sends every message; a token scoped to a group acts as
// that group's organiser: it creates messages from its group only, to
// people inside it, and reads and sends its group's messages only. A
// message the caller may not see is 404.
//
// # Messages (osdi:messages)
//
//	OSDI / Momentum field        messaging.Broadcast
//	identifiers                  ["momentum:<id>"]
//	origin_system                "Momentum"
//	created_date, modified_date  CreatedAt, UpdatedAt (UTC)
//	subject                      Subject (name is sent back equal to it; a
//	                             client that sends only name sets the subject)
//	body                         Body: Markdown with {{first_name}}, {{group}}
//	                             and {{next_event}} (Action Network's is HTML)
//	from                         FromName, shown beside the network's address
//	reply_to                     ReplyTo
//	type                         Channel: "email" (default) or "sms"
//	targets                      Targets, each one of
//	                               {"href": ".../api/v1/lists/<id>"}      a saved list
//	                               {"href": ".../api/v1/groups/<id>"}     a group's members
//	                               {"href": ".../api/v1/events/<id>"}     who said yes to an event
//	                               {"href": ".../api/v1/decisions/<id>"}  a decision's electorate
//	                               {"href": ".../api/v1/tags/<id>"}       people with a tag (sent
//	                                                                     back as momentum:tag)
//	                               {"momentum:tag": "volunteer"}          the same, by name
//	                               {"momentum:filter": "group=…&tag=…"}   a people filter (the
//	                                                                     people page's query)
//	                             Momentum has no saved queries: a link to
//	                             .../queries/<id> is a 400 saying so.
//	total_targeted               how many people it reaches: fixed when
//	                             sending began; before, counted now on a
//	                             single message (left out in collections,
//	                             and when the draft cannot be counted, e.g.
//	                             its list was deleted)
//	status                       draft, scheduled, sending, stopped or sent
//	                             (approval is draft; paused and cancelled
//	                             are stopped)
//	momentum:status              Status exactly: draft, approval, scheduled,
//	                             sending, paused, sent, cancelled
//	scheduled_start_date         SendAt, while scheduled
//	sent_start_date, sent_end_date StartedAt, FinishedAt
//	administrative_url           <site>/messages/<id>
//	statistics                   sent, unsubscribed, bounced, spam_reports
//	                             (complaints); opened and clicked only when
//	                             momentum:tracked (opens and clicks are a
//	                             network setting, off by default);
//	                             momentum:failed, momentum:skipped,
//	                             momentum:queued
//	_links                       self, osdi:send_helper, osdi:schedule_helper,
//	                             momentum:group (a group's message)
//
// Action Network also links a wrapper and a recipients list: Momentum has
// one mail template and no recipients resource, so neither is linked.
//
// POST /api/v1/messages creates a draft from group_id= (a group token's own
// group when it gives none; a network token without group_id= writes from
// the network). PUT lays the fields sent over a draft (a scheduled message
// goes back to draft); a message never moves to another group. Validation
// errors name the JSON fields (subject, from, targets[0].href,
// scheduled_start_date). GET /api/v1/messages pages newest first and takes
// group_id= and status= (a momentum:status).
//
// # Helpers
//
//	POST   /api/v1/messages/{id}/send      send now (or ask an admin first,
//	                                       when the network wants that for
//	                                       group messages); body {} or none
//	DELETE /api/v1/messages/{id}/send      stop a message being sent, for good
//	POST   /api/v1/messages/{id}/schedule  {"scheduled_start_date":
//	                                       "2026-12-08T09:00:00Z"}: an RFC 3339
//	                                       time, UTC when it has no offset
//	DELETE /api/v1/messages/{id}/schedule  a scheduled message back to draft
//
// Action Network answers the helpers with {"message": "…"}; Momentum answers
// with the message itself as it is after the action (its momentum:status
// says what happened), which a client can act on without another request.
//
// It imports messaging and platform packages (auth, errs, hal) only.
package messagingapi
