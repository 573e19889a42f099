import { isRealState } from '../home/index.js';

/**
 * Interns state strings so that timelines hold small integer codes. One table is shared by all
 * the timelines of a home: `on` has the same code for every light and switch.
 */
export class StateTable {
  private readonly codes = new Map<string, number>();
  private readonly names: string[] = [];
  /** Per code, whether the state is a real state of a device (see `isRealState`). */
  private readonly real: boolean[] = [];

  codeOf(state: string): number {
    let code = this.codes.get(state);
    if (code === undefined) {
      code = this.names.length;
      this.codes.set(state, code);
      this.names.push(state);
      this.real.push(isRealState(state));
    }

    return code;
  }

  isReal(code: number): boolean {
    return this.real[code] ?? false;
  }

  /** The code of `state` if it was ever interned, without interning it. */
  find(state: string): number | undefined {
    return this.codes.get(state);
  }

  nameOf(code: number): string {
    const name = this.names[code];
    if (name === undefined) {
      throw new RangeError(`state code ${code} is not in the table`);
    }

    return name;
  }

  get size(): number {
    return this.names.length;
  }
}
