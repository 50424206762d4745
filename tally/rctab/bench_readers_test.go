package rctab

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// cdfCandidates is the benchmark contest's field.
var cdfCandidates = []string{"Ash", "Birch", "Cedar", "Elm", "Fir", "Hazel", "Larch", "Oak", "Pine", "Yew"}

// genBallots makes n ballots of 1 to 5 distinct rankings each (candidate
// indexes, first choice first) and a precinct 0..19, the same for every
// call with the same n.
func genBallots(n int, each func(ranks []int, precinct int)) {
	r := rand.New(rand.NewPCG(15, uint64(n)))
	perm := make([]int, len(cdfCandidates))
	for i := 0; i < n; i++ {
		for j := range perm {
			perm[j] = j
		}
		k := 1 + r.IntN(5)
		for j := 0; j < k; j++ { // a partial Fisher-Yates shuffle
			m := j + r.IntN(len(perm)-j)
			perm[j], perm[m] = perm[m], perm[j]
		}
		each(perm[:k], r.IntN(20))
	}
}

// writeCDFXML writes n generated ballots as a NIST CDF XML report, CVRs
// first and the election after them, as NIST's samples and Unisyn order
// it.
func writeCDFXML(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<CastVoteRecordReport xmlns="NIST_V0_cast_vote_records.xsd">` + "\n")
	genBallots(n, func(ranks []int, precinct int) {
		fmt.Fprintf(bw, "<CVR><BallotStyleUnitId>p%d</BallotStyleUnitId><CurrentSnapshotId>s</CurrentSnapshotId><CVRSnapshot ObjectId=\"s\"><CVRContest><ContestId>c1</ContestId>", precinct)
		for rank, c := range ranks {
			fmt.Fprintf(bw, "<CVRContestSelection><ContestSelectionId>cs%d</ContestSelectionId><SelectionPosition><HasIndication>yes</HasIndication><IsAllocable>yes</IsAllocable><NumberVotes>1</NumberVotes><Rank>%d</Rank></SelectionPosition></CVRContestSelection>", c, rank+1)
		}
		bw.WriteString("</CVRContest></CVRSnapshot></CVR>\n")
	})
	bw.WriteString(`<Election ObjectId="e1">`)
	for i, name := range cdfCandidates {
		fmt.Fprintf(bw, `<Candidate ObjectId="cand%d"><Name>%s</Name></Candidate>`, i, name)
	}
	bw.WriteString(`<Contest ObjectId="c1">`)
	for i := range cdfCandidates {
		fmt.Fprintf(bw, `<ContestSelection ObjectId="cs%d"><CandidateIds>cand%d</CandidateIds></ContestSelection>`, i, i)
	}
	bw.WriteString("<Name>Bench contest</Name></Contest></Election>\n")
	for p := 0; p < 20; p++ {
		fmt.Fprintf(bw, `<GpUnit ObjectId="p%d"><Name>Precinct %d</Name></GpUnit>`, p, p)
	}
	bw.WriteString("\n</CastVoteRecordReport>\n")
	return bw.Flush()
}

// writeCDFJSON writes the same ballots as a NIST CDF JSON report.
func writeCDFJSON(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(`{"CVR":[`)
	first := true
	genBallots(n, func(ranks []int, precinct int) {
		if !first {
			bw.WriteString(",\n")
		}
		first = false
		fmt.Fprintf(bw, `{"BallotStyleUnitId":"p%d","CurrentSnapshotId":"s","CVRSnapshot":[{"@id":"s","CVRContest":[{"ContestId":"c1","CVRContestSelection":[`, precinct)
		for rank, c := range ranks {
			if rank > 0 {
				bw.WriteString(",")
			}
			fmt.Fprintf(bw, `{"ContestSelectionId":"cs%d","SelectionPosition":[{"HasIndication":"yes","IsAllocable":"yes","NumberVotes":1,"Rank":%d}]}`, c, rank+1)
		}
		bw.WriteString(`]}]}]}`)
	})
	bw.WriteString("],\n" + `"Election":[{"@id":"e1","Candidate":[`)
	for i, name := range cdfCandidates {
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, `{"@id":"cand%d","Name":%q}`, i, name)
	}
	bw.WriteString(`],"Contest":[{"@id":"c1","Name":"Bench contest","ContestSelection":[`)
	for i := range cdfCandidates {
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, `{"@id":"cs%d","CandidateIds":["cand%d"]}`, i, i)
	}
	bw.WriteString(`]}]}],` + "\n" + `"GpUnit":[`)
	for p := 0; p < 20; p++ {
		if p > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, `{"@id":"p%d","Name":"Precinct %d"}`, p, p)
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// cdfBenchConfig is a contest of cdfCandidates read from path.
func cdfBenchConfig(t testing.TB, path string) *Config {
	t.Helper()
	raw := seedRaw(t)
	raw.OutputSettings.ContestName = "Bench contest"
	raw.Candidates = nil
	for _, name := range cdfCandidates {
		raw.Candidates = append(raw.Candidates, Candidate{Name: name})
	}
	raw.CVRFileSources = []CVRSource{{FilePath: path, Provider: "cdf", ContestID: "Bench contest"}}
	cfg, err := NewConfig(raw, filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// writeCDFFile generates n ballots into dir in one format.
func writeCDFFile(t testing.TB, dir, name string, n int, write func(io.Writer, int) error) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := write(f, n); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func benchReadCDF(b *testing.B, name string, write func(io.Writer, int) error) {
	const n = 1_000_000
	path := writeCDFFile(b, b.TempDir(), name, n, write)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	cfg := cdfBenchConfig(b, path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime(b)
	for b.Loop() {
		ballots, err := ReadBallots(context.Background(), cfg, nil)
		if err != nil {
			b.Fatal(err)
		}
		if ballots.Len() != n {
			b.Fatalf("read %d ballots, want %d", ballots.Len(), n)
		}
	}
	// CPU time (all threads, the collector's too) beside wall time: on a
	// shared machine it varies far less.
	b.ReportMetric((cpuTime(b)-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(st.Size())/1e6, "file-MB")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReadCDFXML1M reads a 1,000,000-ballot NIST CDF XML report (10
// candidates, 1 to 5 rankings each); BenchmarkReadCDFJSON1M reads the
// same ballots as CDF JSON.
func BenchmarkReadCDFXML1M(b *testing.B) { benchReadCDF(b, "bench.xml", writeCDFXML) }

// BenchmarkReadCDFJSON1M: see BenchmarkReadCDFXML1M.
func BenchmarkReadCDFJSON1M(b *testing.B) { benchReadCDF(b, "bench.json", writeCDFJSON) }
