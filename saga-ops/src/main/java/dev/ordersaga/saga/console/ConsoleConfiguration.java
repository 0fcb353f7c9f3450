package dev.ordersaga.saga.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The operator console: static files under {@code static/console/} (no build step, nothing loaded
 * from elsewhere), opened at {@code /console/}. The page holds no data; every call it makes (to
 * {@code /ops}, and to {@code /analytics} for its overview's charts) carries the operator's
 * credentials.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration implements WebMvcConfigurer {

  /** Where the console is opened. */
  public static final String PATH = "/console/";

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addRedirectViewController("/console", PATH);
    registry.addViewController(PATH).setViewName("forward:" + PATH + "index.html");
  }
}
