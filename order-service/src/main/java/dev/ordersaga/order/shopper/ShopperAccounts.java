package dev.ordersaga.order.shopper;

import dev.ordersaga.messaging.security.ConfiguredPasswords;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The shopper accounts from configuration ({@link ShopperAccountSettings}), checked once at start:
 * user names present, unique and without {@code :} (HTTP Basic could not carry them), customer ids
 * of at most {@value #MAX_CUSTOMER_ID_LENGTH} characters (what an order accepts), passwords set or
 * generated, encoded passwords in a known algorithm.
 */
final class ShopperAccounts implements UserDetailsService {

  /** The account a local run generates when none is configured. */
  static final String GENERATED_USERNAME = "shopper";

  static final int MAX_CUSTOMER_ID_LENGTH = 100;
  private static final int MAX_USERNAME_LENGTH = 100;

  private static final Logger log = LoggerFactory.getLogger(ShopperAccounts.class);

  private final Map<String, Shopper> byUsername;

  private ShopperAccounts(Map<String, Shopper> byUsername) {
    this.byUsername = Map.copyOf(byUsername);
  }

  /**
   * The configured accounts; without any, one generated account unless {@code production}.
   *
   * @throws IllegalStateException naming the setting that is missing or wrong
   */
  static ShopperAccounts from(
      ShopperAccountSettings settings, ConfiguredPasswords passwords, boolean production) {
    List<ShopperAccountSettings.Account> accounts = settings.shoppers();
    if (accounts.isEmpty()) {
      if (production) {
        throw new IllegalStateException(
            "order-service.security.shoppers is empty; the prod profile does not start without"
                + " configured shopper accounts (ORDER_SERVICE_SECURITY_SHOPPERS_0_USERNAME,"
                + " _PASSWORD, _CUSTOMER_ID)");
      }
      accounts = List.of(new ShopperAccountSettings.Account(GENERATED_USERNAME, null, null));
    }
    Map<String, Shopper> byUsername = new LinkedHashMap<>();
    for (int i = 0; i < accounts.size(); i++) {
      Shopper shopper = shopper(i, accounts.get(i), passwords, production);
      if (byUsername.putIfAbsent(shopper.username(), shopper) != null) {
        throw invalid(i, "username", "repeats the user name " + shopper.username());
      }
    }
    return new ShopperAccounts(byUsername);
  }

  private static Shopper shopper(
      int index,
      ShopperAccountSettings.Account account,
      ConfiguredPasswords passwords,
      boolean production) {
    String username = account.username();
    if (username == null || username.isBlank()) {
      throw invalid(index, "username", "is required");
    }
    if (username.length() > MAX_USERNAME_LENGTH
        || username.contains(":")
        || !username.strip().equals(username)) {
      throw invalid(
          index,
          "username",
          "must be at most "
              + MAX_USERNAME_LENGTH
              + " characters, without ':' or surrounding spaces");
    }
    String customerId =
        account.customerId() == null || account.customerId().isBlank()
            ? username
            : account.customerId();
    if (customerId.length() > MAX_CUSTOMER_ID_LENGTH) {
      throw invalid(
          index, "customer-id", "must be at most " + MAX_CUSTOMER_ID_LENGTH + " characters");
    }
    String password = account.password();
    if (password == null || password.isBlank()) {
      if (production) {
        throw invalid(
            index,
            "password",
            "is not set; the prod profile does not start without configured credentials");
      }
      password = ConfiguredPasswords.generate();
      log.warn(
          "no password configured for shopper {} (customer {}); generated for this run: {}",
          username,
          customerId,
          password);
    }
    String stored;
    try {
      stored = passwords.stored(password);
    } catch (IllegalArgumentException unknownAlgorithm) {
      throw invalid(
          index,
          "password",
          "is encoded with an unknown algorithm (a plain password may not start with {...}): "
              + unknownAlgorithm.getMessage());
    }
    return new Shopper(username, stored, customerId);
  }

  private static IllegalStateException invalid(int index, String field, String problem) {
    return new IllegalStateException(
        "order-service.security.shoppers[" + index + "]." + field + " " + problem);
  }

  @Override
  public Shopper loadUserByUsername(String username) {
    Shopper shopper = byUsername.get(username);
    if (shopper == null) {
      throw new UsernameNotFoundException("no such shopper");
    }
    return shopper;
  }

  /** How many accounts there are. */
  int size() {
    return byUsername.size();
  }
}
