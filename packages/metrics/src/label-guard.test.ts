import { describe, expect, it } from 'vitest';
import { createLabelGuard, OTHER_LABEL_VALUE } from './label-guard.js';

describe('createLabelGuard', () => {
  it('passes the first maxValues distinct values and folds the rest', () => {
    const guard = createLabelGuard(2);
    expect(['a', 'b', 'c', 'a', 'b', 'd'].map(guard)).toEqual([
      'a',
      'b',
      OTHER_LABEL_VALUE,
      'a',
      'b',
      OTHER_LABEL_VALUE,
    ]);
  });
});
