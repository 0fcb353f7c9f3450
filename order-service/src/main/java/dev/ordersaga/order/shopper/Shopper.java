package dev.ordersaga.order.shopper;

import java.util.Collection;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A signed-in shopper: the account's user name and the one customer it acts for. Immutable, so one
 * instance serves every request of the account.
 *
 * @param password the encoded password ({@code {id}...})
 */
public record Shopper(String username, String password, String customerId) implements UserDetails {

  public static final String ROLE = "SHOPPER";

  private static final List<GrantedAuthority> AUTHORITIES =
      List.of(new SimpleGrantedAuthority("ROLE_" + ROLE));

  @Override
  public Collection<? extends GrantedAuthority> getAuthorities() {
    return AUTHORITIES;
  }

  @Override
  public String getPassword() {
    return password;
  }

  @Override
  public String getUsername() {
    return username;
  }

  /** Whether the order with this customer id is this shopper's. */
  public boolean owns(String orderCustomerId) {
    return customerId.equals(orderCustomerId);
  }

  @Override
  public String toString() {
    return "Shopper[" + username + " for customer " + customerId + "]";
  }
}
