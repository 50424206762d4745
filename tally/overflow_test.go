package tally

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// methodLimit returns the most ballots m counts and whether it counts them
// exactly (the same winners, and tallies scaled by k, when every weight is
// multiplied by k). Methods with fixed precision refuse beyond their limit;
// the others count up to the 2^63−1 every count holds.
func methodLimit(m Method) (limit int64, exact bool) {
	switch m {
	case ScottishSTV:
		return maxScottishBallots, false
	case Meek:
		return maxMeekBallots, false
	case WIGM, MeekPRF, Warren:
		// MeekPRF and Warren keep their values in math/big (fixed 9
		// places, or guarded), so they do not overflow; but rounding
		// at fixed precision is not scale-invariant, like WIGM's.
		// Guarded arithmetic truncates relative to the weights, so
		// scaling may move a near-tie; it is exact in every other sense.
		return math.MaxInt64, false
	}
	return math.MaxInt64, true
}

// overflowTargets are the totals the property tests scale elections to:
// the powers of two where arithmetic of each width gives out, and each
// method's own limit either side.
var overflowTargets = []int64{
	1 << 31, 1 << 40, 1 << 53, 1 << 62, math.MaxInt64,
	maxMeekBallots - 1, maxMeekBallots, maxMeekBallots + 1,
	maxScottishBallots - 1, maxScottishBallots, maxScottishBallots + 1,
}

// smallElection is a random election of two to six candidates and up to 30
// ballot groups of weight 1 to 9; IRV gets one seat.
func smallElection(rng *rand.Rand, m Method) *Election {
	nc := 2 + rng.IntN(5)
	seats := 1 + rng.IntN(min(3, nc))
	if m == IRV {
		seats = 1
	}
	g := genElection(rng, nc, 1+rng.IntN(30), seats, nc)
	e := &Election{Title: g.Title, Candidates: g.Candidates, Seats: seats}
	for i := range g.Ballots.Len() {
		e.Ballots.Add(1+rng.Int64N(9), int32sToInts(g.Ballots.Ranking(i))...)
	}
	return e
}

// reweighted returns e with every group's weight multiplied by k, and extra
// added to the first group's.
func reweighted(e *Election, k, extra int64) *Election {
	out := *e
	out.Ballots = Ballots{}
	for i := range e.Ballots.Len() {
		w := e.Ballots.Weight(i) * k
		if i == 0 {
			w += extra
		}
		out.Ballots.Add(w, int32sToInts(e.Ballots.Ranking(i))...)
	}
	return &out
}

// bigTotal is the exact sum of e's weights.
func bigTotal(e *Election) *big.Int { return e.Ballots.exactTotal() }

// checkSane fails t unless res elects exactly the seats, no one twice,
// and holds no negative tally, quota or transfer anywhere.
func checkSane(t *testing.T, what string, e *Election, res *Result) {
	t.Helper()
	if len(res.Elected) != e.Seats {
		t.Fatalf("%s: elected %d for %d seats: %v", what, len(res.Elected), e.Seats, res.ElectedNames())
	}
	seen := map[int]bool{}
	for _, x := range res.Elected {
		if x < 0 || x >= len(e.Candidates) || seen[x] {
			t.Fatalf("%s: elected %v: candidate %d twice or unknown", what, res.Elected, x)
		}
		seen[x] = true
	}
	if want := bigTotal(e); res.Ballots < 0 || big.NewInt(res.Ballots).Cmp(want) > 0 {
		t.Fatalf("%s: result counts %d ballots of %s", what, res.Ballots, want)
	}
	neg := func(where string, ds ...Decimal) {
		for i, d := range ds {
			if d.Sign() < 0 {
				t.Fatalf("%s: %s[%d] is negative: %s", what, where, i, d)
			}
		}
	}
	neg("quota", res.Quota)
	neg("final", res.Final...)
	for _, r := range res.Rounds {
		where := fmt.Sprintf("round %d ", r.Number)
		neg(where+"tallies", r.Tallies...)
		neg(where+"keep factors", r.KeepFactors...)
		neg(where+"quota, exhausted, residual, surplus", r.Quota, r.Exhausted, r.Residual, r.Surplus)
		for _, ev := range r.Events {
			if tr := ev.Transfer; tr != nil {
				neg(where+"transfer", append([]Decimal{tr.Amount, tr.Value, tr.Exhausted, tr.Lost}, tr.To...)...)
			}
		}
	}
}

// checkRefusal fails t unless err is a *CountError naming limit.
func checkRefusal(t *testing.T, what string, err error, limit int64) {
	t.Helper()
	var ce *CountError
	if !errors.As(err, &ce) {
		t.Fatalf("%s: want a refusal naming the limit, got %v", what, err)
	}
	if !strings.Contains(ce.Error(), limitText(limit)) {
		t.Fatalf("%s: refusal %q does not name the limit %s", what, ce, limitText(limit))
	}
}

