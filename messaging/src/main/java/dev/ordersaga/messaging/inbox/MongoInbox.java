package dev.ordersaga.messaging.inbox;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * The inbox in the service's own database: collection {@value #COLLECTION}, one document per
 * consumer and message id. The id is the pair, so it is unique by construction; a TTL index on
 * {@code processedAt} expires entries after the retention, which must outlast any redelivery.
 */
public final class MongoInbox implements Inbox {

  public static final String COLLECTION = "inbox";

  private final MongoCollection<Document> collection;
  private final Clock clock;

  public MongoInbox(MongoDatabase database, Duration retention, Clock clock) {
    this.collection = database.getCollection(COLLECTION);
    this.clock = clock;
    collection.createIndex(
        Indexes.ascending("processedAt"),
        new IndexOptions()
            .name("inbox_expiry")
            .expireAfter(retention.toSeconds(), TimeUnit.SECONDS));
  }

  @Override
  public boolean isProcessed(String consumer, String messageId) {
    return collection.find(Filters.eq("_id", id(consumer, messageId))).first() != null;
  }

  @Override
  public void markProcessed(String consumer, String messageId) {
    Document entry =
        new Document("_id", id(consumer, messageId))
            .append("consumer", consumer)
            .append("messageId", messageId)
            .append("processedAt", Date.from(clock.instant()));
    try {
      collection.insertOne(entry);
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
    }
  }

  private static Document id(String consumer, String messageId) {
    return new Document("consumer", consumer).append("messageId", messageId);
  }
}
