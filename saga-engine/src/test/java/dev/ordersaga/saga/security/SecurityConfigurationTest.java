package dev.ordersaga.saga.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

class SecurityConfigurationTest {

  private final SecurityConfiguration configuration = new SecurityConfiguration();
  private final PasswordEncoder encoder = configuration.passwordEncoder();

  @Test
  void prodProfileRefusesToStartWithoutConfiguredPasswords() {
    MockEnvironment prod = new MockEnvironment();
    prod.setActiveProfiles("prod");

    assertThatThrownBy(
            () -> configuration.sagaEngineUsers(new SecuritySettings(null, null), encoder, prod))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("saga.security.operator.password");
  }

  @Test
  void configuredAccountsCarryTheirRoles() {
    UserDetailsService users =
        configuration.sagaEngineUsers(
            new SecuritySettings(
                new SecuritySettings.Account("ops", "s3cret-ops"),
                new SecuritySettings.Account(null, "s3cret-analyst")),
            encoder,
            new MockEnvironment());

    assertThat(users.loadUserByUsername("ops").getAuthorities())
        .extracting(Object::toString)
        .containsExactly("ROLE_OPERATOR");
    assertThat(encoder.matches("s3cret-ops", users.loadUserByUsername("ops").getPassword()))
        .isTrue();
    assertThat(users.loadUserByUsername("analyst").getAuthorities())
        .extracting(Object::toString)
        .containsExactly("ROLE_ANALYST");
  }

  @Test
  void localRunWithoutPasswordsGeneratesThem() {
    UserDetailsService users =
        configuration.sagaEngineUsers(
            new SecuritySettings(null, null), encoder, new MockEnvironment());

    assertThat(users.loadUserByUsername("operator").getPassword()).isNotBlank();
  }
}