// scaledDecimal returns d × k.
func scaledDecimal(d Decimal, k int64) Decimal {
	return Decimal{units: new(big.Int).Mul(d.scaled(d.places), big.NewInt(k)), places: d.places}
}

// checkScaled fails t unless res, the count of base with every weight
// multiplied by k, elects the same candidates in the same rounds with
// every tally k times base's.
func checkScaled(t *testing.T, what string, base, res *Result, k int64) {
	t.Helper()
	if !slices.Equal(base.Elected, res.Elected) || len(base.Rounds) != len(res.Rounds) {
		t.Fatalf("%s: weights × %d elected %v in %d rounds; unscaled %v in %d",
			what, k, res.Elected, len(res.Rounds), base.Elected, len(base.Rounds))
	}
	for i, r := range res.Rounds {
		if res.Method == Schulze {
			break // its tallies count candidates beaten, not votes
		}
		for c, v := range r.Tallies {
			if want := scaledDecimal(base.Rounds[i].Tallies[c], k); v.Cmp(want) != 0 {
				t.Fatalf("%s: round %d candidate %d has %s with weights × %d, want %s", what, i, c, v, k, want)
			}
		}
	}
	for i, row := range res.Pairwise {
		for j, v := range row {
			if want := new(big.Int).Mul(big.NewInt(base.Pairwise[i][j]), big.NewInt(k)); big.NewInt(v).Cmp(want) != 0 {
				t.Fatalf("%s: pairwise[%d][%d] = %d with weights × %d, want %s", what, i, j, v, k, want)
			}
		}
	}
}

// TestOverflowEveryMethod scales random small elections to totals near
// every arithmetic limit and checks that each method either counts
// (exactly the seats, nothing negative, and for exact methods the same
// winners and k times the tallies of the unscaled election) or refuses with
// a *CountError naming its limit — never a panic, never a wrong count.
func TestOverflowEveryMethod(t *testing.T) {
	t.Parallel()
	for _, m := range Methods {
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			limit, exact := methodLimit(m)
			rng := rand.New(rand.NewPCG(15, uint64(len(m))))
			for _, target := range overflowTargets {
				for i := range 6 {
					base := smallElection(rng, m)
					baseRes, err := Count(base, m)
					if err != nil {
						t.Fatalf("unscaled election: %v", err)
					}
					n := base.Ballots.Total()
					k := target / n
					cases := []struct {
						name  string
						e     *Election
						scale int64 // 0: not a plain scaling
					}{
						// Every weight × k: the total is target or just under.
						{"scaled", reweighted(base, k, 0), k},
						// The total exactly target.
						{"exact", reweighted(base, k, target-k*n), 0},
					}
					if k < math.MaxInt64/9 {
						// Every weight × (k+1): the total just over target,
						// and over 2^63−1 when target is.
						cases = append(cases, struct {
							name  string
							e     *Election
							scale int64
						}{"over", reweighted(base, k+1, 0), k + 1})
					}
					for _, tc := range cases {
						what := fmt.Sprintf("%s %d target %d (%d ballots)", tc.name, i, target, bigTotal(tc.e))
						res, err := Count(tc.e, m)
						if bigTotal(tc.e).Cmp(big.NewInt(limit)) > 0 {
							named := limit
							if bigTotal(tc.e).Cmp(big.NewInt(math.MaxInt64)) > 0 {
								named = math.MaxInt64 // refused before any method looks
							}
							checkRefusal(t, what, err, named)
							continue
						}
						if err != nil {
							t.Fatalf("%s: %v", what, err)
						}
						checkSane(t, what, tc.e, res)
						if exact && tc.scale > 0 {
							checkScaled(t, what, baseRes, res, tc.scale)
						}
					}
				}
			}
		})
	}
}

// TestOverflowWeightsNearMaxInt64 gives ballot groups weights of 2^63−1
// and neighbours, alone and together: a lone group counts, two overflow
// 2^63−1 and must be refused by every method.
func TestOverflowWeightsNearMaxInt64(t *testing.T) {
	t.Parallel()
	for _, m := range Methods {
		limit, _ := methodLimit(m)
		for _, ws := range [][]int64{
			{math.MaxInt64}, {math.MaxInt64 - 1, 1}, {math.MaxInt64, 1}, {1 << 62, 1 << 62},
			{math.MaxInt64, math.MaxInt64}, {1 << 62, 1 << 62, 1 << 62, 1 << 62},
		} {
			e := &Election{Candidates: []string{"Ann", "Bob", "Cat"}, Seats: 1}
			for i, w := range ws {
				e.Ballots.Add(w, i%3, (i+1)%3)
			}
			what := fmt.Sprintf("%s weights %v", m, ws)
			res, err := Count(e, m)
			switch {
			case bigTotal(e).Cmp(big.NewInt(math.MaxInt64)) > 0:
				checkRefusal(t, what, err, math.MaxInt64)
			case bigTotal(e).Cmp(big.NewInt(limit)) > 0:
				checkRefusal(t, what, err, limit)
			case err != nil:
				t.Fatalf("%s: %v", what, err)
			default:
				checkSane(t, what, e, res)
			}
		}
	}
}

