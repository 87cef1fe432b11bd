/** A terminal for runTui without a pty: stdin that can be typed into, stdout that records every byte. No Ink import (see wait.ts). */
import { EventEmitter } from 'node:events';

export class FakeStdin extends EventEmitter {
  isTTY = true;
  isRaw = false;
  private data: string | null = null;
  setRawMode(on: boolean) {
    this.isRaw = on;
  }
  setEncoding() {}
  ref() {}
  unref() {}
  resume() {}
  pause() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  type(data: string) {
    this.data = data;
    this.emit('readable');
  }
}

export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 90;
  rows = 25;
  writable = true;
  destroyed = false;
  output = '';
  write = (chunk: string) => {
    this.output += chunk;
    return true;
  };
}
