/** What the bench reads from `GET /ssc/received` (the simulator answers more: arrivals per key). */
export interface SscReceipts {
  /** Requests accepted (200), repeats included. */
  count: number;
  /** Distinct Idempotency-Keys accepted: records the SSC has, each once. */
  unique: number;
  /** Repeats of a key already accepted: records the hub sent again (at-least-once). */
  duplicates: number;
  /** Requests answered with an error because the simulator was told to. */
  refused: number;
}

/** The switches of apps/ssc-simulator the bench flips (see its README): `slow` answers after `delayMs`. */
export interface SscControlRequest {
  mode: 'ok' | 'fail' | 'slow' | 'reject';
  delayMs?: number;
  status?: number;
  service?: string;
}

/** A small client of the SSC simulator's control and receipts endpoints. */
export class SscSimulatorClient {
  constructor(private readonly baseUrl: string) {}

  async control(request: SscControlRequest): Promise<void> {
    const response = await fetch(`${this.baseUrl}/ssc/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status !== 200)
      throw new Error(
        `ssc-simulator refused ${JSON.stringify(request)}: ${response.status} ${await response.text()}`,
      );
  }

  /** What arrived for every service. */
  async received(): Promise<SscReceipts> {
    const response = await fetch(`${this.baseUrl}/ssc/received`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as SscReceipts;
    return { count: body.count, unique: body.unique, duplicates: body.duplicates, refused: body.refused };
  }
}
