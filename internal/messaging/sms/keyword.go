package sms

import "strings"

// Actions a reply asks for.
const (
	ActionNone  = "none"  // anything else: recorded, nothing changes
	ActionStop  = "stop"  // STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT
	ActionStart = "start" // START, YES, UNSTOP
	ActionHelp  = "help"  // HELP, INFO
)

// Keyword reads a reply the way Twilio's default opt-out handling does
// (https://help.twilio.com/articles/223134027): the whole message, trimmed
// and in any case, must be one of the keywords; "stop" is STOP, "please stop
// texting me" is not. Trailing punctuation ("STOP.", "Stop!") is ignored, as
// phones add it.
func Keyword(body string) string {
	w := strings.ToUpper(strings.TrimSpace(body))
	w = strings.TrimRight(w, ".! ")
	switch w {
	case "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE", "STOP ALL":
		return ActionStop
	case "START", "YES", "UNSTOP":
		return ActionStart
	case "HELP", "INFO":
		return ActionHelp
	}
	return ActionNone
}
