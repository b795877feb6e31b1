/**
 * @hub/testing: small helpers for integration and end-to-end tests against the real broker and database
 * that the test run's global setup starts. See README.md.
 */
export { uniqueIdentifier, uniqueName } from './unique-name';
export { testStack } from './test-stack.env';
export type { TestStack } from './test-stack.env';
export {
  createTopics,
  newKafka,
  newProducer,
  toReceived,
  waitForMessages,
  waitForTopicLeaders,
} from './kafka.helpers';
export type { ReceivedMessage, WaitForMessagesOptions } from './kafka.helpers';
export { collectTopics } from './topic-collector';
export type { TopicCollector } from './topic-collector';
export { createSchema } from './postgres-schema.helpers';
export type { TestSchema } from './postgres-schema.helpers';
