import 'reflect-metadata';
import {
  getMetadataStorage,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { Type } from 'class-transformer';
import { installClassValidatorMetadataCache } from './class-validator-metadata.cache';

class CacheChild {
  @IsInt()
  n!: number;
}

class CacheParent {
  @IsString()
  @MaxLength(3)
  code!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => CacheChild)
  child?: CacheChild;
}

function make(code: unknown, n?: unknown): CacheParent {
  const parent = Object.assign(new CacheParent(), { code });
  if (n !== undefined) parent.child = Object.assign(new CacheChild(), { n });
  return parent;
}

const verdict = (o: object): string =>
  JSON.stringify(validateSync(o, { validationError: { target: false, value: false } }));

// Counts what class-validator computes underneath the cache (wrapped before the cache is installed).
const storage = getMetadataStorage();
const lookups = { count: 0 };
const underlying = storage.getTargetValidationMetadatas.bind(storage);
storage.getTargetValidationMetadatas = (...args) => {
  lookups.count++;
  return underlying(...args);
};

describe('installClassValidatorMetadataCache', () => {
  const cases = [make('abc', 1), make('abcd', 1.5), make(7), make('ab', 'x')];
  const before = cases.map(verdict);
  installClassValidatorMetadataCache();
  installClassValidatorMetadataCache();

  it('computes the rules of each class once, nested classes included', () => {
    verdict(make('abc', 1));
    const afterFirst = lookups.count;
    for (let i = 0; i < 5; i++) verdict(make('abc', 1));
    expect(lookups.count).toBe(afterFirst);
  });

  it('gives exactly the verdicts class-validator gives without it', () => {
    expect(cases.map(verdict)).toEqual(before);
    expect(cases.map(verdict)).toEqual(before);
  });

  it('sees classes whose decorators are registered after it was filled', () => {
    class LateSubclass extends CacheParent {
      @IsString()
      extra!: string;
    }
    const late = Object.assign(new LateSubclass(), { code: 'toolong', extra: 5 });
    expect(validateSync(late).map((e) => e.property)).toEqual(['extra', 'code']);
  });
});
