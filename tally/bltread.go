package tally

import (
	"bytes"
	"errors"
	"io"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// bltOptions tunes the BLT reader; tests shrink the blocks so that small
// files take the parallel path too.
type bltOptions struct {
	block    int   // bytes read and parsed in parallel at a time
	minBlock int   // fewer unread bytes than this are parsed line by line
	workers  int   // goroutines parsing a block
	maxTotal int64 // the most ballots (the sum of weights) a file may hold
}

func defaultBLTOptions() bltOptions {
	return bltOptions{block: 4 << 20, minBlock: 256 << 10, workers: min(runtime.GOMAXPROCS(0), 8), maxTotal: math.MaxInt64}
}

// bltMaxLine bounds one line, so that a file without line breaks cannot
// make the reader buffer it whole.
const bltMaxLine = 16 << 20

var errLineTooLong = errors.New("line longer than 16 MB")

// bltInput hands out a BLT file's lines from a buffer it fills in large
// blocks, so that the ballot lines in it can be parsed where they lie.
type bltInput struct {
	r    io.Reader
	buf  []byte
	pos  int // next unread byte of buf
	eof  bool
	line int // lines handed out so far
}

func (in *bltInput) unread() int { return len(in.buf) - in.pos }

// fill reads until want bytes are unread or the input ends.
func (in *bltInput) fill(want int) error {
	n := copy(in.buf, in.buf[in.pos:])
	in.buf, in.pos = in.buf[:n], 0
	if cap(in.buf) < want {
		in.buf = slices.Grow(in.buf, want-n)
	}
	for !in.eof && len(in.buf) < want {
		m, err := in.r.Read(in.buf[len(in.buf):want])
		in.buf = in.buf[:len(in.buf)+m]
		if err == io.EOF {
			in.eof = true
		} else if err != nil {
			return err
		}
	}
	return nil
}

// nextLine returns the next line without its "\n", and false at the end of
// the input. The line is valid until the next call.
func (in *bltInput) nextLine() ([]byte, bool, error) {
	for {
		rest := in.buf[in.pos:]
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			if i > bltMaxLine {
				return nil, false, errLineTooLong
			}
			in.pos += i + 1
			in.line++
			return rest[:i], true, nil
		}
		if in.eof {
			if len(rest) == 0 {
				return nil, false, nil
			}
			if len(rest) > bltMaxLine {
				return nil, false, errLineTooLong
			}
			in.pos = len(in.buf)
			in.line++
			return rest, true, nil
		}
		if len(rest) > bltMaxLine {
			return nil, false, errLineTooLong
		}
		if err := in.fill(max(2*len(rest), 64<<10)); err != nil {
			return nil, false, err
		}
	}
}

// trimLine trims white space as bytes.TrimSpace does, quickly for ASCII.
func trimLine(b []byte) []byte {
	for len(b) > 0 && asciiSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && asciiSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	if len(b) > 0 && (b[0] >= 0x80 || b[len(b)-1] >= 0x80) {
		return bytes.TrimSpace(b)
	}
	return b
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// block parses the complete lines buffered, split among the workers at
// line ends, up to the "0" that closes the ballots (the caller reads that
// line and what follows). Line numbers and the running total are carried
// from piece to piece in file order, so an error names the same line as
// reading line by line would.
//
// The workers run at once, so those after the piece holding the "0" read
// the lines after it as ballots. That is harmless up to the first '"':
// after the "0" a file that reads at all has only blank lines before its
// first quoted name, and a bad line fails the read however it is counted.
// So the block stops before the first line with a '"' (in a file that
// reads, a name, or a [nick] holding one), which the caller reads alone.
func (p *bltParser) block(ws []*bltGroups) error {
	in := &p.in
	region := in.buf[in.pos:]
	if !in.eof {
		region = region[:bytes.LastIndexByte(region, '\n')+1]
	}
	if q := bytes.IndexByte(region, '"'); q >= 0 {
		region = region[:bytes.LastIndexByte(region[:q], '\n')+1]
	}
	// More pieces than workers, each worker taking the next piece left, so
	// that one held up (by the garbage collector, say) delays no one.
	pieces := splitLines(region, 4*len(ws))
	type result struct {
		lines int   // lines read, up to an error or before the "0"
		end   int   // where the "0" line starts in the piece, or -1
		total int64 // the piece's ballots, up to an error
		err   error
	}
	res := make([]result, len(pieces))
	var next atomic.Int32
	var wg sync.WaitGroup
	for _, w := range ws[:min(len(ws), len(pieces))] {
		// A worker's total counts only what it has read, so it never
		// exceeds the true running total: an overflow is never reported
		// early, and the exact line is found below.
		w.total = p.total
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(pieces); i = int(next.Add(1)) - 1 {
				start := w.total
				n, end, err := w.lines(pieces[i])
				res[i] = result{n, end, w.total - start, err}
			}
		})
	}
	wg.Wait()
	for i, r := range res {
		if r.total > p.opt.maxTotal-p.total {
			return p.overflow(pieces[i])
		}
		if r.err != nil {
			var ie *InputError
			if errors.As(r.err, &ie) {
				ie.Line += in.line
			}
			return r.err
		}
		p.total += r.total
		in.line += r.lines
		if r.end >= 0 {
			in.pos += r.end
			return nil
		}
		in.pos += len(pieces[i])
	}
	return nil
}

// overflow names the line of piece (all of whose lines up to it are
// ballots) at which the running total passes the limit.
func (p *bltParser) overflow(piece []byte) error {
	total := p.total
	for len(piece) > 0 {
		line := piece
		if i := bytes.IndexByte(piece, '\n'); i >= 0 {
			line, piece = piece[:i], piece[i+1:]
		} else {
			piece = nil
		}
		p.in.line++
		if line = trimLine(line); len(line) == 0 {
			continue
		}
		wt := lineWeight(line)
		if wt > p.opt.maxTotal-total {
			break
		}
		total += wt
	}
	return p.errf("%s", overflowMsg(p.opt.maxTotal))
}

// splitLines cuts b into at most n pieces of about equal size, each ending
// at a line end (the last one where b ends).
func splitLines(b []byte, n int) [][]byte {
	out := make([][]byte, 0, n)
	for k := n; k > 1 && len(b) > 0; k-- {
		at := len(b) / k
		i := bytes.IndexByte(b[at:], '\n')
		if i < 0 {
			break
		}
		out = append(out, b[:at+i+1])
		b = b[at+i+1:]
	}
	if len(b) > 0 {
		out = append(out, b)
	}
	return out
}

// mergeGroups returns the workers' ballots as one, grouped.
func mergeGroups(ws []*bltGroups) Ballots {
	parts := make([]*Ballots, len(ws))
	for i, w := range ws {
		w.packed.finish(&w.b)
		parts[i] = &w.b
	}
	return groupParts(parts, false)
}
