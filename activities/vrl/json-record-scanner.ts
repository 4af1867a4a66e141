/**
 * Finds record boundaries in a stream of JSON bytes without parsing or holding the whole input:
 * a top-level array (each element is a record), a wrapper object whose `input` or `results` key
 * holds that array, or JSON lines (each top-level value is a record). Only byte-level structure is
 * tracked here (strings, escapes, nesting); each record's bytes are parsed later, one at a time,
 * so one malformed record is reported alone instead of failing the file.
 */
export interface ScannedRecord {
  index: number;
  /** Byte offset of the record's first byte in the decompressed input. */
  byteOffset: number;
  line: number;
  bytes: Buffer;
  /** Set when the scanner already knows the record is bad (a broken JSON line, too large). */
  problem?: string;
  /** Over the record size limit: kept as bytes, never parsed. */
  oversized?: boolean;
}

export class TruncatedInputError extends Error {
  readonly type = 'TruncatedInputError';
  constructor(message: string) {
    super(message);
    this.name = 'TruncatedInputError';
  }
}

const WRAPPER_KEYS = new Set(['input', 'results']);
const [QUOTE, BACKSLASH, NEWLINE] = [0x22, 0x5c, 0x0a];
const [OPEN_OBJ, CLOSE_OBJ, OPEN_ARR, CLOSE_ARR] = [0x7b, 0x7d, 0x5b, 0x5d];
const [COMMA, COLON] = [0x2c, 0x3a];
const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

type Mode = 'start' | 'first-object' | 'elements' | 'wrapper-tail' | 'lines' | 'after-array';

export class JsonRecordScanner {
  private mode: Mode = 'start';
  private depth = 0;
  /** Nesting depth at which records are the elements of an array (1, or 2 inside a wrapper). */
  private elementDepth = 1;
  private inString = false;
  private escape = false;
  /** JSON lines proper (one value per line) unless the first value spanned several lines. */
  private strictLines = true;
  private offset = 0;
  private line = 1;
  private index = 0;
  private buf: Buffer = Buffer.alloc(0);
  private collecting = false;
  /** Index in `buf` where the current record's bytes not yet copied begin. */
  private segStart = 0;
  private parts: Buffer[] = [];
  private size = 0;
  private recordStart = 0;
  private recordLine = 1;
  private problem: string | undefined;
  private keyBytes: number[] | undefined;
  private lastKey = '';
  private expectKey = false;
  private out: ScannedRecord[] = [];

  constructor(
    private readonly maxRecordBytes: number,
    private readonly hardLimitBytes: number,
  ) {}

