package dev.ordersaga.messaging;

/** Connection URIs as they may be shown: in logs, errors and the launcher's banner. */
public final class Uris {

  private Uris() {}

  /** The URI with any user and password replaced by {@code ***}. */
  public static String withoutCredentials(String uri) {
    return uri == null ? null : uri.replaceAll("//[^@/]*@", "//***@");
  }
}
