/** Per conversation: the highest seq known and the highest seq this user has read (any session). */

interface Marker {
  lastSeq: number;
  readSeq: number;
}

export class ReadMarkers {
  private readonly markers = new Map<string, Marker>();

  private get(name: string): Marker {
    let m = this.markers.get(name);
    if (!m) {
      m = { lastSeq: 0, readSeq: 0 };
      this.markers.set(name, m);
    }
    return m;
  }

  lastSeq(name: string): number {
    return this.markers.get(name)?.lastSeq ?? 0;
  }

  readSeq(name: string): number {
    return this.markers.get(name)?.readSeq ?? 0;
  }

  /** A message with this seq exists. */
  seen(name: string, seq: number): void {
    const m = this.get(name);
    m.lastSeq = Math.max(m.lastSeq, seq);
  }

  /** The read marker moved (it never moves back). */
  read(name: string, seq: number): void {
    const m = this.get(name);
    m.readSeq = Math.max(m.readSeq, seq);
    m.lastSeq = Math.max(m.lastSeq, seq);
  }

  clear(): void {
    this.markers.clear();
  }
}
