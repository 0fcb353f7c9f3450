package dev.ordersaga.order.shopper;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shopper accounts of the API ({@code order-service.security.shoppers}), as a list:
 *
 * <pre>
 * order-service.security.shoppers[0].username=jiwoo
 * order-service.security.shoppers[0].password=...   (or {bcrypt}$2a$10$...)
 * order-service.security.shoppers[0].customer-id=c-42
 * </pre>
 *
 * or from the environment {@code ORDER_SERVICE_SECURITY_SHOPPERS_0_USERNAME} and so on. An account
 * acts for one customer id (its user name when none is given): it places orders for that customer
 * only and sees and cancels only that customer's orders. Without any account, a local run generates
 * one ({@code shopper}) and logs its password; the {@code prod} profile refuses to start.
 */
@ConfigurationProperties("order-service.security")
public record ShopperAccountSettings(List<Account> shoppers) {

  public ShopperAccountSettings {
    shoppers = shoppers == null ? List.of() : List.copyOf(shoppers);
  }

  /**
   * One shopper account.
   *
   * @param password the password in plain text (compared in constant time), or encoded with a
   *     {@code {id}} prefix as Spring Security writes it ({@code {bcrypt}...}); a bcrypt check
   *     costs tens of milliseconds of CPU on every request
   * @param customerId the customer the account acts for; the user name when blank
   */
  public record Account(String username, String password, String customerId) {}
}
