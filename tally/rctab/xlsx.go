package rctab

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"
)

// xlsxRow is one <row> of a worksheet: its 1-based index and its
// non-empty cells by 0-based column.
type xlsxRow struct {
	index int
	cells []xlsxCell
}

type xlsxCell struct {
	col   int
	value string
}

// readXLSXRows streams the first worksheet of an xlsx workbook, calling
// fn for every <row> element, including rows with no cells: RCTab (Apache
// POI's streaming reader) counts such a row as a ballot ranking nobody, so
// a reader that drops empty rows would lose undervotes.
func readXLSXRows(file string, fn func(xlsxRow) error) error {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return &ParseError{File: file, Msg: "not an xlsx workbook: " + err.Error()}
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	shared, err := readSharedStrings(files["xl/sharedStrings.xml"])
	if err != nil {
		return &ParseError{File: file, Msg: "xl/sharedStrings.xml: " + err.Error()}
	}
	sheet := files[firstSheetPath(files)]
	if sheet == nil {
		return &ParseError{File: file, Msg: "workbook has no worksheet"}
	}
	rc, err := sheet.Open()
	if err != nil {
		return &ParseError{File: file, Msg: err.Error()}
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return &ParseError{File: file, Msg: "worksheet: " + err.Error()}
	}
	return scanSheet(file, data, shared, fn)
}

// columnIndex turns a cell reference such as "AB12" into 27.
func columnIndex(ref string) (int, bool) {
	col := 0
	n := 0
	for _, r := range ref {
		if r >= 'A' && r <= 'Z' {
			col = col*26 + int(r-'A'+1)
			n++
			continue
		}
		break
	}
	return col - 1, n > 0 && n <= 3
}

// unescapeXML decodes the entities RawToken leaves in character data.
func unescapeXML(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, ';')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		ent := s[1:j]
		switch {
		case ent == "amp":
			b.WriteByte('&')
		case ent == "lt":
			b.WriteByte('<')
		case ent == "gt":
			b.WriteByte('>')
		case ent == "quot":
			b.WriteByte('"')
		case ent == "apos":
			b.WriteByte('\'')
		case strings.HasPrefix(ent, "#x"):
			if n, err := strconv.ParseInt(ent[2:], 16, 32); err == nil {
				b.WriteRune(rune(n))
			}
		case strings.HasPrefix(ent, "#"):
			if n, err := strconv.ParseInt(ent[1:], 10, 32); err == nil {
				b.WriteRune(rune(n))
			}
		default:
			b.WriteString(s[:j+1])
		}
		s = s[j+1:]
	}
}

// readSharedStrings loads the shared string table; a rich-text string is
// the concatenation of its runs (phonetic hints excluded).
func readSharedStrings(f *zip.File) ([]string, error) {
	if f == nil {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var out []string
	var cur strings.Builder
	inT, inPhonetic := false, false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "si":
				cur.Reset()
			case "t":
				inT = true
			case "rPh":
				inPhonetic = true
			}
		case xml.CharData:
			if inT && !inPhonetic {
				cur.Write(el)
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "si":
				out = append(out, cur.String())
			case "t":
				inT = false
			case "rPh":
				inPhonetic = false
			}
		}
	}
}

// firstSheetPath finds the first worksheet in workbook order, as RCTab
// reads only that one.
func firstSheetPath(files map[string]*zip.File) string {
	const fallback = "xl/worksheets/sheet1.xml"
	var wb struct {
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if decodeZipXML(files["xl/workbook.xml"], &wb) != nil || len(wb.Sheets) == 0 ||
		decodeZipXML(files["xl/_rels/workbook.xml.rels"], &rels) != nil {
		return fallback
	}
	for _, r := range rels.Rels {
		if r.ID == wb.Sheets[0].ID {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/")
			}
			return path.Join("xl", r.Target)
		}
	}
	return fallback
}

func decodeZipXML(f *zip.File, v any) error {
	if f == nil {
		return errors.New("missing")
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}
