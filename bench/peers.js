// peers.js times the counting libraries Momentum's tally package is
// compared with, on a BLT file: the npm packages `votes` (instant-runoff,
// Schulze) and `meeks-prf-js` (Meek STV, prfound.org's reference rule).
//
//   node peers.js irv|schulze|meek FILE.blt
//
// The parse and each count run RUNS times (default 3); the fastest of each
// is reported.
//
// It prints one JSON line: {"peer", "method", "ballots", "rankings",
// "parse_ms", "count_ms", "end_to_end_ms", "elected"}; end to end is the
// fastest parse plus the fastest count. Identical rankings are grouped,
// with their count as the weight, before the clock starts for the count:
// the peers get the same help Momentum's tally gives itself.
"use strict";
const fs = require("fs");
const { InstantRunoff, Schulze, utils } = require("votes");
const Meek = require("meeks-prf-js/run/meek.js");

function readBLT(path) {
  const lines = fs.readFileSync(path, "utf8").replace(/^\uFEFF/, "").split("\n");
  const [nc, seats] = lines[0].trim().split(/\s+/).map(Number);
  const groups = new Map();
  let i = 1, ballots = 0;
  for (; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === "0") break;
    if (t === "" || t.startsWith("-")) continue;
    const f = t.split(/\s+/);
    const w = Number(f[0]);
    const key = f.slice(1, f.indexOf("0", 1)).join(" ");
    groups.set(key, (groups.get(key) || 0) + w);
    ballots += w;
  }
  const names = [];
  for (i++; names.length < nc && i < lines.length; i++) names.push(JSON.parse(lines[i]));
  return { nc, seats, groups, ballots, names };
}

const RUNS = Number(process.env.RUNS || 3);

function main() {
  const [method, path] = process.argv.slice(2);
  if (!["irv", "schulze", "meek"].includes(method) || !path) {
    console.error("usage: node peers.js irv|schulze|meek FILE.blt");
    process.exit(2);
  }
  // Parsing, too, is timed RUNS times and the fastest kept: the peers get
  // the JIT's warm-up for free.
  let e, ids, input, t, parseMs = Infinity;
  for (let run = 0; run < RUNS; run++) {
    t = process.hrtime.bigint();
    e = readBLT(path);
    ids = Array.from({ length: e.nc }, (_, k) => "C" + (k + 1)); // no spaces: meeks-prf-js splits on them
    const ranked = [...e.groups].map(([key, w]) => [key ? key.split(" ").map((k) => ids[k - 1]) : [], w]);
    if (method === "meek") {
      input = ranked.map(([r, w]) => [w, " " + r.join(" ")]);
    } else {
      input = ranked.map(([r, w]) => ({ ranking: r.map((c) => [c]), weight: w }));
    }
    parseMs = Math.min(parseMs, Number(process.hrtime.bigint() - t) / 1e6);
  }
  const count = () => {
    if (method === "meek") {
      const res = Meek.tabulate(e.seats, " " + ids.join(" "), input, e.nc, " " + ids.slice().reverse().join(" "), "", "", {}, null);
      return [...res.elected];
    } else if (method === "irv") {
      return new InstantRunoff({ candidates: ids, ballots: input }).ranking()[0];
    }
    // Schulze works on the pairwise matrix, built from the ballots as part of the count.
    const m = utils.matrixFromBallots(input, ids);
    return new Schulze({ candidates: ids, array: m.array }).ranking()[0];
  };
  // The fastest of a few runs, as for Momentum's counts: the first pays
  // for the JIT's warm-up.
  let elected, countMs = Infinity;
  for (let run = 0; run < RUNS; run++) {
    t = process.hrtime.bigint();
    elected = count();
    countMs = Math.min(countMs, Number(process.hrtime.bigint() - t) / 1e6);
  }
  const name = (id) => e.names[Number(id.slice(1)) - 1];
  console.log(JSON.stringify({ peer: method === "meek" ? "meeks-prf-js" : "votes", method, ballots: e.ballots,
    rankings: e.groups.size, parse_ms: Math.round(parseMs), count_ms: Math.round(countMs),
    end_to_end_ms: Math.round(parseMs + countMs), elected: elected.map(name) }));
}

main();
