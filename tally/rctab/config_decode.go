package rctab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Reading the configuration JSON the way RCTab's Jackson reader does, but
// with errors a person can act on: a syntax error names its line and
// column, a value of the wrong type names the field's JSON path. Jackson
// ignores unknown keys, takes "true"/"false" strings for booleans and
// numbers for strings, and lets a repeated key's last value win; so do we.

var flexStringType = reflect.TypeOf(flexString(""))

// decodeRawConfig parses data into a RawConfig. Problems with the file as
// a whole (empty, not JSON) come back alone and without a field; values of
// the wrong type are all reported, each with its JSON path, and the rest of
// the file is still decoded so that it can be validated too.
func decodeRawConfig(data []byte) (RawConfig, []*ConfigError) {
	var raw RawConfig
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte order mark, as Windows editors write
	if len(bytes.TrimSpace(data)) == 0 {
		return raw, []*ConfigError{{Msg: "the file is empty; want a JSON object with outputSettings, cvrFileSources, candidates and rules"}}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			line, col := lineCol(data, max(se.Offset-1, 0)) // Offset counts the offending byte
			return raw, []*ConfigError{{Line: line, Column: col, Msg: "not valid JSON: " + se.Error()}}
		case errors.Is(err, io.ErrUnexpectedEOF):
			line, col := lineCol(data, int64(len(bytes.TrimRight(data, " \t\r\n"))))
			return raw, []*ConfigError{{Line: line, Column: col, Msg: "not valid JSON: the file ends inside an object, a list or a string"}}
		}
		return raw, []*ConfigError{{Msg: "not valid JSON"}}
	}
	if _, ok := tree.(map[string]any); !ok {
		return raw, []*ConfigError{{Msg: "want a JSON object with outputSettings, cvrFileSources, candidates and rules, got " + describeJSON(tree)}}
	}
	var probs problems
	tree = checkJSON("", reflect.TypeOf(raw), tree, &probs)
	clean, err := json.Marshal(tree)
	if err == nil {
		err = json.Unmarshal(clean, &raw)
	}
	if err != nil {
		// checkJSON leaves only values of the right type, so this is a bug
		probs.add("", "cannot be decoded: %v", err)
	}
	return raw, probs
}

// checkJSON checks that v fits Go type t (a RawConfig field), recording a
// problem for each value that does not and replacing it with null. It
// returns v with booleans written as strings made real booleans, numbers
// for strings made strings, and keys RawConfig does not know dropped.
func checkJSON(path string, t reflect.Type, v any, probs *problems) any {
	if v == nil {
		return nil
	}
	switch {
	case t == flexStringType:
		switch v.(type) {
		case string, json.Number:
			return v
		}
		probs.add(path, "want a number or a string, got %s", describeJSON(v))
		return nil
	case t.Kind() == reflect.String:
		switch x := v.(type) {
		case string:
			return x
		case json.Number:
			return x.String()
		}
		probs.add(path, "want a string, got %s", describeJSON(v))
		return nil
	case t.Kind() == reflect.Bool:
		switch x := v.(type) {
		case bool:
			return x
		case string:
			switch strings.TrimSpace(x) {
			case "true", "True", "TRUE":
				return true
			case "false", "False", "FALSE":
				return false
			}
		}
		probs.add(path, "want true or false, got %s", describeJSON(v))
		return nil
	case t.Kind() == reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			probs.add(path, "want a list, got %s", describeJSON(v))
			return nil
		}
		for i := range list {
			list[i] = checkJSON(fmt.Sprintf("%s[%d]", path, i), t.Elem(), list[i], probs)
		}
		return list
	case t.Kind() == reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			probs.add(path, "want an object, got %s", describeJSON(v))
			return nil
		}
		known := map[string]bool{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if key == "" || key == "-" {
				continue
			}
			known[key] = true
			if x, ok := obj[key]; ok {
				obj[key] = checkJSON(joinPath(path, key), f.Type, x, probs)
			}
		}
		for k := range obj {
			if !known[k] {
				delete(obj, k) // Jackson ignores unknown keys; Go would match them case-insensitively
			}
		}
		return obj
	}
	return v
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// describeJSON names a JSON value briefly for an error message.
func describeJSON(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprint(x)
	case json.Number:
		return x.String()
	case string:
		if r := []rune(x); len(r) > 40 {
			x = string(r[:40]) + "…"
		}
		return fmt.Sprintf("%q", x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%v", v)
}
