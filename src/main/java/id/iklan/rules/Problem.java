package id.iklan.rules;

/**
 * One thing wrong with a rule set, placed so that a person can find it: by campaign id when the
 * campaign has a usable one, else by its index in the list (or, for CSV, its line), and by field.
 */
public record Problem(String campaign, Integer index, Integer line, String field, String message) {

  public static Problem atCampaign(String campaign, int index, String field, String message) {
    return campaign != null
        ? new Problem(campaign, null, null, field, message)
        : new Problem(null, index, null, field, message);
  }

  public static Problem atRoot(String field, String message) {
    return new Problem(null, null, null, field, message);
  }

  @Override
  public String toString() {
    String where = campaign != null ? "campaign " + campaign
        : index != null ? "campaign #" + index
        : line != null ? "line " + line
        : "rule set";
    return where + ", " + field + ": " + message;
  }
}
