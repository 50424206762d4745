package rctab

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// scanSheet walks worksheet XML with a small purpose-built scanner:
// encoding/xml is correct but several times slower, and a million-ballot
// contest is a dozen of these sheets. Only the elements that carry cell
// values are interpreted (row, c, v, is/t); everything else is skipped.
func scanSheet(file string, data []byte, shared []string, fn func(xlsxRow) error) error {
	var row xlsxRow
	var cell xlsxCell
	var cellType string
	var text []byte
	inRow, inCell, inValue := false, false, false
	lastRow := 0
	fail := func(msg string) error {
		return &ParseError{File: file, Line: lastRow + 1, Msg: "worksheet XML: " + msg}
	}
	for i := 0; i < len(data); {
		lt := bytesIndexByte(data[i:], '<')
		if lt < 0 {
			break
		}
		if inValue {
			text = append(text, data[i:i+lt]...)
		}
		i += lt
		special := i+1 < len(data) && (data[i+1] == '!' || data[i+1] == '?')
		switch {
		case !special:
		case hasPrefixAt(data, i, "<!--"):
			end := indexAt(data, i, "-->")
			if end < 0 {
				return fail("unterminated comment")
			}
			i = end + 3
			continue
		case hasPrefixAt(data, i, "<![CDATA["):
			end := indexAt(data, i, "]]>")
			if end < 0 {
				return fail("unterminated CDATA")
			}
			if inValue {
				text = append(text, escapeXMLText(data[i+9:end])...)
			}
			i = end + 3
			continue
		case hasPrefixAt(data, i, "<?"), hasPrefixAt(data, i, "<!"):
			end := bytesIndexByte(data[i:], '>')
			if end < 0 {
				return fail("unterminated declaration")
			}
			i += end + 1
			continue
		}
		gt, ok := tagEnd(data, i)
		if !ok {
			return fail("unterminated tag")
		}
		tag := data[i+1 : gt]
		i = gt + 1
		closing := len(tag) > 0 && tag[0] == '/'
		selfClosing := len(tag) > 0 && tag[len(tag)-1] == '/'
		name, attrs := tagName(tag)
		if !closing {
			switch name {
			case "row":
				inRow = true
				row = xlsxRow{index: lastRow + 1, cells: row.cells[:0]}
				if r, ok := tagAttr(attrs, "r"); ok {
					n, err := strconv.Atoi(r)
					if err != nil || n < 1 {
						return fail(fmt.Sprintf("bad row number %q", r))
					}
					row.index = n
				}
			case "c":
				if !inRow {
					break
				}
				inCell = true
				cellType, _ = tagAttr(attrs, "t")
				cell = xlsxCell{col: 0}
				if len(row.cells) > 0 {
					cell.col = row.cells[len(row.cells)-1].col + 1
				}
				if ref, ok := tagAttr(attrs, "r"); ok {
					col, ok := columnIndex(ref)
					if !ok {
						return &ParseError{File: file, Line: row.index, Msg: fmt.Sprintf("bad cell reference %q", ref)}
					}
					cell.col = col
				}
				text = text[:0]
			case "v", "t":
				if inCell {
					inValue = true
				}
			}
		}
		if closing || selfClosing {
			switch name {
			case "v", "t":
				inValue = false
			case "c":
				if !inCell {
					break
				}
				inCell = false
				v := unescapeXML(string(text))
				if cellType == "s" {
					i, err := strconv.Atoi(strings.TrimSpace(v))
					if err != nil || i < 0 || i >= len(shared) {
						return &ParseError{File: file, Line: row.index, Msg: fmt.Sprintf("bad shared string index %q", v)}
					}
					v = shared[i]
				}
				if v != "" {
					cell.value = v
					row.cells = append(row.cells, cell)
				}
			case "row":
				if !inRow {
					break
				}
				inRow = false
				lastRow = row.index
				if err := fn(row); err != nil {
					return err
				}
			}
		}
	}
	if inRow {
		return fail("document ends inside a row")
	}
	return nil
}

func bytesIndexByte(b []byte, c byte) int { return bytes.IndexByte(b, c) }

func hasPrefixAt(b []byte, i int, p string) bool { return bytes.HasPrefix(b[i:], []byte(p)) }

func indexAt(b []byte, i int, p string) int {
	j := bytes.Index(b[i:], []byte(p))
	if j < 0 {
		return -1
	}
	return i + j
}

// escapeXMLText re-escapes CDATA so unescapeXML leaves it as written.
func escapeXMLText(b []byte) []byte {
	return []byte(strings.ReplaceAll(string(b), "&", "&amp;"))
}

// tagEnd finds the '>' closing the tag that starts at i, skipping quoted
// attribute values.
func tagEnd(b []byte, i int) (int, bool) {
	var quote byte
	for j := i + 1; j < len(b); j++ {
		c := b[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return j, true
		}
	}
	return 0, false
}

// tagName splits a tag body into its local name (prefix dropped) and the
// attribute text.
func tagName(tag []byte) (string, []byte) {
	t := bytes.TrimPrefix(tag, []byte("/"))
	t = bytes.TrimSuffix(t, []byte("/"))
	end := 0
	for end < len(t) && !isXMLSpace(t[end]) {
		end++
	}
	name, attrs := t[:end], t[end:]
	if c := bytes.IndexByte(name, ':'); c >= 0 {
		name = name[c+1:]
	}
	switch string(name) { // avoid allocating for the names that matter
	case "row":
		return "row", attrs
	case "c":
		return "c", attrs
	case "v":
		return "v", attrs
	case "t":
		return "t", attrs
	}
	return "", attrs
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trimXMLSpace(b []byte) []byte {
	for len(b) > 0 && isXMLSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// tagAttr returns an attribute's (unescaped) value from attribute text.
func tagAttr(attrs []byte, name string) (string, bool) {
	for len(attrs) > 0 {
		attrs = trimXMLSpace(attrs)
		eq := bytes.IndexByte(attrs, '=')
		if eq < 0 {
			return "", false
		}
		key := attrs[:eq]
		for len(key) > 0 && isXMLSpace(key[len(key)-1]) {
			key = key[:len(key)-1]
		}
		rest := trimXMLSpace(attrs[eq+1:])
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return "", false
		}
		q := rest[0]
		end := bytes.IndexByte(rest[1:], q)
		if end < 0 {
			return "", false
		}
		if c := bytes.IndexByte(key, ':'); c >= 0 {
			key = key[c+1:]
		}
		if string(key) == name {
			return unescapeXML(string(rest[1 : 1+end])), true
		}
		attrs = rest[end+2:]
	}
	return "", false
}
