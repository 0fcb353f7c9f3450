package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana provisioning holds together: every panel of every dashboard reads the provisioned
 * data source by its uid, panel ids and dashboard uids are unique, every panel query has an
 * expression, and docker-compose.yml mounts the provisioning and the dashboards where the
 * provisioning looks for them. (That each query returns data is {@link DashboardQueriesIT}'s.)
 */
class GrafanaProvisioningTest {

  private static final Path GRAFANA = Path.of("grafana");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @SuppressWarnings("unchecked")
  void everyPanelReadsTheProvisionedDataSource() throws Exception {
    Map<String, Object> datasources =
        new Yaml()
            .load(Files.readString(GRAFANA.resolve("provisioning/datasources/prometheus.yml")));
    List<Map<String, Object>> list = (List<Map<String, Object>>) datasources.get("datasources");
    assertThat(list).hasSize(1);
    String uid = (String) list.get(0).get("uid");
    assertThat(list.get(0)).containsEntry("type", "prometheus");

    Set<String> dashboardUids = new HashSet<>();
    List<String> wrong = new ArrayList<>();
    for (Path file : dashboards()) {
      JsonNode dashboard = JSON.readTree(file.toFile());
      assertThat(dashboardUids.add(dashboard.path("uid").asText()))
          .as("uid of %s is unique", file)
          .isTrue();
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : dashboard.path("panels")) {
        String where = file.getFileName() + " / " + panel.path("title").asText();
        if (!ids.add(panel.path("id").asInt())) {
          wrong.add(where + ": panel id " + panel.path("id") + " used twice");
        }
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        if (!panel.at("/datasource/uid").asText().equals(uid)) {
          wrong.add(where + ": data source " + panel.path("datasource"));
        }
        if (panel.path("targets").isEmpty()) {
          wrong.add(where + ": no query");
        }
        for (JsonNode target : panel.path("targets")) {
          if (target.path("expr").asText().isBlank()
              || !target.at("/datasource/uid").asText().equals(uid)) {
            wrong.add(where + " / " + target.path("refId").asText() + ": " + target);
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(dashboardUids).hasSize(2);
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeMountsTheProvisioningWhereItLooks() throws Exception {
    Map<String, Object> provider =
        ((List<Map<String, Object>>)
                new Yaml()
                    .<Map<String, Object>>load(
                        Files.readString(GRAFANA.resolve("provisioning/dashboards/order-saga.yml")))
                    .get("providers"))
            .get(0);
    String path = (String) ((Map<String, Object>) provider.get("options")).get("path");
    String compose = Files.readString(Path.of("docker-compose.yml"));
    assertThat(compose)
        .contains("./grafana/provisioning:/etc/grafana/provisioning:ro")
        .contains("./grafana/dashboards:" + path + ":ro")
        .contains("./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
  }

  private static List<Path> dashboards() throws Exception {
    try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }
}
