package peoplecsv

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// repeatReader streams n bytes of b repeated, then tail, without holding
// them: a 100 MB file costs the test nothing.
type repeatReader struct {
	b    byte
	n    int64
	tail string
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		if r.tail == "" {
			return 0, io.EOF
		}
		n := copy(p, r.tail)
		r.tail = r.tail[n:]
		return n, nil
	}
	n := int(min(int64(len(p)), r.n))
	for i := range n {
		p[i] = r.b
	}
	r.n -= int64(n)
	return n, nil
}

// readToEnd reads every row and returns the first error that is not a
// *RowError (nil at the end of the file) and how many rows it read.
func readToEnd(r *Reader) (int, error) {
	n := 0
	for {
		_, err := r.Read()
		switch {
		case errors.Is(err, io.EOF):
			return n, nil
		case err == nil:
			n++
		case !errors.As(err, new(*RowError)):
			return n, err
		}
	}
}

func TestReaderBounds(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("x", n) }
	cases := []struct {
		name string
		in   string
		// wantErr is part of the *FormatError's message; empty: every row reads.
		wantErr string
		rows    int
	}{
		{"HeaderTooLong", "Email," + long(MaxHeaderBytes+csvReadAhead+10) + "\nann@example.org,x\n",
			"The first line (the column names) is longer than 64 KiB", 0},
		{"TooManyColumns", strings.Repeat("c,", MaxColumns) + "c\n", "names 1001 columns; at most 1000", 0},
		{"RowTooLong", "Email,Notes\nann@example.org,ok\nbob@example.org," + long(MaxRowBytes+csvReadAhead+10) + "\ncy@example.org,ok\n",
			"The row starting on line 3 is longer than 1 MiB", 1},
		{"QuotedLineBreaksTooLong", "Email,Notes\nann@example.org,\"" + strings.Repeat("a\n", MaxRowBytes/2+csvReadAhead) + "\"\n",
			"The row starting on line 2 is longer than 1 MiB", 0},
		{"LongButAllowed", "Email,Notes\nann@example.org," + long(MaxRowBytes-100) + "\nbob@example.org,ok\n", "", 2},
		{"HeaderLongButAllowed", "Email," + long(MaxHeaderBytes-100) + "\nann@example.org,x\n", "", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(c.in))
			n := 0
			if err == nil {
				n, err = readToEnd(r)
			}
			var fe *FormatError
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatalf("got %v, want every row read", err)
			case c.wantErr != "" && (!errors.As(err, &fe) || !strings.Contains(fe.Message, c.wantErr)):
				t.Fatalf("got %v, want a *FormatError saying %q", err, c.wantErr)
			}
			if n != c.rows {
				t.Errorf("read %d rows before stopping, want %d", n, c.rows)
			}
		})
	}
}

// TestReaderMemoryOneLine100MB reads a 100 MB file of one line, as the
// issue's upload did, and checks the reader refuses it having allocated a
// few megabytes, not the line.
func TestReaderMemoryOneLine100MB(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := NewReader(&repeatReader{b: 'a', n: 100 << 20})
	runtime.ReadMemStats(&after)
	if fe := (*FormatError)(nil); !errors.As(err, &fe) {
		t.Fatalf("NewReader on a 100 MB line: %v, want a *FormatError", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("reading the header allocated %d MB, want under 4 MB", alloc>>20)
	}
	// The same with a short header and one 100 MB row.
	r, err := NewReader(&repeatReader{b: 'a', n: 100 << 20, tail: "\n"})
	if err == nil {
		t.Fatal("a 100 MB header was accepted")
	}
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, err = NewReader(io.MultiReader(strings.NewReader("Email,Notes\n"), &repeatReader{b: 'a', n: 100 << 20}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = readToEnd(r)
	runtime.ReadMemStats(&after)
	if fe := (*FormatError)(nil); !errors.As(err, &fe) || !strings.Contains(fe.Message, "line 2") {
		t.Fatalf("a 100 MB row: %v, want a *FormatError naming line 2", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("reading a 100 MB row allocated %d MB, want under 8 MB", alloc>>20)
	}
}
