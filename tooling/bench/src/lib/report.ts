import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';

/** A markdown table: header cells and rows of cells. */
export interface Table {
  headers: readonly string[];
  rows: readonly (readonly string[])[];
}

/** What one bench contributes to docs/benchmarks.md, and prints when run alone. */
export interface Section {
  /** Stable id; also names the notes region in notes.md. */
  id: string;
  title: string;
  /** What ran against what, on which servers, with the schedule. Markdown. */
  setup: string;
  tables: readonly Table[];
  /** Ratios and targets, one line each. Markdown. */
  findings: readonly string[];
}

/** The schedule a bench runs: `quick` is the smoke schedule. */
export interface BenchOptions {
  quick: boolean;
}

/** A bench as the runner sees it. */
export interface Bench {
  id: string;
  run(options: BenchOptions): Promise<Section>;
}

export function renderTable(table: Table): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(table.headers),
    line(table.headers.map(() => '---')),
    ...table.rows.map((row) => line(row)),
  ].join('\n');
}

/** The section's body (no heading): setup, tables, findings. */
export function renderSection(section: Section): string {
  const parts = [section.setup, ...section.tables.map(renderTable)];
  if (section.findings.length > 0) parts.push(section.findings.map((f) => `- ${f}`).join('\n'));
  return parts.join('\n\n');
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  loadAverage: [number, number, number];
  date: string;
}

function distribution(): string | undefined {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** Describes the machine for the record in docs/benchmarks.md. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const distro = distribution();
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}${distro ? ` (${distro})` : ''}`,
    loadAverage: [one, five, fifteen],
    date: new Date().toISOString(),
  };
}

export function formatLoad(load: readonly number[]): string {
  return load.map((value) => value.toFixed(2)).join(', ');
}

/** One line for a bench run alone. */
export function machineLine(info: MachineInfo = machineInfo()): string {
  return (
    `machine: ${info.cores} × ${info.cpu}, ${info.memoryGiB} GiB, Node ${info.node}, ${info.os}; ` +
    `load average ${formatLoad(info.loadAverage)}; ${info.date}`
  );
}

/** Prints a section the way a bench run alone does. */
export function printSection(section: Section): void {
  console.log(`## ${section.title}\n`);
  console.log(`${machineLine()}\n`);
  console.log(renderSection(section));
}

/** `--quick` from the command line of a bench run alone, plus its own string options. */
export function standaloneArgs<K extends string>(
  extra: readonly K[] = [],
): { quick: boolean } & Partial<Record<K, string>> {
  const options: Record<string, { type: 'string' } | { type: 'boolean' }> = {
    quick: { type: 'boolean' },
  };
  for (const name of extra) options[name] = { type: 'string' };
  const { values } = parseArgs({ options, strict: true });
  return { ...(values as Partial<Record<K, string>>), quick: values.quick === true };
}

/** A number from a string option, checked; undefined when the option was not given. */
export function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new RangeError(`--${name} must be a positive number (got ${JSON.stringify(value)})`);
  }
  return parsed;
}

export const fixed = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
export const ratio = (value: number) => fixed(value, 3);
export const ms = (value: number) => `${fixed(value, 1)} ms`;
/** `min–max` of several values; a dash for fewer than two (a single round has no spread). */
export const range = (values: readonly number[], digits = 3) =>
  values.length < 2
    ? '–'
    : `${fixed(Math.min(...values), digits)}–${fixed(Math.max(...values), digits)}`;
