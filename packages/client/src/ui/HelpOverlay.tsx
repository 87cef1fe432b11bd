/** The help screen (F1, /help): every command and every key binding, scrollable. */
import React from 'react';
import { KEY_SECTIONS, keyLabel } from './key-labels.js';
import { KEYMAP } from './keymap.js';
import { theme } from './colors.js';
import { Pane } from './Pane.js';
import type { Row } from './segments.js';
import { displayWidth, wrapLine } from './text-layout.js';

/** What the help screen needs to know of a command (COMMANDS from core has this shape). */
export interface CommandHelp {
  name: string;
  aliases?: readonly string[];
  usage: string;
  summary: string;
}

export function helpRows(commands: readonly CommandHelp[], width: number): Row[] {
  const rows: Row[] = [];
  const heading = (text: string) => rows.push([{ text, bold: true, color: theme.focusBorder }]);
  const indented = (text: string, indent: number, color?: string) => {
    const lines = wrapLine(text, Math.max(10, width - indent));
    lines.forEach((l) => rows.push([{ text: ' '.repeat(indent) }, { text: l, color }]));
  };
  heading('Commands');
  rows.push([{ text: 'Plain text (no leading /) goes to the open conversation.', color: theme.dim }]);
  for (const c of commands) {
    const aliases =
      c.aliases && c.aliases.length > 0 ? `  (also ${c.aliases.map((a) => (a.startsWith('/') ? a : '/' + a)).join(', ')})` : '';
    const head = wrapLine(c.usage + aliases, width - 2);
    head.forEach((l, i) => rows.push([{ text: '  ' }, { text: l, bold: i === 0 || !aliases, color: undefined }]));
    indented(c.summary, 6, theme.dim);
  }
  rows.push([]);
  // Generated from the keymap: what is listed is what the keys do.
  for (const { context, title } of KEY_SECTIONS) {
    if (context === 'login') continue;
    heading(title);
    const bindings = KEYMAP[context];
    const labels = bindings.map((b) => b.keys.map(keyLabel).join(', '));
    const keyWidth = Math.min(
      24,
      labels.reduce((m, k) => Math.max(m, displayWidth(k)), 0),
    );
    bindings.forEach((b, n) => {
      const label = labels[n]!;
      const keyLines = displayWidth(label) > keyWidth ? wrapLine(label, keyWidth) : [label];
      const lines = wrapLine(b.help, Math.max(10, width - keyWidth - 4));
      for (let i = 0; i < Math.max(keyLines.length, lines.length); i++) {
        rows.push([{ text: '  ' }, { text: (keyLines[i] ?? '').padEnd(keyWidth), bold: true }, { text: '  ' }, { text: lines[i] ?? '' }]);
      }
    });
    rows.push([]);
  }
  return rows;
}

export interface HelpOverlayProps {
  commands: readonly CommandHelp[];
  width: number;
  height: number;
  /** First row shown. */
  top: number;
}

export function helpMaxTop(commands: readonly CommandHelp[], width: number, height: number): number {
  return Math.max(0, helpRows(commands, width - 2).length - (height - 2));
}

export function HelpOverlay({ commands, width, height, top }: HelpOverlayProps): React.ReactElement {
  const all = helpRows(commands, width - 2);
  const body = height - 2;
  const start = Math.max(0, Math.min(top, all.length - body));
  const rows = all.slice(start, start + body);
  const more = all.length > start + body;
  const footer = more ? '↓ more (PgDn) · Esc closes' : 'Esc closes';
  return <Pane title="Help" hint="F1" width={width} height={height} focused rows={rows} footer={footer} />;
}
