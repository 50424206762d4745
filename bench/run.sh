#!/usr/bin/env bash
# Reproduces the tally comparison in docs/PERFORMANCE.md with one command:
# generates the election (BALLOTS ballots, default 1,000,000; 15 candidates;
# 5 seats), counts it with Momentum's tally package and with the npm peers
# on the same ballots, and prints a Markdown table: parse, count and end to
# end (reading the file, grouping and counting) for each counter.
#
#   bench/run.sh                  # 1,000,000 ballots
#   BALLOTS=100000 bench/run.sh   # quicker
#   BASELINE=main bench/run.sh    # also Momentum as of a git revision, first
#
# Needs Go and Node.js (npm installs the peers into bench/node_modules).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/votes ] || [ ! -d node_modules/meeks-prf-js ]; then
	npm ci --no-audit --no-fund >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
methods=irv,schulze,meek,scottish-stv
go run ./genblt -ballots "${BALLOTS:-1000000}" -candidates 15 -seats 5 >"$tmp/election.blt"
go build -o "$tmp/tallybench" ./tallybench
if [ -n "${BASELINE:-}" ]; then
	mkdir "$tmp/base"
	git -C .. archive "$BASELINE" | tar -x -C "$tmp/base"
	(cd "$tmp/base" && go build -o "$tmp/tallybench-base" ./bench/tallybench)
fi
{
	if [ -n "${BASELINE:-}" ]; then
		"$tmp/tallybench-base" -methods "$methods" "$tmp/election.blt" |
			sed "s/\"peer\":\"momentum\"/\"peer\":\"momentum at $BASELINE\"/"
	fi
	"$tmp/tallybench" -methods "$methods" "$tmp/election.blt"
	for m in irv schulze meek; do node peers.js "$m" "$tmp/election.blt"; done
} | tee "$tmp/results.jsonl" >/dev/null
echo "Machine: $(nproc) cores, $(uname -sm), $(go version | cut -d' ' -f3), node $(node --version); $(date -u +%Y-%m-%d)"
node table.js <"$tmp/results.jsonl"
