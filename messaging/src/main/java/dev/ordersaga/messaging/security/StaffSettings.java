package dev.ordersaga.messaging.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The staff accounts of the system ({@code saga.security.*}): the operator, who drives sagas, and
 * the analyst, who reads. saga-engine and the participants' read APIs take the same two accounts.
 * Each password comes from configuration (environment: {@code SAGA_SECURITY_OPERATOR_PASSWORD},
 * {@code SAGA_SECURITY_ANALYST_PASSWORD}). Without one, a local run generates it and logs it once;
 * the {@code prod} profile refuses to start instead.
 */
@ConfigurationProperties("saga.security")
public record StaffSettings(Account operator, Account analyst) {

  public StaffSettings {
    operator = operator == null ? new Account(null, null) : operator;
    analyst = analyst == null ? new Account(null, null) : analyst;
  }

  /** One account; blank fields take defaults (user name = the role's name in lower case). */
  public record Account(String username, String password) {}
}
