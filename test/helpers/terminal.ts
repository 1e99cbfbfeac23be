/**
 * A small terminal for tests: feeds text with \r, \n, ESC[nA (up), ESC[J (erase below) and
 * automatic wrap at the last column, and keeps the screen plus everything scrolled off it. Enough
 * to see what a user sees after a progress display has drawn, and whether any output ran past the
 * terminal's width (`overflows`: a row written past the last column wraps, which is the bug).
 */
export class Terminal {
  lines: string[] = [''];
  row = 0;
  col = 0;
  /** Rows whose text reached the last column and wrapped onto the next row. */
  overflows: string[] = [];
  /** Cursor-up moves that went above the top of the screen (the block would be redrawn lower each time). */
  lostUp = 0;

  constructor(public cols: number, public rows: number) {}

  write(s: string): boolean {
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '\x1b' && s[i + 1] === '[') {
        const m = /^\x1b\[(\??)(\d*)([A-Za-z])/.exec(s.slice(i));
        if (!m) continue;
        i += m[0].length - 1;
        const n = Number(m[2] || 1);
        if (m[3] === 'A') {
          const top = Math.max(0, this.lines.length - this.rows);
          if (this.row - n < top) this.lostUp++;
          this.row = Math.max(top, this.row - n);
        } else if (m[3] === 'J') {
          this.lines[this.row] = this.lines[this.row].slice(0, this.col);
          this.lines.length = this.row + 1;
        }
        continue;
      }
      if (c === '\r') this.col = 0;
      else if (c === '\n') this.newline();
      else {
        if (this.col >= this.cols) {
          this.overflows.push(this.lines[this.row]);
          this.newline();
        }
        const l = this.lines[this.row].padEnd(this.col);
        this.lines[this.row] = l.slice(0, this.col) + c + l.slice(this.col + 1);
        this.col++;
      }
    }
    return true;
  }

  private newline(): void {
    this.row++;
    this.col = 0;
    if (this.row >= this.lines.length) this.lines.push('');
  }

  /** The rows on screen now (the last `rows` lines). */
  screen(): string[] {
    return this.lines.slice(-this.rows);
  }

  /** Everything: scrollback and screen, trailing blanks trimmed. */
  text(): string {
    return this.lines.map((l) => l.trimEnd()).join('\n');
  }
}
