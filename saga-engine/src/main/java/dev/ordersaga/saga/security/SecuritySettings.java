package dev.ordersaga.saga.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may use saga-engine's APIs ({@code saga.security.*}). Each account's password comes from
 * configuration (environment: {@code SAGA_SECURITY_OPERATOR_PASSWORD}, {@code
 * SAGA_SECURITY_ANALYST_PASSWORD}). Without one, a local run generates it and logs it once; the
 * {@code prod} profile refuses to start instead.
 */
@ConfigurationProperties("saga.security")
public record SecuritySettings(Account operator, Account analyst) {

  public SecuritySettings {
    operator = operator == null ? new Account(null, null) : operator;
    analyst = analyst == null ? new Account(null, null) : analyst;
  }

  /** One account; blank fields take defaults (user name = the role's name). */
  public record Account(String username, String password) {}
}
