package sms

import "testing"

func TestKeyword(t *testing.T) {
	for body, want := range map[string]string{
		"STOP": ActionStop, "stop": ActionStop, "  Stop \n": ActionStop, "STOP.": ActionStop, "Stop!": ActionStop,
		"STOPALL": ActionStop, "unsubscribe": ActionStop, "Cancel": ActionStop, "END": ActionStop, "quit": ActionStop,
		"START": ActionStart, "yes": ActionStart, "Unstop": ActionStart,
		"HELP": ActionHelp, "help ": ActionHelp, "info": ActionHelp,
		"please stop texting me": ActionNone, "STOPPED": ActionNone, "": ActionNone, "See you there": ActionNone,
		"S T O P": ActionNone, "stop\x00": ActionNone,
	} {
		if got := Keyword(body); got != want {
			t.Errorf("Keyword(%q) = %q, want %q", body, got, want)
		}
	}
}
