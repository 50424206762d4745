// table.js reads the JSON lines that tallybench and peers.js print and
// writes the comparison as a Markdown table: for each method, Momentum's
// parse and count times beside each peer's, and how many times faster
// Momentum's count is.
"use strict";
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l.trim().startsWith("{"));
const rows = lines.map((l) => JSON.parse(l));
const ours = new Map(rows.filter((r) => r.peer === "momentum").map((r) => [r.method, r]));
console.log("| method | counter | ballots | distinct rankings | parse ms | count ms | Momentum's count is |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) {
  const o = ours.get(r.method);
  let ratio = "";
  if (r.peer !== "momentum" && o) {
    ratio = r.count_ms === null ? "" : (r.count_ms / Math.max(o.count_ms, 0.001)).toFixed(1) + "× faster";
  }
  const count = r.count_ms === null ? "did not finish" : r.count_ms;
  console.log(`| ${r.method} | ${r.peer} | ${r.ballots} | ${r.rankings} | ${r.parse_ms} | ${count} | ${ratio} |`);
  if (r.elected && o && r.peer !== "momentum" && JSON.stringify([...r.elected].sort()) !== JSON.stringify([...o.elected].sort())) {
    console.log(`|  | ⚠ ${r.peer} elected ${r.elected.join(", ")}; Momentum elected ${o.elected.join(", ")} | | | | | |`);
  }
}
