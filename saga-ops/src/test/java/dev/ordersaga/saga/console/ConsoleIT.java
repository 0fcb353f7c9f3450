package dev.ordersaga.saga.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentDeclined;
import dev.ordersaga.messaging.contracts.payment.PaymentRefundFailed;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailed;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.ParkingHeaders;
import dev.ordersaga.messaging.rabbit.RejectedMessageException;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.saga.SagaEngineApplication;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.ops.AuditLog;
import dev.ordersaga.saga.ops.IdempotencyRecords;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * The operator console in a real headless Chromium, over the real broker and store, with the test
 * playing every participant (as in {@code OrderSagaIT}): an operator signs in, finds a saga whose
 * compensation failed, looks at what a bulk retry would do, retries it, and watches it finish;
 * finds parked commands in the parked view and re-drives one. Skipped where Debian's {@code
 * chromium} and {@code chromium-driver} are not installed.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + SagaEngineApplication.NAME,
      "saga.step-timeout=2s",
      "saga.max-step-timeout=3s",
      "saga.max-attempts=3",
      "saga.deadline-poll-interval=50ms",
      "saga.security.operator.password=" + ConsoleIT.OPERATOR_PASSWORD,
      "saga.security.analyst.password=" + ConsoleIT.ANALYST_PASSWORD
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(
    value = "browserInstalled",
    disabledReason =
        "needs Debian's headless browser: /usr/bin/chromium and /usr/bin/chromedriver"
            + " (apt-get install chromium chromium-driver; .ci/run installs them)")
class ConsoleIT {

  static final String OPERATOR_PASSWORD = "console-operator-password";
  static final String ANALYST_PASSWORD = "console-analyst-password";
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration LONG = Duration.ofSeconds(30);

  /** The marks of a saga whose refund the provider refused ({@link #refusedRefund}), by step. */
  static final Map<String, String> REFUND_REFUSED_PATH =
      Map.of(
          "AUTHORIZE_PAYMENT", "done",
          "SCHEDULE_SHIPMENT", "failed",
          "APPROVE_ORDER", "not-reached",
          "REFUND_PAYMENT", "failed",
          "REJECT_ORDER", "not-reached",
          "NOTIFY_CUSTOMER", "not-reached");

  /** Where the test leaves its screenshots (not committed). */
  static final Path SHOTS = Path.of("target", "console-it");

  /** How the browser logs an API call answered 4xx. */
  static final Pattern REFUSED_CALL =
      Pattern.compile(
          "/ops/\\S* - Failed to load resource: the server responded with a status of 4");

  /** Text that would be markup if the console put server data on the page as HTML. */
  static final String MARKUP = "<img src=x onerror=window.injected=1>";

  @LocalServerPort int port;
  @Autowired ConfirmingPublisher publisher;
  @Autowired Connection connection;
  @Autowired Topology topology;
  @Autowired WireCodec codec;
  @Autowired TestRestTemplate http;
  @Autowired MongoDatabase database;

  QueueProbe payments;
  QueueProbe shipping;
  QueueProbe orders;
  WebDriver browser;
  WebDriverWait wait;
  Path profile;

  static boolean browserInstalled() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /**
   * A test that fails leaves a screenshot and the page's HTML in {@link #SHOTS}, named after it,
   * before the browser is closed.
   */
  @RegisterExtension
  final TestExecutionExceptionHandler failureShots =
      (context, failure) -> {
        if (browser != null) {
          String name = "failure-" + context.getRequiredTestMethod().getName();
          screenshot(name + ".png");
          Files.writeString(SHOTS.resolve(name + ".html"), browser.getPageSource());
        }
        throw failure;
      };

