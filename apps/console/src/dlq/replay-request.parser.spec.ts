import { parseReplayRequest } from './replay-request.parser';

const ID = 'a'.repeat(32);

describe('replay request', () => {
  it('takes ids', () =>
    expect(parseReplayRequest({ ids: [ID] })).toEqual({ ok: true, value: { ids: [ID] } }));

  it('takes a filter with dates', () => {
    expect(
      parseReplayRequest({
        filter: { council: 'coventry', code: 'SOURCE.PARSE_ERROR', from: '2026-11-23T00:00:00Z' },
      }),
    ).toEqual({
      ok: true,
      value: {
        filter: {
          council: 'coventry',
          domain: undefined,
          code: 'SOURCE.PARSE_ERROR',
          from: new Date('2026-11-23T00:00:00Z'),
          to: undefined,
        },
      },
    });
  });

  it.each([
    [null, /JSON object/],
    [{}, /exactly one/],
    [{ ids: [ID], filter: { council: 'coventry' } }, /exactly one/],
    [{ ids: [] }, /1 to 500/],
    [{ ids: new Array(501).fill(ID) }, /1 to 500/],
    [{ ids: ['nope'] }, /32 hex/],
    [{ filter: {} }, /at least one/],
    [{ filter: { council: 'Coventry!' } }, /council slug/],
    [{ filter: { domain: 'housing' } }, /hr, finance, crm or waste/],
    [{ filter: { code: "x'; drop" } }, /error code/],
    [{ filter: { from: 'yesterday' } }, /ISO 8601/],
    [{ filter: { council: 'coventry', payload: true } }, /does not take payload/],
  ])('refuses %j', (body, message) => {
    const parsed = parseReplayRequest(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});
