package dev.ordersaga.messaging.security;

import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The operator and analyst accounts from {@link StaffSettings}, as every app that serves staff
 * builds them: configured passwords (plain or encoded, see {@link ConfiguredPasswords}), or
 * generated and logged for a local run; the {@code prod} profile refuses to start without
 * configured ones.
 */
public final class StaffAccounts {

  /** Drives sagas: the operator API and console, and may read everything. */
  public static final String OPERATOR = "OPERATOR";

  /** Reads: the analyst API, saga status, the participants' records. */
  public static final String ANALYST = "ANALYST";

  private static final Logger log = LoggerFactory.getLogger(StaffAccounts.class);

  private StaffAccounts() {}

  /** Whether the {@code prod} profile is active. */
  public static boolean production(Environment environment) {
    return Arrays.asList(environment.getActiveProfiles()).contains("prod");
  }

  /**
   * The two accounts.
   *
   * @throws IllegalStateException in production, naming the password that is not set
   */
  public static UserDetailsService users(
      StaffSettings settings, ConfiguredPasswords passwords, Environment environment) {
    boolean production = production(environment);
    return new InMemoryUserDetailsManager(
        User.withUsername(username(settings.operator(), OPERATOR))
            .password(passwords.stored(password(settings.operator(), OPERATOR, production)))
            .roles(OPERATOR)
            .build(),
        User.withUsername(username(settings.analyst(), ANALYST))
            .password(passwords.stored(password(settings.analyst(), ANALYST, production)))
            .roles(ANALYST)
            .build());
  }

  private static String username(StaffSettings.Account account, String role) {
    return account.username() == null || account.username().isBlank()
        ? role.toLowerCase(Locale.ROOT)
        : account.username();
  }

  private static String password(StaffSettings.Account account, String role, boolean production) {
    if (account.password() != null && !account.password().isBlank()) {
      return account.password();
    }
    String name = role.toLowerCase(Locale.ROOT);
    if (production) {
      throw new IllegalStateException(
          "saga.security."
              + name
              + ".password is not set; the prod profile does not start without configured"
              + " credentials (set SAGA_SECURITY_"
              + role
              + "_PASSWORD)");
    }
    String generated = ConfiguredPasswords.generate();
    log.warn(
        "no password configured for the {} account; generated for this run: {}", name, generated);
    return generated;
  }
}