  @BeforeEach
  void start() throws IOException {
    payments = new QueueProbe(connection, topology, PaymentChannels.COMMAND_QUEUE, codec);
    shipping = new QueueProbe(connection, topology, ShippingChannels.COMMAND_QUEUE, codec);
    orders = new QueueProbe(connection, topology, OrderChannels.COMMAND_QUEUE, codec);
    // the machine's driver and browser, named outright: Selenium Manager never looks for (or
    // downloads) either
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    profile = Files.createTempDirectory("console-it-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1200",
        "--user-data-dir=" + profile);
    // the page's console output, to fail on script errors and refused content
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, LONG);
    Files.createDirectories(SHOTS);
  }

  @AfterEach
  void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  @Test
  void operatorFindsAFailedCompensationDryRunsABulkRetryThenRetriesItAndWatchesItFinish()
      throws IOException {
    String customerId = "<i>console</i>-" + UUID.randomUUID().toString().substring(0, 8);
    String orderId = failedCompensation(customerId);
    int attempts = apiStatus(orderId).path("attempt").asInt();
    browser.get("http://localhost:" + port + "/console/");

    // sign-in: an analyst and a wrong password are told why they cannot get in
    signIn("analyst", ANALYST_PASSWORD);
    assertThat(signInMessage()).contains("is not an operator");
    signIn("operator", "not-the-password");
    assertThat(signInMessage()).contains("wrong username or password");
    signIn("operator", OPERATOR_PASSWORD);
    openSagaList();
    assertThat(text("account-name")).isEqualTo("operator");

    // find the saga by state and customer
    By row = listRow("COMPENSATION_FAILED", customerId, orderId);
    List<WebElement> rows = browser.findElements(By.cssSelector("#saga-list tbody tr"));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getText()).contains("COMPENSATION_FAILED", "REFUND_PAYMENT");
    // server data is text on the page, never markup
    assertThat(rows.get(0).getText()).contains(customerId);
    assertThat(browser.findElements(By.cssSelector("#saga-list i"))).isEmpty();

    // a bulk retry by this filter: the dry run lists exactly this saga and what it would do
    new Select(browser.findElement(By.id("bulk-action"))).selectByValue("retry");
    type("bulk-reason", "refund provider is back");
    assertThat(browser.findElement(By.id("bulk-run")).isEnabled()).isFalse();
    click(By.id("bulk-dry-run"));
    By planned = By.cssSelector("#bulk-dry-run-list tbody tr");
    wait.until(ExpectedConditions.visibilityOfElementLocated(planned));
    List<WebElement> plan = browser.findElements(planned);
    assertThat(plan).extracting(r -> r.getDomAttribute("data-order-id")).containsExactly(orderId);
    assertThat(plan.get(0).getText())
        .contains("apply", "send REFUND_PAYMENT again now as attempt " + (attempts + 1));
    assertThat(browser.findElement(By.id("bulk-run")).isEnabled()).isTrue();
    assertThat(apiStatus(orderId).path("state").asText()).isEqualTo("COMPENSATION_FAILED");
    screenshot("dry-run.png");

    // open the saga: status and timeline
    click(By.cssSelector("#saga-list a[href='#/sagas/" + orderId + "']"));
    visible("saga-view");
    wait.until(ExpectedConditions.textToBe(By.id("saga-state"), "COMPENSATION_FAILED"));
    assertThat(text("saga-order-id")).isEqualTo(orderId);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("saga-timeline"), "payment.RefundPayment"));

    // retry it: a reason is required, then a confirmation
    click(By.id("action-retry"));
    visible("action-dialog");
    click(By.id("action-review"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("action-message"), "Give a reason"));
    String reason = "provider fixed " + MARKUP;
    type("action-reason", reason);
    click(By.id("action-review"));
    visible("action-confirm");
    assertThat(text("action-summary")).contains("Retry saga " + orderId, reason);
    screenshot("confirm.png");
    // a double click acts once: the page sends one Idempotency-Key for the confirmed action
    new Actions(browser)
        .doubleClick(wait.until(ExpectedConditions.elementToBeClickable(By.id("action-confirm"))))
        .perform();
    wait.until(ExpectedConditions.textToBe(By.id("action-outcome"), "VERIFIED"));
    assertThat(text("action-verified")).isEqualTo("yes");
    assertThat(idempotencyKeysUsed("/ops/sagas/" + orderId + "/retry")).isEqualTo(1);
    assertThat(audited(orderId, "retry")).isEqualTo(1);
    WebElement state =
        browser.findElement(By.cssSelector("#action-before-after tr[data-field='state']"));
    assertThat(state.getText()).contains("COMPENSATION_FAILED", "COMPENSATING");

    // the test answers the resent refund and the rejection; the page follows the saga there
    refundPayment(
        orderId,
        e -> e.messageId().equals(MessageIds.forStep(orderId, "REFUND_PAYMENT", attempts + 1)));
    rejectOrder(orderId, RejectionReason.SHIPMENT_FAILED);
    wait.until(ExpectedConditions.textToBe(By.id("saga-state"), "COMPENSATED"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("saga-timeline"), "order.OrderRejected"));

    // the retry is in the saga's audit, its reason as the operator wrote it
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("saga-audit"), reason));
    assertThat(browser.findElements(By.cssSelector("#saga-audit img"))).isEmpty();
    assertThat(((JavascriptExecutor) browser).executeScript("return window.injected")).isNull();
    screenshot("saga.png");

    // the audit log view: the dry run and the retry
    click(By.id("nav-audit"));
    visible("audit-view");
    type("audit-order", orderId);
    click(By.id("audit-apply"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("audit-list"), "bulk-retry"));
    String audit = text("audit-list");
    assertThat(audit).contains("dry run", "DRY_RUN", "retry", "VERIFIED", reason);
    screenshot("audit.png");
    assertNoScriptErrors();
  }

  /**
   * A refund the provider refused: the saga's page says why at the top and in its status, the list
   * says it under the reason; and no two states share a badge colour (COMPENSATED is not
   * COMPLETED's green).
   */
  @Test
  void anIncidentShowsItsCauseOnTheSagasPageAndEveryStateHasABadgeOfItsOwn() throws IOException {
    String customerId = "console-refused-" + UUID.randomUUID().toString().substring(0, 8);
    String orderId = refusedRefund(customerId);
    openConsoleAsOperator();
    openSagaList();

    // the list: the cause under the reason
    By row = listRow("COMPENSATION_FAILED", customerId, orderId);
    assertThat(browser.findElement(row).getText())
        .contains("SHIPMENT_FAILED", "PROVIDER_REJECTED refund_failed");

    // the saga's page: the cause at the top and in the status, not only in the timeline
    click(By.cssSelector("#saga-list a[href='#/sagas/" + orderId + "']"));
    visible("saga-view");
    wait.until(ExpectedConditions.textToBe(By.id("saga-state"), "COMPENSATION_FAILED"));
    visible("saga-incident");
    assertThat(text("saga-incident"))
        .isEqualTo(
            "Compensation failed at REFUND_PAYMENT: PROVIDER_REJECTED refund_failed. Retry the"
                + " step once the cause is fixed.");
    assertThat(
            browser.findElement(By.cssSelector("#saga-status dd[data-field='incident']")).getText())
        .isEqualTo("PROVIDER_REJECTED refund_failed");
    screenshot("incident.png");

    // every state's badge, as the page styles it: nine states, nine colours
    @SuppressWarnings("unchecked")
    List<String> colours =
        (List<String>)
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return arguments[0].map((state) => {"
                        + " const badge = document.createElement('span');"
                        + " badge.className = 'state state-' + state.toLowerCase();"
                        + " document.body.append(badge);"
                        + " const style = getComputedStyle(badge);"
                        + " const colour = style.backgroundColor + ' ' + style.color;"
                        + " badge.remove(); return colour; });",
                    Stream.of(SagaState.values()).map(Enum::name).toList());
    assertThat(colours).hasSize(SagaState.values().length).doesNotHaveDuplicates();
    assertThat(colours.get(SagaState.COMPENSATED.ordinal()))
        .isNotEqualTo(colours.get(SagaState.COMPLETED.ordinal()));
    assertNoScriptErrors();
  }

  @Test
  void operatorParksByABulkRunForRealThenResumesWithTheSentInputAndTheOrderCompletes()
      throws IOException {
    String customerId = "console-bulk-" + UUID.randomUUID().toString().substring(0, 8);
    String orderId = awaitingApproval(customerId);
    openConsoleAsOperator();
    openSagaList();
    listRow("AWAITING_APPROVAL", customerId, orderId);

    // the dry run comes first, and goes stale when the action changes
    new Select(browser.findElement(By.id("bulk-action"))).selectByValue("park");
    type("bulk-reason", "hold for fraud review");
    click(By.id("bulk-dry-run"));
    By planned = By.cssSelector("#bulk-dry-run-list tbody tr");
    wait.until(ExpectedConditions.visibilityOfElementLocated(planned));
    assertThat(browser.findElements(planned))
        .extracting(r -> r.getDomAttribute("data-order-id"))
        .containsExactly(orderId);
    assertThat(browser.findElement(planned).getText())
        .contains("apply", "park the saga at APPROVE_ORDER");
    new Select(browser.findElement(By.id("bulk-action"))).selectByValue("compensate");
    assertThat(browser.findElement(By.id("bulk-run")).isEnabled()).isFalse();
    new Select(browser.findElement(By.id("bulk-action"))).selectByValue("park");
    assertThat(browser.findElement(By.id("bulk-run")).isEnabled()).isFalse();
    click(By.id("bulk-dry-run"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("bulk-run")));

    // for real: confirmed, then each saga's checked result
    click(By.id("bulk-run"));
    visible("bulk-dialog");
    assertThat(text("bulk-summary")).contains("Run park for real on the 1 saga");
    click(By.id("bulk-confirm"));
    By done = By.cssSelector("#bulk-run-list tbody tr[data-order-id='" + orderId + "']");
    wait.until(ExpectedConditions.visibilityOfElementLocated(done));
    assertThat(browser.findElement(done).getText()).contains("VERIFIED", "PARKED");
    assertThat(apiStatus(orderId).path("state").asText()).isEqualTo("PARKED");
    // the run for real carried a key; the dry runs did not need one
    assertThat(idempotencyKeysUsed("/ops/bulk/park")).isEqualTo(1);

    // resume from the parked saga's page, with the input it last sent
    click(By.cssSelector("#bulk-run-list a[href='#/sagas/" + orderId + "']"));
    wait.until(ExpectedConditions.textToBe(By.id("saga-state"), "PARKED"));
    click(By.id("action-resume"));
    visible("action-dialog");
    assertThat(new Select(browser.findElement(By.id("action-from-step"))).getFirstSelectedOption())
        .extracting(WebElement::getText)
        .isEqualTo("APPROVE_ORDER");
    String sent = browser.findElement(By.id("action-input")).getDomProperty("value");
    assertThat(sent).contains("\"orderId\"", orderId);
    type("action-reason", "fraud review passed");
    // input that is not JSON stays in the dialog; so does input the server refuses, naming it
    type("action-input", "{");
    click(By.id("action-review"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("action-message"), "The input is not JSON"));
    type("action-input", "{\"orderId\": \"another-order\"}");
    click(By.id("action-review"));
    click(By.id("action-confirm"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("action-message"), "input.orderId belongs to the saga"));
    visible("action-review");
    type("action-input", sent);
    click(By.id("action-review"));
    visible("action-summary-input");
    assertThat(text("action-summary")).contains("from APPROVE_ORDER with this input");
    screenshot("resume.png");
    click(By.id("action-confirm"));
    wait.until(ExpectedConditions.textToBe(By.id("action-outcome"), "VERIFIED"));
    WebElement state =
        browser.findElement(By.cssSelector("#action-before-after tr[data-field='state']"));
    assertThat(state.getText()).contains("PARKED", "AWAITING_APPROVAL");
    int attempt =
        Integer.parseInt(
            browser
                .findElement(
                    By.cssSelector("#action-before-after tr[data-field='attempt'] td:last-child"))
                .getText());

    // the order service approves the resent approval; the page follows the saga to the end
    Envelope<ApproveOrder> approve =
        awaitCommand(
            orders,
            ApproveOrder.class,
            orderId,
            e -> e.messageId().equals(MessageIds.forStep(orderId, "APPROVE_ORDER", attempt)));
    reply(approve, new OrderApproved(orderId));
    wait.until(ExpectedConditions.textToBe(By.id("saga-state"), "COMPLETED"));
    assertThat(text("saga-audit")).contains("resume", "fraud review passed", "bulk-park");
    // the refused input gave its key up; the corrected resume was reviewed under a new one
    assertThat(idempotencyKeysUsed("/ops/sagas/" + orderId + "/resume")).isEqualTo(1);
    assertNoScriptErrors();
  }

  @Test
  void operatorFindsParkedCommandsInTheParkedViewAndReDrivesOneWithAReason() throws Exception {
    String queue = PaymentChannels.COMMAND_QUEUE;
    try (Channel channel = connection.createChannel()) {
      for (Topology.QueueSpec spec : topology.queues()) {
        channel.queuePurge(topology.parkingQueue(spec.baseName()));
      }
    }
    // two refunds payment-service refused, parked as its consumer parks them
    String firstOrder = UUID.randomUUID().toString();
    String secondOrder = UUID.randomUUID().toString();
    Envelope<RefundPayment> first = refund(firstOrder);
    Envelope<RefundPayment> second = refund(secondOrder);
    park(queue, first);
    park(queue, second);
    openConsoleAsOperator();
    visible("overview-view");

    // the queues with their counts, the one with parked messages first
    click(By.id("nav-parked"));
    visible("parked-view");
    By count =
        By.cssSelector("#parked-queues tr[data-queue='" + queue + "'] td[data-field='parked']");
    wait.until(ExpectedConditions.textToBe(count, "2"));
    List<WebElement> queues = browser.findElements(By.cssSelector("#parked-queues tbody tr"));
    assertThat(queues).hasSize(topology.queues().size());
    assertThat(queues.get(0).getDomAttribute("data-queue")).isEqualTo(queue);
    assertThat(text("parked-total")).isEqualTo("(2 messages)");

    // choose the queue: its messages, oldest first, why they were parked, the body as text
    click(By.cssSelector("#parked-queues a[href='#/parked/" + queue + "']"));
    By firstRow =
        By.cssSelector("#parked-messages tr[data-message-id='" + first.messageId() + "']");
    wait.until(ExpectedConditions.visibilityOfElementLocated(firstRow));
    List<WebElement> rows = browser.findElements(By.cssSelector("#parked-messages tbody tr"));
    assertThat(rows)
        .extracting(r -> r.getDomAttribute("data-message-id"))
        .containsExactly(first.messageId(), second.messageId());
    assertThat(rows.get(0).getText())
        .contains(
            first.messageId(),
            "payment.RefundPayment",
            firstOrder,
            "REJECTED",
            "PAYMENT_NOT_FOUND",
            "after 1 delivery",
            "RejectedMessageException",
            "no payment pay-" + MARKUP,
            "by payment-service");
    String body =
        browser
            .findElement(By.cssSelector("#parked-messages tbody tr pre"))
            .getDomProperty("textContent");
    assertThat(body).contains("\"paymentId\": \"pay-" + MARKUP + "\"", firstOrder);
    assertThat(browser.findElements(By.cssSelector("#parked-view img"))).isEmpty();
    screenshot("parked.png");

    // re-drive the oldest: a reason is required, then a confirmation (double-clicked)
    click(By.id("redrive-open"));
    visible("redrive-dialog");
    type("redrive-limit", "1");
    click(By.id("redrive-review"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("redrive-message"), "Give a reason"));
    String reason = "refund provider fixed " + MARKUP;
    type("redrive-reason", reason);
    click(By.id("redrive-review"));
    visible("redrive-confirm");
    assertThat(text("redrive-summary"))
        .contains("Re-drive the oldest 1 message parked from " + queue, reason);
    new Actions(browser)
        .doubleClick(wait.until(ExpectedConditions.elementToBeClickable(By.id("redrive-confirm"))))
        .perform();
    wait.until(ExpectedConditions.textToBe(By.id("redrive-count"), "1"));
    assertThat(text("redrive-result")).contains(first.messageId(), reason);

    // the count drops, the re-driven one is gone from the list, and it is back in its queue
    wait.until(ExpectedConditions.textToBe(count, "1"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(firstRow));
    assertThat(browser.findElements(By.cssSelector("#parked-messages tbody tr")))
        .extracting(r -> r.getDomAttribute("data-message-id"))
        .containsExactly(second.messageId());
    assertThat(awaitCommand(payments, RefundPayment.class, firstOrder, e -> true).messageId())
        .isEqualTo(first.messageId());
    // one key for the double click, one re-drive and one audit entry with the reason
    String path = "/ops/parked/" + queue + "/redrive";
    assertThat(idempotencyKeysUsed(path)).isEqualTo(1);
    assertThat(
            database
                .getCollection(AuditLog.COLLECTION)
                .countDocuments(
                    Filters.and(
                        Filters.eq("action", "redrive"),
                        Filters.eq("queue", queue),
                        Filters.eq("reason", reason))))
        .isEqualTo(1);
    assertThat(browser.findElements(By.cssSelector("#parked-view img"))).isEmpty();
    assertThat(((JavascriptExecutor) browser).executeScript("return window.injected")).isNull();
    screenshot("redriven.png");
    assertNoScriptErrors();
  }

  /**
   * The overview, the console's first page: on a fresh system a clear empty state; after a short
   * demo (four sagas: completed after a retry, declined, compensated, compensation failed; and a
   * parked command) the day's counts in tiles and charts, failure reasons, step latencies, and the
   * open incidents with links, the incidents refreshed on the page's own timer. Runs first, on this
   * test class's own store, so the counts are the demo's.
   */
  @Test
  @Order(1)
  void theOverviewIsEmptyOnAFreshSystemThenChartsTheDemoAndListsItsIncidents() throws Exception {
    assertThat(database.getCollection(MongoSagaStatusBoard.COLLECTION).countDocuments())
        .as("a fresh system: no saga yet in this test class's store")
        .isZero();
    openConsoleAsOperator();
    visible("overview-view");
    visible("overview-empty");
    wait.until(ExpectedConditions.textToBe(By.id("overview-total-started"), "0"));
    assertThat(text("overview-empty")).contains("All quiet");
    assertThat(text("overview-hourly")).contains("No saga started or ended in the last 24 hours");
    assertThat(text("overview-reasons")).contains("No saga was undone");
    assertThat(text("overview-latency")).contains("No step ran");
    assertThat(browser.findElements(By.cssSelector("#overview-hourly rect.bar"))).isEmpty();
    for (String incident : List.of("compensation-failed", "stuck", "parked-messages")) {
      assertThat(attributeOf("[data-incident='" + incident + "']", "data-count"))
          .as(incident)
          .isEqualTo("0");
    }
    screenshot("overview-empty.png");

    // a short demo
    completedAfterARetry("console-overview");
    declined("console-overview");
    compensatedAfterShipmentFailed("console-overview");
    String failed = refusedRefund("console-overview");
    Envelope<RefundPayment> parked = refund(UUID.randomUUID().toString());
    park(PaymentChannels.COMMAND_QUEUE, parked);

    // the incidents catch up on the page's own timer; Refresh reads the charts at once (their
    // timer runs once a minute)
    wait.until(ExpectedConditions.textToBe(By.id("overview-total-incidents"), "2"));
    assertThat(textOf("#overview-incidents [data-incident='compensation-failed']"))
        .contains(failed);
    click(By.id("overview-refresh"));
    wait.until(ExpectedConditions.textToBe(By.id("overview-total-started"), "4"));
    screenshot("overview.png");
    // the whole page, for the docs: a window tall enough for all of it
    browser.manage().window().setSize(new Dimension(1400, 1800));
    screenshotOf(By.id("overview-view"), "overview-view.png");
    browser.manage().window().setSize(new Dimension(1400, 1200));
    // what follows reads the page as drawn; its timer is stopped so it is not redrawn meanwhile
    click(By.id("overview-watch"));
    assertThat(textOf("#overview-total-completed")).isEqualTo("1");
    assertThat(textOf("#overview-total-compensated")).isEqualTo("2");
    assertThat(textOf("#overview-total-compensationFailed")).isEqualTo("1");
    assertThat(attributeOf("#overview-empty", "hidden")).isNotNull();

    // the hourly chart: its bars add up to the demo, series by series
    assertThat(countsBy("#overview-hourly-chart rect.bar", "data-series"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("started", 4L, "completed", 1L, "compensated", 2L, "compensationFailed", 1L));
    // failure reasons: the declined one; the compensated one and the failed compensation
    assertThat(countsBy("#overview-reasons-chart g.reason", "data-reason"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("PAYMENT_DECLINED", 1L, "SHIPMENT_FAILED", 2L));
    // step latency: every saga asked for payment, three for shipment; one authorization retried
    String payment = "#overview-latency-chart g.latency[data-step='AUTHORIZE_PAYMENT']";
    assertThat(attributeOf(payment, "data-runs")).isEqualTo("4");
    assertThat(attributeOf(payment, "data-p50")).isNotEmpty();
    assertThat(attributeOf(payment, "data-p99")).isNotEmpty();
    assertThat(textOf(payment)).contains("4 runs · 1 retry", "p50 ", "p95 ", "p99 ");
    assertThat(
            attributeOf(
                "#overview-latency-chart g.latency[data-step='SCHEDULE_SHIPMENT']", "data-runs"))
        .isEqualTo("3");
    // the order marked REFUND_PENDING waits on no reply: no latency, and none missing
    assertThat(textOf("#overview-latency-chart g.latency[data-step='MARK_REFUND_PENDING']"))
        .contains("1 run · no reply by design")
        .doesNotContain("unanswered");

    // open incidents: the failed compensation with its cause, the parked command's queue
    assertThat(textOf("[data-incident='compensation-failed'] li[data-order-id='" + failed + "']"))
        .contains(failed, "REFUND_PAYMENT", "PROVIDER_REJECTED refund_failed");
    assertThat(attributeOf("[data-incident='compensation-failed']", "data-count")).isEqualTo("1");
    assertThat(attributeOf("[data-incident='stuck']", "data-count")).isEqualTo("0");
    assertThat(attributeOf("[data-incident='parked-messages']", "data-count")).isEqualTo("1");
    assertThat(
            textOf(
                "[data-incident='parked-messages'] li[data-queue='"
                    + PaymentChannels.COMMAND_QUEUE
                    + "']"))
        .contains("1 message");

    // the links go to the existing views: the parked queue, then the failed saga's page
    click(
        By.cssSelector(
            "[data-incident='parked-messages'] a[href='#/parked/"
                + PaymentChannels.COMMAND_QUEUE
                + "']"));
    visible("parked-queue-card");
    wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("#parked-messages tr[data-message-id='" + parked.messageId() + "']")));
    click(By.id("nav-overview"));
    visible("overview-view");
    click(By.cssSelector("[data-incident='compensation-failed'] a[href='#/sagas/" + failed + "']"));
    wait.until(ExpectedConditions.textToBe(By.id("saga-state"), "COMPENSATION_FAILED"));
    assertThat(text("saga-order-id")).isEqualTo(failed);
    assertNoScriptErrors();
  }

  /**
   * The saga's path, drawn above its timeline: a completed saga (its payment retried once), one
   * whose refund the provider refused (COMPENSATION_FAILED), the same retried by an operator (the
   * refund in progress with its attempt and deadline, the retry on its step) and then compensated;
   * a click on a step shows only its messages in the timeline.
   */
  @Test
  void operatorSetsTheCanarySplitOnTheOverviewAndEveryChangeIsAudited() {
    long audited = canaryAuditEntries();
    openConsoleAsOperator();
    visible("overview-view");
    try {
      // a share out of range is refused, naming the field, and changes nothing
      type("canary-candidate", "v2");
      type("canary-percent", "101");
      type("canary-reason", "console test");
      click(By.id("canary-set"));
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("canary-result"), "percent"));
      assertThat(canaryAuditEntries()).isEqualTo(audited);

      type("canary-percent", "10");
      click(By.id("canary-set"));
      awaitCanaryState("ACTIVE");
      assertThat(text("overview-canary-split")).contains("v2", "10%");
      assertThat(text("canary-result")).contains("audit");
      assertThat(canaryAuditEntries()).isEqualTo(audited + 1);
    } finally {
      // the other tests place orders: they run on the stable version
      type("canary-percent", "0");
      click(By.id("canary-set"));
      awaitCanaryState("OFF");
    }
    assertThat(canaryAuditEntries()).isEqualTo(audited + 2);
    assertNoScriptErrors();
  }

  /** Waits for the canary panel's split in this state; the page redraws it on its timer. */
  private void awaitCanaryState(String state) {
    wait.until(
        d -> {
          try {
            return state.equals(
                d.findElement(By.id("overview-canary-split")).getDomAttribute("data-state"));
          } catch (StaleElementReferenceException | NoSuchElementException redrawn) {
            return false;
          }
        });
  }

  private long canaryAuditEntries() {
    return database
        .getCollection(AuditLog.COLLECTION)
        .countDocuments(new org.bson.Document("action", "canary"));
  }

  @Test
  void theSagasPathMarksEachStepAndAClickOnAStepShowsOnlyItsMessages() throws Exception {
    String customerId = "console-path-" + UUID.randomUUID().toString().substring(0, 8);
    String completed = completedAfterARetry(customerId);
    String failed = refusedRefund(customerId);
    openConsoleAsOperator();
    visible("overview-view");

    // completed: the forward lane done, the undo lane not reached, the payment's retry on it
    openSaga(completed);
    wait.until(ExpectedConditions.textToBe(By.id("saga-state"), "COMPLETED"));
    awaitMarks(
        Map.of(
            "AUTHORIZE_PAYMENT", "done",
            "SCHEDULE_SHIPMENT", "done",
            "APPROVE_ORDER", "done",
            "REFUND_PAYMENT", "not-reached",
            "REJECT_ORDER", "not-reached",
            "NOTIFY_CUSTOMER", "not-reached"));
    assertThat(stepAttribute("AUTHORIZE_PAYMENT", "data-retries")).isEqualTo("1");
    assertThat(stepAttribute("AUTHORIZE_PAYMENT", "data-timeouts")).isEqualTo("1");
    assertThat(stepAttribute("SCHEDULE_SHIPMENT", "data-retries")).isEqualTo("0");
    assertThat(stepText("AUTHORIZE_PAYMENT"))
        .contains("Authorize payment", "done", "PaymentAuthorized", "1 retry · 1 timeout");
    screenshot("path-completed.png");

    // the refund refused: shipment failed, the refund failed with its cause, nothing after it
    openSaga(failed);
    wait.until(ExpectedConditions.textToBe(By.id("saga-state"), "COMPENSATION_FAILED"));
    awaitMarks(REFUND_REFUSED_PATH);
    assertThat(stepText("REFUND_PAYMENT"))
        .contains("failed", "PROVIDER_REJECTED refund_failed", "the order shows REFUND_PENDING");
    assertThat(stepText("SCHEDULE_SHIPMENT")).contains("ShipmentFailed CARRIER_REJECTED");
    screenshot("path-compensation-failed.png");

    // an operator retries it: the refund in progress, its attempt and deadline, the retry on it
    int attempt = apiStatus(failed).path("attempt").asInt();
    assertThat(
            http.withBasicAuth("operator", OPERATOR_PASSWORD)
                .postForEntity(
                    "/ops/sagas/" + failed + "/retry",
                    Map.of("reason", "refund provider is back"),
                    JsonNode.class)
                .getStatusCode()
                .is2xxSuccessful())
        .isTrue();
    click(By.id("saga-refresh"));
    wait.until(d -> "in-progress".equals(stepAttribute("REFUND_PAYMENT", "data-mark")));
    // the attempt in progress: the retry's first, or a later one if its deadline passed since
    List<String> progress =
        List.of(
            stepAttribute("REFUND_PAYMENT", "data-attempt"),
            stepAttribute("REFUND_PAYMENT", "data-actions"),
            stepText("REFUND_PAYMENT"));
    assertThat(Integer.parseInt(progress.get(0))).isGreaterThan(attempt);
    assertThat(progress.get(1)).isEqualTo("retry");
    assertThat(progress.get(2))
        .contains("in progress", "attempt " + progress.get(0) + ", due ", "operator: retry");

    // the refund made and the order rejected: compensated, the payment undone
    refundPayment(
        failed,
        e -> e.messageId().equals(MessageIds.forStep(failed, "REFUND_PAYMENT", attempt + 1)));
    rejectOrder(failed, RejectionReason.SHIPMENT_FAILED);
    wait.until(ExpectedConditions.textToBe(By.id("saga-state"), "COMPENSATED"));
    awaitMarks(
        Map.of(
            "AUTHORIZE_PAYMENT", "undone",
            "SCHEDULE_SHIPMENT", "failed",
            "APPROVE_ORDER", "not-reached",
            "REFUND_PAYMENT", "done",
            "REJECT_ORDER", "done",
            "NOTIFY_CUSTOMER", "done"));
    assertThat(stepAttribute("REFUND_PAYMENT", "data-actions")).isEqualTo("retry");
    screenshot("path-compensated.png");
    screenshotOf(By.xpath("//div[@id='saga-path']/.."), "path-compensated-card.png");

    // a click on a step: only its messages; again: all of them
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("saga-timeline"), "order.OrderRejected"));
    List<String> all = shownTimelineTypes();
    click(By.cssSelector("#saga-path .step[data-step='REFUND_PAYMENT']"));
    visible("timeline-filter");
    // the refund refused, the order marked, the operator's retry, the refund made (and, if the
    // retried refund's deadline passed before the test answered, that deadline and a resend)
    List<String> refundRows = shownTimelineTypes();
    assertThat(refundRows)
        .startsWith(
            "payment.RefundPayment",
            "payment.PaymentRefundFailed",
            "order.MarkRefundPending",
            "saga.OperatorRetryRequested",
            "payment.RefundPayment")
        .contains("payment.PaymentRefunded")
        .isSubsetOf(
            "payment.RefundPayment",
            "payment.PaymentRefundFailed",
            "order.MarkRefundPending",
            "saga.OperatorRetryRequested",
            "saga.StepTimedOut",
            "payment.PaymentRefunded");
    assertThat(refundRows.size()).isLessThan(all.size());
    assertThat(stepAttribute("REFUND_PAYMENT", "aria-pressed")).isEqualTo("true");
    assertThat(text("timeline-filter-text"))
        .isEqualTo(
            "Showing the "
                + refundRows.size()
                + " messages of REFUND_PAYMENT (of "
                + all.size()
                + ").");
    screenshot("path-filtered.png");
    click(By.cssSelector("#saga-path .step[data-step='REFUND_PAYMENT']"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("timeline-filter")));
    assertThat(shownTimelineTypes()).isEqualTo(all);

    // another step, then 'Show all'
    click(By.cssSelector("#saga-path .step[data-step='AUTHORIZE_PAYMENT']"));
    visible("timeline-filter");
    assertThat(shownTimelineTypes())
        .containsExactly("payment.AuthorizePayment", "payment.PaymentAuthorized");
    click(By.id("timeline-show-all"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("timeline-filter")));
    assertThat(shownTimelineTypes()).isEqualTo(all);
    assertNoScriptErrors();
  }

  /**
   * The overview and a saga's path in Korean, chosen in the header: every label of the diagram and
   * the overview switches (the step for the refund, its mark, the lanes, the legend, the titles,
   * tiles and incident blocks), the choice survives a reload, and English comes back at one click.
   * data-step and data-mark stay the API's codes in either language.
   */
  @Test
  void theOverviewAndASagasPathSwitchToKoreanAndBack() throws Exception {
    String failed = refusedRefund("console-korean-" + UUID.randomUUID().toString().substring(0, 8));
    openConsoleAsOperator();
    visible("overview-view");
    assertThat(text("overview-title")).isEqualTo("Overview");
    assertThat(attributeOf("#language button[data-language='en']", "aria-pressed"))
        .isEqualTo("true");

    click(By.cssSelector("#language button[data-language='ko']"));
    wait.until(ExpectedConditions.textToBe(By.id("overview-title"), "개요"));
    assertThat(attributeOf("html", "lang")).isEqualTo("ko");
    assertThat(text("nav-overview")).isEqualTo("개요");
    wait.until(
        d ->
            String.valueOf(textOf("#overview-incidents [data-incident='compensation-failed'] h3"))
                .startsWith("보상 실패"));
    assertThat(text("overview-totals")).contains("시작", "완료", "보상 완료", "미해결 인시던트");
    assertThat(text("overview-view"))
        .contains("미해결 인시던트", "시간별 사가", "실패 사유", "단계별 지연 시간", "목록 열기")
        .doesNotContain(
            "Overview",
            "Open incidents",
            "open the list",
            "Sagas per hour",
            "Failure reasons",
            "Step latency",
            "refresh by itself",
            "as of",
            "started",
            "completed",
            "compensation failed");
    assertThat(textOf("#overview-latency-chart g.latency[data-step='AUTHORIZE_PAYMENT']"))
        .contains("결제 승인", "실행 ");

    // the saga's path: Korean words, the same codes in data-step and data-mark
    openSaga(failed);
    wait.until(ExpectedConditions.textToBe(By.id("saga-state"), "COMPENSATION_FAILED"));
    awaitMarks(REFUND_REFUSED_PATH);
    assertThat(text("saga-path-title")).isEqualTo("경로");
    assertThat(stepText("REFUND_PAYMENT"))
        .contains("결제 환불", "실패", "PROVIDER_REJECTED refund_failed", "주문에 REFUND_PENDING 표시");
    assertThat(stepText("AUTHORIZE_PAYMENT")).contains("결제 승인", "완료");
    assertThat(stepText("APPROVE_ORDER")).contains("주문 승인", "도달 안 함");
    // step names, marks and lanes: no word of English left among them
    assertThat(
            textOf(
                "#saga-path text.step-name, #saga-path text.step-mark, #saga-path text.lane-label"))
        .doesNotContainPattern("[A-Za-z]");
    assertThat(text("saga-path-legend"))
        .contains("완료", "진행 중", "실패", "되돌림", "필요 없음", "도달 안 함")
        .doesNotContainPattern("[A-Za-z]");
    screenshot("path-ko.png");
    screenshotOf(By.xpath("//div[@id='saga-path']/.."), "path-ko-card.png");

    // remembered: a reload keeps Korean
    browser.navigate().refresh();
    wait.until(ExpectedConditions.textToBe(By.id("saga-order-id"), failed));
    wait.until(ExpectedConditions.textToBe(By.id("saga-path-title"), "경로"));
    wait.until(d -> String.valueOf(stepText("REFUND_PAYMENT")).contains("결제 환불"));
    click(By.id("nav-overview"));
    wait.until(ExpectedConditions.textToBe(By.id("overview-title"), "개요"));
    wait.until(d -> String.valueOf(text("overview-totals")).contains("보상 완료"));
    screenshot("overview-ko.png");

    // back to English: the overview, then the path
    click(By.cssSelector("#language button[data-language='en']"));
    wait.until(ExpectedConditions.textToBe(By.id("overview-title"), "Overview"));
    wait.until(
        d ->
            String.valueOf(textOf("#overview-incidents [data-incident='compensation-failed'] h3"))
                .startsWith("Compensation failed"));
    assertThat(text("overview-totals")).contains("started", "compensated", "open incidents");
    assertThat(text("overview-view")).doesNotContain("개요", "미해결", "목록 열기", "보상");
    openSaga(failed);
    wait.until(d -> String.valueOf(stepText("REFUND_PAYMENT")).contains("Refund payment"));
    assertThat(stepText("REFUND_PAYMENT"))
        .contains("failed", "the order shows REFUND_PENDING")
        .doesNotContain("결제 환불", "실패");
    assertThat(text("saga-path-title")).isEqualTo("Path");
    assertThat(text("saga-path-legend")).contains("done", "not reached").doesNotContain("완료");
    assertThat(attributeOf("html", "lang")).isEqualTo("en");
    assertNoScriptErrors();
  }

  // ---------------------------------------------------------------- the participants

  String placeOrder(String customerId) {
    String orderId = UUID.randomUUID().toString();
    publisher.publish(
        TestMessages.envelope(
            new OrderPlaced(
                orderId,
                new Customer(customerId, "console@example.com", "en"),
                List.of(new LineItem("MUG-01", 2, Money.of("16.50", "EUR"))),
                Money.of("33.00", "EUR"),
                new Address("Kim Minji", "12 Sejong-daero", null, "Seoul", "04524", "KR"),
                "pm_card_visa")));
    return orderId;
  }

  /** A completed saga whose first authorization went unanswered: the second one is answered. */
  String completedAfterARetry(String customerId) {
    String orderId = placeOrder(customerId);
    authorizePayment(
        orderId, e -> e.messageId().equals(MessageIds.forStep(orderId, "AUTHORIZE_PAYMENT", 2)));
    scheduleShipment(orderId);
    answer(orders, ApproveOrder.class, orderId, e -> true, approve -> new OrderApproved(orderId));
    return awaitState(orderId, "COMPLETED");
  }

  /** A saga whose payment was declined: the order rejected, COMPENSATED. */
  String declined(String customerId) {
    String orderId = placeOrder(customerId);
    answer(
        payments,
        AuthorizePayment.class,
        orderId,
        e -> true,
        authorize -> new PaymentDeclined(orderId, DeclineReason.INSUFFICIENT_FUNDS, "card"));
    rejectOrder(orderId, RejectionReason.PAYMENT_DECLINED);
    return awaitState(orderId, "COMPENSATED");
  }

  /** A saga whose shipment failed: refunded, the order rejected, COMPENSATED. */
  String compensatedAfterShipmentFailed(String customerId) {
    String orderId = paid(customerId);
    failShipment(orderId, "full");
    refundPayment(orderId, e -> true);
    rejectOrder(orderId, RejectionReason.SHIPMENT_FAILED);
    return awaitState(orderId, "COMPENSATED");
  }

  /** A saga whose refund is never answered: past its attempts it is COMPENSATION_FAILED. */
  String failedCompensation(String customerId) {
    String orderId = paid(customerId);
    failShipment(orderId, "no capacity");
    return awaitState(orderId, "COMPENSATION_FAILED");
  }

  /** A saga whose refund the provider refused: COMPENSATION_FAILED at once. */
  String refusedRefund(String customerId) {
    String orderId = paid(customerId);
    failShipment(orderId, "AQ");
    answer(
        payments,
        RefundPayment.class,
        orderId,
        e -> true,
        refund ->
            new PaymentRefundFailed(
                orderId, "pay-1", RefundFailureReason.PROVIDER_REJECTED, "refund_failed"));
    return awaitState(orderId, "COMPENSATION_FAILED");
  }

  /** A saga paid for and booked, waiting for the order service's approval (retried forever). */
  String awaitingApproval(String customerId) {
    String orderId = paid(customerId);
    scheduleShipment(orderId);
    awaitCommand(orders, ApproveOrder.class, orderId, e -> true);
    return orderId;
  }

  /** A saga placed and its payment authorized (as {@code pay-1}); returns its order id. */
  String paid(String customerId) {
    String orderId = placeOrder(customerId);
    authorizePayment(orderId, e -> true);
    return orderId;
  }

  /** Authorizes the order's newest payment command that matches, as {@code pay-1}. */
  void authorizePayment(String orderId, Predicate<Envelope<Message>> matching) {
    answer(
        payments,
        AuthorizePayment.class,
        orderId,
        matching,
        authorize -> new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
  }

  /** Refunds the order's newest refund command that matches, as {@code ref-1} of {@code pay-1}. */
  void refundPayment(String orderId, Predicate<Envelope<Message>> matching) {
    answer(
        payments,
        RefundPayment.class,
        orderId,
        matching,
        refund -> new PaymentRefunded(orderId, "pay-1", "ref-1", refund.payload().amount()));
  }

  void scheduleShipment(String orderId) {
    answer(
        shipping,
        ScheduleShipment.class,
        orderId,
        e -> true,
        schedule -> new ShipmentScheduled(orderId, "shp-1", "CJ", "CJ1"));
  }

  /** The carrier rejects the order's shipment, with {@code detail}. */
  void failShipment(String orderId, String detail) {
    answer(
        shipping,
        ScheduleShipment.class,
        orderId,
        e -> true,
        schedule -> new ShipmentFailed(orderId, ShipmentFailureReason.CARRIER_REJECTED, detail));
  }

  void rejectOrder(String orderId, RejectionReason reason) {
    answer(
        orders,
        RejectOrder.class,
        orderId,
        e -> true,
        reject -> new OrderRejected(orderId, reason));
  }

  /** Waits until the saga API shows the saga in {@code state}; returns its order id. */
  String awaitState(String orderId, String state) {
    await().atMost(LONG).until(() -> apiStatus(orderId).path("state").asText(), state::equals);
    return orderId;
  }

  /**
   * Waits for the order's newest command of that type that matches and replies what {@code answer}
   * makes of it.
   */
  <C extends Message> void answer(
      QueueProbe probe,
      Class<C> type,
      String orderId,
      Predicate<Envelope<Message>> matching,
      Function<Envelope<C>, Message> answer) {
    Envelope<C> command = awaitCommand(probe, type, orderId, matching);
    reply(command, answer.apply(command));
  }

  /** The newest command of that type for the order that matches, once one has arrived. */
  static <T extends Message> Envelope<T> awaitCommand(
      QueueProbe probe, Class<T> type, String orderId, Predicate<Envelope<Message>> matching) {
    return probe.awaitLatest(type, orderId, matching, LONG);
  }

  <C extends Message, R extends Message> void reply(Envelope<C> command, R reply) {
    publisher.publish(command.reply(UUID.randomUUID().toString(), Instant.now(), reply));
  }

  static Envelope<RefundPayment> refund(String orderId) {
    return TestMessages.envelope(
        new RefundPayment(orderId, "refund-" + orderId, "pay-" + MARKUP, Money.of("33.00", "EUR")));
  }

  /**
   * Puts a command straight into the queue's parking queue, with the headers payment-service's
   * consumer writes when it refuses one.
   */
  void park(String queue, Envelope<?> command) {
    publisher.publish(
        "",
        topology.parkingQueue(queue),
        MessageProperties.PERSISTENT_BASIC
            .builder()
            .messageId(command.messageId())
            .type(command.type())
            .contentType("application/json")
            .headers(
                Map.of(
                    ConfirmingPublisher.SAGA_ID_HEADER,
                    command.sagaId(),
                    ParkingHeaders.REASON,
                    "REJECTED",
                    ParkingHeaders.DETAIL,
                    "PAYMENT_NOT_FOUND",
                    ParkingHeaders.EXCEPTION,
                    RejectedMessageException.class.getName(),
                    ParkingHeaders.EXCEPTION_MESSAGE,
                    "no payment pay-" + MARKUP,
                    ParkingHeaders.SERVICE,
                    "payment-service",
                    ParkingHeaders.PARKED_AT,
                    Instant.now().toString(),
                    ParkingHeaders.ORIGINAL_QUEUE,
                    topology.name(queue),
                    ParkingHeaders.DELIVERIES,
                    1))
            .build(),
        codec.encode(command),
        command.type());
  }

  /** How many Idempotency-Keys the operator used on this path, kept with their answers. */
  long idempotencyKeysUsed(String path) {
    return database
        .getCollection(IdempotencyRecords.COLLECTION)
        .countDocuments(
            Filters.and(
                Filters.eq("who", "operator"),
                Filters.eq("path", path),
                Filters.eq("state", "DONE")));
  }

  /** How many times the audit log names the action on this saga. */
  long audited(String orderId, String action) {
    return database
        .getCollection(AuditLog.COLLECTION)
        .countDocuments(Filters.and(Filters.eq("orderIds", orderId), Filters.eq("action", action)));
  }

  JsonNode apiStatus(String orderId) {
    return http.withBasicAuth("operator", OPERATOR_PASSWORD)
        .getForObject("/ops/sagas/" + orderId, JsonNode.class)
        .path("status");
  }

  // ---------------------------------------------------------------- the browser

  void signIn(String username, String password) {
    visible("sign-in-view");
    type("username", username);
    type("password", password);
    WebElement note = browser.findElement(By.id("sign-in-message"));
    click(By.id("sign-in"));
    // the form says "Checking…" first; wait for the answer (or for the form to go)
    wait.until(
        d ->
            !note.isDisplayed()
                || !note.getText().startsWith("Checking")
                || !browser.findElement(By.id("sign-in-view")).isDisplayed());
  }

  String signInMessage() {
    By note = By.id("sign-in-message");
    wait.until(ExpectedConditions.visibilityOfElementLocated(note));
    wait.until(d -> !d.findElement(note).getText().startsWith("Checking"));
    return browser.findElement(note).getText();
  }

  /**
   * Nothing went wrong in the page: no script error, no file missing, no content refused by its
   * Content Security Policy. The API's refusals the tests provoke (a wrong password, bad input) are
   * logged by the browser as failed loads; the page answers them, and the tests check that.
   */
  void assertNoScriptErrors() {
    List<String> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .filter(text -> !REFUSED_CALL.matcher(text).find())
            .toList();
    assertThat(errors).isEmpty();
  }

  /** After sign-in the console opens on the overview; the list of sagas is one click away. */
  void openConsoleAsOperator() {
    browser.get("http://localhost:" + port + "/console/");
    signIn("operator", OPERATOR_PASSWORD);
  }

  /**
   * Filters the saga list by {@code state} and customer, and waits for the order's row; returns
   * where the row is.
   */
  By listRow(String state, String customerId, String orderId) {
    click(By.cssSelector("#filter-states input[value='" + state + "']"));
    type("filter-customer", customerId);
    click(By.id("filter-apply"));
    By row = By.cssSelector("#saga-list tbody tr[data-order-id='" + orderId + "']");
    wait.until(ExpectedConditions.visibilityOfElementLocated(row));
    return row;
  }

  void openSagaList() {
    visible("overview-view");
    click(By.id("nav-sagas"));
    visible("sagas-view");
  }

  /** Opens a saga's page by its address, as a link to it would. */
  void openSaga(String orderId) {
    ((JavascriptExecutor) browser)
        .executeScript("location.hash = arguments[0]", "#/sagas/" + orderId);
    wait.until(ExpectedConditions.textToBe(By.id("saga-order-id"), orderId));
  }

  /** Each step drawn on the saga's path, with its mark (data-step and data-mark). */
  @SuppressWarnings("unchecked")
  Map<String, String> marks() {
    return (Map<String, String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "const marks = {};"
                    + " document.querySelectorAll('#saga-path .step')"
                    + ".forEach((g) => { marks[g.dataset.step] = g.dataset.mark; });"
                    + " return marks;");
  }

  /** Waits until the path shows exactly these steps with these marks (the page refreshes). */
  void awaitMarks(Map<String, String> expected) {
    try {
      wait.until(d -> marks().equals(expected));
    } catch (org.openqa.selenium.TimeoutException e) {
      assertThat(marks()).as("the steps drawn and their marks").isEqualTo(expected);
    }
  }

  /** An attribute of a step drawn on the saga's path. */
  String stepAttribute(String step, String name) {
    return attributeOf("#saga-path .step[data-step='" + step + "']", name);
  }

  /** The text of a step drawn on the saga's path, its lines run together. */
  String stepText(String step) {
    return textOf("#saga-path .step[data-step='" + step + "'] rect ~ text");
  }

  /**
   * The text of the first element matching (text elements of SVG joined by a space), read in one go
   * by the page's script: the page may redraw between two WebDriver calls on one element.
   */
  String textOf(String selector) {
    return (String)
        ((JavascriptExecutor) browser)
            .executeScript(
                "const found = [...document.querySelectorAll(arguments[0])];"
                    + " if (!found.length) return null;"
                    + " const texts = found[0] instanceof SVGElement"
                    + " ? found.flatMap((e) => e.tagName === 'text' ? [e]"
                    + " : [...e.querySelectorAll('text')]).map((t) => t.textContent)"
                    + " : [found[0].innerText];"
                    + " return texts.join(' ');",
                selector);
  }

  /** An attribute of the first element matching, read by the page's script (null when absent). */
  String attributeOf(String selector, String name) {
    return (String)
        ((JavascriptExecutor) browser)
            .executeScript(
                "const e = document.querySelector(arguments[0]);"
                    + " return e ? e.getAttribute(arguments[1]) : null;",
                selector,
                name);
  }

  /** The type of each timeline row the page shows (rows filtered out are hidden). */
  @SuppressWarnings("unchecked")
  List<String> shownTimelineTypes() {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll('#saga-timeline tbody tr')]"
                    + ".filter((row) => !row.hidden).map((row) => row.cells[3].textContent);");
  }

  /** The sum of the data-count attributes of the elements found, by the attribute named. */
  @SuppressWarnings("unchecked")
  Map<String, Long> countsBy(String selector, String attribute) {
    return (Map<String, Long>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "const sums = {};"
                    + " document.querySelectorAll(arguments[0]).forEach((e) => {"
                    + " const key = e.getAttribute(arguments[1]);"
                    + " sums[key] = (sums[key] || 0) + Number(e.getAttribute('data-count')); });"
                    + " return sums;",
                selector,
                attribute);
  }

  void visible(String id) {
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  /** Clicks the element once it can be clicked, found again if the page redrew it meanwhile. */
  void click(By by) {
    wait.until(
        d -> {
          try {
            WebElement element = ExpectedConditions.elementToBeClickable(by).apply(d);
            if (element == null) {
              return false;
            }
            element.click();
            return true;
          } catch (StaleElementReferenceException redrawn) {
            return false;
          }
        });
  }

  void type(String id, String text) {
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    field.clear();
    field.sendKeys(text);
  }

  String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  /** A screenshot of one element only (a card), for the docs. */
  void screenshotOf(By by, String name) throws IOException {
    Files.write(SHOTS.resolve(name), browser.findElement(by).getScreenshotAs(OutputType.BYTES));
  }

  void screenshot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name), png);
  }
}
