/**
 * A bounded user-space memory test: fill a buffer with each pattern, read it
 * back, count the words that differ. Patterns: all zeros, all ones, the two
 * checkerboards, and each word's own index (address-in-address catches
 * address-line faults). It only sees the pages the kernel gives this
 * process; a full test is memtest86+ from the boot menu.
 */
export interface MemtestFigures {
  bytes: number;
  passes: number;
  errors: number;
  /** Byte offset of the first bad word, or null. */
  firstErrorAt: number | null;
}

const PATTERNS: ((i: number) => number)[] = [() => 0, () => 0xffffffff, () => 0x55555555, () => 0xaaaaaaaa, (i) => i >>> 0];

/** `flip` lets the unit tests damage the memory between write and read (a fault injector). */
export function memtest(bytes: number, flip?: (words: Uint32Array, pass: number) => void): MemtestFigures {
  const words = new Uint32Array(Math.floor(bytes / 4));
  let errors = 0;
  let firstErrorAt: number | null = null;
  PATTERNS.forEach((pattern, pass) => {
    for (let i = 0; i < words.length; i++) words[i] = pattern(i);
    flip?.(words, pass);
    for (let i = 0; i < words.length; i++) {
      if (words[i] !== pattern(i) >>> 0) {
        errors++;
        firstErrorAt ??= i * 4;
      }
    }
  });
  return { bytes: words.length * 4, passes: PATTERNS.length, errors, firstErrorAt };
}
