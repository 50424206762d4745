package rctab

import (
	"archive/zip"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// writeXLSX writes a minimal workbook whose first sheet is sheetXML.
func writeXLSX(t *testing.T, sheetXML string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	files := map[string]string{
		"xl/workbook.xml":            `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="CVR" sheetId="1" r:id="rId7"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="worksheet" Target="worksheets/votes.xml"/></Relationships>`,
		"xl/sharedStrings.xml":       `<sst><si><t>Ash</t></si><si><r><t>Bir</t></r><r><t>ch</t></r></si><si><t>A &amp; B</t></si></sst>`,
		"xl/worksheets/votes.xml":    sheetXML,
	}
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadXLSXRows checks the sheet scanner: shared, rich and inline
// strings, entities, formulas ignored, and empty rows kept (RCTab counts
// them as ballots that rank nobody).
func TestReadXLSXRows(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="UTF-8"?>
<worksheet><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
<!-- a comment with <row r="9"> inside -->
<row r="2" spans="1:3"><c r="B2" t="inlineStr"><is><t>Cedar &lt;3</t></is></c><c r="C2"><f>1+1</f><v>2</v></c></row>
<row r="3"/>
<row r="4"></row>
<row r="5"><c r="AA5" t="s"><v>2</v></c></row>
</sheetData></worksheet>`
	var got []xlsxRow
	err := readXLSXRows(writeXLSX(t, sheet), func(r xlsxRow) error {
		got = append(got, xlsxRow{index: r.index, cells: append([]xlsxCell(nil), r.cells...)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []xlsxRow{
		{1, []xlsxCell{{0, "Ash"}, {2, "Birch"}}},
		{2, []xlsxCell{{1, "Cedar <3"}, {2, "2"}}},
		{3, nil},
		{4, nil},
		{5, []xlsxCell{{26, "A & B"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestReadXLSXRowsRejectsBrokenSheets(t *testing.T) {
	tests := map[string]string{
		"UnterminatedTag":  `<worksheet><sheetData><row r="1"><c r="A1"`,
		"BadRowNumber":     `<worksheet><sheetData><row r="x"></row></sheetData></worksheet>`,
		"BadSharedString":  `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>`,
		"EndsInsideRow":    `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c>`,
		"BadCellReference": `<worksheet><sheetData><row r="1"><c r="11"><v>1</v></c></row></sheetData></worksheet>`,
	}
	for name, sheet := range tests {
		t.Run(name, func(t *testing.T) {
			err := readXLSXRows(writeXLSX(t, sheet), func(xlsxRow) error { return nil })
			if _, ok := err.(*ParseError); !ok {
				t.Errorf("got %v, want a *ParseError", err)
			}
		})
	}
}
