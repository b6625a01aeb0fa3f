package id.iklan.rules;

import java.util.List;

/** A rule set was rejected; {@link #problems()} lists everything wrong with it, not just the first. */
public final class InvalidRulesException extends Exception {
  private final List<Problem> problems;

  public InvalidRulesException(List<Problem> problems) {
    super(problems.size() + " problem(s) in the rules, first: " + problems.get(0), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
