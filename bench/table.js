// table.js reads the JSON lines that tallybench and peers.js print and
// writes the comparison as a Markdown table: for each method, each
// counter's parse, count and end to end times (reading the file, grouping
// and counting), and how many times faster Momentum is end to end and in
// the count alone. A line without end_to_end_ms (an older tallybench, as
// BASELINE runs it) counts parse plus count.
"use strict";
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l.trim().startsWith("{"));
// By method, in the order they first come; in each, Momentum first, then
// a baseline build of it, then the peers.
const order = [...new Set(lines.map((l) => JSON.parse(l).method))];
const rank = (r) => (r.peer === "momentum" ? 0 : r.peer.startsWith("momentum") ? 1 : 2);
const rows = lines.map((l) => JSON.parse(l)).sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method) || rank(a) - rank(b));
const ours = new Map(rows.filter((r) => r.peer === "momentum").map((r) => [r.method, r]));
const total = (r) => (r.count_ms === null ? null : (r.end_to_end_ms ?? r.parse_ms + r.count_ms));
const times = (theirs, mine) => (theirs === null ? "" : (theirs / Math.max(mine, 0.001)).toFixed(1) + "×");
const ms = (x) => (x === null ? "did not finish" : Number(x.toFixed(1)).toLocaleString("en"));
console.log("| method | counter | ballots | distinct rankings | parse ms | count ms | end to end ms | Momentum faster, end to end | Momentum faster, count |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  const o = ours.get(r.method);
  const compared = r.peer !== "momentum" && o;
  console.log(`| ${r.method} | ${r.peer} | ${r.ballots.toLocaleString("en")} | ${r.rankings.toLocaleString("en")} | ${ms(r.parse_ms)} | ${ms(r.count_ms)} | ${ms(total(r))} | ` +
    `${compared ? times(total(r), total(o)) : ""} | ${compared ? times(r.count_ms, o.count_ms) : ""} |`);
  if (r.elected && o && r.peer !== "momentum" && JSON.stringify([...r.elected].sort()) !== JSON.stringify([...o.elected].sort())) {
    console.log(`|  | ⚠ ${r.peer} elected ${r.elected.join(", ")}; Momentum elected ${o.elected.join(", ")} | | | | | | | |`);
  }
}