  /** Feeds the next piece of input; returns the records completed in it. */
  push(buf: Buffer): ScannedRecord[] {
    this.buf = buf;
    this.segStart = 0;
    let i = 0;
    if (this.offset === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
    for (; i < buf.length; i++) {
      const b = buf[i] as number;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) this.endString();
        else if (b === NEWLINE) this.newlineInString(i);
        else if (this.keyBytes && this.keyBytes.length < 64) this.keyBytes.push(b);
        continue;
      }
      if (b === NEWLINE) {
        this.line++;
        if (this.mode === 'lines' && this.collecting) this.lineEnd(i);
        continue;
      }
      this.step(b, i);
    }
    if (this.collecting) this.append(buf.subarray(this.segStart));
    this.segStart = buf.length;
    this.offset += buf.length;
    return this.take();
  }

  /** Input is over: a record still open means the export was cut short. */
  end(file: string): ScannedRecord[] {
    if (this.mode === 'lines' && this.collecting) {
      const open = this.depth > 0 || this.inString;
      this.finishRecord(this.buf.length, open ? 'truncated: the input ends inside it' : undefined);
    } else if (this.collecting || this.depth > 0 || this.inString) {
      const where = `record ${this.index} (line ${this.recordLine}, byte ${this.recordStart})`;
      throw new TruncatedInputError(
        `${file}: truncated JSON: the input ends inside ${where} after ${this.offset} bytes`,
      );
    }
    return this.take();
  }

  private take(): ScannedRecord[] {
    const done = this.out;
    this.out = [];
    return done;
  }

  private step(b: number, i: number): void {
    if (this.mode === 'start' || this.mode === 'after-array' || this.mode === 'lines') {
      if (!this.collecting && isSpace(b)) return;
      if (this.mode === 'after-array') {
        throw new TruncatedInputError(
          `unexpected content after the top-level array at byte ${this.offset + i}`,
        );
      }
      if (this.mode === 'start') {
        if (b === OPEN_ARR) {
          this.mode = 'elements';
          this.depth = 1;
          return;
        }
        this.mode = b === OPEN_OBJ ? 'first-object' : 'lines';
      }
      if (!this.collecting) this.begin(i);
    }
    this.structural(b, i);
  }

  /** Tracks nesting outside strings and decides where records start and end. */
  private structural(b: number, i: number): void {
    if (this.mode === 'elements' && this.depth === this.elementDepth) {
      if (b === COMMA || b === CLOSE_ARR) {
        if (this.collecting) this.finishRecord(i);
        if (b === CLOSE_ARR) {
          this.depth--;
          this.mode = this.elementDepth === 2 ? 'wrapper-tail' : 'after-array';
        }
        return;
      }
      if (!this.collecting && !isSpace(b)) this.begin(i);
    }
    if (b === QUOTE) {
      this.inString = true;
      if (this.mode === 'first-object' && this.depth === 1 && this.expectKey) this.keyBytes = [];
    } else if (b === OPEN_OBJ || b === OPEN_ARR) {
      if (this.mode === 'first-object' && this.depth === 1 && b === OPEN_ARR) {
        if (WRAPPER_KEYS.has(this.lastKey)) return this.enterWrapper();
      }
      this.depth++;
      if (this.depth === 1) this.expectKey = b === OPEN_OBJ;
    } else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
      // A stray closer on a garbage line must not drive the depth negative.
      if (this.depth === 0) return;
      this.depth--;
      if (this.depth === 0) this.topLevelClosed(i);
    } else if (this.depth === 1 && this.mode === 'first-object') {
      if (b === COLON) this.expectKey = false;
      else if (b === COMMA) this.expectKey = true;
    }
  }

  private endString(): void {
    this.inString = false;
    if (this.keyBytes) {
      this.lastKey = Buffer.from(this.keyBytes).toString('utf8');
      this.keyBytes = undefined;
    }
  }

  private newlineInString(i: number): void {
    this.line++;
    // A raw line break is not allowed in a JSON string; in JSON lines it ends the bad record.
    if (this.mode === 'lines' && this.strictLines) {
      this.inString = false;
      this.escape = false;
      this.depth = 0;
      this.finishRecord(i, 'not valid JSON: the line ends inside a string');
    }
  }

  private enterWrapper(): void {
    // What was read of the object is the wrapper's head, not a record.
    this.collecting = false;
    this.parts = [];
    this.size = 0;
    this.mode = 'elements';
    this.depth = 2;
    this.elementDepth = 2;
  }

  private topLevelClosed(i: number): void {
    if (this.mode === 'wrapper-tail') {
      this.mode = 'after-array';
    } else if (this.mode === 'first-object' || this.mode === 'lines') {
      if (this.mode === 'first-object') this.strictLines = this.line === this.recordLine;
      this.mode = 'lines';
      this.finishRecord(i + 1);
    }
  }

  private lineEnd(i: number): void {
    if (this.depth === 0) this.finishRecord(i);
    else if (this.strictLines) {
      this.depth = 0;
      this.finishRecord(i, 'not valid JSON: the line ends inside a value');
    }
  }

  private begin(i: number): void {
    this.collecting = true;
    this.segStart = i;
    this.recordStart = this.offset + i;
    this.recordLine = this.line;
    this.parts = [];
    this.size = 0;
    this.problem = undefined;
  }

  /** Ends the current record just before index `end` of the current buffer. */
  private finishRecord(end: number, problem?: string): void {
    this.append(this.buf.subarray(this.segStart, end));
    const bytes = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    this.out.push({
      index: this.index++,
      byteOffset: this.recordStart,
      line: this.recordLine,
      bytes,
      problem: problem ?? this.problem,
      oversized: this.size > this.maxRecordBytes,
    });
    this.parts = [];
    this.size = 0;
    this.collecting = false;
  }

  private append(piece: Buffer): void {
    if (piece.length === 0) return;
    this.size += piece.length;
    if (this.size > this.hardLimitBytes) {
      throw new TruncatedInputError(
        `record ${this.index} (line ${this.recordLine}, byte ${this.recordStart}) is over ` +
          `${this.hardLimitBytes} bytes; no single alert is that large, so the export is malformed`,
      );
    }
    if (this.size > this.maxRecordBytes && !this.problem) {
      this.problem = `record is over the ${this.maxRecordBytes}-byte limit`;
    }
    // A copy: the stream may reuse its buffers, and a record outlives the piece it came in.
    this.parts.push(Buffer.from(piece));
  }
}
