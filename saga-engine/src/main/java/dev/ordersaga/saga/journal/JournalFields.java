package dev.ordersaga.saga.journal;

/**
 * Field names of a journal entry in collection {@code domainevents}, as Axon's Mongo storage
 * (document per event) writes them; see docs/events.md.
 */
final class JournalFields {

  static final String COLLECTION = SagaJournal.EVENTS_COLLECTION;
  static final String STREAM_TYPE = "type";
  static final String SAGA_ID = "aggregateIdentifier";
  static final String SEQUENCE = "sequenceNumber";
  static final String EVENT_ID = "eventIdentifier";

  /** The recorded time: ISO-8601 text, UTC, three fractional digits. */
  static final String RECORDED_AT = "timestamp";

  static final String PAYLOAD_TYPE = "payloadType";
  static final String PAYLOAD = "serializedPayload";
  static final String METADATA = "serializedMetaData";

  private JournalFields() {}
}
