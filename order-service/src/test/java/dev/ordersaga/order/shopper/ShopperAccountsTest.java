package dev.ordersaga.order.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersaga.messaging.security.ConfiguredPasswords;
import dev.ordersaga.order.shopper.ShopperAccountSettings.Account;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class ShopperAccountsTest {

  private final ConfiguredPasswords passwords = new ConfiguredPasswords();

  @Test
  void checksAPlainPasswordAgainstItsDigestAndNeverKeepsThePlainText() {
    ShopperAccounts accounts = accounts(false, new Account("jiwoo", "s3cret", "c-42"));

    Shopper jiwoo = accounts.loadUserByUsername("jiwoo");

    assertThat(jiwoo.customerId()).isEqualTo("c-42");
    assertThat(jiwoo.getPassword())
        .startsWith(ConfiguredPasswords.DIGEST_PREFIX)
        .doesNotContain("s3cret");
    assertThat(passwords.matches("s3cret", jiwoo.getPassword())).isTrue();
    assertThat(passwords.matches("s3cret ", jiwoo.getPassword())).isFalse();
    assertThat(passwords.matches("", jiwoo.getPassword())).isFalse();
    assertThat(jiwoo.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_SHOPPER");
  }

  @Test
  void takesAPasswordEncodedAsSpringSecurityWritesIt() {
    String encoded = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("s3cret");

    Shopper minho =
        accounts(false, new Account("minho", encoded, null)).loadUserByUsername("minho");

    assertThat(minho.getPassword()).isEqualTo(encoded);
    assertThat(passwords.matches("s3cret", minho.getPassword())).isTrue();
    assertThat(passwords.matches("wrong", minho.getPassword())).isFalse();
  }

  @Test
  void usesTheUserNameAsCustomerIdWhenNoneIsGiven() {
    Shopper sora = accounts(false, new Account("sora", "pw", " ")).loadUserByUsername("sora");

    assertThat(sora.customerId()).isEqualTo("sora");
    assertThat(sora.owns("sora")).isTrue();
    assertThat(sora.owns("c-42")).isFalse();
  }

  @Test
  void generatesOneAccountForALocalRunWithoutAny() {
    ShopperAccounts accounts = ShopperAccounts.from(settings(), passwords, false);

    Shopper generated = accounts.loadUserByUsername(ShopperAccounts.GENERATED_USERNAME);

    assertThat(accounts.size()).isEqualTo(1);
    assertThat(generated.customerId()).isEqualTo(ShopperAccounts.GENERATED_USERNAME);
    assertThat(generated.getPassword()).startsWith(ConfiguredPasswords.DIGEST_PREFIX);
  }

  @Test
  void generatesAMissingPasswordLocallyButRefusesToStartWithoutOneInProduction() {
    Shopper local = accounts(false, new Account("jiwoo", null, null)).loadUserByUsername("jiwoo");
    assertThat(passwords.matches("", local.getPassword())).isFalse();

    assertThatThrownBy(() -> accounts(true, new Account("jiwoo", "", null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("order-service.security.shoppers[0].password");
    assertThatThrownBy(() -> ShopperAccounts.from(settings(), passwords, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("order-service.security.shoppers is empty");
  }

  @Test
  void refusesAccountsThatCouldNotSignInOrWouldBeAmbiguous() {
    assertThatThrownBy(
            () -> accounts(false, new Account("jiwoo", "a", null), new Account("jiwoo", "b", null)))
        .hasMessageContaining("shoppers[1].username repeats the user name jiwoo");
    assertThatThrownBy(() -> accounts(false, new Account("ji:woo", "a", null)))
        .hasMessageContaining("shoppers[0].username");
    assertThatThrownBy(() -> accounts(false, new Account(" ", "a", null)))
        .hasMessageContaining("shoppers[0].username is required");
    assertThatThrownBy(() -> accounts(false, new Account("jiwoo", "a", "c".repeat(101))))
        .hasMessageContaining("shoppers[0].customer-id");
    assertThatThrownBy(() -> accounts(false, new Account("jiwoo", "{rot13}frperg", null)))
        .hasMessageContaining("shoppers[0].password is encoded with an unknown algorithm");
  }

  @Test
  void knowsNoOtherUser() {
    ShopperAccounts accounts = accounts(false, new Account("jiwoo", "pw", null));

    assertThatThrownBy(() -> accounts.loadUserByUsername("minho"))
        .isInstanceOf(UsernameNotFoundException.class);
  }

  private ShopperAccounts accounts(boolean production, Account... accounts) {
    return ShopperAccounts.from(settings(accounts), passwords, production);
  }

  private static ShopperAccountSettings settings(Account... accounts) {
    return new ShopperAccountSettings(List.of(accounts));
  }
}
