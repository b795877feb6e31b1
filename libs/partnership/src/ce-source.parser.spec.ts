import { ceSourceOf, parseCeSource } from './ce-source.parser';
import { isoDurationSeconds } from './iso-duration.parser';

describe('parseCeSource', () => {
  it('reads council and system from /councils/<slug>/<system>', () => {
    expect(parseCeSource('/councils/coventry/agresso')).toEqual({ council: 'coventry', system: 'agresso' });
    expect(parseCeSource(ceSourceOf('solihull', 'oracle-ebs'))).toEqual({
      council: 'solihull',
      system: 'oracle-ebs',
    });
  });

  it.each([
    '',
    '/councils/coventry',
    '/councils/coventry/agresso/extra',
    'councils/coventry/agresso',
    '/councils/Coventry/agresso',
    '/people/x/y',
  ])('rejects %j', (source) => {
    expect(parseCeSource(source)).toBeUndefined();
  });
});

describe('isoDurationSeconds', () => {
  it.each([
    ['PT5M', 300],
    ['PT1H', 3600],
    ['PT0.5S', 0.5],
    ['P1D', 86400],
    ['P7D', 604800],
    ['P1W', 604800],
    ['P1M', 2592000],
    ['P1Y', 31536000],
    ['P1DT12H', 129600],
  ])('%s is %d seconds', (duration, seconds) => {
    expect(isoDurationSeconds(duration)).toBe(seconds);
  });

  it.each(['', 'P', 'PT', '5M', 'PT5', 'P0D', 'every day'])('rejects %j', (duration) => {
    expect(isoDurationSeconds(duration)).toBeUndefined();
  });
});
