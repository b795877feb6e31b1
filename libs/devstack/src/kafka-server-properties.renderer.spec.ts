import {
  kafkaNodeLayout,
  newKafkaClusterId,
  renderServerProperties,
} from './kafka-server-properties.renderer';

/** Parses the rendered text the way java.util.Properties would for these simple lines. */
function parse(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line): [string, string] => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return new Map(entries);
}

describe('kafkaNodeLayout', () => {
  it('puts a single node on basePort with the controller on the next port', () => {
    expect(kafkaNodeLayout(1, 9192)).toEqual([{ id: 1, brokerPort: 9192, controllerPort: 9193 }]);
  });

  it("follows RUNTIME.md's three-node pattern, offset from basePort", () => {
    expect(kafkaNodeLayout(3, 9092)).toEqual([
      { id: 1, brokerPort: 19092, controllerPort: 19093 },
      { id: 2, brokerPort: 29092, controllerPort: 29093 },
      { id: 3, brokerPort: 39092, controllerPort: 39093 },
    ]);
    expect(kafkaNodeLayout(3, 9192).map((n) => n.brokerPort)).toEqual([19192, 29192, 39192]);
  });

  it('rejects a base port that pushes a node past 65535', () => {
    expect(() => kafkaNodeLayout(3, 40_000)).toThrow(RangeError);
  });
});

describe('renderServerProperties', () => {
  it('renders a single combined KRaft node bound to loopback with replication 1', () => {
    const [node] = kafkaNodeLayout(1, 9192);
    const props = parse(
      renderServerProperties({ node, cluster: [node], logDir: '/data/node-1/logs', partitions: 3 }),
    );

    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('node.id')).toBe('1');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:9193');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9192,CONTROLLER://127.0.0.1:9193');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9192');
    expect(props.get('log.dirs')).toBe('/data/node-1/logs');
    expect(props.get('num.partitions')).toBe('3');
    expect(props.get('auto.create.topics.enable')).toBe('true');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    for (const key of [
      'default.replication.factor',
      'min.insync.replicas',
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'transaction.state.log.min.isr',
    ]) {
      expect([key, props.get(key)]).toEqual([key, '1']);
    }
    expect(props.get('log.retention.ms')).toBe('-1');
  });

  it('never binds or advertises anything but 127.0.0.1', () => {
    const cluster = kafkaNodeLayout(3, 9192);
    for (const node of cluster) {
      const props = parse(renderServerProperties({ node, cluster, logDir: '/d', partitions: 3 }));
      const addresses = [
        props.get('listeners'),
        props.get('advertised.listeners'),
        props.get('controller.quorum.voters'),
      ].join(',');
      const hosts = [...addresses.matchAll(/(?:\/\/|@)([^:,]+):\d+/g)].map((m) => m[1]);
      expect(hosts.length).toBeGreaterThan(0);
      expect(new Set(hosts)).toEqual(new Set(['127.0.0.1']));
    }
  });

  it('gives three nodes one shared voter list and replication 3 with min ISR 2', () => {
    const cluster = kafkaNodeLayout(3, 9092);
    const props = parse(renderServerProperties({ node: cluster[1], cluster, logDir: '/d', partitions: 6 }));

    expect(props.get('node.id')).toBe('2');
    expect(props.get('controller.quorum.voters')).toBe(
      '1@127.0.0.1:19093,2@127.0.0.1:29093,3@127.0.0.1:39093',
    );
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093');
    expect(props.get('default.replication.factor')).toBe('3');
    expect(props.get('min.insync.replicas')).toBe('2');
    expect(props.get('offsets.topic.replication.factor')).toBe('3');
    expect(props.get('transaction.state.log.replication.factor')).toBe('3');
    expect(props.get('transaction.state.log.min.isr')).toBe('2');
    expect(props.get('num.partitions')).toBe('6');
  });

  it('escapes backslashes in paths, as java.util.Properties requires', () => {
    const [node] = kafkaNodeLayout(1, 9092);
    const props = parse(
      renderServerProperties({ node, cluster: [node], logDir: 'C:\\kafka\\logs', partitions: 1 }),
    );
    expect(props.get('log.dirs')).toBe('C:\\\\kafka\\\\logs');
  });
});

describe('newKafkaClusterId', () => {
  it('is 22 characters of base64url, like kafka-storage random-uuid', () => {
    expect(newKafkaClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('never starts with "-", which the storage tool would read as a flag', () => {
    const dashFirst = Buffer.from([0xfb, ...new Array<number>(15).fill(0)]); // base64url "-w..."
    const fine = Buffer.alloc(16, 1);
    const sources = [dashFirst, fine];
    const id = newKafkaClusterId(() => sources.shift() as Buffer);
    expect(Buffer.from(dashFirst).toString('base64url').startsWith('-')).toBe(true);
    expect(id).toBe(fine.toString('base64url'));
  });
});
