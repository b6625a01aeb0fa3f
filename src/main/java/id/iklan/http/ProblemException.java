package id.iklan.http;

import java.util.List;
import java.util.Map;

/**
 * A request the server refuses, with everything the {@code application/problem+json} answer
 * needs. Thrown from parsing and handlers; the router's failure handler writes it.
 */
final class ProblemException extends RuntimeException {
  final int status;
  final String title;
  final String field;
  final List<Map<String, Object>> problems;
  /** Seconds for a {@code Retry-After} header, or 0 for none. */
  int retryAfterSeconds;

  ProblemException(int status, String title, String detail, String field,
      List<Map<String, Object>> problems) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.field = field;
    this.problems = problems;
  }

  /** A 400 for one bad field; {@code detail} says what is wrong and what is expected. */
  static ProblemException badField(String field, String detail) {
    return new ProblemException(400, "Invalid request", field + ": " + detail, field, null);
  }

  /** Adds a {@code Retry-After} header (a 503 that will likely pass later). */
  ProblemException retryAfter(int seconds) {
    retryAfterSeconds = seconds;
    return this;
  }

  static ProblemException of(int status, String title, String detail) {
    return new ProblemException(status, title, detail, null, null);
  }
}
