import {
  ArrayMaxSize,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  validateSync,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { compileFastCheck } from './class-validator-fast-check';
import { installClassValidatorMetadataCache } from './class-validator-metadata.cache';

/* Classes for this spec only: every kind of rule the fast check covers, and the kinds it hands back. */

class Line {
  @IsString()
  @MaxLength(5)
  code!: unknown;

  @IsOptional()
  @Min(0)
  pence?: unknown;
}

@ValidatorConstraint({ name: 'evenLength' })
class EvenLength implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && value.length % 2 === 0;
  }
}

@ValidatorConstraint({ name: 'slowRemote', async: true })
class SlowRemote implements ValidatorConstraintInterface {
  validate(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

@ValidatorConstraint({ name: 'sometimesPromise' })
class SometimesPromise implements ValidatorConstraintInterface {
  validate(value: unknown): boolean | Promise<boolean> {
    return value === 'later' ? Promise.resolve(false) : true;
  }
}

class Order {
  @IsDefined()
  @IsString()
  @Matches(/^O-\d+$/)
  ref!: unknown;

  @IsIn(['open', 'closed'])
  status!: unknown;

  @IsOptional()
  @IsInt({ each: true })
  @ArrayMaxSize(3)
  quantities?: unknown;

  @IsOptional()
  @ValidateNested({ each: true })
  lines?: unknown;

  @IsOptional()
  @ValidateNested()
  main?: unknown;

  @ValidateIf((o: Order) => o.status === 'closed')
  @IsString()
  closedBy?: unknown;

  @IsOptional()
  @Validate(EvenLength)
  @Validate(SlowRemote)
  @Validate(SometimesPromise)
  tag?: unknown;
}

class NoRules {
  name = 'x';
}

const line = (code: unknown, pence?: unknown): Line => Object.assign(new Line(), { code, pence });
const order = (fields: Record<string, unknown>): Order =>
  Object.assign(new Order(), { ref: 'O-1', status: 'open', ...fields });

/** What validateSync says, with the options the canonical validator uses. */
const classValidatorSaysValid = (o: object): boolean =>
  validateSync(o, { forbidUnknownValues: true, validationError: { target: false, value: false } }).length ===
  0;

describe('compileFastCheck', () => {
  installClassValidatorMetadataCache();
  const fastCheck = compileFastCheck();

  const cases: Record<string, object> = {
    'a minimal valid order': order({}),
    'every optional field valid': order({
      quantities: [1, 2],
      lines: [line('A1', 5), line('B', undefined)],
      main: line('M'),
      tag: 'ab',
    }),
    'ref missing (IsDefined)': order({ ref: undefined }),
    'ref of the wrong shape': order({ ref: 'X-1' }),
    'status not in the list': order({ status: 'lost' }),
    'an optional field null is skipped': order({ quantities: null, lines: null, main: null, tag: null }),
    'each: one element not an integer': order({ quantities: [1, 2.5] }),
    'each over a Set (valid elements, but ArrayMaxSize wants an array)': order({
      quantities: new Set([1, 2]),
    }),
    'each over a Set with a bad element': order({ quantities: new Set([1, 'x']) }),
    'array rule on top of each': order({ quantities: [1, 2, 3, 4] }),
    'a nested element invalid': order({ lines: [line('A1'), line('TOO-LONG')] }),
    'a nested element with an invalid optional field': order({ lines: [line('A1', -1)] }),
    'a nested element that is not an object': order({ lines: [line('A1'), 'text'] }),
    'a nested element undefined is skipped': order({ lines: [line('A1'), undefined] }),
    'nested arrays inside an array': order({ lines: [[line('A1')], [line('B2')]] }),
    'nested arrays with an invalid element': order({ lines: [[line('A1')], [line('LONGER')]] }),
    'a nested object invalid': order({ main: line(7) }),
    'a nested value that is a string': order({ main: 'line' }),
    'a nested object of a class without rules (forbidUnknownValues)': order({ main: new NoRules() }),
    'a nested plain object (no rules for Object)': order({ main: { code: 'A' } }),
    'ValidateIf true and the field wrong': order({ status: 'closed', closedBy: 5 }),
    'ValidateIf true and the field right': order({ status: 'closed', closedBy: 'ops' }),
    'ValidateIf false and the field wrong': order({ status: 'open', closedBy: 5 }),
    'a custom constraint failing': order({ tag: 'abc' }),
    'an async constraint is ignored by validateSync': order({ tag: 'ab' }),
    'a constraint answering with a promise': order({ tag: 'later' }),
    'an object of a class without rules': new NoRules(),
  };

  it.each(Object.entries(cases))('never calls valid what class-validator rejects: %s', (_, o) => {
    const fast = fastCheck(o);
    const slow = classValidatorSaysValid(o);
    // The contract: true only when class-validator also finds it valid.
    if (fast) expect(slow).toBe(true);
    // And it recognises every valid case here except a constraint answering with a promise.
    if (slow && !Object.is(o, cases['a constraint answering with a promise'])) expect(fast).toBe(true);
  });

  it('asks class-validator about what it does not cover: a constraint answering with a promise, a map of nested objects', () => {
    expect(fastCheck(order({ tag: 'later' }))).toBe(false);
    expect(fastCheck(order({ lines: new Map([['a', line('A1')]]) }))).toBe(false);
  });

  it('tells valid from invalid in the cases above as class-validator does', () => {
    const verdicts = Object.fromEntries(Object.entries(cases).map(([name, o]) => [name, fastCheck(o)]));
    expect(
      Object.entries(verdicts)
        .filter(([, valid]) => valid)
        .map(([name]) => name),
    ).toEqual([
      'a minimal valid order',
      'every optional field valid',
      'an optional field null is skipped',
      'a nested element undefined is skipped',
      'nested arrays inside an array',
      'ValidateIf true and the field right',
      'ValidateIf false and the field wrong',
      'an async constraint is ignored by validateSync',
    ]);
  });
});
