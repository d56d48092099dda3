#!/usr/bin/env node
// npm run bench:replies — how well reply stripping finds the new part of a reply, ours against the
// libraries, on the corpus in tests/fixtures/replies/ (each <name>.txt with its <name>.expected.txt;
// sources and licences in its README), and how long the worst crafted input takes.
//
// Parsers: ours (src/mail-ingestion/reply-text.ts visibleText), email-reply-parser (crisp-oss, the
// npm library visibleText was built on until now: read(text).getVisibleText()), planer (a JavaScript
// port of talon's plain-text quotation stripper; it does not strip signatures). talon's own signature
// classifier is Python and needs the sender's name, so it is not run. A case is correct when the
// output has the expected lines, trailing spaces and blank lines aside (sameLines in corpus.ts).
//
// The crafted inputs are timed after the corpus (each under 100 ms is the target).
// Options: --verbose (print every miss with what each parser returned), --only <parser name>.
const path = require('path');
const { performance } = require('perf_hooks');

require('ts-node').register({ transpileOnly: true, project: path.resolve(__dirname, '..', 'tsconfig.json') });
const { visibleText } = require('../src/plugins/helpdesk/server/src/mail-ingestion/reply-text.ts');
const { default: EmailReplyParser } = require('email-reply-parser');
const planer = require('planer');
const { craftedInputs, replyCorpus, sameLines } = require('../tests/fixtures/replies/corpus.ts');

const verbose = process.argv.includes('--verbose');

const parsers = [
  { name: 'helpdesk visibleText', strip: (text) => visibleText(text) },
  { name: 'email-reply-parser 2.3.7', strip: (text) => new EmailReplyParser().read(text).getVisibleText() },
  { name: 'planer 1.2.0', strip: (text) => planer.extractFrom(text, 'text/plain') },
];

function main() {
  const cases = replyCorpus();
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const sources = [...new Set(cases.map((c) => c.source))];
  console.log(`corpus: ${cases.length} replies from ${sources.join(', ')}\n`);
  const rows = [];
  for (const parser of parsers) {
    if (only && !parser.name.startsWith(only)) continue;
    for (const c of cases) parser.strip(c.input); // a regex is compiled on its first use: not a case's time
    let correct = 0;
    let total = 0;
    let slowest = { ms: 0, id: '' };
    const bySource = Object.fromEntries(sources.map((source) => [source, [0, 0]]));
    const misses = [];
    for (const c of cases) {
      const started = performance.now();
      let output;
      try {
        output = parser.strip(c.input);
      } catch (error) {
        output = `(threw ${error.message})`;
      }
      const ms = performance.now() - started;
      total += ms;
      if (ms > slowest.ms) slowest = { ms, id: c.id };
      const ok = sameLines(output, c.expected);
      bySource[c.source][1] += 1;
      if (ok) {
        correct += 1;
        bySource[c.source][0] += 1;
      } else misses.push({ id: c.id, output });
    }
    rows.push({ parser, correct, mean: total / cases.length, slowest, bySource, misses });
  }

  console.log('| parser | correct / total | ' + sources.join(' | ') + ' | mean | slowest case |');
  console.log('| --- | --- | ' + sources.map(() => '---').join(' | ') + ' | --- | --- |');
  for (const { parser, correct, mean, slowest, bySource } of rows) {
    const perSource = sources.map((source) => `${bySource[source][0]}/${bySource[source][1]}`).join(' | ');
    console.log(`| ${parser.name} | **${correct} / ${cases.length}** | ${perSource} | ${mean.toFixed(2)} ms | ${slowest.ms.toFixed(1)} ms (${slowest.id}) |`);
  }
  for (const { parser, misses } of rows) {
    console.log(`\n${parser.name} misses (${misses.length}): ${misses.map((m) => m.id).join(', ')}`);
    if (verbose) for (const m of misses) console.log(`--- ${m.id}\n${m.output}\n`);
  }

  // email-reply-parser alone backtracks for minutes on some of these, so only ours is timed
  console.log('\ncrafted inputs (tests/fixtures/replies/corpus.ts), helpdesk visibleText, wall and CPU time:');
  let worst = { ms: 0, cpu: 0, name: '' };
  for (const { name, text, expected } of craftedInputs()) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const output = visibleText(text);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpuBefore);
    const cpu = (used.user + used.system) / 1000;
    const ok = typeof expected === 'function' ? expected(output) : output === expected;
    if (ms > worst.ms) worst = { ms, cpu, name };
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${cpu.toFixed(1).padStart(7)} ms CPU  ${name}${ok ? '' : '  (WRONG OUTPUT)'}`);
  }
  console.log(`slowest crafted input: ${worst.ms.toFixed(1)} ms, ${worst.cpu.toFixed(1)} ms CPU (${worst.name}); load average ${require('os').loadavg()[0].toFixed(1)}`);
}

main();