// TestOverflowOtherCounters scales dot votes, meeting-time polls, score
// ballots and consensus proposals up to and past 2^63−1 ballots: totals
// must be exactly k times the unscaled ones and the winners the same, or
// the count refused; never a wrapped total.
func TestOverflowOtherCounters(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(15, 4))
	options := []string{"North", "South", "East", "West"}
	for _, target := range []int64{1 << 31, 1 << 40, 1 << 53, 1 << 62, math.MaxInt64} {
		for i := range 20 {
			nb := 1 + rng.IntN(8)
			dots := make([]DotBallot, nb)
			marks := make([]MeetingTimeBallot, nb)
			scores := make([]ScoreBallot, nb)
			var n int64
			for b := range nb {
				c := 1 + rng.Int64N(9)
				n += c
				dots[b] = DotBallot{Dots: make([]int, 4), Count: c}
				scores[b] = ScoreBallot{Scores: make([]int, 4), Count: c}
				marks[b] = MeetingTimeBallot{Marks: make([]Availability, 4), Count: c}
				for o := range 4 {
					dots[b].Dots[o] = rng.IntN(3)
					scores[b].Scores[o] = rng.IntN(6)
					marks[b].Marks[o] = []Availability{Available, IfNeedBe, Unavailable}[rng.IntN(3)]
				}
			}
			for _, k := range []int64{target / n, target/n + 1} {
				what := fmt.Sprintf("target %d case %d × %d", target, i, k)
				over := new(big.Int).Mul(big.NewInt(n), big.NewInt(k)).Cmp(big.NewInt(math.MaxInt64)) > 0
				check := func(kind string, base, res *Result, err error) {
					t.Helper()
					if over {
						checkRefusal(t, kind+" "+what, err, math.MaxInt64)
						return
					}
					if err != nil {
						t.Fatalf("%s %s: %v", kind, what, err)
					}
					if res.Ballots != n*k {
						t.Fatalf("%s %s: %d ballots, want %d", kind, what, res.Ballots, n*k)
					}
					checkScaled(t, kind+" "+what, base, res, k)
				}
				if k > math.MaxInt64/9 && slices.ContainsFunc(dots, func(d DotBallot) bool { return d.Count > math.MaxInt64/k }) {
					continue // one ballot's count alone would not fit
				}
				sd, sm, ss := slices.Clone(dots), slices.Clone(marks), slices.Clone(scores)
				for b := range nb {
					sd[b].Count *= k
					sm[b].Count *= k
					ss[b].Count *= k
				}
				base, err := CountDots("dots", options, 2, 8, dots)
				if err != nil {
					t.Fatal(err)
				}
				res, err := CountDots("dots", options, 2, 8, sd)
				check("dots", base, res, err)
				base, err = CountMeetingTime("meet", options, marks)
				if err != nil {
					t.Fatal(err)
				}
				res, err = CountMeetingTime("meet", options, sm)
				check("meeting time", base, res, err)
				base, err = CountScoreBallots("score", options, 2, math.MaxInt, scores)
				if err != nil {
					t.Fatal(err)
				}
				res, err = CountScoreBallots("score", options, 2, math.MaxInt, ss)
				check("score ballots", base, res, err)
			}
		}
	}
}

