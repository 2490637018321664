// A USB barcode scanner is a keyboard that types very fast and presses Enter.
// This collector tells a scan from a person typing by the time between keys,
// so the page can catch scans wherever focus happens to be. Pure: the caller
// passes the key and the time (event.timeStamp) and decides what focus means.

export type ScanOptions = {
  /** Shortest code accepted (EAN-8 is the shortest barcode Galla knows). */
  minLength?: number;
  /** Keys further apart than this were typed by a person. */
  maxGapMs?: number;
};

export class ScanCollector {
  private readonly minLength: number;
  private readonly maxGapMs: number;
  private digits = "";
  private lastAt = 0;

  constructor({ minLength = 8, maxGapMs = 50 }: ScanOptions = {}) {
    this.minLength = minLength;
    this.maxGapMs = maxGapMs;
  }

  /**
   * Feeds one key press. Returns the scanned code when this Enter ends a scan,
   * else null (the key is then the page's to handle as usual).
   */
  key(key: string, atMs: number): string | null {
    const quick = this.digits !== "" && atMs - this.lastAt < this.maxGapMs;
    if (/^[0-9]$/.test(key)) {
      this.digits = quick ? this.digits + key : key;
      this.lastAt = atMs;
      return null;
    }
    const code = key === "Enter" && quick && this.digits.length >= this.minLength ? this.digits : null;
    this.reset();
    return code;
  }

  reset(): void {
    this.digits = "";
    this.lastAt = 0;
  }
}
