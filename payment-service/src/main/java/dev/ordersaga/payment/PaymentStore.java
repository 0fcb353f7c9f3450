package dev.ordersaga.payment;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * The payments store: collection {@value #COLLECTION}, one document per charge or refund keyed by
 * its idempotency key (see {@link PaymentRecord#id()}), indexed by order for {@code GET /payments}.
 */
public final class PaymentStore {

  public static final String COLLECTION = "payments";

  private final MongoCollection<Document> collection;

  public PaymentStore(MongoDatabase database) {
    this.collection = database.getCollection(COLLECTION);
    collection.createIndex(
        Indexes.ascending("orderId", "createdAt"), new IndexOptions().name("orderId_createdAt"));
  }

  public Optional<PaymentRecord> find(String id) {
    return Optional.ofNullable(collection.find(eq("_id", id)).first())
        .map(PaymentRecord::fromDocument);
  }

  /**
   * Writes a new record in one insert.
   *
   * @return false, writing nothing, when a record with the same id exists
   */
  public boolean insert(PaymentRecord record) {
    try {
      collection.insertOne(record.toDocument());
      return true;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  /** An order's charges and refunds, oldest first. */
  public List<PaymentRecord> forOrder(String orderId) {
    return collection
        .find(eq("orderId", orderId))
        .sort(Sorts.ascending("createdAt", "_id"))
        .map(PaymentRecord::fromDocument)
        .into(new ArrayList<>());
  }
}
