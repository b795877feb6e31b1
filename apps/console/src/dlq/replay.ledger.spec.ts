import { ReplayLedger } from './replay.ledger';

describe('replay ledger', () => {
  it('remembers replays for a while, then forgets them', () => {
    let now = 0;
    const ledger = new ReplayLedger(1000, 10, () => now);
    ledger.record(['id:a', 'at:t/0/1'], 'r1');
    expect(ledger.replayOf('id:a')).toBe('r1');
    expect(ledger.replayOf('at:t/0/1')).toBe('r1');
    expect(ledger.replayOf('id:b')).toBeUndefined();
    now = 1001;
    expect(ledger.replayOf('id:a')).toBeUndefined();
  });

  it('stays bounded', () => {
    const ledger = new ReplayLedger(60_000, 3, () => 0);
    ledger.record(['1', '2', '3', '4', '5'], 'r');
    expect(['1', '2', '3', '4', '5'].filter((k) => ledger.replayOf(k))).toEqual(['3', '4', '5']);
  });
});
