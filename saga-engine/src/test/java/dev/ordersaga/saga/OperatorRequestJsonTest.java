package dev.ordersaga.saga;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An operator's corrected command is stored in the journal under its wire type and reads back. */
class OperatorRequestJsonTest {

  private final ObjectMapper mapper = JsonMapper.builder().addModule(new JavaTimeModule()).build();

  @Test
  void resumeRequestCarriesItsInputUnderTheInputsWireType() throws Exception {
    OperatorResumeRequested resume =
        new OperatorResumeRequested(
            "order-1",
            "action-1",
            "operator",
            "address corrected",
            Step.SCHEDULE_SHIPMENT,
            new ScheduleShipment(
                "order-1",
                MessageIds.idempotencyKey("order-1", "SCHEDULE_SHIPMENT"),
                new Address("Kim Minji", "15 Sejong-daero", null, "Seoul", "04524", "KR"),
                List.of(new LineItem("MUG-01", 2, Money.of("16.50", "EUR")))));

    String stored = mapper.writeValueAsString(resume);
    JsonNode tree = mapper.readTree(stored);

    assertThat(tree.path("input").path("type").asText()).isEqualTo("shipping.ScheduleShipment");
    assertThat(mapper.readValue(stored, OperatorResumeRequested.class)).isEqualTo(resume);
  }
}
