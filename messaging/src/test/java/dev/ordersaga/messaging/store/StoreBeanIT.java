package dev.ordersaga.messaging.store;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.testing.TestInfrastructure;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * A service test that checks scans: the store bean is the embedded server (whatever MONGODB_URI or
 * Docker offer), its scans are visible, and counted as {@code store.scans}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.application.name=store-test")
@ContextConfiguration(initializers = TestInfrastructure.WithEmbeddedStore.class)
@AutoConfigureObservability
class StoreBeanIT {

  @SpringBootApplication
  static class App {}

  @Autowired Store store;
  @Autowired TestRestTemplate http;

  @Test
  void aServiceTestSeesWhichCollectionsItsStoreScanned() {
    assertThat(store.isEmbedded()).isTrue();
    store.database().getCollection("orders").insertOne(new Document("_id", "o-1"));
    store.database().getCollection("outbox").insertOne(new Document("_id", "m-1"));
    store.scans().reset();

    store.database().getCollection("orders").find(eq("_id", "o-1")).first();
    store.database().getCollection("outbox").find(eq("sent", false)).first();
    // a collection that does not exist is not queried at all
    store.database().getCollection("parked").find(eq("sent", false)).first();

    assertThat(store.scans().scannedCollections()).containsExactly("outbox");
    String metrics = http.getForObject("/actuator/prometheus", String.class);
    assertThat(metrics)
        .contains(
            "store_scans_total{application=\"store-test\",collection=\"outbox\",command=\"find\"}"
                + " 1.0");
  }
}
