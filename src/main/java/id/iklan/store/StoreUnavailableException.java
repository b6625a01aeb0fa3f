package id.iklan.store;

import java.io.IOException;

/**
 * A shared rule store (PostgreSQL) cannot be reached, or did not answer in time. Nothing was
 * changed; the servers keep serving the last version they loaded. Answered as {@code 503}.
 */
public final class StoreUnavailableException extends IOException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
