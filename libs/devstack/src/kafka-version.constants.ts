/**
 * The one Apache Kafka version the project runs locally and in CI (artifact org.apache.kafka:kafka_2.13).
 * 3.9 is the last line that still accepts every old protocol version kafkajs 2.2.4 sends; 4.x removed some.
 * Changing it also means checking KAFKA_SLF4J_BINDING_VERSION (4.x logs through log4j2 instead).
 */
export const KAFKA_VERSION = '3.9.1';

/** org.slf4j:slf4j-reload4j, matching the slf4j-api 1.7.36 that Kafka 3.9 depends on. */
export const KAFKA_SLF4J_BINDING_VERSION = '1.7.36';
