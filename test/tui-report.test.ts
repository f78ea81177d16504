/**
 * The writer behind the UI's report key: markdown and html files in the given directory, with
 * the `nfdb run` command that shows the same, and after a what-if the comparison of both runs
 * with the UI's changes as run's flags.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../source/commands/context.js';
import { reportWriter } from '../source/commands/tui-report.js';
import { parseEdit } from '../source/rules/edits/index.js';
import { bookinfoScenario } from '../source/world/scenarios/bookinfo.js';
import { simulate } from '../source/world/simulate.js';
import { editScenario } from '../source/world/what-if.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function writer(flags: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nfdb-tui-report-'));
  dirs.push(dir);
  const ctx = { args: [], flags } as unknown as CommandContext;
  return reportWriter(ctx, bookinfoScenario(), dir);
}

const scenario = bookinfoScenario();
const original = { scenario, trace: simulate(scenario) };

describe('the UI report writer', () => {
  it('writes the markdown and the html of the run, with the run command of the UI flags', async () => {
    const written = await writer({ seed: 7, step: 12 })({ original });
    if (!written.ok) throw new Error(written.message);
    const [md = '', html = ''] = written.paths;
    expect(md).toMatch(/nfdb-report-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.md$/);
    expect(html.replace(/\.html$/, '')).toBe(md.replace(/\.md$/, ''));
    const markdown = readFileSync(md, 'utf8');
    expect(markdown).toMatch(/^## nfdb: bookinfo/);
    expect(markdown.trimEnd()).toMatch(/To see every step: `nfdb run --seed 7`$/);
    expect(readFileSync(html, 'utf8')).toContain('<figure>\n<svg');
  });

  it('after a what-if, compares both runs and gives the changes as run flags', async () => {
    const text = '-t nat -D ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN';
    const parsed = parseEdit(text, 'ipv4');
    if (!parsed.ok) throw new Error(text);
    const edited = editScenario(scenario, [{ host: 'reviews', edit: parsed.edit }]);
    if (!edited.ok) throw new Error(edited.message);
    const whatIf = {
      scenario: edited.scenario,
      trace: simulate(edited.scenario),
      changes: [`reviews: iptables ${text}`, '--set settings.loopLimit=5'],
    };
    const written = await writer()({ original, whatIf });
    if (!written.ok) throw new Error(written.message);
    const markdown = readFileSync(written.paths[0] ?? '', 'utf8');
    expect(markdown).toMatch(/^## nfdb what-if: bookinfo/);
    expect(markdown).toContain(
      `\`nfdb run --edit 'reviews: iptables ${text}' --set settings.loopLimit=5 --compare\``,
    );
    expect(markdown).toContain('==>|"FIRST DIFFERENCE: ');
  });
});
