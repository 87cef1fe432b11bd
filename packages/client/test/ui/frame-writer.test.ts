import { frameWriter, splitErasure } from '../../src/ui/frame-writer.js';
import { FakeStdout } from './fake-terminal.js';

/** What Ink writes for a frame: its last frame's rows erased (ansi-escapes' eraseLines), then the frame. */
function inkFrame(previousRows: number, rows: string[]): string {
  let erase = '';
  for (let i = 0; i < previousRows; i++) erase += '\x1b[2K' + (i < previousRows - 1 ? '\x1b[1A' : '');
  if (previousRows) erase += '\x1b[G';
  return erase + rows.join('\n') + '\n';
}

function setup() {
  const out = new FakeStdout();
  const w = frameWriter(out as unknown as NodeJS.WriteStream);
  const writes: string[] = [];
  out.write = (chunk: string) => {
    writes.push(chunk);
    return true;
  };
  return { out, w, writes, stream: w.stream };
}

const A = ['┌─ a ─┐', '│one  │', '│two  │', '└─────┘'];

test('reads the erasure Ink starts a frame with', () => {
  expect(splitErasure(inkFrame(3, ['x']))).toEqual({ erased: 3, rest: 'x\n' });
  expect(splitErasure('x\n')).toEqual({ erased: 0, rest: 'x\n' });
  // An erased row not followed by a move up or to column 1 is not Ink's eraseLines.
  expect(splitErasure('\x1b[2Kx')).toEqual({ erased: 0, rest: '\x1b[2Kx' });
});

test('the first frames go whole; after them only the rows that changed, and the cursor back below the frame', () => {
  const { stream, writes } = setup();
  stream.write(inkFrame(0, A));
  stream.write(
    inkFrame(
      5,
      A.map((r) => r.replace('a', 'b')),
    ),
  );
  expect(writes).toEqual([
    inkFrame(0, A),
    inkFrame(
      5,
      A.map((r) => r.replace('a', 'b')),
    ),
  ]);

  const next = ['┌─ b ─┐', '│one  │', '│2    │', '└─────┘'];
  stream.write(inkFrame(5, next));
  // The cursor is on the row after the frame (4): up 2 to row 2, the row erased and written, down 2.
  expect(writes[2]).toBe('\x1b[2A\r\x1b[2K│2    │\x1b[2B\r');

  const last = ['┌─ c ─┐', '│one  │', '│2    │', '└──x──┘'];
  stream.write(inkFrame(5, last));
  expect(writes[3]).toBe('\x1b[4A\r\x1b[2K┌─ c ─┐\x1b[3B\r\x1b[2K└──x──┘\x1b[1B\r');
});

test('a frame the same as the one shown writes nothing', () => {
  const { stream, writes } = setup();
  stream.write(inkFrame(0, A));
  stream.write(inkFrame(5, A));
  stream.write(inkFrame(5, A));
  expect(writes[2]).toBe('');
});

test('after anything that may have changed the screen, the next frame goes whole', () => {
  const { out, stream, writes, w } = setup();
  stream.write(inkFrame(0, A));
  stream.write(inkFrame(5, A));
  const changed = ['┌─ a ─┐', '│one  │', '│three│', '└─────┘'];

  // Synchronized output and the cursor's visibility leave the text alone.
  stream.write('\x1b[?2026h');
  stream.write(inkFrame(5, changed));
  stream.write('\x1b[?2026l');
  expect(writes[3]).toBe('\x1b[2A\r\x1b[2K│three│\x1b[2B\r');

  // Ctrl+L's repaint (Ink writes it between clearing its frame and writing it again).
  stream.write('\x1b[?25l\x1b[2J\x1b[H');
  stream.write(inkFrame(0, changed));
  stream.write(inkFrame(5, A));
  expect(writes.slice(-1)).toEqual([inkFrame(5, A)]);

  // A resize: the terminal may have cut or moved rows.
  out.emit('resize');
  stream.write(inkFrame(5, changed));
  expect(writes.slice(-1)).toEqual([inkFrame(5, changed)]);

  // A frame with another number of rows, or an erasure of another count.
  stream.write(inkFrame(5, [...changed, 'more']));
  expect(writes.slice(-1)).toEqual([inkFrame(5, [...changed, 'more'])]);
  stream.write(inkFrame(3, changed));
  expect(writes.slice(-1)).toEqual([inkFrame(3, changed)]);

  expect(w.counts.written).toBeLessThan(w.counts.asked);
});

test('Ink sees the real stream: its size, TTY and events', () => {
  const { out, stream } = setup();
  out.columns = 123;
  expect(stream.columns).toBe(123);
  expect(stream.isTTY).toBe(true);
  let resized = 0;
  stream.on('resize', () => resized++);
  out.emit('resize');
  expect(resized).toBe(1);
});
