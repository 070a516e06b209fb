// Optional parts of generated objects, shrinking towards absent (withCrossShrink: a oneof otherwise
// shrinks only within the branch it took). fast-check's own fc.option counts the other way round:
// its `freq` is the odds of a nil, one in `freq`.
import fc from 'fast-check';

/** Present in about one case of `oneIn`. */
export const sometimes = <T>(arbitrary: fc.Arbitrary<T>, oneIn = 2): fc.Arbitrary<T | undefined> =>
  fc.oneof({ withCrossShrink: true }, { weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

/** Present in about three cases of four. */
export const usually = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ withCrossShrink: true }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary });
