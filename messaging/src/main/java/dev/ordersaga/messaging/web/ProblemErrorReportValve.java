package dev.ordersaga.messaging.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Container;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report as problem+json instead of its HTML page, for the errors Tomcat answers
 * itself before any servlet runs: {@code 501} for a {@code Transfer-Encoding} it does not implement
 * ({@code gzip}), {@code 400} for a request line or header it cannot parse, {@code 505}. The body
 * has the status and its standard title only.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorReportValve.class);

  /** Makes the Tomcat of {@code factory} report errors with this valve. */
  public static void install(TomcatServletWebServerFactory factory) {
    factory.addEngineValves(new Installer());
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "Error" : known.getReasonPhrase();
    log.info(
        "refused {} {} {}: {} (by Tomcat, before the application)",
        status,
        LogSafe.text(request.getMethod()),
        LogSafe.text(request.getRequestURI()),
        title);
    String body =
        "{\"type\":\""
            + Problems.TYPE_PREFIX
            + status
            + "\",\"title\":\""
            + title
            + "\",\"status\":"
            + status
            + ",\"detail\":\""
            + (status == 501
                ? "The request uses an HTTP feature this server does not implement (such as a"
                    + " Transfer-Encoding other than chunked)"
                : "The request could not be read as HTTP: " + title)
            + "\"}";
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("utf-8");
      PrintWriter writer = response.getReporter();
      if (writer != null) {
        writer.write(body);
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response cannot be written: nothing more to do
    }
  }

  /**
   * An engine valve that only sets its engine's hosts to report errors with {@link
   * ProblemErrorReportValve} (Spring Boot adds engine valves while the host exists but has not
   * started, and it reaches no host directly); it passes every request on.
   */
  static final class Installer extends ValveBase {

    Installer() {
      super(true);
    }

    @Override
    public void setContainer(Container container) {
      super.setContainer(container);
      for (Container child : container.findChildren()) {
        if (child instanceof StandardHost host) {
          host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        }
      }
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
      getNext().invoke(request, response);
    }
  }
}
