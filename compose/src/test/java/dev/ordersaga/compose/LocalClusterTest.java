package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterTest {

  @TempDir Path data;

  @Test
  void anAppWithoutTheClustersStoreStartsNothingAndSaysHowToStartIt() {
    ByteArrayOutputStream output = new ByteArrayOutputStream();

    boolean running =
        LocalCluster.runApp(
            "payment-service", 8092, data, new PrintStream(output, true, StandardCharsets.UTF_8));

    assertThat(running).isFalse();
    assertThat(output.toString(StandardCharsets.UTF_8))
        .contains(
            "No local cluster store at "
                + data.resolve(LocalCluster.SETTINGS_FILE).toAbsolutePath())
        .contains("java -jar compose/target/order-saga-launcher.jar store");
  }
}