// TestOverflowScoresNearMaxInt gives score and dot ballots the largest
// scores and counts an int holds: the totals, up to 2^126, must be exact.
func TestOverflowScoresNearMaxInt(t *testing.T) {
	t.Parallel()
	opts := []string{"Yes", "No"}
	res, err := CountScoreBallots("big", opts, 1, math.MaxInt, []ScoreBallot{
		{Scores: []int{math.MaxInt, 1}, Count: math.MaxInt64 / 2},
		{Scores: []int{math.MaxInt, 0}, Count: math.MaxInt64 / 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := new(big.Int).Mul(big.NewInt(math.MaxInt64), big.NewInt(math.MaxInt64/2*2))
	if got := res.Final[0]; got.Cmp(Decimal{units: want}) != 0 || !slices.Equal(res.Elected, []int{0}) {
		t.Fatalf("score total %s, elected %v; want %s and Yes", got, res.Elected, want)
	}
	res, err = CountDots("big", opts, 1, math.MaxInt, []DotBallot{{Dots: []int{0, math.MaxInt}, Count: math.MaxInt64}})
	if err != nil {
		t.Fatal(err)
	}
	want = new(big.Int).Mul(big.NewInt(math.MaxInt64), big.NewInt(math.MaxInt64))
	if got := res.Final[1]; got.Cmp(Decimal{units: want}) != 0 || !slices.Equal(res.Elected, []int{1}) {
		t.Fatalf("dot total %s, elected %v; want %s and No", got, res.Elected, want)
	}
	// Dots that add up past an int on one ballot are too many, not a
	// negative sum that slips under the limit.
	_, err = CountDots("big", opts, 1, 10, []DotBallot{{Dots: []int{math.MaxInt, math.MaxInt}, Count: 1}})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "each voter has 10") {
		t.Fatalf("dots past an int: got %v, want too many dots", err)
	}
}

// TestOverflowProposal scales consensus votes up to 2^63−1 members: the
// outcome and the shares must not change, and positions that add up past
// an int must be refused, not wrapped into a quorum.
func TestOverflowProposal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(15, 5))
	rules := ConsensusRules{Quorum: FixedUnits(50, 2), Required: FixedUnits(6667, 4)}
	for range 200 {
		v := ProposalVotes{Agree: rng.IntN(20), Abstain: rng.IntN(5), Disagree: rng.IntN(10), Block: rng.IntN(4) / 3}
		v.Eligible = v.Agree + v.Abstain + v.Disagree + v.Block + rng.IntN(40) + 1
		base, err := DecideProposal(v, rules)
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range []int{1 << 31, 1 << 53, 1 << 62, math.MaxInt} {
			k := target / v.Eligible
			s := ProposalVotes{Eligible: v.Eligible * k, Agree: v.Agree * k, Abstain: v.Abstain * k, Disagree: v.Disagree * k, Block: v.Block * k}
			got, err := DecideProposal(s, rules)
			if err != nil {
				t.Fatalf("%+v: %v", s, err)
			}
			if got.Outcome != base.Outcome || got.Turnout != base.Turnout || got.AgreeShare != base.AgreeShare {
				t.Fatalf("%+v: %s (turnout %s, agree %s); unscaled %+v: %s (%s, %s)",
					s, got.Outcome, got.Turnout, got.AgreeShare, v, base.Outcome, base.Turnout, base.AgreeShare)
			}
		}
	}
	for _, v := range []ProposalVotes{
		{Eligible: math.MaxInt, Agree: math.MaxInt, Abstain: 1},
		{Eligible: math.MaxInt, Agree: math.MaxInt, Disagree: math.MaxInt, Block: 2},
	} {
		var ce *CountError
		if _, err := DecideProposal(v, rules); !errors.As(err, &ce) || !strings.Contains(err.Error(), "positions taken by") {
			t.Errorf("%+v: got %v, want more positions than members refused", v, err)
		}
	}
}

// TestOverflowSeats asks for the most seats an int holds: quotas divide by
// seats+1, so the election must be refused as bad input, not counted with
// a negative quota.
func TestOverflowSeats(t *testing.T) {
	t.Parallel()
	for _, m := range Methods {
		e := &Election{Candidates: []string{"Ann", "Bob"}, Seats: math.MaxInt}
		e.Ballots.Add(3, 0, 1)
		e.Ballots.Add(2, 1)
		res, err := Count(e, m)
		var ie *InputError
		var ce *CountError
		switch {
		case errors.As(err, &ie) && strings.Contains(err.Error(), "seats must be at most"):
		case m == IRV && errors.As(err, &ce): // IRV refuses any seats but one first
		case err != nil:
			t.Errorf("%s with %d seats: %v; want the seats refused", m, e.Seats, err)
		default:
			t.Errorf("%s with %d seats counted (quota %s); want the seats refused", m, e.Seats, res.Quota)
		}
	}
}

// TestOverflowCandidateIndex ranks candidate indexes that an int32 (less
// the bit marking equal ranks) cannot hold: they must be refused as bad
// input, not wrap onto candidate 0 or become "equal to the previous".
func TestOverflowCandidateIndex(t *testing.T) {
	t.Parallel()
	for _, c := range []int{-1, 1 << 30, 1 << 31, 1 << 32, math.MaxInt} {
		e := &Election{Candidates: []string{"Ann", "Bob"}, Seats: 1}
		e.Ballots.Add(5, 1)
		e.Ballots.Add(3, 0, c)
		e.Ballots.AddRanks(1, [][]int{{1, c}})
		var ie *InputError
		if _, err := Count(e, Plurality); !errors.As(err, &ie) {
			t.Errorf("candidate index %d: %v, want it refused as bad input", c, err)
		}
	}
}
