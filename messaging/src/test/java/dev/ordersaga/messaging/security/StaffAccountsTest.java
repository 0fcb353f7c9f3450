package dev.ordersaga.messaging.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class StaffAccountsTest {

  private final ConfiguredPasswords passwords = new ConfiguredPasswords();

  @Test
  void prodProfileRefusesToStartWithoutConfiguredPasswords() {
    MockEnvironment prod = new MockEnvironment();
    prod.setActiveProfiles("prod");

    assertThatThrownBy(() -> StaffAccounts.users(new StaffSettings(null, null), passwords, prod))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("saga.security.operator.password")
        .hasMessageContaining("SAGA_SECURITY_OPERATOR_PASSWORD");
  }

  @Test
  void configuredAccountsCarryTheirRolesAndPasswordsPlainOrEncoded() {
    String encoded = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("s3cret-analyst");
    UserDetailsService users =
        StaffAccounts.users(
            new StaffSettings(
                new StaffSettings.Account("ops", "s3cret-ops"),
                new StaffSettings.Account(null, encoded)),
            passwords,
            new MockEnvironment());

    assertThat(users.loadUserByUsername("ops").getAuthorities())
        .extracting(Object::toString)
        .containsExactly("ROLE_OPERATOR");
    assertThat(passwords.matches("s3cret-ops", users.loadUserByUsername("ops").getPassword()))
        .isTrue();
    assertThat(users.loadUserByUsername("ops").getPassword()).doesNotContain("s3cret-ops");
    assertThat(users.loadUserByUsername("analyst").getAuthorities())
        .extracting(Object::toString)
        .containsExactly("ROLE_ANALYST");
    assertThat(
            passwords.matches("s3cret-analyst", users.loadUserByUsername("analyst").getPassword()))
        .isTrue();
    assertThat(passwords.matches("s3cret-ops", users.loadUserByUsername("analyst").getPassword()))
        .isFalse();
  }

  @Test
  void localRunWithoutPasswordsGeneratesThem() {
    UserDetailsService users =
        StaffAccounts.users(new StaffSettings(null, null), passwords, new MockEnvironment());

    assertThat(users.loadUserByUsername("operator").getPassword())
        .startsWith(ConfiguredPasswords.DIGEST_PREFIX);
    assertThat(passwords.matches("", users.loadUserByUsername("operator").getPassword())).isFalse();
  }
}
